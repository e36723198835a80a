//! `seccompProfile.type: Unconfined`.

use trustmap_model::Model;

use super::pod_level::{report_overridden, sets};
use super::{Fault, report_inherited};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers whose seccomp profile (on the container, else the pod) is explicitly
    /// `Unconfined`. A profile inherited by several containers from the pod is reported
    /// once, at the pod's setting. (Leaving the profile out is
    /// `pod-without-seccomp-profile`.)
    ///
    /// ## Why it matters
    ///
    /// `Unconfined` turns off system call filtering even on nodes whose kubelet applies the
    /// runtime's default profile to every pod. Most kernel exploits need system calls an
    /// application never makes (`unshare`, `keyctl`, `bpf`, `userfaultfd`); writing
    /// `Unconfined` puts them back in an attacker's reach.
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
    ///       securityContext:
    ///         seccompProfile:
    ///           type: Unconfined
    ///       containers:
    ///         - name: search
    ///           image: registry.example.com/search:2.0.0
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    ///       securityContext:
    ///         seccompProfile:
    ///           type: RuntimeDefault
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Seccomp" (Baseline)
    pub(crate) PodSeccompUnconfined {
        id: "K8S-104",
        name: "pod-seccomp-unconfined",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0104"],
            cwe: ["CWE-693"],
        },
    }
}

fn is_unconfined(profile: Option<&str>) -> bool {
    profile.is_some_and(|p| p.eq_ignore_ascii_case("Unconfined"))
}

impl Rule for PodSeccompUnconfined {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in model.k8s.workloads.iter().filter(|w| !w.pod.is_windows()) {
            let mut unconfined = Vec::new();
            for container in &workload.pod.containers {
                let profile = &container.security.seccomp_profile;
                match profile.get() {
                    None => out.unknown(),
                    Some(kind) if is_unconfined(kind.as_deref()) => {
                        unconfined.push(Fault {
                            container: container.label(),
                            span: profile.span,
                            via: profile.via.clone(),
                            omitted: false,
                        });
                    }
                    Some(_) => out.pass_at(container.span),
                }
            }
            let reported: Vec<_> = unconfined.iter().map(|f| f.span).collect();
            report_overridden(
                out,
                workload,
                &workload.pod.security.seccomp_profile,
                &reported,
                |p| is_unconfined(p.as_deref()),
                |pods, plural| format!("{pods} {} seccomp `Unconfined` at pod level", sets(plural)),
            );
            let checked = workload.pod.containers.len();
            report_inherited(out, workload, unconfined, checked, |who, plural| {
                let verb = if plural { "run" } else { "runs" };
                format!("{who} {verb} with seccomp `Unconfined`")
            });
        }
    }
}
