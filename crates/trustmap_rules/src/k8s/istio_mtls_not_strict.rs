//! Istio PeerAuthentication that accepts plain-text connections.

use trustmap_model::Model;
use trustmap_model::k8s::PeerAuthentication;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Istio `PeerAuthentication` objects whose `mtls.mode`, or the mode of a
    /// `portLevelMtls` entry, is `PERMISSIVE` or `DISABLE`. The message says the scope:
    /// the whole mesh (no selector, in the root namespace `istio-system`), a namespace (no
    /// selector), or the workloads a selector picks.
    ///
    /// ## Why it matters
    ///
    /// With `PERMISSIVE` a sidecar also accepts plain-text connections; with `DISABLE` it
    /// accepts nothing else. Either way the peer identity that AuthorizationPolicies rely
    /// on is missing for those connections: an attacker in any pod (or on the node network)
    /// talks to the service without a certificate, and `principals`-based rules cannot
    /// stop them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata:
    ///   name: default
    ///   namespace: istio-system
    /// spec:
    ///   mtls:
    ///     mode: PERMISSIVE
    /// ```
    ///
    /// ## Fix
    ///
    /// Finish the migration: once every client has a sidecar, require mutual TLS.
    ///
    /// ```yaml
    /// spec:
    ///   mtls:
    ///     mode: STRICT
    /// ```
    ///
    /// ## References
    ///
    /// - Istio, "PeerAuthentication" and "Mutual TLS Migration"
    pub(crate) IstioMtlsNotStrict {
        id: "K8S-120",
        name: "istio-mtls-not-strict",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-306"],
        },
    }
}

/// `the whole mesh`, `namespace `x``, `the workloads selected by PeerAuthentication `y``.
fn scope(pa: &PeerAuthentication) -> String {
    if pa.is_mesh_wide() {
        "the whole mesh".to_string()
    } else if pa.selector.is_empty() {
        format!(
            "namespace `{}`",
            pa.object.namespace.as_deref().unwrap_or("default")
        )
    } else {
        format!("the workloads {} selects", pa.object.describe())
    }
}

fn weak(mode: &str) -> bool {
    mode.eq_ignore_ascii_case("PERMISSIVE") || mode.eq_ignore_ascii_case("DISABLE")
}

impl Rule for IstioMtlsNotStrict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for pa in &model.k8s.mesh.peer_authentications {
            let mut clean = true;
            if let Some(Some(mode)) = pa.mode.get()
                && weak(mode)
            {
                clean = false;
                out.report(
                    &pa.object.meta,
                    pa.mode.span,
                    &pa.mode.via,
                    format!(
                        "mutual TLS is `{mode}` for {}: plain-text connections are accepted",
                        scope(pa)
                    ),
                );
            }
            for port in &pa.port_modes {
                if let Some(Some(mode)) = port.mode.get()
                    && weak(mode)
                {
                    clean = false;
                    out.report(
                        &pa.object.meta,
                        port.mode.span,
                        &port.mode.via,
                        format!(
                            "mutual TLS is `{mode}` on port {} for {}",
                            port.port,
                            scope(pa)
                        ),
                    );
                }
            }
            if clean {
                out.pass();
            }
        }
    }
}
