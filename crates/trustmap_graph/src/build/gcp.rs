//! Google Cloud: buckets and Cloud SQL (data), service accounts named by grants, VMs'
//! service accounts, and what IAM grants give: `allUsers` on a bucket, basic roles on the
//! project, storage roles on a bucket.

use trustmap_iam::Access as IamAccess;
use trustmap_model::gcp::iam::{GrantTarget, is_basic_write_role};
use trustmap_model::{Model, Value};

use super::{Builder, Synthetic};
use crate::graph::NodeId;
use crate::joins::{GCP_MEMBER_SERVICE_ACCOUNT, JoinTarget};
use crate::types::{Access, AccessLevel, Crown, Edge, NodeKind, Relation, Sensitivity};

#[derive(Default)]
pub(crate) struct GcpNodes {
    pub(crate) buckets: Vec<NodeId>,
    /// `Gcp::secrets` in order.
    pub(crate) secrets: Vec<NodeId>,
    /// `Gcp::run_services` in order.
    pub(crate) run_services: Vec<NodeId>,
}

pub(crate) fn nodes(b: &mut Builder, model: &Model) -> GcpNodes {
    let mut out = GcpNodes::default();
    for bucket in &model.gcp.buckets {
        let name = bucket
            .name
            .get()
            .cloned()
            .unwrap_or_else(|| bucket.meta.address.clone());
        let id = b.object(
            NodeKind::Data,
            &bucket.meta,
            format!("bucket {name}"),
            Some(Crown::Data {
                sensitivity: Sensitivity::Medium,
            }),
        );
        out.buckets.push(id);
    }
    for db in &model.gcp.sql_instances {
        b.object(
            NodeKind::Data,
            &db.meta,
            format!("Cloud SQL {}", db.meta.address),
            Some(Crown::Data {
                sensitivity: Sensitivity::High,
            }),
        );
    }
    for secret in &model.gcp.secrets {
        let name = secret
            .secret_id
            .get()
            .cloned()
            .unwrap_or_else(|| secret.meta.address.clone());
        let id = b.object(
            NodeKind::Secret,
            &secret.meta,
            format!("secret {name}"),
            Some(Crown::Secret),
        );
        out.secrets.push(id);
    }
    for run in &model.gcp.run_services {
        let id = b.object(
            NodeKind::Workload,
            &run.meta,
            format!("Cloud Run service {}", run.meta.address),
            None,
        );
        out.run_services.push(id);
    }
    // Service accounts are known by the e-mails grants and VMs name.
    let emails = model
        .gcp
        .iam_grants
        .iter()
        .flat_map(|g| &g.members)
        .filter_map(|m| m.get());
    for m in emails {
        if let Some(email) = (GCP_MEMBER_SERVICE_ACCOUNT.extract)(m) {
            service_account(b, &email);
        }
    }
    out
}

/// The node of a service account e-mail.
pub(crate) fn service_account(b: &mut Builder, email: &str) -> NodeId {
    if let Some(&id) = b.joins.resolve(&GCP_MEMBER_SERVICE_ACCOUNT, email).first() {
        return id;
    }
    let id = b.named(
        NodeKind::Identity,
        format!("gcp-service-account:{email}"),
        format!("service account {email}"),
        None,
    );
    b.joins.register(JoinTarget::GcpServiceAccount, email, id);
    id
}

/// The node of the service account a value names: its e-mail when known, else the
/// `google_service_account` it references (`serviceAccount:${google_service_account.x.email}`),
/// keyed by that address.
pub(crate) fn service_account_of<T>(
    b: &mut Builder,
    v: &Value<T>,
    known: Option<&str>,
) -> Option<NodeId> {
    if let Some(s) = known {
        return (GCP_MEMBER_SERVICE_ACCOUNT.extract)(s).map(|e| service_account(b, &e));
    }
    if v.get().is_some() {
        return None;
    }
    let address = v
        .segment_references()
        .map(|(a, _)| a)
        .find(|a| a.starts_with("google_service_account."))?;
    Some(b.named(
        NodeKind::Identity,
        format!("gcp-service-account:{address}"),
        format!("service account {address}"),
        None,
    ))
}

/// What a role gives on a bucket: from `trustmap_iam`'s classification when it knows the
/// role (storage data roles, basic roles), else nothing.
fn storage_level(class: Option<&trustmap_iam::RoleClass>) -> Option<AccessLevel> {
    let class = class?;
    if !class.services.includes("storage") {
        return None;
    }
    match class.access {
        IamAccess::Permissions => Some(AccessLevel::Admin),
        IamAccess::Write => Some(AccessLevel::Write),
        IamAccess::Read if class.data => Some(AccessLevel::Read),
        _ => None,
    }
}

pub(crate) fn edges(b: &mut Builder, model: &Model, n: &GcpNodes) {
    for vm in &model.gcp.vm_identities {
        let Some(sa) = &vm.service_account else {
            continue;
        };
        let Some(email) = sa.email.get() else {
            continue;
        };
        if (GCP_MEMBER_SERVICE_ACCOUNT.extract)(email).is_none() {
            continue;
        }
        let sid = service_account(b, email);
        let wid = b.object(
            NodeKind::Workload,
            &vm.meta,
            format!("VM {}", vm.meta.address),
            None,
        );
        b.g.add_edge(
            wid,
            sid,
            Edge::new(
                Relation::RunsAs,
                "The VM's metadata server hands out this service account's tokens.",
                Some(sa.span),
            ),
        );
    }
    super::gcp_run::edges(b, model, n);
    for grant in &model.gcp.iam_grants {
        let Some(role) = grant.role.get() else {
            continue;
        };
        if super::gcp_run::special_grant(b, model, n, grant, role) {
            continue;
        }
        let conditions: Vec<String> = super::shown_conditions(grant.condition.as_ref());
        for member in &grant.members {
            let Some(who) = super::gcp_run::holder(b, member) else {
                continue;
            };
            let m = super::gcp_run::member_text(member);
            let class = trustmap_iam::gcp::classify(role);
            let all = class
                .as_ref()
                .is_some_and(|c| c.services == trustmap_iam::Services::All);
            let escalation = class.as_ref().is_some_and(|c| c.escalation);
            if grant.on.is_hierarchy() && (is_basic_write_role(role) || escalation) {
                let relation = if all
                    && class
                        .as_ref()
                        .is_some_and(|c| c.access == IamAccess::Permissions)
                {
                    Relation::Administers
                } else {
                    Relation::Escalates
                };
                let admin = b.synthetic(Synthetic::GcpAdmin);
                b.g.add_edge(
                    who,
                    admin,
                    Edge::new(
                        relation,
                        format!(
                            "`{role}` on the {} lets its holder control everything in it, or act as identities that do.",
                            grant.on.as_str()
                        ),
                        Some(member.span),
                    )
                    .with_conditions(conditions.clone())
                    .with_access(Access {
                        level: AccessLevel::Admin,
                        actions: vec![role.clone()],
                    }),
                );
                continue;
            }
            if grant.on.is_hierarchy() {
                super::gcp_run::hierarchy_secret_access(b, n, who, grant, role, member);
            }
            let Some(level) = storage_level(class.as_ref()) else {
                continue;
            };
            let buckets: Vec<NodeId> = match grant.on {
                GrantTarget::Bucket => grant
                    .target
                    .target
                    .and_then(|i| n.buckets.get(i).copied())
                    .into_iter()
                    .collect(),
                t if t.is_hierarchy() => n.buckets.clone(),
                _ => Vec::new(),
            };
            for bucket in buckets {
                b.g.add_edge(
                    who,
                    bucket,
                    Edge::new(
                        level.relation(),
                        format!(
                            "`{role}` granted to `{m}` gives {} access to the bucket.",
                            level.as_str()
                        ),
                        Some(member.span),
                    )
                    .with_conditions(conditions.clone())
                    .with_access(Access {
                        level,
                        actions: vec![role.clone()],
                    }),
                );
            }
        }
    }
}
