//! Kubernetes RBAC, evaluated by [`trustmap_model::k8s::RbacIndex`]: which service
//! accounts read which Secrets, which are cluster-admin, and which can escalate
//! (`escalate`/`bind`/`impersonate`, or create pods and so run privileged ones).

use trustmap_model::Model;
use trustmap_model::k8s::{Decision, Grant, Permission, PssLevel, Request, SubjectRef};
use trustmap_source::Span;

use super::k8s::K8sNodes;
use super::{Builder, Synthetic};
use crate::types::{Access, AccessLevel, Edge, Relation};

/// The binding (and rule) that allowed a request, for the edge's evidence.
fn evidence(grants: &[Grant<'_>]) -> (Option<Span>, String) {
    let Some(g) = grants.first() else {
        return (None, "a binding".to_string());
    };
    let role = match g.permission {
        Permission::Rule { role, .. } => role.object.name.clone(),
        Permission::WellKnown { role, .. } => role.name.to_string(),
        Permission::Unknown => g.binding.role_ref.name.get().cloned().unwrap_or_default(),
    };
    let span = g.rule().map_or(g.binding.object.meta.span, |r| r.span);
    (
        Some(span),
        format!(
            "{} {} (role {role})",
            g.binding.object.kind, g.binding.object.name
        ),
    )
}

fn allowed(d: Decision<'_>) -> Option<Vec<Grant<'_>>> {
    match d {
        Decision::Allowed(g) => Some(g),
        _ => None,
    }
}

pub(crate) fn edges(b: &mut Builder, model: &Model, n: &K8sNodes) {
    let k = &model.k8s;
    if k.bindings.is_empty() {
        return;
    }
    let rbac = k.rbac();
    for (sa, namespace, name) in &n.accounts {
        let subject = SubjectRef::ServiceAccount {
            namespace: namespace.clone(),
            name: name.clone(),
        };
        if rbac.grants_of(&subject).is_empty() {
            continue;
        }
        let can = |verb: &str, group: &str, resource: &str, ns: Option<&str>| {
            allowed(rbac.can(&subject, verb, group, resource, ns))
        };
        if let Some(g) = can("*", "*", "*", None) {
            let (span, from) = evidence(&g);
            let admin = b.synthetic(Synthetic::ClusterAdmin);
            b.g.add_edge(
                *sa,
                admin,
                Edge::new(
                    Relation::Administers,
                    format!("{from} grants every verb on every resource cluster-wide: this token is cluster-admin."),
                    span,
                )
                .with_access(Access {
                    level: AccessLevel::Admin,
                    actions: vec!["* */*".to_string()],
                }),
            );
            continue;
        }
        let escalation = [
            ("escalate", "rbac.authorization.k8s.io", "clusterroles"),
            ("bind", "rbac.authorization.k8s.io", "clusterroles"),
            ("impersonate", "", "serviceaccounts"),
            ("impersonate", "", "users"),
            ("create", "", "serviceaccounts/token"),
        ];
        if let Some((verb, resource, g)) = escalation
            .iter()
            .find_map(|(v, grp, r)| can(v, grp, r, None).map(|g| (*v, *r, g)))
        {
            let (span, from) = evidence(&g);
            let admin = b.synthetic(Synthetic::ClusterAdmin);
            b.g.add_edge(
                *sa,
                admin,
                Edge::new(
                    Relation::Escalates,
                    format!("{from} allows `{verb} {resource}` cluster-wide: the holder can grant itself cluster-admin."),
                    span,
                )
                .with_access(Access {
                    level: AccessLevel::Admin,
                    actions: vec![format!("{verb} {resource}")],
                }),
            );
        }
        let pss_blocks = k
            .namespace(namespace)
            .and_then(|ns| ns.pss_enforce())
            .is_some_and(|(level, _)| level >= PssLevel::Baseline);
        if !pss_blocks && let Some(g) = can("create", "", "pods", Some(namespace)) {
            let (span, from) = evidence(&g);
            let root = b.synthetic(Synthetic::NodeRoot);
            b.g.add_edge(
                *sa,
                root,
                Edge::new(
                    Relation::Escalates,
                    format!("{from} allows creating pods in {namespace}, where Pod Security does not forbid privileged ones: the holder can run a privileged pod and take over a node."),
                    span,
                )
                .with_access(Access {
                    level: AccessLevel::Admin,
                    actions: vec!["create pods".to_string()],
                }),
            );
        }
        for (secret, sns, sname) in &n.secrets {
            let req = Request {
                verb: "get",
                group: "",
                resource: "secrets",
                name: Some(sname),
                namespace: Some(sns),
            };
            let Some(g) = allowed(rbac.can_request(&subject, &req)) else {
                continue;
            };
            let (span, from) = evidence(&g);
            b.g.add_edge(
                *sa,
                *secret,
                Edge::new(
                    Relation::Reads,
                    format!("{from} allows `get secrets` on {sns}/{sname}: the token reads it."),
                    span,
                )
                .with_access(Access {
                    level: AccessLevel::Read,
                    actions: vec!["get secrets".to_string()],
                }),
            );
        }
    }
}
