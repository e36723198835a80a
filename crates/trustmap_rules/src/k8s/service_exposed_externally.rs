//! Services reachable from outside the cluster.

use trustmap_model::Model;
use trustmap_model::k8s::Service;

use super::tally;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Services of type `LoadBalancer` or `NodePort`, and Services with `externalIPs`.
    /// Load balancers marked internal with their cloud's annotation (AWS, GKE, Azure, OCI)
    /// and load balancers whose `loadBalancerSourceRanges` admit only listed networks
    /// (no `0.0.0.0/0` or `::/0`) are not reported.
    ///
    /// ## Why it matters
    ///
    /// A `LoadBalancer` Service gets a cloud load balancer with a public address by default;
    /// a `NodePort` opens the port on every node's address, often outside any ingress
    /// controller's authentication, TLS and rate limiting. Whatever listens behind it (an
    /// admin UI, a database, a metrics endpoint) is one scan away from an attacker on the
    /// internet. `externalIPs` lets the Service claim traffic for any address, the
    /// mechanism behind CVE-2020-8554.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: grafana
    /// spec:
    ///   type: LoadBalancer
    ///   selector: { app: grafana }
    ///   ports:
    ///     - port: 80
    ///       targetPort: 3000
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep Services `ClusterIP` and publish HTTP through an Ingress or Gateway that
    /// enforces TLS and authentication. If a load balancer is needed, make it internal or
    /// restrict its source ranges.
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: grafana
    /// spec:
    ///   type: ClusterIP
    ///   selector: { app: grafana }
    ///   ports:
    ///     - port: 80
    ///       targetPort: 3000
    /// ```
    ///
    /// ## References
    ///
    /// - CVE-2020-8554 (man-in-the-middle through `externalIPs`)
    pub(crate) ServiceExposedExternally {
        id: "K8S-017",
        name: "service-exposed-externally",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-668"],
        },
    }
}

/// Annotations (and values) that make a cloud provision an internal load balancer.
const INTERNAL_LB: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        "true",
    ),
];

/// A load balancer that only listed networks (or only the VPC) can reach.
fn load_balancer_restricted(service: &Service) -> bool {
    let internal = INTERNAL_LB.iter().any(|(key, want)| {
        service
            .object
            .annotation(key)
            .is_some_and(|kv| kv.value.is(|v| v.trim().eq_ignore_ascii_case(want)))
    });
    let ranges = &service.load_balancer_source_ranges;
    let limited = !ranges.is_empty()
        && ranges
            .iter()
            .all(|r| r.is(|cidr| !matches!(cidr.trim(), "0.0.0.0/0" | "::/0")));
    internal || limited
}

impl Rule for ServiceExposedExternally {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for service in &model.k8s.services {
            let meta = &service.object.meta;
            let name = &service.object.name;
            let kind = &service.service_type;
            let mut clean = true;
            match kind.get().map(String::as_str) {
                Some("LoadBalancer") if !load_balancer_restricted(service) => {
                    clean = false;
                    out.report(
                        meta,
                        kind.span,
                        &kind.via,
                        format!("service `{name}` gets a load balancer reachable from outside the cluster"),
                    );
                }
                Some("NodePort") => {
                    clean = false;
                    out.report(
                        meta,
                        kind.span,
                        &kind.via,
                        format!("service `{name}` opens a port on every node (`NodePort`)"),
                    );
                }
                _ => {}
            }
            for ip in &service.external_ips {
                if let Some(addr) = ip.get() {
                    clean = false;
                    out.report(
                        meta,
                        ip.span,
                        &ip.via,
                        format!("service `{name}` takes traffic for external IP `{addr}`"),
                    );
                }
            }
            if clean {
                tally(out, meta.span, kind);
            }
        }
    }
}
