//! Roles that can read Secrets without naming which.

use trustmap_model::Model;
use trustmap_model::Value;

use super::{code_list, rule_of};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles that allow `get`, `list` or `watch` (or `*`) on
    /// `secrets` (or `*` resources) in the core API group, without `resourceNames` to limit
    /// them to specific Secrets.
    ///
    /// ## Why it matters
    ///
    /// Secrets hold the database passwords, cloud keys, TLS private keys and other service
    /// accounts' tokens of the namespace. `list` and `watch` return their full contents,
    /// not just names. An attacker who compromises any subject bound to this role reads all
    /// of them and moves on with those credentials: into the database, the cloud account,
    /// or other identities in the cluster.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: payments
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps", "secrets"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Mount the Secrets a workload needs as volumes instead of reading them through the
    /// API. If it must read them through the API, name them with `resourceNames` and
    /// allow only `get`.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "list", "watch"]
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["payments-api-tls"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", Secrets access
    pub(crate) RbacReadsSecrets {
        id: "K8S-013",
        name: "rbac-reads-secrets",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV2_K8S_5"],
            trivy: ["AVD-KSV-0041", "AVD-KSV-0113"],
            cwe: ["CWE-522"],
        },
    }
}

/// Verbs that return a Secret's data.
const READ_VERBS: &[&str] = &["get", "list", "watch", "*"];

impl Rule for RbacReadsSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for role in &model.k8s.roles {
            let mut clean = true;
            let mut unknown = false;
            for rule in role.rules.iter().filter(|r| r.resource_names.is_empty()) {
                let core = rule
                    .api_groups
                    .iter()
                    .any(|g| g.is(|g| g.is_empty() || g == "*"));
                let secrets = rule
                    .resources
                    .iter()
                    .find(|r| r.is(|r| r == "secrets" || r == "*"));
                let verbs: Vec<String> = rule
                    .verbs
                    .iter()
                    .filter_map(Value::get)
                    .filter(|v| READ_VERBS.contains(&v.as_str()))
                    .cloned()
                    .collect();
                match secrets {
                    Some(item) if core && !verbs.is_empty() => {
                        clean = false;
                        let scope = match &role.object.namespace {
                            Some(ns) if !role.cluster => {
                                format!("every Secret in namespace `{ns}`")
                            }
                            _ => "Secrets wherever it is bound".to_string(),
                        };
                        out.report(
                            &role.object.meta,
                            item.span,
                            &item.via,
                            format!("{} can read {scope} ({})", rule_of(role), code_list(&verbs)),
                        );
                    }
                    _ => {
                        unknown |= [&rule.api_groups, &rule.resources, &rule.verbs]
                            .iter()
                            .any(|items| items.iter().any(Value::is_unknown));
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
