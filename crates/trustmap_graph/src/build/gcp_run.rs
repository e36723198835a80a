//! Google Cloud, beyond buckets: Cloud Run services (public invokers, runtime service
//! accounts), Secret Manager secrets and their grants, and workload identity federation
//! (`roles/iam.workloadIdentityUser` granted to a pool's `principalSet://`).

use trustmap_iam::{Access as IamAccess, Caller, TrustDecision};
use trustmap_model::Model;
use trustmap_model::Value;
use trustmap_model::gcp::iam::{Grant, GrantTarget};
use trustmap_model::gcp::is_public_principal;

use super::gcp::{GcpNodes, service_account};
use super::{Builder, Synthetic};
use crate::graph::NodeId;
use crate::joins::{CLOUD_RUN_SERVICE_ACCOUNT, GCP_MEMBER_SERVICE_ACCOUNT};
use crate::types::{Access, AccessLevel, Edge, Relation};

/// Cloud Run services: `runs-as` their service account, exposed when IAM is skipped.
pub(crate) fn edges(b: &mut Builder, model: &Model, n: &GcpNodes) {
    for (run, &wid) in model.gcp.run_services.iter().zip(&n.run_services) {
        let known = run.service_account.get().map(|e| e.as_deref());
        if known != Some(None)
            && let Some(sid) = super::gcp::service_account_of(
                b,
                &run.service_account,
                known
                    .flatten()
                    .filter(|e| (CLOUD_RUN_SERVICE_ACCOUNT.extract)(e).is_some()),
            )
        {
            b.g.add_edge(
                wid,
                sid,
                Edge::new(
                    Relation::RunsAs,
                    "The service's containers get this service account's tokens from the metadata server.",
                    Some(run.service_account.span),
                ),
            );
        }
        if run.invoker_iam_disabled.is_true() {
            let internet = b.synthetic(Synthetic::Internet);
            b.g.add_edge(
                internet,
                wid,
                Edge::new(
                    Relation::Exposes,
                    "`invoker_iam_disabled` skips the invoker check: anyone who reaches the URL calls the service.",
                    Some(run.invoker_iam_disabled.span),
                ),
            );
        }
    }
}

/// Grants on a Cloud Run service, a secret or a service account; `true` when handled.
pub(crate) fn special_grant(
    b: &mut Builder,
    model: &Model,
    n: &GcpNodes,
    grant: &Grant,
    role: &str,
) -> bool {
    match grant.on {
        GrantTarget::CloudRunService => {
            public_invoker(b, n, grant, role);
            true
        }
        GrantTarget::Secret => {
            secret_grant(b, n, grant, role);
            true
        }
        GrantTarget::ServiceAccount => {
            federation(b, model, grant, role);
            true
        }
        _ => false,
    }
}

/// `allUsers` (or `allAuthenticatedUsers`) with `roles/run.invoker`: the internet calls it.
fn public_invoker(b: &mut Builder, n: &GcpNodes, grant: &Grant, role: &str) {
    if role != "roles/run.invoker" {
        return;
    }
    let Some(&service) = grant.target.target.and_then(|i| n.run_services.get(i)) else {
        return;
    };
    for member in &grant.members {
        let Some(m) = member.get() else { continue };
        if !is_public_principal(m) {
            continue;
        }
        let internet = b.synthetic(Synthetic::Internet);
        b.g.add_edge(
            internet,
            service,
            Edge::new(
                Relation::Exposes,
                format!(
                    "`{m}` holds `roles/run.invoker`: anyone on the internet calls the service."
                ),
                Some(member.span),
            ),
        );
    }
}

/// What a role gives on a secret.
fn secret_level(role: &str) -> Option<AccessLevel> {
    let class = trustmap_iam::gcp::classify(role)?;
    if !class.services.includes("secretmanager") {
        return None;
    }
    match class.access {
        IamAccess::Permissions => Some(AccessLevel::Admin),
        IamAccess::Write if class.data => Some(AccessLevel::Write),
        IamAccess::Read if class.data => Some(AccessLevel::Read),
        _ => None,
    }
}

fn conditions(grant: &Grant) -> Vec<String> {
    super::shown_conditions(grant.condition.as_ref())
}

fn secret_edge(
    b: &mut Builder,
    who: NodeId,
    secret: NodeId,
    grant: &Grant,
    role: &str,
    member: &Value<String>,
) {
    let Some(level) = secret_level(role) else {
        return;
    };
    let m = member_text(member);
    b.g.add_edge(
        who,
        secret,
        Edge::new(
            level.relation(),
            format!(
                "`{role}` granted to `{m}` on the {} gives {} access to the secret.",
                grant.on.as_str(),
                level.as_str()
            ),
            Some(member.span),
        )
        .with_conditions(conditions(grant))
        .with_access(Access {
            level,
            actions: vec![role.to_string()],
        }),
    );
}

/// The holder of a member: the internet for public members, else a service account (by
/// e-mail, or by the `google_service_account` a computed member references).
pub(crate) fn holder(b: &mut Builder, member: &Value<String>) -> Option<NodeId> {
    let m = member.get().map(String::as_str);
    if m.is_some_and(is_public_principal) {
        return Some(b.synthetic(Synthetic::Internet));
    }
    super::gcp::service_account_of(b, member, m)
}

/// A member for messages: as written, or the reference it is computed from.
pub(crate) fn member_text(member: &Value<String>) -> String {
    member.get().cloned().unwrap_or_else(|| {
        member.segment_references().next().map_or_else(
            || "unknown".to_string(),
            |(a, _)| format!("serviceAccount:${{{a}.email}}"),
        )
    })
}

fn secret_grant(b: &mut Builder, n: &GcpNodes, grant: &Grant, role: &str) {
    let Some(&secret) = grant.target.target.and_then(|i| n.secrets.get(i)) else {
        return;
    };
    for member in &grant.members {
        let Some(who) = holder(b, member) else {
            continue;
        };
        secret_edge(b, who, secret, grant, role, member);
    }
}

/// A Secret Manager role on the project (or above) reaches every secret of the scan.
pub(crate) fn hierarchy_secret_access(
    b: &mut Builder,
    n: &GcpNodes,
    who: NodeId,
    grant: &Grant,
    role: &str,
    member: &Value<String>,
) {
    for &secret in &n.secrets {
        secret_edge(b, who, secret, grant, role, member);
    }
}

/// The e-mail a `service_account_id` names: `projects/p/serviceAccounts/EMAIL` or `EMAIL`.
fn service_account_email(text: &str) -> Option<String> {
    let email = text.rsplit("serviceAccounts/").next().unwrap_or(text);
    (GCP_MEMBER_SERVICE_ACCOUNT.extract)(email)
}

/// `roles/iam.workloadIdentityUser` on a service account for a whole pool
/// (`principalSet://…/workloadIdentityPools/POOL/*`): every token a GitHub provider of the
/// scan accepts can act as the account. Members narrowed to one repository or subject
/// (`…/attribute.repository/OWNER/REPO`, `principal://…/subject/…`) give no edge from any
/// repository.
fn federation(b: &mut Builder, model: &Model, grant: &Grant, role: &str) {
    if role != "roles/iam.workloadIdentityUser" {
        return;
    }
    let Some(email) = grant.target.text.as_deref().and_then(service_account_email) else {
        return;
    };
    for member in &grant.members {
        let Some(m) = member.get() else { continue };
        if !(m.starts_with("principalSet://") && m.ends_with("/*")) {
            continue;
        }
        let pool = m
            .split("/workloadIdentityPools/")
            .nth(1)
            .and_then(|p| p.split('/').next())
            .unwrap_or_default();
        let any = Caller::any_github_repository();
        let admitting = model.gcp.workload_identity_providers.iter().find(|p| {
            let in_pool = p.pool.get().is_none_or(|x| x == pool);
            in_pool
                && matches!(
                    trustmap_iam::federation::gcp_provider_admits(p, &any),
                    TrustDecision::Allowed(_)
                )
        });
        let Some(provider) = admitting else { continue };
        let sid = service_account(b, &email);
        let source = b.synthetic(Synthetic::AnyGithubRepo);
        b.g.add_edge(
            source,
            sid,
            Edge::new(
                Relation::CanAssume,
                format!(
                    "`{m}` may act as the service account, and the pool's provider `{}` accepts any repository's GitHub token (no narrowing `attribute_condition`).",
                    provider.meta.address
                ),
                Some(member.span),
            )
            .with_conditions(conditions(grant)),
        );
    }
}
