//! Workloads that opt out of the service mesh in a namespace that is part of it.

use trustmap_model::Model;
use trustmap_model::k8s::Namespace;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Workloads whose pods turn sidecar injection off in a namespace the scan shows as
    /// meshed: Istio `sidecar.istio.io/inject: "false"` (pod label or annotation) in a
    /// namespace labelled `istio-injection: enabled` or `istio.io/rev`, and Linkerd
    /// `linkerd.io/inject: disabled` (pod annotation) in a namespace annotated
    /// `linkerd.io/inject: enabled`.
    ///
    /// ## Why it matters
    ///
    /// Without a sidecar the pod has no mesh identity, sends and accepts plain text, and no
    /// mesh authorization policy applies to it. It is the hole in an otherwise
    /// authenticated namespace: an attacker goes through it to reach services that trust
    /// the mesh to keep strangers out, or calls it without credentials.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: payments
    ///   labels:
    ///     istio-injection: enabled
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: reconciler
    ///   namespace: payments
    /// spec:
    ///   selector:
    ///     matchLabels: { app: reconciler }
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: reconciler
    ///         sidecar.istio.io/inject: "false"
    ///     spec:
    ///       containers:
    ///         - name: reconciler
    ///           image: registry.example.com/reconciler:2.2.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the opt-out. Jobs that must exit can use native sidecars (Istio on
    /// Kubernetes 1.29+) instead of skipping the mesh.
    ///
    /// ```yaml
    ///     metadata:
    ///       labels:
    ///         app: reconciler
    /// ```
    ///
    /// ## References
    ///
    /// - Istio, "Installing the Sidecar": controlling the injection policy
    /// - Linkerd, "Automatic Proxy Injection"
    pub(crate) MeshSidecarInjectionDisabled {
        id: "K8S-123",
        name: "mesh-sidecar-injection-disabled",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-306"],
        },
    }
}

/// The mesh that injects sidecars into `namespace`'s pods: its name, the key a pod
/// opts out with, and the value that opts out.
fn meshes_of(namespace: &Namespace) -> Vec<(&'static str, &'static str, &'static str)> {
    let o = &namespace.object;
    let mut meshes = Vec::new();
    let istio = o
        .label("istio-injection")
        .is_some_and(|kv| kv.value.get().is_some_and(|v| v == "enabled"))
        || o.label("istio.io/rev").is_some();
    if istio {
        meshes.push(("Istio", "sidecar.istio.io/inject", "false"));
    }
    if o.annotation("linkerd.io/inject")
        .is_some_and(|kv| kv.value.get().is_some_and(|v| v == "enabled"))
    {
        meshes.push(("Linkerd", "linkerd.io/inject", "disabled"));
    }
    meshes
}

impl Rule for MeshSidecarInjectionDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let Some(namespace) = workload
                .object
                .namespace
                .as_deref()
                .and_then(|ns| model.k8s.namespace(ns))
            else {
                continue;
            };
            let meshes = meshes_of(namespace);
            if meshes.is_empty() {
                continue;
            }
            let mut clean = true;
            for (mesh, key, off) in meshes {
                let Some(kv) = workload.pod_metadata(key) else {
                    continue;
                };
                if kv.value.get().is_some_and(|v| v.eq_ignore_ascii_case(off)) {
                    clean = false;
                    out.report(
                        &workload.object.meta,
                        kv.key_span,
                        &kv.value.via,
                        format!(
                            "the pods of {} opt out of the {mesh} sidecar (`{key}: {off}`) in meshed namespace `{}`",
                            workload.object.describe(),
                            namespace.object.name
                        ),
                    );
                }
            }
            if clean {
                out.pass_at(workload.object.meta.span);
            }
        }
    }
}
