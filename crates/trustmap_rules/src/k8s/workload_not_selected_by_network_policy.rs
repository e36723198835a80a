//! Workloads that no NetworkPolicy of their namespace selects, in namespaces that use them.

use trustmap_model::Model;

use super::network::{pod_location, policies_in};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Workloads whose pods no NetworkPolicy of their namespace selects, in namespaces
    /// that have NetworkPolicies (the rest of the namespace is segmented, these pods are
    /// not). Namespaces without any policy are reported once, as a whole, by
    /// `namespace-without-default-deny`. Selectors with `matchExpressions` are not
    /// evaluated: such pods count as undecided.
    ///
    /// ## Why it matters
    ///
    /// A pod that no policy selects accepts connections from every pod in the cluster and
    /// reaches anything. An attacker who lands in any workload (a vulnerable dependency in
    /// a public service) connects straight to it: the segmentation the other policies of
    /// the namespace promise does not cover it, usually because its labels changed.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels: { app: api }
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: { app: web }
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ledger
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: { app: ledger }
    ///   template:
    ///     metadata:
    ///       labels: { app: ledger }
    ///     spec:
    ///       containers:
    ///         - name: ledger
    ///           image: registry.example.com/ledger:1.0.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Add a default-deny policy for the namespace and a policy that admits only the
    /// workload's real clients.
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: ledger
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels: { app: ledger }
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: { app: api }
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, "Network Policies": isolated and non-isolated pods
    pub(crate) WorkloadNotSelectedByNetworkPolicy {
        id: "K8S-110",
        name: "workload-not-selected-by-network-policy",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV2_K8S_6"],
            cwe: ["CWE-923"],
        },
    }
}

impl Rule for WorkloadNotSelectedByNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let Some(namespace) = workload.object.namespace.as_deref() else {
                continue;
            };
            let policies: Vec<_> = policies_in(model, namespace).collect();
            if policies.is_empty() {
                continue;
            }
            let mut undecided = false;
            let selected = policies
                .iter()
                .any(|p| match p.selects(&workload.pod_labels) {
                    Some(s) => s,
                    None => {
                        undecided = true;
                        false
                    }
                });
            if selected {
                out.pass_at(workload.object.meta.span);
            } else if undecided {
                out.unknown();
            } else {
                let (at, via) = pod_location(workload);
                out.report(
                    &workload.object.meta,
                    at,
                    &via,
                    format!(
                        "no NetworkPolicy of namespace `{namespace}` selects the pods of {}: they accept traffic from any pod",
                        workload.object.describe()
                    ),
                );
            }
        }
    }
}
