//! How workloads are reached: Services, Ingresses and NetworkPolicies.

use trustmap_source::Span;

use super::{KeyValue, Object};
use crate::Value;

/// A Service.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Service {
    pub object: Object,
    /// `spec.type`; default `ClusterIP`, located at the spec (or the object).
    pub service_type: Value<String>,
    pub ports: Vec<ServicePort>,
    /// `spec.externalIPs`: node traffic to these addresses is routed to the Service.
    pub external_ips: Vec<Value<String>>,
    /// `spec.loadBalancerSourceRanges`: client CIDRs a cloud load balancer admits.
    pub load_balancer_source_ranges: Vec<Value<String>>,
    pub selector: Vec<KeyValue>,
}

/// One Service port.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ServicePort {
    pub span: Span,
    pub name: Option<Value<String>>,
    pub port: Value<i64>,
    /// Number or named container port; default: the same as `port`.
    pub target_port: Value<String>,
    /// Default `None`: allocated by the cluster for NodePort/LoadBalancer Services.
    pub node_port: Value<Option<i64>>,
    /// Default `TCP`.
    pub protocol: Value<String>,
}

/// An Ingress.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Ingress {
    pub object: Object,
    /// `spec.ingressClassName` (or the legacy `kubernetes.io/ingress.class` annotation).
    pub class_name: Value<Option<String>>,
    pub tls: Vec<IngressTls>,
    pub rules: Vec<IngressRule>,
    pub default_backend: Option<IngressBackend>,
}

/// One `tls` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct IngressTls {
    pub span: Span,
    pub hosts: Vec<Value<String>>,
    pub secret_name: Option<Value<String>>,
}

/// One `rules` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct IngressRule {
    pub span: Span,
    /// `None`: every host.
    pub host: Option<Value<String>>,
    pub paths: Vec<IngressPath>,
}

/// One HTTP path of a rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct IngressPath {
    pub span: Span,
    pub path: Option<Value<String>>,
    pub backend: Option<IngressBackend>,
}

/// A backend Service (`service.name`/`service.port`, or the legacy `serviceName`/`servicePort`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct IngressBackend {
    pub span: Span,
    pub service_name: Value<String>,
    /// Port number or name, as text.
    pub service_port: Option<Value<String>>,
}

/// A NetworkPolicy.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct NetworkPolicy {
    pub object: Object,
    /// `spec.podSelector` (the map), or the spec when omitted.
    pub pod_selector_span: Span,
    /// `matchLabels`; empty together with no `matchExpressions` selects every pod.
    pub pod_selector: Vec<KeyValue>,
    /// The selector has `matchExpressions`.
    pub pod_selector_has_expressions: bool,
    /// `spec.policyTypes`; when omitted Kubernetes infers `Ingress`, plus `Egress` if
    /// `egress` rules are present.
    pub policy_types: Vec<Value<String>>,
    pub ingress: Vec<NetworkPolicyRule>,
    pub egress: Vec<NetworkPolicyRule>,
}

impl NetworkPolicy {
    /// Selects every pod of its namespace.
    pub fn selects_all_pods(&self) -> bool {
        self.pod_selector.is_empty() && !self.pod_selector_has_expressions
    }

    /// Whether the policy selects pods with `labels` (of its own namespace): `None` when
    /// that cannot be decided (`matchExpressions`, or a value that is not known).
    pub fn selects(&self, labels: &[KeyValue]) -> Option<bool> {
        if self.pod_selector_has_expressions {
            return None;
        }
        let mut decided = true;
        for wanted in &self.pod_selector {
            let Some(value) = wanted.value.get() else {
                decided = false;
                continue;
            };
            match labels.iter().find(|l| l.key == wanted.key) {
                Some(l) => match l.value.get() {
                    Some(v) if v == value => {}
                    Some(_) => return Some(false),
                    None => decided = false,
                },
                None => return Some(false),
            }
        }
        decided.then_some(true)
    }

    /// Whether the policy applies to ingress: listed in `policyTypes`, or (when
    /// `policyTypes` is omitted) always, as Kubernetes infers.
    pub fn applies_to_ingress(&self) -> bool {
        self.policy_types.is_empty()
            || self
                .policy_types
                .iter()
                .any(|t| t.get().is_none_or(|t| t == "Ingress"))
    }

    /// Whether the policy applies to egress: listed in `policyTypes`, or inferred from the
    /// presence of `egress` rules.
    pub fn applies_to_egress(&self) -> bool {
        if self.policy_types.is_empty() {
            return !self.egress.is_empty();
        }
        self.policy_types
            .iter()
            .any(|t| t.get().is_none_or(|t| t == "Egress"))
    }
}

/// One ingress or egress rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct NetworkPolicyRule {
    pub span: Span,
    /// `from`/`to`; empty allows every peer.
    pub peers: Vec<NetworkPeer>,
    /// Number of `ports` entries; zero allows every port.
    pub port_count: usize,
}

/// One `from`/`to` peer.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct NetworkPeer {
    pub span: Span,
    /// `ipBlock.cidr`.
    pub ip_block: Option<Value<String>>,
    /// `ipBlock.except`: ranges carved out of `cidr`.
    pub ip_block_except: Vec<Value<String>>,
    pub has_pod_selector: bool,
    pub has_namespace_selector: bool,
}
