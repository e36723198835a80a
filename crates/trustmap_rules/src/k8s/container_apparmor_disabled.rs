//! AppArmor profiles other than the runtime's default or a node-local one.

use trustmap_model::Model;
use trustmap_model::k8s::Workload;
use trustmap_source::Span;

use super::pod_level::{report_overridden, sets};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers whose AppArmor profile is neither the runtime's default nor a profile
    /// loaded on the node: `appArmorProfile.type: Unconfined` (container or pod), or the
    /// legacy annotation `container.apparmor.security.beta.kubernetes.io/<container>:
    /// unconfined` (or any value other than `runtime/default` and `localhost/<profile>`).
    ///
    /// ## Why it matters
    ///
    /// The runtime's AppArmor profile denies a container the writes to `/proc` and `/sys`
    /// and the mounts that most container escapes start with. Turning it off removes that
    /// layer: an attacker with code execution in the container is one missing capability
    /// or one kernel bug away from the node.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: renderer
    /// spec:
    ///   selector:
    ///     matchLabels: { app: renderer }
    ///   template:
    ///     metadata:
    ///       labels: { app: renderer }
    ///     spec:
    ///       containers:
    ///         - name: renderer
    ///           image: registry.example.com/renderer:4.1.0
    ///           securityContext:
    ///             appArmorProfile:
    ///               type: Unconfined
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the override (the runtime's default applies) or name it explicitly.
    ///
    /// ```yaml
    ///           securityContext:
    ///             appArmorProfile:
    ///               type: RuntimeDefault
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "AppArmor" (Baseline)
    /// - Kubernetes, "Restrict a Container's Access to Resources with AppArmor"
    pub(crate) ContainerAppArmorDisabled {
        id: "K8S-101",
        name: "container-apparmor-disabled",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0002"],
            cwe: ["CWE-693"],
        },
    }
}

/// Profiles Pod Security baseline admits: the field's and the legacy annotation's spelling.
/// The prefix of the legacy per-container AppArmor annotation of a pod.
const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

fn allowed(profile: &str) -> bool {
    matches!(profile, "RuntimeDefault" | "Localhost" | "runtime/default")
        || profile.starts_with("localhost/")
}

impl Rule for ContainerAppArmorDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in model.k8s.workloads.iter().filter(|w| !w.pod.is_windows()) {
            let mut reported = Vec::new();
            for container in &workload.pod.containers {
                let profile = &container.security.app_armor;
                match profile.get() {
                    None => out.unknown(),
                    Some(Some(p)) if !allowed(p.trim()) => {
                        reported.push(profile.span);
                        out.report(
                        &workload.object.meta,
                        profile.span,
                        &profile.via,
                        format!(
                            "container `{}` runs with AppArmor profile `{p}` instead of the runtime's default",
                            container.label()
                        ),
                    );
                    }
                    Some(_) => out.pass_at(container.span),
                }
            }
            report_overridden(
                out,
                workload,
                &workload.pod.security.app_armor,
                &reported,
                |p| p.as_deref().is_some_and(|p| !allowed(p.trim())),
                |pods, plural| {
                    let p = workload.pod.security.app_armor.get().cloned().flatten();
                    let p = p.unwrap_or_default();
                    format!(
                        "{pods} {} AppArmor profile `{p}` at pod level",
                        sets(plural)
                    )
                },
            );
            report_overridden_annotations(out, workload, &reported);
        }
    }
}

/// Legacy `container.apparmor.security.beta.kubernetes.io/<name>` annotations that a
/// container's `appArmorProfile` overrides: admission checks every such annotation too.
fn report_overridden_annotations(out: &mut Sink, workload: &Workload, reported: &[Span]) {
    for kv in &workload.pod_annotations {
        let Some(name) = kv.key.strip_prefix(APPARMOR_ANNOTATION) else {
            continue;
        };
        report_overridden(
            out,
            workload,
            &kv.value,
            reported,
            |p| !allowed(p.trim()),
            |pods, plural| {
                let p = kv.value.get().map_or("", |p| p.as_str());
                format!(
                    "{pods} {} AppArmor profile `{p}` for container `{name}` in an annotation",
                    sets(plural)
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;

    #[test]
    fn only_default_and_node_local_profiles_are_allowed() {
        assert!(allowed("RuntimeDefault"));
        assert!(allowed("localhost/k8s-nginx"));
        assert!(!allowed("Unconfined"));
        assert!(!allowed("unconfined"));
    }
}
