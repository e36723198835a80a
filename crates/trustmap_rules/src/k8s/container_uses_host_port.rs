//! Container ports bound on the node (`hostPort`).

use trustmap_model::Model;

use super::containers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Container ports with a `hostPort`: the port is opened on the node's own address.
    ///
    /// ## Why it matters
    ///
    /// A host port skips the Service and everything in front of it: traffic reaches the
    /// container on the node's address, where network policies of many CNI plugins and the
    /// cluster's ingress controls do not apply. An attacker who can reach the nodes (from
    /// the VPC, or the internet when nodes have public addresses) reaches the application
    /// directly. It also pins the pod to nodes where the port is free, and a compromised
    /// pod can take a port another component expected to own.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: metrics-relay
    /// spec:
    ///   containers:
    ///     - name: relay
    ///       image: registry.example.com/metrics-relay:0.4.1
    ///       ports:
    ///         - containerPort: 9100
    ///           hostPort: 9100
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `hostPort` and reach the pod through a Service.
    ///
    /// ```yaml
    ///       ports:
    ///         - containerPort: 9100
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Host Ports" (Baseline)
    pub(crate) ContainerUsesHostPort {
        id: "K8S-020",
        name: "container-uses-host-port",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_26"],
            trivy: ["AVD-KSV-0024"],
            cwe: ["CWE-668"],
        },
    }
}

impl Rule for ContainerUsesHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in containers(model) {
            let (mut clean, mut unknown) = (true, false);
            for port in &container.ports {
                match port.host_port.get() {
                    None => unknown = true,
                    Some(Some(host)) if *host > 0 => {
                        clean = false;
                        out.report(
                            &workload.object.meta,
                            port.host_port.span,
                            &port.host_port.via,
                            format!(
                                "container `{}` binds port {host} on its node (`hostPort`)",
                                container.label()
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass_at(container.span),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
