//! Services, Ingresses and NetworkPolicies.

use trustmap_model::Value;
use trustmap_model::k8s::{
    Ingress, IngressBackend, IngressPath, IngressRule, IngressTls, NetworkPeer, NetworkPolicy,
    NetworkPolicyRule, Object, Service, ServicePort,
};
use trustmap_syntax::Node;

use super::read::{field, int, items, key_values, optional, or_default, required, strings, text};

/// The legacy annotation that picked an Ingress controller before `ingressClassName`.
const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

pub(super) fn service(object: Object, doc: &Node) -> Service {
    let spec = field(Some(doc), "spec");
    let at = spec.map_or(doc.span, |s| s.span);
    let ports = items(field(spec, "ports"))
        .iter()
        .map(|p| {
            let p = p.untagged();
            let port = required(Some(p), "port", int, p.span);
            let same_as_port = port.get().map(ToString::to_string).unwrap_or_default();
            ServicePort {
                span: p.span,
                name: optional(Some(p), "name", text),
                target_port: or_default(Some(p), "targetPort", text, same_as_port, p.span),
                node_port: or_default(Some(p), "nodePort", |n| int(n).map(Some), None, p.span),
                protocol: or_default(Some(p), "protocol", text, "TCP".to_string(), p.span),
                port,
            }
        })
        .collect();
    Service {
        service_type: or_default(spec, "type", text, "ClusterIP".to_string(), at),
        ports,
        external_ips: strings(field(spec, "externalIPs")),
        load_balancer_source_ranges: strings(field(spec, "loadBalancerSourceRanges")),
        selector: key_values(field(spec, "selector")),
        object,
    }
}

pub(super) fn ingress(object: Object, doc: &Node) -> Ingress {
    let spec = field(Some(doc), "spec");
    let at = spec.map_or(doc.span, |s| s.span);
    let class_name = optional(spec, "ingressClassName", |n| text(n).map(Some))
        .or_else(|| {
            object
                .annotation(INGRESS_CLASS_ANNOTATION)
                .map(|kv| kv.value.clone().map(Some))
        })
        .unwrap_or_else(|| Value::default_at(None, at));
    let tls = items(field(spec, "tls"))
        .iter()
        .map(|t| {
            let t = t.untagged();
            IngressTls {
                span: t.span,
                hosts: strings(field(Some(t), "hosts")),
                secret_name: optional(Some(t), "secretName", text),
            }
        })
        .collect();
    let rules = items(field(spec, "rules"))
        .iter()
        .map(|r| {
            let r = r.untagged();
            let paths = items(field(field(Some(r), "http"), "paths"))
                .iter()
                .map(|p| {
                    let p = p.untagged();
                    IngressPath {
                        span: p.span,
                        path: optional(Some(p), "path", text),
                        backend: field(Some(p), "backend").map(backend),
                    }
                })
                .collect();
            IngressRule {
                span: r.span,
                host: optional(Some(r), "host", text),
                paths,
            }
        })
        .collect();
    Ingress {
        class_name,
        tls,
        rules,
        default_backend: field(spec, "defaultBackend")
            .or_else(|| field(spec, "backend"))
            .map(backend),
        object,
    }
}

/// `service: {name, port: {number | name}}`, or the legacy `serviceName`/`servicePort`.
fn backend(node: &Node) -> IngressBackend {
    let b = Some(node);
    match field(b, "service") {
        Some(svc) => {
            let port = field(Some(svc), "port");
            IngressBackend {
                span: node.span,
                service_name: required(Some(svc), "name", text, svc.span),
                service_port: optional(port, "number", text)
                    .or_else(|| optional(port, "name", text)),
            }
        }
        None => IngressBackend {
            span: node.span,
            service_name: required(b, "serviceName", text, node.span),
            service_port: optional(b, "servicePort", text),
        },
    }
}

pub(super) fn network_policy(object: Object, doc: &Node) -> NetworkPolicy {
    let spec = field(Some(doc), "spec");
    let at = spec.map_or(doc.span, |s| s.span);
    let selector = field(spec, "podSelector");
    let rules = |key: &str, peers_key: &str| {
        items(field(spec, key))
            .iter()
            .map(|r| {
                let r = r.untagged();
                NetworkPolicyRule {
                    span: r.span,
                    peers: items(field(Some(r), peers_key))
                        .iter()
                        .map(|p| peer(p.untagged()))
                        .collect(),
                    port_count: items(field(Some(r), "ports")).len(),
                }
            })
            .collect()
    };
    NetworkPolicy {
        pod_selector_span: selector.map_or(at, |s| s.span),
        pod_selector: key_values(field(selector, "matchLabels")),
        pod_selector_has_expressions: !items(field(selector, "matchExpressions")).is_empty(),
        policy_types: strings(field(spec, "policyTypes")),
        ingress: rules("ingress", "from"),
        egress: rules("egress", "to"),
        object,
    }
}

fn peer(node: &Node) -> NetworkPeer {
    let p = Some(node);
    NetworkPeer {
        span: node.span,
        ip_block: optional(field(p, "ipBlock"), "cidr", text),
        ip_block_except: strings(field(field(p, "ipBlock"), "except")),
        has_pod_selector: field(p, "podSelector").is_some(),
        has_namespace_selector: field(p, "namespaceSelector").is_some(),
    }
}
