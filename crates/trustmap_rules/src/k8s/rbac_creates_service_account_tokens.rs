//! `create` on `serviceaccounts/token`: mint a token for any service account in scope.

use trustmap_model::Model;

use super::rbac_exposure::{Fault, Power, check_power};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles that allow `create` on `serviceaccounts/token`
    /// (the TokenRequest API), directly or through `*`.
    ///
    /// How severe it is depends on who holds the role: low when nothing in the scan binds
    /// it, high when users or groups hold it, critical when a scanned workload's service
    /// account holds it (the message names the binding and the workloads). A rule with
    /// `resourceNames` is narrowed to the named service accounts and not reported.
    ///
    /// ## Why it matters
    ///
    /// A token request returns a fresh, valid token for the service account named in the
    /// URL. Whoever holds this permission in a namespace can become any service account of
    /// it (cluster-wide: any service account at all, controllers in `kube-system`
    /// included) and use everything bound to them, without running a pod.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: token-broker
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Mount projected service account tokens into the pods that need them. If a broker
    /// must mint tokens, bind it in one namespace and name the accounts.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     resourceNames: ["report-uploader"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Managing Service Accounts", TokenRequest API
    pub(crate) RbacCreatesServiceAccountTokens {
        id: "K8S-034",
        name: "rbac-creates-service-account-tokens",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for RbacCreatesServiceAccountTokens {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let targets = [("", "serviceaccounts/token", false)];
        check_power(
            model,
            out,
            Self::META.severity,
            &["create"],
            &targets,
            |role, _, h| {
                let whose = match &role.object.namespace {
                    Some(ns) if !role.cluster => format!("any service account of namespace `{ns}`"),
                    _ => "any service account where it is bound".to_string(),
                };
                Fault {
                    at: h[0].resource,
                    what: format!("can mint tokens for {whose}"),
                    power: Power::Escalation,
                    cluster_only: false,
                }
            },
        );
    }
}
