//! Roles, ClusterRoles and their bindings.

use trustmap_model::Value;
use trustmap_model::k8s::{
    AggregationRule, LabelRequirement, LabelSelector, Object, PolicyRule, Role, RoleBinding,
    RoleRef, Subject,
};
use trustmap_syntax::Node;

use super::read::{field, items, key_values, optional, required, strings, text};

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
        aggregation: field(Some(doc), "aggregationRule").map(aggregation),
    }
}

/// `aggregationRule.clusterRoleSelectors`.
fn aggregation(rule: &Node) -> AggregationRule {
    let selectors = items(field(Some(rule), "clusterRoleSelectors"))
        .iter()
        .map(|s| {
            let s = s.untagged();
            LabelSelector {
                span: s.span,
                match_labels: key_values(field(Some(s), "matchLabels")),
                match_expressions: items(field(Some(s), "matchExpressions"))
                    .iter()
                    .map(|e| {
                        let e = e.untagged();
                        LabelRequirement {
                            span: e.span,
                            key: required(Some(e), "key", text, e.span),
                            operator: required(Some(e), "operator", text, e.span),
                            values: strings(field(Some(e), "values")),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    AggregationRule {
        span: rule.span,
        selectors,
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

#[cfg(test)]
mod tests {
    use trustmap_model::k8s::{K8s, SubjectRef};
    use trustmap_source::{FileId, SourceFile};

    fn adapt(text: &str) -> (SourceFile, K8s) {
        let file = SourceFile::new(FileId(0), "rbac.yaml", text);
        let parsed = trustmap_syntax::yaml::parse(&file);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let mut diags = Vec::new();
        let k8s = super::super::from_documents(&file, &parsed.docs, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        (file, k8s)
    }

    #[test]
    fn reads_aggregation_selectors_and_evaluates_them() {
        let (file, k8s) = adapt(
            "\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: monitoring }
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: { example.com/monitoring: 'true' }
    - matchExpressions:
        - { key: tier, operator: In, values: [metrics, logs] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: logs, labels: { tier: logs } }
rules:
  - { apiGroups: [''], resources: [pods/log], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: other, labels: { tier: web } }
rules:
  - { apiGroups: [''], resources: [secrets], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: b }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring }
subjects: [{ kind: Group, name: sre }]
",
        );
        let rule = k8s.roles[0].aggregation.as_ref().expect("aggregationRule");
        assert_eq!(rule.selectors.len(), 2);
        assert_eq!(
            rule.selectors[0].match_labels[0].key,
            "example.com/monitoring"
        );
        let req = &rule.selectors[1].match_expressions[0];
        assert_eq!(file.slice(req.operator.span), "In");
        assert_eq!(req.values.len(), 2);
        assert!(k8s.roles[1].aggregation.is_none());

        let idx = k8s.rbac();
        let sre = SubjectRef::Group("sre".into());
        assert!(idx.can(&sre, "get", "", "pods/log", Some("a")).is_allowed());
        assert!(!idx.can(&sre, "get", "", "secrets", Some("a")).is_allowed());
        assert_eq!(idx.bindings_of(&k8s.roles[1]).len(), 1);
        assert!(idx.bindings_of(&k8s.roles[2]).is_empty());
    }
}
