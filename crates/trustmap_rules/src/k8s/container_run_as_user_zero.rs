//! `runAsUser: 0`.

use trustmap_model::Model;

use super::pod_level::{report_overridden, sets};
use super::{Fault, report_inherited};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that set `runAsUser: 0` (on the container, or inherited from the pod).
    /// A value inherited by several containers is reported once, at the pod's setting.
    ///
    /// ## Why it matters
    ///
    /// `runAsUser: 0` runs the process as root whatever the image says, and it overrides
    /// `runAsNonRoot: true` checks written elsewhere only by failing the pod at start: the
    /// intent is root. Root in a container owns every file in it, can use every capability
    /// the container keeps, and turns a kernel or runtime bug into control of the node.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       securityContext:
    ///         runAsUser: 0
    ///       containers:
    ///         - name: migrate
    ///           image: registry.example.com/migrate:1.2.0
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    ///       securityContext:
    ///         runAsNonRoot: true
    ///         runAsUser: 10001
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Running as Non-root user" (Restricted)
    pub(crate) ContainerRunAsUserZero {
        id: "K8S-108",
        name: "container-run-as-user-zero",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0105"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for ContainerRunAsUserZero {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in model.k8s.workloads.iter().filter(|w| !w.pod.is_windows()) {
            let mut zero = Vec::new();
            for container in &workload.pod.containers {
                let uid = &container.security.run_as_user;
                match uid.get() {
                    None => out.unknown(),
                    Some(Some(0)) => zero.push(Fault {
                        container: container.label(),
                        span: uid.span,
                        via: uid.via.clone(),
                        omitted: false,
                    }),
                    Some(_) => out.pass_at(container.span),
                }
            }
            let reported: Vec<_> = zero.iter().map(|f| f.span).collect();
            report_overridden(
                out,
                workload,
                &workload.pod.security.run_as_user,
                &reported,
                |uid| *uid == Some(0),
                |pods, plural| format!("{pods} {} `runAsUser: 0` at pod level", sets(plural)),
            );
            let checked = workload.pod.containers.len();
            report_inherited(out, workload, zero, checked, |who, plural| {
                let verb = if plural { "run" } else { "runs" };
                format!("{who} {verb} as root (`runAsUser: 0`)")
            });
        }
    }
}
