//! Istio's PeerAuthentication, AuthorizationPolicy and DestinationRule.

use trustmap_model::k8s::{
    AuthorizationPolicy, AuthorizationRule, DestinationRule, Object, PeerAuthentication, PortMtls,
};
use trustmap_syntax::Node;

use super::read::{field, items, key_values, optional, or_default, required, text, value};

pub(super) fn peer_authentication(object: Object, doc: &Node) -> PeerAuthentication {
    let spec = field(Some(doc), "spec");
    let at = spec.map_or(doc.span, |s| s.span);
    let mtls = field(spec, "mtls");
    let mode = |map: Option<&Node>, at| or_default(map, "mode", |n| text(n).map(Some), None, at);
    let port_modes = field(spec, "portLevelMtls")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|e| {
            let entry = e.value.untagged();
            PortMtls {
                port: e.key.clone(),
                key_span: e.key_span,
                mode: mode(Some(entry), entry.span),
            }
        })
        .collect();
    PeerAuthentication {
        selector: key_values(field(field(spec, "selector"), "matchLabels")),
        mode: mode(mtls, mtls.map_or(at, |m| m.span)),
        port_modes,
        object,
    }
}

pub(super) fn authorization_policy(object: Object, doc: &Node) -> AuthorizationPolicy {
    let spec = field(Some(doc), "spec");
    let at = spec.map_or(doc.span, |s| s.span);
    let rules = items(field(spec, "rules"))
        .iter()
        .map(|r| {
            let r = r.untagged();
            let matches_everything = !r.is_unknown()
                && ["from", "to", "when"].iter().all(|key| {
                    items(field(Some(r), key)).is_empty() && field(Some(r), key).is_none()
                });
            AuthorizationRule {
                span: r.span,
                matches_everything,
            }
        })
        .collect();
    AuthorizationPolicy {
        action: or_default(spec, "action", text, "ALLOW".to_string(), at),
        rules,
        selector: key_values(field(field(spec, "selector"), "matchLabels")),
        object,
    }
}

pub(super) fn destination_rule(object: Object, doc: &Node) -> DestinationRule {
    let spec = field(Some(doc), "spec");
    let at = spec.map_or(doc.span, |s| s.span);
    let mut tls_modes = Vec::new();
    let mut policy = |p: Option<&Node>| {
        if let Some(mode) = optional(field(p, "tls"), "mode", text) {
            tls_modes.push(mode);
        }
        for port in items(field(p, "portLevelSettings")) {
            if let Some(n) = field(field(Some(port.untagged()), "tls"), "mode") {
                tls_modes.push(value(n, text));
            }
        }
    };
    policy(field(spec, "trafficPolicy"));
    for subset in items(field(spec, "subsets")) {
        policy(field(Some(subset.untagged()), "trafficPolicy"));
    }
    DestinationRule {
        host: required(spec, "host", text, at),
        tls_modes,
        object,
    }
}
