//! Roles that can read Secrets without naming which.

use trustmap_model::Model;

use super::code_list;
use super::rbac_exposure::{Fault, Power, check_power};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles that allow `get`, `list` or `watch` (or `*`) on
    /// `secrets` (or `*` resources) in the core API group, without `resourceNames` to limit
    /// them to specific Secrets.
    ///
    /// How severe it is depends on who holds the role: low when nothing in the scan binds
    /// it, high when users, groups or a workload's service account hold it; the message
    /// names the binding and the workloads. A rule with `resourceNames` is narrowed to
    /// those Secrets and not reported.
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
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV2_K8S_5"],
            trivy: ["AVD-KSV-0041", "AVD-KSV-0113"],
            cwe: ["CWE-522"],
        },
    }
}

/// Verbs that return a Secret's data.
const READ_VERBS: &[&str] = &["get", "list", "watch"];

impl Rule for RbacReadsSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let targets = [("", "secrets", false)];
        check_power(
            model,
            out,
            Self::META.severity,
            READ_VERBS,
            &targets,
            |role, rule, h| {
                let scope = match &role.object.namespace {
                    Some(ns) if !role.cluster => format!("every Secret in namespace `{ns}`"),
                    _ => "every Secret wherever it is bound".to_string(),
                };
                let verbs: Vec<String> = READ_VERBS
                    .iter()
                    .filter(|v| rule.verbs.iter().any(|x| x.is(|x| x == **v || x == "*")))
                    .map(|v| (*v).to_string())
                    .collect();
                Fault {
                    at: h[0].resource,
                    what: format!("can read {scope} ({})", code_list(&verbs)),
                    power: Power::Ordinary,
                    cluster_only: false,
                }
            },
        );
    }
}
