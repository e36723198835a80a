//! Shared helpers of the network segmentation rules.

use trustmap_model::Model;
use trustmap_model::k8s::{NetworkPolicy, NetworkPolicyRule, Workload};
use trustmap_source::{Span, Via};

/// The NetworkPolicies of `namespace`.
pub(super) fn policies_in<'a>(
    model: &'a Model,
    namespace: &'a str,
) -> impl Iterator<Item = &'a NetworkPolicy> {
    model
        .k8s
        .network_policies
        .iter()
        .filter(move |p| p.object.namespace.as_deref() == Some(namespace))
}

/// Where a workload's pods are described: their first label (what a policy selects on),
/// else the pod spec.
pub(super) fn pod_location(workload: &Workload) -> (Span, Vec<Via>) {
    match workload.pod_labels.first() {
        Some(label) => (label.key_span, label.value.via.clone()),
        None => (workload.pod.span, Vec::new()),
    }
}

/// Addresses that mean "anywhere".
const ANYWHERE: &[&str] = &["0.0.0.0/0", "::/0"];

/// Why a rule admits every peer on every port, or `None` when it narrows either (a rule
/// with `ports` only is how DNS egress is usually written, and is not reported).
pub(super) fn allows_everything(rule: &NetworkPolicyRule) -> Option<Option<Span>> {
    if rule.port_count > 0 {
        return None;
    }
    if rule.peers.is_empty() {
        return Some(None);
    }
    rule.peers.iter().find_map(|peer| {
        let cidr = peer.ip_block.as_ref()?;
        let open = cidr.get().is_some_and(|c| ANYWHERE.contains(&c.trim()));
        (open && peer.ip_block_except.is_empty()).then_some(Some(cidr.span))
    })
}
