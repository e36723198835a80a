//! `allowPrivilegeEscalation` not set to `false`.

use trustmap_model::Model;

use super::{linux_containers, tally};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that do not set `securityContext.allowPrivilegeEscalation: false`. Left
    /// out, Kubernetes defaults it to `true`.
    ///
    /// ## Why it matters
    ///
    /// Unless it is `false`, the container's processes run without the kernel's
    /// `no_new_privs` flag, so a process can gain privileges it did not start with: through
    /// a setuid binary in the image (`su`, `sudo`, `mount`, `passwd`) or file capabilities.
    /// An attacker with code execution as an unprivileged user in the container uses one of
    /// them to become root inside it, which is the usual first step before a kernel or
    /// runtime escape.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: nightly-report
    /// spec:
    ///   schedule: "0 2 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///             - name: report
    ///               image: registry.example.com/report:4.0.2
    ///               securityContext:
    ///                 runAsNonRoot: true
    /// ```
    ///
    /// ## Fix
    ///
    /// Set it to `false` on every container (it cannot be set at pod level).
    ///
    /// ```yaml
    ///             - name: report
    ///               image: registry.example.com/report:4.0.2
    ///               securityContext:
    ///                 runAsNonRoot: true
    ///                 allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Privilege Escalation" (Restricted)
    pub(crate) ContainerAllowsPrivilegeEscalation {
        id: "K8S-002",
        name: "container-allows-privilege-escalation",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_20"],
            trivy: ["AVD-KSV-0001"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for ContainerAllowsPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in linux_containers(model) {
            let escalation = &container.security.allow_privilege_escalation;
            if escalation.is_true() {
                let why = if escalation.is_default() {
                    "`allowPrivilegeEscalation` defaults to `true`"
                } else {
                    "`allowPrivilegeEscalation: true`"
                };
                out.report(
                    &workload.object.meta,
                    escalation.span,
                    &escalation.via,
                    format!(
                        "container `{}` can gain new privileges ({why})",
                        container.label()
                    ),
                );
            } else {
                tally(out, container.span, escalation);
            }
        }
    }
}
