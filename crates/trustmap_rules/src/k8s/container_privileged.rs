//! `securityContext.privileged: true`.

use trustmap_model::Model;

use super::{linux_containers, tally};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that run privileged (`securityContext.privileged: true`).
    ///
    /// ## Why it matters
    ///
    /// A privileged container holds every Linux capability, sees every host device and runs
    /// without seccomp or AppArmor confinement: it is root on the node in all but name. An
    /// attacker who gets code execution in it (a vulnerable dependency, an exposed admin
    /// endpoint) mounts the node's disk or loads a kernel module, then reads the kubelet's
    /// credentials and the secrets of every pod scheduled on that node.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: thumbnailer
    /// spec:
    ///   selector:
    ///     matchLabels: { app: thumbnailer }
    ///   template:
    ///     metadata:
    ///       labels: { app: thumbnailer }
    ///     spec:
    ///       containers:
    ///         - name: thumbnailer
    ///           image: registry.example.com/thumbnailer:2.3.1
    ///           securityContext:
    ///             privileged: true
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `privileged: true`. If the process really needs one kernel privilege, add
    /// that single capability after dropping the rest; if it needs a device, request it
    /// through a device plugin instead of taking the whole node.
    ///
    /// ```yaml
    ///       containers:
    ///         - name: thumbnailer
    ///           image: registry.example.com/thumbnailer:2.3.1
    ///           securityContext:
    ///             privileged: false
    ///             allowPrivilegeEscalation: false
    ///             capabilities:
    ///               drop: ["ALL"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Privileged Containers" (Baseline)
    pub(crate) ContainerPrivileged {
        id: "K8S-001",
        name: "container-privileged",
        severity: Critical,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_16"],
            trivy: ["AVD-KSV-0017"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for ContainerPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in linux_containers(model) {
            let privileged = &container.security.privileged;
            if privileged.is_true() {
                out.report(
                    &workload.object.meta,
                    privileged.span,
                    &privileged.via,
                    format!("container `{}` runs privileged", container.label()),
                );
            } else {
                tally(out, container.span, privileged);
            }
        }
    }
}
