//! Linkerd's default inbound policy set to admit unauthenticated clients from anywhere.

use trustmap_model::Model;
use trustmap_model::k8s::{KeyValue, Object};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Namespaces and workloads annotated `config.linkerd.io/default-inbound-policy:
    /// all-unauthenticated` (on the Namespace, the workload, or its pod template).
    ///
    /// ## Why it matters
    ///
    /// The default inbound policy decides what a meshed pod accepts when no `Server`
    /// resource covers a port. `all-unauthenticated` accepts connections from anywhere,
    /// with or without a mesh identity, so the proxy's mutual TLS proves nothing: any pod
    /// in the cluster, or anything routed to the pod network, calls the service
    /// anonymously. `all-authenticated` or `cluster-authenticated` keep the identity
    /// requirement.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: payments
    ///   annotations:
    ///     linkerd.io/inject: enabled
    ///     config.linkerd.io/default-inbound-policy: all-unauthenticated
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    ///   annotations:
    ///     linkerd.io/inject: enabled
    ///     config.linkerd.io/default-inbound-policy: all-authenticated
    /// ```
    ///
    /// ## References
    ///
    /// - Linkerd, "Authorization Policy": default policies
    pub(crate) LinkerdInboundUnauthenticated {
        id: "K8S-124",
        name: "linkerd-inbound-unauthenticated",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-306"],
        },
    }
}

const ANNOTATION: &str = "config.linkerd.io/default-inbound-policy";

fn is_open(kv: &KeyValue) -> bool {
    kv.value.get().is_some_and(|v| v == "all-unauthenticated")
}

fn report(out: &mut Sink, object: &Object, kv: &KeyValue, whose: String) {
    out.report(
        &object.meta,
        kv.key_span,
        &kv.value.via,
        format!("{whose} accept unauthenticated connections from anywhere (`{ANNOTATION}: all-unauthenticated`)"),
    );
}

impl Rule for LinkerdInboundUnauthenticated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for ns in &model.k8s.namespaces {
            match ns.object.annotation(ANNOTATION) {
                Some(kv) if is_open(kv) => report(
                    out,
                    &ns.object,
                    kv,
                    format!("meshed pods of namespace `{}`", ns.object.name),
                ),
                Some(_) => out.pass_at(ns.object.meta.span),
                None => {}
            }
        }
        for w in &model.k8s.workloads {
            let kv = w
                .object
                .annotation(ANNOTATION)
                .or_else(|| w.pod_annotations.iter().find(|kv| kv.key == ANNOTATION));
            match kv {
                Some(kv) if is_open(kv) => {
                    report(
                        out,
                        &w.object,
                        kv,
                        format!("the pods of {}", w.object.describe()),
                    );
                }
                Some(_) => out.pass_at(w.object.meta.span),
                None => {}
            }
        }
    }
}
