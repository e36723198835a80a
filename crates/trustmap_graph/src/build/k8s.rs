//! Kubernetes: Services and Ingresses (endpoints), workloads, service accounts, Secrets,
//! and the edges between them: exposure, selection by labels, runs-as, mounted secrets,
//! host escalation, workload identity into the clouds.

use trustmap_iam::{Caller, TrustDecision, can_assume};
use trustmap_model::Model;
use trustmap_model::k8s::{Cloud, EnvFromSource, EnvValue, VolumeSource, Workload};

use super::{Builder, Synthetic};
use crate::graph::NodeId;
use crate::joins::{
    AZURE_CLIENT_ID, GKE_SERVICE_ACCOUNT, INGRESS_BACKEND, IRSA_ROLE_ARN, JoinTarget, POD_SECRET,
    POD_SERVICE_ACCOUNT, SERVICE_SELECTOR,
};
use crate::types::{Access, AccessLevel, Crown, Edge, NodeKind, Relation};

#[derive(Default)]
pub(crate) struct K8sNodes {
    pub(crate) workloads: Vec<NodeId>,
    pub(crate) services: Vec<NodeId>,
    /// Every service account node (scanned or named by a pod or binding) with its
    /// namespace and name.
    pub(crate) accounts: Vec<(NodeId, String, String)>,
    /// Secrets with their namespace and name.
    pub(crate) secrets: Vec<(NodeId, String, String)>,
}

fn ns(o: &trustmap_model::k8s::Object) -> String {
    o.namespace.clone().unwrap_or_else(|| "default".to_string())
}

pub(crate) fn nodes(b: &mut Builder, model: &Model) -> K8sNodes {
    let k = &model.k8s;
    let mut out = K8sNodes::default();
    for sa in &k.service_accounts {
        let (n, name) = (ns(&sa.object), sa.object.name.clone());
        let id = b.object(
            NodeKind::Identity,
            &sa.object.meta,
            format!("service account {n}/{name}"),
            None,
        );
        b.joins
            .register(JoinTarget::K8sServiceAccount, &format!("{n}/{name}"), id);
        out.accounts.push((id, n, name));
    }
    for s in &k.secrets {
        let (n, name) = (ns(&s.object), s.object.name.clone());
        let id = b.object(
            NodeKind::Secret,
            &s.object.meta,
            format!("Kubernetes Secret {n}/{name}"),
            Some(Crown::Secret),
        );
        b.joins
            .register(JoinTarget::K8sSecret, &format!("{n}/{name}"), id);
        out.secrets.push((id, n, name));
    }
    for w in &k.workloads {
        let id = b.object(
            NodeKind::Workload,
            &w.object.meta,
            format!("{} {}/{}", w.object.kind, ns(&w.object), w.object.name),
            None,
        );
        let labels = if w.pod_labels.is_empty() {
            &w.object.labels
        } else {
            &w.pod_labels
        };
        for kv in labels {
            if let Some(v) = kv.value.get() {
                b.joins.register(
                    JoinTarget::K8sPods,
                    &format!("{}/{}={v}", ns(&w.object), kv.key),
                    id,
                );
            }
        }
        out.workloads.push(id);
    }
    for s in &k.services {
        let id = b.object(
            NodeKind::Endpoint,
            &s.object.meta,
            format!("Service {}/{}", ns(&s.object), s.object.name),
            None,
        );
        b.joins.register(
            JoinTarget::K8sService,
            &format!("{}/{}", ns(&s.object), s.object.name),
            id,
        );
        out.services.push(id);
    }
    out
}

/// The service account node `namespace/name`, created when the scan only names it.
pub(crate) fn account(b: &mut Builder, out: &mut K8sNodes, namespace: &str, name: &str) -> NodeId {
    let key = format!("{namespace}/{name}");
    if let Some(&id) = b.joins.resolve(&POD_SERVICE_ACCOUNT, &key).first() {
        return id;
    }
    let id = b.named(
        NodeKind::Identity,
        format!("ServiceAccount/{namespace}/{name}"),
        format!("service account {namespace}/{name}"),
        None,
    );
    b.joins.register(JoinTarget::K8sServiceAccount, &key, id);
    out.accounts
        .push((id, namespace.to_string(), name.to_string()));
    id
}

pub(crate) fn edges(b: &mut Builder, model: &Model, n: &mut K8sNodes) {
    let k = &model.k8s;
    for (w, &wid) in k.workloads.iter().zip(&n.workloads.clone()) {
        let namespace = ns(&w.object);
        let sa_name = w
            .pod
            .service_account_name
            .get()
            .cloned()
            .unwrap_or_else(|| "default".to_string());
        let sa = account(b, n, &namespace, &sa_name);
        let automount = k.automounts_token(w);
        let mut runs_as = Edge::new(
            Relation::RunsAs,
            format!(
                "The pods run as service account {namespace}/{sa_name}: code in them uses its token."
            ),
            Some(w.pod.service_account_name.span),
        );
        if automount.is_false() {
            runs_as = runs_as.with_conditions(vec![
                "automountServiceAccountToken is false: the token must be obtained another way"
                    .to_string(),
            ]);
        }
        b.g.add_edge(wid, sa, runs_as);
        mounted_secrets(b, w, wid, &namespace);
        host_escalation(b, w, wid);
    }
    for (s, &sid) in k.services.iter().zip(&n.services) {
        let namespace = ns(&s.object);
        let kind = s.service_type.get().map(String::as_str).unwrap_or("");
        let world = s.load_balancer_source_ranges.is_empty()
            || s.load_balancer_source_ranges
                .iter()
                .any(|r| r.is(|r| trustmap_model::aws::ec2::is_world_cidr(r)));
        let exposure = match kind {
            "LoadBalancer" if world => Some((
                "The LoadBalancer Service gets a public address open to any source.",
                Vec::new(),
            )),
            "NodePort" => Some((
                "The NodePort Service opens a port on every node.",
                vec![
                    "reachable from the internet only where nodes have public addresses"
                        .to_string(),
                ],
            )),
            _ if !s.external_ips.is_empty() => Some((
                "The Service answers on external IPs.",
                vec!["reachable from the internet only if the external IPs are public".to_string()],
            )),
            _ => None,
        };
        if let Some((why, conditions)) = exposure {
            let internet = b.synthetic(Synthetic::Internet);
            b.g.add_edge(
                internet,
                sid,
                Edge::new(Relation::Exposes, why, Some(s.service_type.span))
                    .with_conditions(conditions),
            );
        }
        let keys: Vec<String> = s
            .selector
            .iter()
            .filter_map(|kv| {
                kv.value
                    .get()
                    .map(|v| format!("{namespace}/{}={v}", kv.key))
            })
            .collect();
        if keys.len() != s.selector.len() {
            continue;
        }
        let span = s.selector.first().map(|kv| kv.key_span);
        for pod in b.joins.resolve_all(&SERVICE_SELECTOR, &keys) {
            b.g.add_edge(
                sid,
                pod,
                Edge::new(
                    Relation::Reaches,
                    "The Service's selector matches these pods: its traffic lands in them.",
                    span,
                ),
            );
        }
    }
    for ing in &k.ingresses {
        let namespace = ns(&ing.object);
        let iid = b.object(
            NodeKind::Endpoint,
            &ing.object.meta,
            format!("Ingress {namespace}/{}", ing.object.name),
            None,
        );
        let internet = b.synthetic(Synthetic::Internet);
        b.g.add_edge(
            internet,
            iid,
            Edge::new(
                Relation::Exposes,
                "The Ingress publishes HTTP routes through the cluster's ingress controller.",
                Some(ing.object.meta.span),
            ),
        );
        let backends = ing
            .rules
            .iter()
            .flat_map(|r| &r.paths)
            .filter_map(|p| p.backend.as_ref())
            .chain(ing.default_backend.as_ref());
        for be in backends {
            let Some(name) = be.service_name.get() else {
                continue;
            };
            for svc in b
                .joins
                .resolve(&INGRESS_BACKEND, &format!("{namespace}/{name}"))
            {
                b.g.add_edge(
                    iid,
                    svc,
                    Edge::new(
                        Relation::Reaches,
                        format!("The Ingress forwards requests to Service {name}."),
                        Some(be.span),
                    ),
                );
            }
        }
    }
    workload_identities(b, model);
}

fn mounted_secrets(b: &mut Builder, w: &Workload, wid: NodeId, namespace: &str) {
    let mut refs: Vec<(String, trustmap_source::Span)> = Vec::new();
    for c in &w.pod.containers {
        for e in &c.env {
            if let EnvValue::SecretKeyRef { name, .. } = &e.value
                && let Some(n) = name.get()
            {
                refs.push((n.clone(), e.span));
            }
        }
        for e in &c.env_from {
            if let EnvFromSource::Secret(name) = &e.source
                && let Some(n) = name.get()
            {
                refs.push((n.clone(), e.span));
            }
        }
    }
    for v in &w.pod.volumes {
        if let VolumeSource::Secret { secret_name } = &v.source
            && let Some(n) = secret_name.get()
        {
            refs.push((n.clone(), v.span));
        }
    }
    for (name, span) in refs {
        for secret in b.joins.resolve(&POD_SECRET, &format!("{namespace}/{name}")) {
            b.g.add_edge(
                wid,
                secret,
                Edge::new(
                    Relation::Reads,
                    format!("The pods receive Secret {name} in their environment or filesystem."),
                    Some(span),
                )
                .with_access(Access {
                    level: AccessLevel::Read,
                    actions: vec!["mounted".to_string()],
                }),
            );
        }
    }
}

/// Host paths that hand over the node: its root, the container runtime's socket, the
/// kubelet's credentials.
const HOST_TAKEOVER_PATHS: &[&str] = &[
    "/",
    "/etc",
    "/root",
    "/proc",
    "/var/lib/kubelet",
    "/var/run",
    "/run",
    "/var/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
];

fn host_escalation(b: &mut Builder, w: &Workload, wid: NodeId) {
    let privileged = w
        .pod
        .containers
        .iter()
        .find(|c| c.security.privileged.is_true());
    let evidence = if let Some(c) = privileged {
        Some((
            format!(
                "Container {} is privileged: it can mount the node's disk and leave the container.",
                c.label()
            ),
            c.security.privileged.span,
        ))
    } else if w.pod.host_pid.is_true() {
        Some((
            "The pod shares the node's process namespace (hostPID): it can enter the node's processes.".to_string(),
            w.pod.host_pid.span,
        ))
    } else {
        w.pod.volumes.iter().find_map(|v| match &v.source {
            VolumeSource::HostPath { path, .. }
                if path.is(|p| HOST_TAKEOVER_PATHS.contains(&p.trim_end_matches('/').max("/"))) =>
            {
                Some((
                    format!(
                        "The pod mounts the node's `{}`: it can take over the node.",
                        path.get().map_or("?", String::as_str)
                    ),
                    path.span,
                ))
            }
            _ => None,
        })
    };
    if let Some((why, span)) = evidence {
        let root = b.synthetic(Synthetic::NodeRoot);
        b.g.add_edge(
            wid,
            root,
            Edge::new(Relation::Escalates, why, Some(span)).with_access(Access {
                level: AccessLevel::Admin,
                actions: vec!["host access".to_string()],
            }),
        );
    }
}

/// ServiceAccount annotations that map to cloud identities.
fn workload_identities(b: &mut Builder, model: &Model) {
    for sa in &model.k8s.service_accounts {
        let key = format!("{}/{}", ns(&sa.object), sa.object.name);
        let Some(&sid) = b.joins.resolve(&POD_SERVICE_ACCOUNT, &key).first() else {
            continue;
        };
        for wi in &sa.workload_identities {
            let Some(value) = wi.annotation.value.get() else {
                continue;
            };
            let join = match wi.cloud {
                Cloud::Aws => &IRSA_ROLE_ARN,
                Cloud::Gcp => &GKE_SERVICE_ACCOUNT,
                Cloud::Azure => &AZURE_CLIENT_ID,
            };
            for target in b.joins.resolve(join, value) {
                let mut conditions = Vec::new();
                if wi.cloud == Cloud::Aws
                    && let Some(trust) = b
                        .role_index
                        .get(&target)
                        .and_then(|&i| model.aws.iam.roles.get(i))
                        .map(|r| &r.trust)
                {
                    let caller = Caller::KubernetesServiceAccount {
                        issuer: None,
                        namespace: ns(&sa.object),
                        name: sa.object.name.clone(),
                    };
                    match trust.get().map(|doc| can_assume(doc, &caller)) {
                        Some(TrustDecision::Denied) => continue,
                        Some(TrustDecision::Allowed(e)) if e.conditional => {
                            conditions = e.conditions
                        }
                        Some(TrustDecision::Allowed(_)) => {}
                        // The annotation says the account is meant to use the role; a
                        // trust policy the scan cannot read (a computed issuer) is taken at
                        // its word rather than marked as an assumption.
                        Some(TrustDecision::Unknown { .. }) => {}
                        None => conditions
                            .push("the role's trust policy cannot be evaluated".to_string()),
                    }
                }
                let why = format!(
                    "The annotation `{}` lets pods of this service account exchange their token for {}'s credentials.",
                    wi.cloud.annotation(),
                    b.g.node(target).label
                );
                b.g.add_edge(
                    sid,
                    target,
                    Edge::new(Relation::CanAssume, why, Some(wi.annotation.value.span))
                        .with_conditions(conditions),
                );
            }
        }
    }
}
