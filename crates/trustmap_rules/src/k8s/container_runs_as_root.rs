//! Containers that run, or may run, as UID 0.

use trustmap_model::Model;

use super::{Fault, report_inherited};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that run as root: `runAsUser: 0`, or neither `runAsNonRoot: true` nor a
    /// non-zero `runAsUser` (then the image's `USER` decides, and most images run as root).
    /// Both fields can be set on the pod's `securityContext` for all its containers.
    ///
    /// ## Why it matters
    ///
    /// Root in a container is root on the node's kernel with a few doors closed. Code
    /// execution in such a container lets an attacker rewrite the image's binaries, read any
    /// file a mounted volume brings in regardless of its permissions, and use every kernel or
    /// runtime escape that needs UID 0: one bug away from the node and every pod on it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug-shell
    /// spec:
    ///   containers:
    ///     - name: shell
    ///       image: registry.example.com/toolbox:1.9.0
    ///       securityContext:
    ///         runAsUser: 0
    /// ```
    ///
    /// ## Fix
    ///
    /// Run as a dedicated non-zero UID, and let the kubelet refuse root even if the image
    /// changes. Setting both on the pod covers every container.
    ///
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///     runAsGroup: 10001
    ///   containers:
    ///     - name: shell
    ///       image: registry.example.com/toolbox:1.9.0
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Running as Non-root" (Restricted)
    pub(crate) ContainerRunsAsRoot {
        id: "K8S-003",
        name: "container-runs-as-root",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_23"],
            trivy: ["AVD-KSV-0012", "AVD-KSV-0105"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for ContainerRunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in model.k8s.workloads.iter().filter(|w| !w.pod.is_windows()) {
            let (mut uid_zero, mut maybe_root) = (Vec::new(), Vec::new());
            for container in &workload.pod.containers {
                let uid = &container.security.run_as_user;
                let non_root = &container.security.run_as_non_root;
                let fault = |span, via: &[_], omitted| Fault {
                    container: container.label(),
                    span,
                    via: via.to_vec(),
                    omitted,
                };
                match uid.get() {
                    None => out.unknown(),
                    Some(Some(0)) => uid_zero.push(fault(uid.span, &uid.via, false)),
                    Some(Some(_)) => out.pass(),
                    Some(None) if non_root.is_false() => {
                        maybe_root.push(fault(non_root.span, &non_root.via, non_root.is_default()))
                    }
                    Some(None) if non_root.is_unknown() => out.unknown(),
                    Some(None) => out.pass(),
                }
            }
            let checked = workload.pod.containers.len();
            report_inherited(out, workload, uid_zero, checked, |who, plural| {
                let verb = if plural { "run" } else { "runs" };
                format!("{who} {verb} as root (`runAsUser: 0`)")
            });
            report_inherited(out, workload, maybe_root, checked, |who, _| {
                format!(
                    "{who} may run as root (no `runAsNonRoot: true` and no non-zero `runAsUser`)"
                )
            });
        }
    }
}
