//! Roles, ClusterRoles and their bindings.

use trustmap_model::Value;
use trustmap_model::k8s::{Object, PolicyRule, Role, RoleBinding, RoleRef, Subject};
use trustmap_syntax::Node;

use super::read::{field, items, optional, required, strings, text};

pub(super) fn role(object: Object, doc: &Node, cluster: bool) -> Role {
    let rules = items(field(Some(doc), "rules"))
        .iter()
        .map(|r| {
            let r = r.untagged();
            let list = |key: &str| strings(field(Some(r), key));
            PolicyRule {
                span: r.span,
                api_groups: list("apiGroups"),
                resources: list("resources"),
                verbs: list("verbs"),
                resource_names: list("resourceNames"),
                non_resource_urls: list("nonResourceURLs"),
            }
        })
        .collect();
    Role {
        object,
        cluster,
        rules,
        aggregated: field(Some(doc), "aggregationRule").is_some(),
    }
}

pub(super) fn binding(object: Object, doc: &Node, cluster: bool) -> RoleBinding {
    let role_ref = match field(Some(doc), "roleRef") {
        Some(r) => RoleRef {
            span: r.span,
            kind: required(Some(r), "kind", text, r.span),
            name: required(Some(r), "name", text, r.span),
        },
        None => RoleRef {
            span: doc.span,
            kind: Value::unknown(doc.span),
            name: Value::unknown(doc.span),
        },
    };
    let subjects = items(field(Some(doc), "subjects"))
        .iter()
        .map(|s| {
            let s = s.untagged();
            Subject {
                span: s.span,
                kind: required(Some(s), "kind", text, s.span),
                name: required(Some(s), "name", text, s.span),
                namespace: optional(Some(s), "namespace", |n| text(n).map(Some))
                    .unwrap_or_else(|| Value::default_at(None, s.span)),
            }
        })
        .collect();
    RoleBinding {
        object,
        cluster,
        role_ref,
        subjects,
    }
}
