//! Namespaces whose pods are not isolated for ingress by a policy that selects them all.

use std::collections::BTreeMap;

use trustmap_model::k8s::Workload;
use trustmap_model::{Model, ResourceMeta};

use super::network::{allows_everything, pod_location, policies_in};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Namespaces with workloads in the scan but no NetworkPolicy that selects every pod
    /// (`podSelector: {}`) for ingress without admitting everything. One finding per
    /// namespace, at its Namespace object when the scan has it, else at its first
    /// workload; the message says how many workloads are exposed.
    ///
    /// ## Why it matters
    ///
    /// Kubernetes lets every pod connect to every other pod until a policy isolates it.
    /// Without a namespace-wide default deny, each new workload starts open, and an
    /// attacker who compromises any pod in the cluster walks sideways to databases,
    /// internal admin endpoints and metrics that were never meant to be reachable.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: payments
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ledger
    ///   namespace: payments
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
    /// Deny all ingress in the namespace, then admit each workload's clients with their
    /// own policies.
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-ingress
    ///   namespace: payments
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: ["Ingress"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, "Network Policies": default policies
    pub(crate) NamespaceWithoutDefaultDeny {
        id: "K8S-111",
        name: "namespace-without-default-deny",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-923"],
        },
    }
}

impl Rule for NamespaceWithoutDefaultDeny {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let mut by_namespace: BTreeMap<&str, Vec<&Workload>> = BTreeMap::new();
        for w in &model.k8s.workloads {
            if let Some(ns) = w.object.namespace.as_deref() {
                by_namespace.entry(ns).or_default().push(w);
            }
        }
        for (namespace, workloads) in by_namespace {
            let isolated = policies_in(model, namespace).any(|p| {
                p.selects_all_pods()
                    && p.applies_to_ingress()
                    && p.ingress.iter().all(|r| allows_everything(r).is_none())
            });
            if isolated {
                // Located where a failure of this namespace would be.
                let at = model
                    .k8s
                    .namespace(namespace)
                    .map_or(workloads[0].object.meta.span, |ns| ns.object.meta.span);
                out.pass_at(at);
                continue;
            }
            let count = workloads.len();
            let exposed = if count == 1 {
                "1 workload accepts".to_string()
            } else {
                format!("{count} workloads accept")
            };
            let message = format!(
                "namespace `{namespace}` has no default-deny ingress NetworkPolicy: {exposed} traffic from any pod"
            );
            match model.k8s.namespace(namespace) {
                Some(ns) => {
                    out.report(&ns.object.meta, ns.object.meta.span, &[], message);
                }
                None => {
                    let first = workloads[0];
                    let (at, via) = pod_location(first);
                    let meta = ResourceMeta {
                        address: format!("Namespace/{namespace}"),
                        language: first.object.meta.language,
                        span: first.object.meta.span,
                        via: first.object.meta.via.clone(),
                    };
                    out.report(&meta, at, &via, message);
                }
            }
        }
    }
}
