//! `hostNetwork: true`.

use trustmap_model::Model;

use super::check_host_namespace;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pods that use the node's network namespace (`hostNetwork: true`).
    ///
    /// ## Why it matters
    ///
    /// The pod's containers bind and listen on the node's own interfaces and are not subject
    /// to NetworkPolicies, which act on pod traffic. An attacker in such a container reaches
    /// daemons that listen only on the node's loopback, captures traffic on the node's
    /// interfaces with `NET_RAW` (in the runtime's default capability set), and calls the
    /// cloud metadata endpoint as the node itself, past the hop limit meant to keep pods
    /// away from the node's cloud credentials.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: edge-proxy
    /// spec:
    ///   selector:
    ///     matchLabels: { app: edge-proxy }
    ///   template:
    ///     metadata:
    ///       labels: { app: edge-proxy }
    ///     spec:
    ///       hostNetwork: true
    ///       containers:
    ///         - name: proxy
    ///           image: registry.example.com/edge-proxy:3.1.4
    ///           ports:
    ///             - containerPort: 8443
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `hostNetwork` (it defaults to `false`) and expose the port through a Service;
    /// NetworkPolicies then apply to the pod again.
    ///
    /// ```yaml
    ///     spec:
    ///       containers:
    ///         - name: proxy
    ///           image: registry.example.com/edge-proxy:3.1.4
    ///           ports:
    ///             - containerPort: 8443
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: edge-proxy
    /// spec:
    ///   selector: { app: edge-proxy }
    ///   ports:
    ///     - port: 443
    ///       targetPort: 8443
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Host Namespaces" (Baseline)
    pub(crate) PodSharesHostNetwork {
        id: "K8S-006",
        name: "pod-shares-host-network",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_19"],
            trivy: ["AVD-KSV-0009"],
            cwe: ["CWE-653"],
        },
    }
}

impl Rule for PodSharesHostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        check_host_namespace(model, out, |pod| &pod.host_network, "network namespace");
    }
}
