//! Azure: web apps and the managed identities they run as, user-assigned identities signed
//! into by federated credentials, and what role assignments give those identities on the
//! storage accounts and key vaults of the scan (classified by `trustmap_iam::azure`).

use trustmap_iam::{Access as IamAccess, Caller, RoleClass, Services, TrustDecision};
use trustmap_model::Model;
use trustmap_model::azure::Azure;
use trustmap_model::azure::authorization::{
    FederatedCredential, RoleAssignment, ScopeLevel, is_github_actions_issuer,
};
use trustmap_model::azure::identity::ManagedIdentity;
use trustmap_model::gha::CloudRole;

use super::{Builder, Synthetic};
use crate::graph::NodeId;
use crate::joins::{AZURE_FEDERATED_SUBJECT, AZURE_PRINCIPAL_ID, JoinTarget};
use crate::types::{Access, AccessLevel, Crown, Edge, Node, NodeKind, Relation, Sensitivity};

/// The Azure nodes others join to.
#[derive(Default)]
pub(crate) struct AzureNodes {
    /// Storage accounts then key vaults, by address, with their resource provider.
    stores: Vec<(String, &'static str, NodeId)>,
    /// `Azure::user_assigned_identities` in order.
    identities: Vec<NodeId>,
}

const STORAGE: &str = "Microsoft.Storage";
const KEY_VAULT: &str = "Microsoft.KeyVault";

pub(crate) fn nodes(b: &mut Builder, model: &Model) -> AzureNodes {
    let az = &model.azure;
    let mut out = AzureNodes::default();
    for sa in &az.storage_accounts {
        let name = sa
            .name
            .get()
            .cloned()
            .unwrap_or_else(|| sa.meta.address.clone());
        let id = b.object(
            NodeKind::Data,
            &sa.meta,
            format!("storage account {name}"),
            Some(Crown::Data {
                sensitivity: Sensitivity::Medium,
            }),
        );
        out.stores.push((sa.meta.address.clone(), STORAGE, id));
    }
    for kv in &az.key_vaults {
        let id = b.object(
            NodeKind::Secret,
            &kv.meta,
            format!("key vault {}", kv.meta.address),
            Some(Crown::Secret),
        );
        out.stores.push((kv.meta.address.clone(), KEY_VAULT, id));
    }
    for ui in &az.user_assigned_identities {
        let name = ui
            .name
            .get()
            .cloned()
            .unwrap_or_else(|| ui.meta.address.clone());
        let id = b.object(
            NodeKind::Identity,
            &ui.meta,
            format!("managed identity {name}"),
            None,
        );
        b.joins
            .register(JoinTarget::AzureIdentity, &ui.meta.address, id);
        out.identities.push(id);
    }
    out
}

/// The system-assigned identity of `address`: a node of its own, `address#identity`.
fn system_identity(b: &mut Builder, address: &str, what: &str, mi: &ManagedIdentity) -> NodeId {
    b.g.add_node(Node {
        kind: NodeKind::Identity,
        key: format!("{address}#identity"),
        label: format!("system-assigned identity of {what} {address}"),
        resource: Some(address.to_string()),
        span: Some(mi.span),
        crown: None,
    })
}

pub(crate) fn edges(b: &mut Builder, model: &Model, n: &mut AzureNodes) {
    let az = &model.azure;
    for app in &az.web_apps {
        let what = app.kind.as_str();
        let wid = b.object(
            NodeKind::Workload,
            &app.meta,
            format!("{what} {}", app.meta.address),
            None,
        );
        if app.public_network_access.get() != Some(&false) && !app.ip_restricted {
            let internet = b.synthetic(Synthetic::Internet);
            b.g.add_edge(
                internet,
                wid,
                Edge::new(
                    Relation::Exposes,
                    format!(
                        "The {what} answers on its public `azurewebsites.net` address from any network (no `ip_restriction`, public network access on)."
                    ),
                    Some(app.public_network_access.span),
                ),
            );
        }
        if let Some(mi) = &app.identity {
            runs_as(b, n, wid, &app.meta.address, what, mi);
        }
    }
    for aks in &az.aks_clusters {
        if let Some(mi) = &aks.identity
            && mi.system_assigned()
        {
            let id = system_identity(b, &aks.meta.address, "AKS cluster", mi);
            b.joins
                .register(JoinTarget::AzureIdentity, &aks.meta.address, id);
        }
    }
    for ra in &az.role_assignments {
        assignment(b, az, n, ra);
    }
    for cred in &az.federated_credentials {
        let Some(&identity) = cred.parent.target.and_then(|i| n.identities.get(i)) else {
            continue;
        };
        kubernetes_subject(b, cred, identity);
        if !cred
            .issuer
            .get()
            .is_some_and(|i| is_github_actions_issuer(i))
        {
            continue;
        }
        if let TrustDecision::Allowed(e) = trustmap_iam::federation::azure_credential_admits(
            cred,
            &Caller::any_github_repository(),
        ) {
            let any = b.synthetic(Synthetic::AnyGithubRepo);
            let conditions = if e.conditional {
                e.conditions.clone()
            } else {
                Vec::new()
            };
            b.g.add_edge(
                any,
                identity,
                Edge::new(
                    Relation::CanAssume,
                    "The federated credential accepts a GitHub Actions token any repository can obtain.",
                    Some(cred.subject.span),
                )
                .with_conditions(conditions),
            );
        }
    }
}

/// AKS workload identity: a credential whose subject is a Kubernetes service account lets
/// that account's pods (with the `azure.workload.identity/use` label) sign in as the identity.
fn kubernetes_subject(b: &mut Builder, cred: &FederatedCredential, identity: NodeId) {
    let Some(subject) = cred.subject.get() else {
        return;
    };
    for sa in b.joins.resolve(&AZURE_FEDERATED_SUBJECT, subject) {
        let why = format!(
            "The federated credential accepts this service account's projected token: its pods sign in as {}.",
            b.g.node(identity).label
        );
        b.g.add_edge(
            sa,
            identity,
            Edge::new(Relation::CanAssume, why, Some(cred.subject.span)),
        );
    }
}

/// The app's (or cluster's) `runs-as` edges: its own principal and its user-assigned ones.
fn runs_as(
    b: &mut Builder,
    n: &mut AzureNodes,
    wid: NodeId,
    address: &str,
    what: &str,
    mi: &ManagedIdentity,
) {
    let mut targets = Vec::new();
    if mi.system_assigned() {
        let id = system_identity(b, address, what, mi);
        b.joins.register(JoinTarget::AzureIdentity, address, id);
        targets.push((id, mi.kind.span));
    }
    for link in &mi.identity_ids {
        if let Some(&id) = link.target.and_then(|i| n.identities.get(i)) {
            targets.push((id, link.span));
        }
    }
    for (id, span) in targets {
        b.g.add_edge(
            wid,
            id,
            Edge::new(
                Relation::RunsAs,
                format!(
                    "Code in the {what} gets this managed identity's tokens from its local identity endpoint."
                ),
                Some(span),
            ),
        );
    }
}

/// A role's class: a built-in role by name, else the custom role of that name in the scan.
fn class_of(az: &Azure, role: &str) -> Option<RoleClass> {
    trustmap_iam::azure::classify(role).or_else(|| {
        let def = az
            .role_definitions
            .iter()
            .find(|d| d.name.get().is_some_and(|n| n == role))?;
        trustmap_iam::azure::classify_custom(&def.actions, &def.not_actions)
    })
}

/// What a role gives on a store of `provider`.
fn level(class: &RoleClass, provider: &str) -> Option<AccessLevel> {
    if !class.services.includes(provider) {
        return None;
    }
    match class.access {
        IamAccess::Permissions => Some(AccessLevel::Admin),
        IamAccess::Write if class.data => Some(AccessLevel::Write),
        IamAccess::Read if class.data => Some(AccessLevel::Read),
        _ => None,
    }
}

/// The stores a scope covers: the referenced account, vault or container's account; every
/// store of the scan for a resource group or anything above; by name for a literal ID.
fn covered(az: &Azure, n: &AzureNodes, ra: &RoleAssignment) -> Vec<(&'static str, NodeId)> {
    let Some(text) = ra.scope_text.as_deref() else {
        return Vec::new();
    };
    let level = ra.scope.get().copied();
    if level.is_some_and(|l| l >= ScopeLevel::ResourceGroup) {
        return n.stores.iter().map(|(_, p, id)| (*p, *id)).collect();
    }
    // A container: its storage account.
    let account = az
        .storage_containers
        .iter()
        .find(|c| c.meta.address == text)
        .and_then(|c| c.account.target)
        .and_then(|i| az.storage_accounts.get(i))
        .map(|a| a.meta.address.as_str());
    let wanted = account.unwrap_or(text);
    let by_address: Vec<_> = n
        .stores
        .iter()
        .filter(|(a, ..)| a == wanted)
        .map(|(_, p, id)| (*p, *id))
        .collect();
    if !by_address.is_empty() || !text.starts_with('/') {
        return by_address;
    }
    // A literal resource ID: the store of that provider whose name ends it.
    let provider = trustmap_iam::azure::provider_of(text).unwrap_or_default();
    let name = text
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(text);
    az.storage_accounts
        .iter()
        .filter(|_| provider.eq_ignore_ascii_case(STORAGE))
        .filter(|a| a.name.get().is_some_and(|x| x.eq_ignore_ascii_case(name)))
        .map(|a| a.meta.address.as_str())
        .chain(
            az.key_vaults
                .iter()
                .filter(|_| provider.eq_ignore_ascii_case(KEY_VAULT))
                .filter(|v| v.meta.address.rsplit('.').next() == Some(name))
                .map(|v| v.meta.address.as_str()),
        )
        .filter_map(|a| n.stores.iter().find(|(x, ..)| x == a))
        .map(|(_, p, id)| (*p, *id))
        .collect()
}

fn assignment(b: &mut Builder, az: &Azure, n: &AzureNodes, ra: &RoleAssignment) {
    let Some(p) = &ra.principal else { return };
    let Some(who) = p
        .address
        .as_ref()
        .and_then(|a| b.joins.resolve(&AZURE_PRINCIPAL_ID, a).first().copied())
    else {
        return;
    };
    let Some(role) = ra.role.get() else { return };
    let Some(class) = class_of(az, role) else {
        return;
    };
    let conditions: Vec<String> = super::shown_conditions(ra.condition.as_ref());
    let scope = ra.scope_text.as_deref().unwrap_or("an unknown scope");
    let hierarchy = ra
        .scope
        .get()
        .is_some_and(|l| *l >= ScopeLevel::ResourceGroup);
    if hierarchy
        && class.services == Services::All
        && (class.access == IamAccess::Permissions || class.escalation)
    {
        let admin = b.synthetic(Synthetic::AzureAdmin);
        b.g.add_edge(
            who,
            admin,
            Edge::new(
                Relation::Administers,
                format!("`{role}` on `{scope}` lets its holder control everything in it and grant access to it."),
                Some(ra.role.span),
            )
            .with_conditions(conditions.clone())
            .with_access(Access {
                level: AccessLevel::Admin,
                actions: vec![role.clone()],
            }),
        );
        return;
    }
    for (provider, store) in covered(az, n, ra) {
        let Some(level) = level(&class, provider) else {
            continue;
        };
        let label = b.g.node(store).label.clone();
        b.g.add_edge(
            who,
            store,
            Edge::new(
                level.relation(),
                format!(
                    "`{role}` on `{scope}` gives {} access to {label}.",
                    level.as_str()
                ),
                Some(ra.role.span),
            )
            .with_conditions(conditions.clone())
            .with_access(Access {
                level,
                actions: vec![role.clone()],
            }),
        );
    }
}

/// A GitHub Actions job that signs in with `azure/login`: the user-assigned identities
/// whose federated credentials accept one of the job's tokens (`client-id` is rarely
/// joinable — usually a secret — so the credential's subject decides).
pub(crate) fn job_signs_in(
    b: &mut Builder,
    model: &Model,
    n: &AzureNodes,
    job: NodeId,
    role: &CloudRole,
    callers: &[Caller],
) {
    for cred in &model.azure.federated_credentials {
        let Some(&identity) = cred.parent.target.and_then(|i| n.identities.get(i)) else {
            continue;
        };
        if !cred
            .issuer
            .get()
            .is_some_and(|i| is_github_actions_issuer(i))
        {
            continue;
        }
        let Some(conditions) = admits(cred, callers) else {
            continue;
        };
        let why = format!(
            "The job signs in with `azure/login` and its OIDC token matches the federated credential of {} (`{}`).",
            b.g.node(identity).label,
            cred.subject.get().map_or("unknown subject", String::as_str)
        );
        b.g.add_edge(
            job,
            identity,
            Edge::new(Relation::CanAssume, why, Some(role.principal.span))
                .with_conditions(conditions),
        );
    }
}

/// The conditions under which a credential admits one of the callers; `None` if it admits
/// none.
fn admits(cred: &FederatedCredential, callers: &[Caller]) -> Option<Vec<String>> {
    let mut unknown = None;
    for c in callers {
        match trustmap_iam::federation::azure_credential_admits(cred, c) {
            TrustDecision::Allowed(_) => return Some(Vec::new()),
            TrustDecision::Unknown { why, .. } => unknown = Some(vec![why]),
            TrustDecision::Denied => {}
        }
    }
    unknown
}
