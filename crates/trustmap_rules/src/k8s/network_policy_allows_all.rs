//! NetworkPolicy rules that admit every peer on every port.

use trustmap_model::Model;

use super::network::allows_everything;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// NetworkPolicy `ingress` or `egress` rules that admit everything: a rule with neither
    /// peers nor ports (`- {}`), or whose peers include an `ipBlock` of `0.0.0.0/0` or
    /// `::/0` without `except`, and no `ports`. Rules limited to ports (DNS egress on 53,
    /// say) are not reported.
    ///
    /// ## Why it matters
    ///
    /// Policies are additive: one rule that admits everything cancels every other rule for
    /// the pods it selects. The policy then reads like segmentation in review while an
    /// attacker in any pod (ingress), or malware in the selected pods calling home
    /// (egress), passes freely.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels: { app: api }
    ///   policyTypes: ["Ingress", "Egress"]
    ///   ingress:
    ///     - {}
    ///   egress:
    ///     - to:
    ///         - ipBlock:
    ///             cidr: 0.0.0.0/0
    /// ```
    ///
    /// ## Fix
    ///
    /// Name the peers and ports each direction needs.
    ///
    /// ```yaml
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: { app: web }
    ///       ports:
    ///         - port: 8080
    ///   egress:
    ///     - to:
    ///         - ipBlock:
    ///             cidr: 10.20.0.0/16
    ///       ports:
    ///         - port: 5432
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, "Network Policies": allow all ingress / egress traffic
    pub(crate) NetworkPolicyAllowsAll {
        id: "K8S-112",
        name: "network-policy-allows-all",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-923"],
        },
    }
}

impl Rule for NetworkPolicyAllowsAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for policy in &model.k8s.network_policies {
            let mut clean = true;
            let directions = [
                (
                    "ingress",
                    "from any source",
                    &policy.ingress,
                    policy.applies_to_ingress(),
                ),
                (
                    "egress",
                    "to any destination",
                    &policy.egress,
                    policy.applies_to_egress(),
                ),
            ];
            for (direction, reach, rules, applies) in directions {
                if !applies {
                    continue;
                }
                for rule in rules {
                    let Some(cidr) = allows_everything(rule) else {
                        continue;
                    };
                    clean = false;
                    let what = match cidr {
                        Some(_) => "an `ipBlock` of the whole internet",
                        None => "a rule with no peers and no ports",
                    };
                    out.report(
                        &policy.object.meta,
                        cidr.unwrap_or(rule.span),
                        &[],
                        format!(
                            "{} allows all {direction} {reach} on every port ({what})",
                            policy.object.describe()
                        ),
                    );
                }
            }
            if clean {
                out.pass_at(policy.object.meta.span);
            }
        }
    }
}
