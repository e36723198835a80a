//! Istio PeerAuthentication that accepts plain-text connections.

use trustmap_model::Model;
use trustmap_model::k8s::PeerAuthentication;

use trustmap_model::ResourceMeta;
use trustmap_source::Span;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Istio `PeerAuthentication` objects whose `mtls.mode`, or the mode of a
    /// `portLevelMtls` entry, is `PERMISSIVE` or `DISABLE`. The message says the scope:
    /// the whole mesh (no selector, in the root namespace `istio-system`), a namespace (no
    /// selector), or the workloads a selector picks.
    ///
    /// It also reports, once per scan, Istio left at its default: the scan uses Istio (a
    /// namespace labelled `istio-injection: enabled` or `istio.io/rev`, a pod template
    /// labelled `sidecar.istio.io/inject: "true"`, or any Istio security object) but no
    /// PeerAuthentication without a selector sets `STRICT`, neither mesh-wide nor for a
    /// namespace. Istio's default mode is `PERMISSIVE`. Scans that do not use Istio get no
    /// finding.
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

fn is_strict(mode: &str) -> bool {
    mode.eq_ignore_ascii_case("STRICT")
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
                out.pass_at(pa.object.meta.span);
            }
        }
        check_default_permissive(model, out);
    }
}

/// Reports, once, a scan that uses Istio without a selector-less `STRICT`
/// PeerAuthentication (mesh-wide or for a namespace) nor any mesh-wide mode: Istio then
/// runs every sidecar `PERMISSIVE`. Scans without Istio objects, injection labels or Istio-injected pods are
/// left alone.
fn check_default_permissive(model: &Model, out: &mut Sink) {
    // A mesh-wide policy with a mode decides the default (a weak one is reported above).
    let decided = model.k8s.mesh.peer_authentications.iter().find(|pa| {
        let mode = pa.mode.get().cloned().flatten();
        (pa.selector.is_empty() && mode.as_deref().is_some_and(is_strict))
            || (pa.is_mesh_wide() && mode.is_some())
    });
    if let Some(pa) = decided {
        // The pass is the policy that decides the default.
        out.pass_at(pa.object.meta.span);
        return;
    }
    let Some((meta, span, evidence)) = istio_evidence(model) else {
        return;
    };
    out.report(
        meta,
        span,
        &[],
        format!(
            "the scan uses Istio ({evidence}) but no PeerAuthentication sets mutual TLS \
             `STRICT` for the mesh or a namespace: Istio's default is `PERMISSIVE`, so \
             sidecars accept plain-text connections"
        ),
    );
}

/// The first sign that the scan runs on Istio: a namespace labelled for injection, a pod
/// template labelled for injection, or an Istio security object.
fn istio_evidence(model: &Model) -> Option<(&ResourceMeta, Span, String)> {
    let k8s = &model.k8s;
    for ns in &k8s.namespaces {
        let o = &ns.object;
        if let Some(kv) = o
            .label("istio-injection")
            .filter(|kv| kv.value.is(|v| v == "enabled"))
        {
            let why = format!(
                "namespace `{}` is labelled `istio-injection: enabled`",
                o.name
            );
            return Some((&o.meta, kv.key_span, why));
        }
        if let Some(kv) = o.label("istio.io/rev") {
            let why = format!("namespace `{}` is labelled `istio.io/rev`", o.name);
            return Some((&o.meta, kv.key_span, why));
        }
    }
    for w in &k8s.workloads {
        if let Some(kv) = w
            .pod_labels
            .iter()
            .find(|kv| kv.key == "sidecar.istio.io/inject" && kv.value.is(|v| v == "true"))
        {
            let why = format!("{} asks for a sidecar", w.object.describe());
            return Some((&w.object.meta, kv.key_span, why));
        }
    }
    let mesh = &k8s.mesh;
    let first = mesh
        .peer_authentications
        .iter()
        .map(|p| &p.object)
        .chain(mesh.authorization_policies.iter().map(|a| &a.object))
        .chain(mesh.destination_rules.iter().map(|d| &d.object))
        .next()?;
    let why = format!("{} is an Istio object", first.describe());
    Some((&first.meta, first.meta.span, why))
}
