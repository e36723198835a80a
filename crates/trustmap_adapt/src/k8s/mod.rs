//! Kubernetes YAML documents → Kubernetes model.
//!
//! A document is a Kubernetes object when it has a string `apiVersion` and `kind`; anything
//! else (compose files, app config) is ignored. Objects are recognised by API group and
//! kind, so a `Service` of another group (Knative's) is not taken for a core Service.

mod config;
mod mesh;
mod network;
mod pod;
mod rbac;
mod read;
#[cfg(test)]
mod tests;

use trustmap_model::k8s::{K8s, Namespace, Object, Workload};
use trustmap_model::{Language, ResourceMeta};
use trustmap_source::{Diagnostic, SourceFile};
use trustmap_syntax::Node;

use read::{field, items, key_values};

/// How deep `kind: List` may nest (a List of Lists is legal but never useful).
const MAX_LIST_DEPTH: usize = 4;

/// Adapts the documents of one YAML file; documents that are not Kubernetes objects are ignored.
pub fn from_documents(_file: &SourceFile, docs: &[Node], _diags: &mut Vec<Diagnostic>) -> K8s {
    let mut out = K8s::default();
    for doc in docs {
        if read::has_via(doc) {
            let mut doc = doc.clone();
            read::push_via_down(&mut doc);
            adapt(doc.untagged(), &mut out, 0);
        } else {
            adapt(doc.untagged(), &mut out, 0);
        }
    }
    out
}

fn adapt(doc: &Node, out: &mut K8s, depth: usize) {
    let (Some(api_version), Some(kind)) = (
        doc.get("apiVersion").and_then(Node::as_str),
        doc.get("kind").and_then(Node::as_str),
    ) else {
        return;
    };
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let rbac = "rbac.authorization.k8s.io";
    match (group, kind) {
        (_, "List") if depth < MAX_LIST_DEPTH => {
            for item in items(doc.get("items")) {
                adapt(item.untagged(), out, depth + 1);
            }
        }
        ("", "Pod" | "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job" | "CronJob") => {
            let spec = pod::pod_spec_path(kind)
                .iter()
                .try_fold(doc, |n, key| field(Some(n), key));
            if let Some(spec) = spec.filter(|s| s.as_map().is_some()) {
                let path = pod::pod_spec_path(kind);
                // The pod's metadata sits next to its spec (a Pod's is the object's own).
                let pod_metadata = path[..path.len() - 1]
                    .iter()
                    .try_fold(doc, |n, key| field(Some(n), key))
                    .and_then(|t| field(Some(t), "metadata"));
                let pod_labels = key_values(field(pod_metadata, "labels"));
                let pod_annotations = key_values(field(pod_metadata, "annotations"));
                out.workloads.push(Workload {
                    object: object(doc, api_version, kind, false),
                    pod: pod::pod_spec(spec, &pod_annotations),
                    pod_labels,
                    pod_annotations,
                });
            }
        }
        ("", "Namespace") => out.namespaces.push(Namespace {
            object: object(doc, api_version, kind, true),
        }),
        ("security.istio.io", "PeerAuthentication") => {
            out.mesh
                .peer_authentications
                .push(mesh::peer_authentication(
                    object(doc, api_version, kind, false),
                    doc,
                ))
        }
        ("security.istio.io", "AuthorizationPolicy") => {
            out.mesh
                .authorization_policies
                .push(mesh::authorization_policy(
                    object(doc, api_version, kind, false),
                    doc,
                ))
        }
        ("networking.istio.io", "DestinationRule") => out.mesh.destination_rules.push(
            mesh::destination_rule(object(doc, api_version, kind, false), doc),
        ),
        ("", "ServiceAccount") => out.service_accounts.push(config::service_account(
            object(doc, api_version, kind, false),
            doc,
        )),
        ("", "Secret") => out
            .secrets
            .push(config::secret(object(doc, api_version, kind, false), doc)),
        ("", "ConfigMap") => out.config_maps.push(config::config_map(
            object(doc, api_version, kind, false),
            doc,
        )),
        ("", "Service") => out
            .services
            .push(network::service(object(doc, api_version, kind, false), doc)),
        ("networking.k8s.io" | "extensions", "Ingress") => out
            .ingresses
            .push(network::ingress(object(doc, api_version, kind, false), doc)),
        ("networking.k8s.io" | "extensions", "NetworkPolicy") => out.network_policies.push(
            network::network_policy(object(doc, api_version, kind, false), doc),
        ),
        (g, "Role" | "ClusterRole") if g == rbac => {
            let cluster = kind == "ClusterRole";
            out.roles.push(rbac::role(
                object(doc, api_version, kind, cluster),
                doc,
                cluster,
            ));
        }
        (g, "RoleBinding" | "ClusterRoleBinding") if g == rbac => {
            let cluster = kind == "ClusterRoleBinding";
            out.bindings.push(rbac::binding(
                object(doc, api_version, kind, cluster),
                doc,
                cluster,
            ));
        }
        _ => {}
    }
}

/// The object header: address `Kind/namespace/name` (`Kind/name` when cluster-scoped).
fn object(doc: &Node, api_version: &str, kind: &str, cluster_scoped: bool) -> Object {
    let metadata = field(Some(doc), "metadata");
    let name = field(metadata, "name")
        .or_else(|| field(metadata, "generateName"))
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| "<unnamed>".to_string());
    let namespace = (!cluster_scoped).then(|| {
        field(metadata, "namespace")
            .and_then(Node::scalar_text)
            .unwrap_or_else(|| "default".to_string())
    });
    let address = match &namespace {
        Some(ns) => format!("{kind}/{ns}/{name}"),
        None => format!("{kind}/{name}"),
    };
    Object {
        meta: ResourceMeta {
            address,
            language: Language::Kubernetes,
            span: doc.span,
            via: Vec::new(),
        },
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name,
        namespace,
        labels: key_values(field(metadata, "labels")),
        annotations: key_values(field(metadata, "annotations")),
    }
}
