//! Istio AuthorizationPolicy with an ALLOW rule that matches every request.

use trustmap_model::Model;
use trustmap_model::k8s::ISTIO_ROOT_NAMESPACE;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Istio `AuthorizationPolicy` objects with action `ALLOW` (written or by default) and
    /// a rule that has no `from`, `to` or `when` (`rules: [{}]`): it matches every request
    /// from every source. An `ALLOW` policy with no rules at all matches nothing (it
    /// denies every request to the workloads it selects) and is not reported.
    ///
    /// ## Why it matters
    ///
    /// As soon as one ALLOW policy applies to a workload, Istio denies what no ALLOW rule
    /// matches: that is how a mesh enforces least privilege between services. A rule that
    /// matches everything switches that off for every workload the policy selects (the
    /// whole namespace without a selector, the whole mesh in `istio-system`): any
    /// compromised pod, and any caller without mutual TLS, reaches them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata:
    ///   name: allow-all
    ///   namespace: payments
    /// spec:
    ///   rules:
    ///     - {}
    /// ```
    ///
    /// ## Fix
    ///
    /// Allow the callers by identity, and the operations they need.
    ///
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels: { app: ledger }
    ///   rules:
    ///     - from:
    ///         - source:
    ///             principals: ["cluster.local/ns/shop/sa/checkout"]
    ///       to:
    ///         - operation:
    ///             methods: ["POST"]
    ///             paths: ["/v1/transfers"]
    /// ```
    ///
    /// ## References
    ///
    /// - Istio, "Authorization Policy": allow-all and deny-all policies
    pub(crate) IstioAuthorizationAllowsAll {
        id: "K8S-121",
        name: "istio-authorization-allows-all",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-862"],
        },
    }
}

impl Rule for IstioAuthorizationAllowsAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for policy in &model.k8s.mesh.authorization_policies {
            let Some(action) = policy.action.get() else {
                out.unknown();
                continue;
            };
            if !action.eq_ignore_ascii_case("ALLOW") {
                out.pass_at(policy.object.meta.span);
                continue;
            }
            let scope = if !policy.selector.is_empty() {
                "the workloads it selects".to_string()
            } else if policy.object.namespace.as_deref() == Some(ISTIO_ROOT_NAMESPACE) {
                "every workload of the mesh".to_string()
            } else {
                format!(
                    "every workload of namespace `{}`",
                    policy.object.namespace.as_deref().unwrap_or("default")
                )
            };
            match policy.rules.iter().find(|r| r.matches_everything) {
                Some(rule) => {
                    out.report(
                        &policy.object.meta,
                        rule.span,
                        &[],
                        format!(
                            "{} allows every request to {scope} (a rule with no `from`, `to` or `when`)",
                            policy.object.describe()
                        ),
                    );
                }
                None => out.pass_at(policy.object.meta.span),
            }
        }
    }
}
