//! `*` in a Role's verbs, resources or API groups.

use trustmap_model::Model;
use trustmap_model::Value;

use super::rule_of;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles with `*` in `verbs`, `resources` or `apiGroups`.
    ///
    /// ## Why it matters
    ///
    /// A wildcard grants everything that exists now and everything added later: `*` verbs
    /// include `escalate`, `bind` and `impersonate`, `*` resources include `secrets`,
    /// `pods/exec` and every custom resource an operator installs next year. An attacker who
    /// steals the token of a subject bound to such a role gets far more than the workload
    /// ever used, often enough to grant themselves `cluster-admin`.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: app-operator
    /// rules:
    ///   - apiGroups: ["*"]
    ///     resources: ["*"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// ## Fix
    ///
    /// List the API groups, resources and verbs the subject uses (the API server's audit
    /// log shows them).
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments", "deployments/scale"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", avoiding
    ///   wildcards
    pub(crate) RbacWildcard {
        id: "K8S-012",
        name: "rbac-wildcard",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_49"],
            trivy: ["AVD-KSV-0044", "AVD-KSV-0045", "AVD-KSV-0046", "AVD-KSV-0112"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for role in &model.k8s.roles {
            let mut clean = true;
            let mut unknown = false;
            for rule in &role.rules {
                let fields: [(&[Value<String>], &str); 3] = [
                    (&rule.verbs, "allows every verb"),
                    (&rule.resources, "covers every resource"),
                    (&rule.api_groups, "covers every API group"),
                ];
                for (items, what) in fields {
                    unknown |= items.iter().any(Value::is_unknown);
                    if let Some(star) = items.iter().find(|v| v.is(|s| s == "*")) {
                        clean = false;
                        out.report(
                            &role.object.meta,
                            star.span,
                            &star.via,
                            format!("{} {what} (`*`)", rule_of(role)),
                        );
                    }
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass(),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
