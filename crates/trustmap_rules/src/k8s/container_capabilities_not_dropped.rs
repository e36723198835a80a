//! The restricted profile's capability rule: drop `ALL`, add back only `NET_BIND_SERVICE`.

use trustmap_model::Model;

use super::container_adds_dangerous_capabilities::{BASELINE_ALLOWED, normalize};
use super::linux_containers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that do not drop `ALL` capabilities, and containers that add back a
    /// capability other than `NET_BIND_SERVICE` from the runtime's default set (`CHOWN`,
    /// `SETUID`, `KILL`, ...). Capabilities outside that default set are
    /// `container-adds-dangerous-capabilities`.
    ///
    /// ## Why it matters
    ///
    /// A container that drops nothing keeps the runtime's default capabilities: it can
    /// change file ownership, switch users, bind raw sockets (`NET_RAW`, the ARP and DNS
    /// spoofing primitive) and create device nodes. Each one is a step an attacker who got
    /// code execution uses to move to other pods or the node; a web server needs none of
    /// them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: { app: api }
    ///   template:
    ///     metadata:
    ///       labels: { app: api }
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/api:5.0.2
    ///           securityContext:
    ///             capabilities:
    ///               add: ["CHOWN"]
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    ///           securityContext:
    ///             capabilities:
    ///               drop: ["ALL"]
    ///               add: ["NET_BIND_SERVICE"]   # only if it binds a port below 1024
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Capabilities" (Restricted)
    /// - capabilities(7)
    pub(crate) ContainerCapabilitiesNotDropped {
        id: "K8S-107",
        name: "container-capabilities-not-dropped",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_37", "CKV_K8S_28"],
            trivy: ["AVD-KSV-0003", "AVD-KSV-0106"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for ContainerCapabilitiesNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in linux_containers(model) {
            let security = &container.security;
            let mut clean = true;
            let mut unknown = false;
            let drops_all = security.capabilities_drop.iter().any(|d| {
                unknown |= d.is_unknown();
                d.get().is_some_and(|c| normalize(c) == "ALL")
            });
            if !drops_all && !unknown {
                clean = false;
                // Point at `drop` when it lists something else, else where `capabilities`
                // belongs.
                let (at, via) = match security.capabilities_drop.first() {
                    Some(first) => (first.span, first.via.clone()),
                    None => (container_context(container), Vec::new()),
                };
                out.report(
                    &workload.object.meta,
                    at,
                    &via,
                    format!(
                        "container `{}` keeps the runtime's default capabilities (no `drop: [\"ALL\"]`)",
                        container.label()
                    ),
                );
            }
            for added in &security.capabilities_add {
                let Some(cap) = added.get() else {
                    unknown = true;
                    continue;
                };
                let cap = normalize(cap);
                if cap != "NET_BIND_SERVICE" && BASELINE_ALLOWED.contains(&cap.as_str()) {
                    clean = false;
                    out.report(
                        &workload.object.meta,
                        added.span,
                        &added.via,
                        format!(
                            "container `{}` adds `{cap}`; the restricted profile allows only `NET_BIND_SERVICE`",
                            container.label()
                        ),
                    );
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

/// The container's `securityContext` (where `capabilities` belongs), else the container.
/// An explicit `privileged` has its own span, so fall back to the container then.
fn container_context(container: &trustmap_model::k8s::Container) -> trustmap_source::Span {
    let privileged = &container.security.privileged;
    if privileged.is_default() {
        privileged.span
    } else {
        container.span
    }
}
