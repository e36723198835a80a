//! Containers that run without a seccomp profile.

use trustmap_model::Model;

use super::{Fault, report_inherited};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers with no `seccompProfile` (on the container or the pod). Unless the
    /// kubelet is started with `--seccomp-default`, no profile means no system call
    /// filtering at all. When no container sets one, the finding points at the pod spec,
    /// where one setting covers all of them. An explicit `Unconfined` is
    /// `pod-seccomp-unconfined`.
    ///
    /// ## Why it matters
    ///
    /// Most container escapes go through the kernel, and most kernel exploits need system
    /// calls an application never makes (`unshare`, `keyctl`, `bpf`, `userfaultfd`, ...).
    /// The runtime's default profile blocks them; without it, an attacker with code
    /// execution in the container has the node's whole kernel attack surface in reach.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: search
    /// spec:
    ///   selector:
    ///     matchLabels: { app: search }
    ///   template:
    ///     metadata:
    ///       labels: { app: search }
    ///     spec:
    ///       containers:
    ///         - name: search
    ///           image: registry.example.com/search:2.0.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Use the runtime's default profile for the whole pod (or a `Localhost` profile built
    /// for the application).
    ///
    /// ```yaml
    ///     spec:
    ///       securityContext:
    ///         seccompProfile:
    ///           type: RuntimeDefault
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Seccomp" (Restricted)
    pub(crate) PodWithoutSeccompProfile {
        id: "K8S-019",
        name: "pod-without-seccomp-profile",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_31"],
            trivy: ["AVD-KSV-0030"],
            cwe: ["CWE-693"],
        },
    }
}

impl Rule for PodWithoutSeccompProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in model.k8s.workloads.iter().filter(|w| !w.pod.is_windows()) {
            let mut unset = Vec::new();
            for container in &workload.pod.containers {
                let profile = &container.security.seccomp_profile;
                match profile.get() {
                    None => out.unknown(),
                    Some(None) => unset.push(Fault {
                        container: container.label(),
                        span: profile.span,
                        via: profile.via.clone(),
                        omitted: profile.is_default(),
                    }),
                    // `Unconfined` is `pod-seccomp-unconfined`'s.
                    Some(Some(_)) => out.pass_at(container.span),
                }
            }
            let checked = workload.pod.containers.len();
            report_inherited(out, workload, unset, checked, |who, plural| {
                let verb = if plural { "run" } else { "runs" };
                format!("{who} {verb} without a seccomp profile")
            });
        }
    }
}
