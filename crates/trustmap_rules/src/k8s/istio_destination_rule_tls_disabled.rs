//! Istio DestinationRule that turns client TLS off.

use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Istio `DestinationRule` objects with `tls.mode: DISABLE` in their `trafficPolicy`,
    /// one of its `portLevelSettings`, or a subset's traffic policy.
    ///
    /// ## Why it matters
    ///
    /// `DISABLE` makes the client sidecars send plain text to the host, overriding the
    /// mesh's automatic mutual TLS. The traffic can be read and altered by anyone on the
    /// path, and if the server side is `STRICT` the calls fail, which is how such rules
    /// usually come with a `PERMISSIVE` PeerAuthentication next to them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata:
    ///   name: ledger
    ///   namespace: payments
    /// spec:
    ///   host: ledger.payments.svc.cluster.local
    ///   trafficPolicy:
    ///     tls:
    ///       mode: DISABLE
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    ///   trafficPolicy:
    ///     tls:
    ///       mode: ISTIO_MUTUAL
    /// ```
    ///
    /// ## References
    ///
    /// - Istio, "DestinationRule": ClientTLSSettings
    pub(crate) IstioDestinationRuleTlsDisabled {
        id: "K8S-122",
        name: "istio-destination-rule-tls-disabled",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-319"],
        },
    }
}

impl Rule for IstioDestinationRuleTlsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.k8s.mesh.destination_rules {
            let host = rule.host.get().map_or("<unknown>", String::as_str);
            let mut clean = true;
            for mode in &rule.tls_modes {
                if mode
                    .get()
                    .is_some_and(|m| m.eq_ignore_ascii_case("DISABLE"))
                {
                    clean = false;
                    out.report(
                        &rule.object.meta,
                        mode.span,
                        &mode.via,
                        format!(
                            "{} sends plain text to `{host}` (`tls.mode: DISABLE`)",
                            rule.object.describe()
                        ),
                    );
                }
            }
            if clean {
                out.pass_at(rule.object.meta.span);
            }
        }
    }
}
