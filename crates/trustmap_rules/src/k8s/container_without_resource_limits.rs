//! Containers without a CPU or memory limit.

use trustmap_model::Model;
use trustmap_model::k8s::ContainerKind;

use super::{code_list, containers};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers (and init containers) without `resources.limits.cpu` or
    /// `resources.limits.memory`.
    ///
    /// ## Why it matters
    ///
    /// Without a memory limit one container can take all of its node's memory; without a
    /// CPU limit it can starve everything else of CPU time beyond its request. An attacker
    /// who finds an expensive request (a huge upload, a pathological regular expression, a
    /// decompression bomb) or who runs a crypto miner in a compromised pod turns one
    /// workload's problem into an outage of every pod on the node, including the system
    /// agents that would alert on it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: pdf-render
    /// spec:
    ///   selector:
    ///     matchLabels: { app: pdf-render }
    ///   template:
    ///     metadata:
    ///       labels: { app: pdf-render }
    ///     spec:
    ///       containers:
    ///         - name: render
    ///           image: registry.example.com/pdf-render:1.6.2
    ///           resources:
    ///             requests: { cpu: 250m, memory: 256Mi }
    /// ```
    ///
    /// ## Fix
    ///
    /// Set limits from observed usage plus headroom. A namespace `LimitRange` with default
    /// limits is a safety net, not a replacement.
    ///
    /// ```yaml
    ///           resources:
    ///             requests: { cpu: 250m, memory: 256Mi }
    ///             limits: { cpu: "1", memory: 512Mi }
    /// ```
    pub(crate) ContainerWithoutResourceLimits {
        id: "K8S-016",
        name: "container-without-resource-limits",
        severity: Low,
        capability: Failure,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_11", "CKV_K8S_13"],
            trivy: ["AVD-KSV-0011", "AVD-KSV-0018"],
            cwe: ["CWE-770"],
        },
    }
}

impl Rule for ContainerWithoutResourceLimits {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        // Ephemeral containers cannot have resources: Kubernetes rejects them.
        for (workload, container) in
            containers(model).filter(|(_, c)| c.kind != ContainerKind::Ephemeral)
        {
            let limits = &container.resources.limits;
            if limits.is_unknown() {
                out.unknown();
                continue;
            }
            let missing: Vec<String> = ["cpu", "memory"]
                .into_iter()
                .filter(|r| container.resources.limit(r).is_none())
                .map(str::to_string)
                .collect();
            if missing.is_empty() {
                out.pass_at(container.span);
                continue;
            }
            out.report(
                &workload.object.meta,
                limits.span,
                &limits.via,
                format!(
                    "container `{}` has no {} limit",
                    container.label(),
                    code_list(&missing).replace(" and ", " or ")
                ),
            );
        }
    }
}
