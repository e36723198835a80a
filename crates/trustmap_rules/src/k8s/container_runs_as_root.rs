//! Containers the kubelet does not stop from running as UID 0 (`runAsNonRoot` not `true`).

use trustmap_model::Model;

use super::pod_level::{report_overridden, sets};
use super::{Fault, report_inherited};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers without `runAsNonRoot: true` (on the container, or inherited from the
    /// pod), including those that set it to `false`. Without it the image's `USER` (or a
    /// later change of `runAsUser`) decides, and most images run as root. An explicit
    /// `runAsUser: 0` is `container-run-as-user-zero`. When no container sets it, the
    /// finding points at the pod spec, where one line covers all of them.
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
    ///         runAsUser: 1000
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
            trivy: ["AVD-KSV-0012"],
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
            let (mut unset, mut disabled) = (Vec::new(), Vec::new());
            for container in &workload.pod.containers {
                let non_root = &container.security.run_as_non_root;
                let fault = Fault {
                    container: container.label(),
                    span: non_root.span,
                    via: non_root.via.clone(),
                    omitted: non_root.is_default(),
                };
                match non_root.get() {
                    None => out.unknown(),
                    Some(true) => out.pass_at(container.span),
                    Some(false) if non_root.is_default() => unset.push(fault),
                    Some(false) => disabled.push(fault),
                }
            }
            let reported: Vec<_> = unset.iter().chain(&disabled).map(|f| f.span).collect();
            report_overridden(
                out,
                workload,
                &workload.pod.security.run_as_non_root,
                &reported,
                |v| *v == Some(false),
                |pods, plural| {
                    format!("{pods} {} `runAsNonRoot: false` at pod level", sets(plural))
                },
            );
            let checked = workload.pod.containers.len();
            report_inherited(out, workload, unset, checked, |who, _| {
                format!("{who} may run as root (no `runAsNonRoot: true`)")
            });
            report_inherited(out, workload, disabled, checked, |who, _| {
                format!("{who} may run as root (`runAsNonRoot: false`)")
            });
        }
    }
}
