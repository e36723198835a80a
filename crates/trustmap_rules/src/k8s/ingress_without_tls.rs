//! Ingresses that serve hosts over plain HTTP.

use trustmap_model::Model;
use trustmap_model::k8s::Ingress;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Ingresses with no `tls` section, and Ingress rules whose `host` no `tls` entry
    /// covers (exactly or with a `*.` wildcard of one label). Ingresses whose certificate
    /// is attached by the cloud load balancer through an annotation (AWS
    /// `alb.ingress.kubernetes.io/certificate-arn`, GKE `networking.gke.io/managed-certificates`
    /// or `ingress.gcp.kubernetes.io/pre-shared-cert`) are not reported.
    ///
    /// ## Why it matters
    ///
    /// Without TLS, sessions, API tokens and passwords cross the internet in clear text: an
    /// attacker on any network in between (public Wi-Fi, a compromised router) reads or
    /// rewrites them and replays the credentials against the service.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: { name: web, port: { number: 80 } }
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts: ["shop.example.com"]
    ///       secretName: shop-example-com-tls
    ///   rules:
    ///     - host: shop.example.com
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, "Ingress": TLS
    pub(crate) IngressWithoutTls {
        id: "K8S-113",
        name: "ingress-without-tls",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-319"],
        },
    }
}

/// Annotations through which a cloud load balancer terminates TLS itself.
const LB_CERTIFICATE_ANNOTATIONS: &[&str] = &[
    "alb.ingress.kubernetes.io/certificate-arn",
    "networking.gke.io/managed-certificates",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
];

/// `*.example.com` covers `shop.example.com`, not `a.shop.example.com`.
fn covers(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == host,
    }
}

fn lb_terminates_tls(ingress: &Ingress) -> bool {
    LB_CERTIFICATE_ANNOTATIONS
        .iter()
        .any(|a| ingress.object.annotation(a).is_some())
}

impl Rule for IngressWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for ingress in &model.k8s.ingresses {
            let name = &ingress.object.name;
            if lb_terminates_tls(ingress) {
                out.pass_at(ingress.object.meta.span);
                continue;
            }
            if ingress.tls.is_empty() {
                let at = ingress
                    .rules
                    .first()
                    .map(|r| r.host.as_ref().map_or(r.span, |h| h.span))
                    .or(ingress.default_backend.as_ref().map(|b| b.span))
                    .unwrap_or(ingress.object.meta.span);
                out.report(
                    &ingress.object.meta,
                    at,
                    &[],
                    format!("Ingress `{name}` serves plain HTTP: it has no `tls` section"),
                );
                continue;
            }
            let mut clean = true;
            let mut unknown = false;
            let tls_hosts: Vec<&str> = ingress
                .tls
                .iter()
                .flat_map(|t| &t.hosts)
                .filter_map(|h| {
                    unknown |= h.is_unknown();
                    h.get().map(String::as_str)
                })
                .collect();
            for rule in &ingress.rules {
                let Some(host) = &rule.host else { continue };
                let Some(h) = host.get() else {
                    unknown = true;
                    continue;
                };
                if !unknown && !tls_hosts.iter().any(|p| covers(p, h)) {
                    clean = false;
                    out.report(
                        &ingress.object.meta,
                        host.span,
                        &host.via,
                        format!("Ingress `{name}` serves `{h}` over plain HTTP: no `tls` entry covers it"),
                    );
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass_at(ingress.object.meta.span),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("shop.example.com", "SHOP.example.com"));
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(!covers("*.example.com", "a.shop.example.com"));
        assert!(!covers("*.example.com", "example.com"));
    }
}
