//! Role assignments, custom role definitions and federated identity credentials.

use trustmap_model::Value;
use trustmap_model::azure::authorization::{
    FederatedCredential, RoleAssignment, RoleDefinition, ScopeLevel, privileged_role_of_id,
};
use trustmap_source::{Via, ViaKind};
use trustmap_syntax::Node;
use trustmap_terraform::{Mode, TfResource};

use super::Index;
use crate::terraform_read::{self as read, Blocks, attr, blocks, meta};

/// Federated identity credential resource types (azurerm for managed identities, azuread
/// for app registrations).
const FEDERATED: &[&str] = &[
    "azurerm_federated_identity_credential",
    "azuread_application_federated_identity_credential",
];

pub(super) fn adapt(
    index: &Index<'_>,
) -> (
    Vec<RoleAssignment>,
    Vec<RoleDefinition>,
    Vec<FederatedCredential>,
) {
    let assignments = index
        .managed("azurerm_role_assignment")
        .iter()
        .map(|r| {
            let (scope, scope_text) = match attr(&r.body, "scope") {
                Some(n) => scope(n, index),
                None => (Value::unknown(r.span), None),
            };
            RoleAssignment {
                meta: meta(r),
                scope,
                scope_text,
                role: role(r, index),
                condition: attr(&r.body, "condition").map(read::string),
                principal: attr(&r.body, "principal_id").map(super::identity::principal),
            }
        })
        .collect();
    let definitions = index
        .managed("azurerm_role_definition")
        .iter()
        .map(|r| {
            let mut actions = Vec::new();
            let mut not_actions = Vec::new();
            match blocks(&r.body, "permissions") {
                Blocks::Unknown(span) => actions.push(Value::unknown(span)),
                other => {
                    for p in other.known() {
                        actions.extend(read::strings_at(p, "actions"));
                        not_actions.extend(read::strings_at(p, "not_actions"));
                    }
                }
            }
            RoleDefinition {
                meta: meta(r),
                name: read::string_at(&r.body, "name", r.span),
                actions,
                not_actions,
                assignable_scopes: read::strings_at(&r.body, "assignable_scopes"),
            }
        })
        .collect();
    let mut federated = Vec::new();
    for rtype in FEDERATED {
        for r in index.managed(rtype) {
            federated.push(FederatedCredential {
                meta: meta(r),
                issuer: read::string_at(&r.body, "issuer", r.span),
                subject: read::string_at(&r.body, "subject", r.span),
                parent: index.link_any(
                    super::Target::UserAssignedIdentity,
                    &r.body,
                    &["parent_id"],
                    r.span,
                ),
            });
        }
    }
    (assignments, definitions, federated)
}

/// The level of a scope: parsed from an ID, or known from the kind of resource a reference
/// points at (`data.azurerm_subscription.current.id` is a subscription).
fn scope(n: &Node, index: &Index<'_>) -> (Value<ScopeLevel>, Option<String>) {
    if let Some((address, attribute)) = n.as_ref_target() {
        let level = index
            .resource(address)
            .filter(|_| attribute == "id")
            .and_then(level_of_resource);
        let v = match level {
            Some(l) => Value::explicit(l, n.span).with_via(n.via.clone()),
            None => Value::unknown(n.span),
        };
        return (v, Some(address.to_string()));
    }
    let v = read::string(n);
    let text = v.get().cloned();
    let level = match v.get().map(|s| ScopeLevel::of_id(s)) {
        Some(Some(l)) => Value::explicit(l, v.span).with_via(v.via.clone()),
        _ => Value::unknown(v.span),
    };
    (level, text)
}

fn level_of_resource(r: &TfResource) -> Option<ScopeLevel> {
    Some(match (r.mode, r.rtype.as_str()) {
        (Mode::Data, "azurerm_subscription") | (Mode::Managed, "azurerm_subscription") => {
            ScopeLevel::Subscription
        }
        (_, "azurerm_management_group") => ScopeLevel::ManagementGroup,
        (_, "azurerm_resource_group") => ScopeLevel::ResourceGroup,
        (Mode::Managed, _) => ScopeLevel::Resource,
        (Mode::Data, _) => return None,
    })
}

/// The role's name, from `role_definition_name`, a built-in role definition ID, or the
/// `azurerm_role_definition` (data source or custom role) a `role_definition_id` references.
fn role(r: &TfResource, index: &Index<'_>) -> Value<String> {
    if let Some(n) = attr(&r.body, "role_definition_name") {
        return read::string(n);
    }
    let Some(n) = attr(&r.body, "role_definition_id") else {
        return Value::unknown(r.span);
    };
    if let Some((address, _)) = n.as_ref_target() {
        let name = index
            .resource(address)
            .filter(|d| d.rtype == "azurerm_role_definition")
            .and_then(|d| {
                let by_name = attr(&d.body, "name")
                    .and_then(Node::as_str)
                    .map(str::to_string);
                let by_id = || {
                    attr(&d.body, "role_definition_id")
                        .and_then(Node::as_str)
                        .and_then(privileged_role_of_id)
                        .map(str::to_string)
                };
                Some((by_name.or_else(by_id)?, d))
            });
        return match name {
            Some((name, d)) => {
                let mut via = vec![Via {
                    kind: ViaKind::Other {
                        note: format!("role definition `{}`", d.address),
                    },
                    span: d.span,
                }];
                via.extend(n.via.iter().cloned());
                Value::explicit(name, n.span).with_via(via)
            }
            None => Value::unknown(n.span),
        };
    }
    let v = read::string(n);
    match v.get().map(|id| privileged_role_of_id(id)) {
        Some(Some(name)) => Value::explicit(name.to_string(), v.span).with_via(v.via.clone()),
        // A role ID that is not one of the privileged built-ins: keep the ID.
        Some(None) => v,
        None => v,
    }
}
