//! Azure RBAC (role assignments and custom role definitions) and federated identity
//! credentials (workload identity federation for user-assigned identities and app
//! registrations).

use crate::{ResourceMeta, Value};

/// How far up the management hierarchy a scope is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
pub enum ScopeLevel {
    Resource,
    ResourceGroup,
    Subscription,
    ManagementGroup,
    /// `/`: the tenant root.
    Root,
}

impl ScopeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeLevel::Resource => "resource",
            ScopeLevel::ResourceGroup => "resource group",
            ScopeLevel::Subscription => "subscription",
            ScopeLevel::ManagementGroup => "management group",
            ScopeLevel::Root => "tenant root",
        }
    }

    /// The level of a scope ID: `/`, `/providers/Microsoft.Management/managementGroups/x`,
    /// `/subscriptions/x`, `/subscriptions/x/resourceGroups/y`, or anything below.
    pub fn of_id(id: &str) -> Option<ScopeLevel> {
        let id = id.trim();
        if id == "/" {
            return Some(ScopeLevel::Root);
        }
        let parts: Vec<&str> = id
            .trim_end_matches('/')
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [p, m, g, _]
                if p.eq_ignore_ascii_case("providers")
                    && m.eq_ignore_ascii_case("Microsoft.Management")
                    && g.eq_ignore_ascii_case("managementGroups") =>
            {
                Some(ScopeLevel::ManagementGroup)
            }
            [s, _] if s.eq_ignore_ascii_case("subscriptions") => Some(ScopeLevel::Subscription),
            [s, _, r, _]
                if s.eq_ignore_ascii_case("subscriptions")
                    && r.eq_ignore_ascii_case("resourceGroups") =>
            {
                Some(ScopeLevel::ResourceGroup)
            }
            [s, _, ..] if s.eq_ignore_ascii_case("subscriptions") && parts.len() > 4 => {
                Some(ScopeLevel::Resource)
            }
            [p, ..] if p.eq_ignore_ascii_case("providers") && parts.len() > 4 => {
                Some(ScopeLevel::Resource)
            }
            _ => None,
        }
    }
}

/// An `azurerm_role_assignment`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RoleAssignment {
    pub meta: ResourceMeta,
    /// The level of `scope`; a reference to `data.azurerm_subscription`'s `id` is a
    /// subscription, to an `azurerm_resource_group` a resource group, and so on.
    pub scope: Value<ScopeLevel>,
    /// What `scope` names (an ID, or the referenced address), for messages.
    pub scope_text: Option<String>,
    /// The role's name: `role_definition_name`, or the built-in role a
    /// `role_definition_id` denotes (directly, or through `data.azurerm_role_definition`).
    pub role: Value<String>,
    /// `condition`: an ABAC condition that narrows the assignment.
    pub condition: Option<Value<String>>,
    /// `principal_id`: who receives the role.
    pub principal: Option<crate::azure::identity::PrincipalRef>,
}

/// Built-in roles that control every resource in their scope, with their fixed IDs.
pub const PRIVILEGED_BUILT_IN_ROLES: &[(&str, &str)] = &[
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    (
        "User Access Administrator",
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    ),
    (
        "Role Based Access Control Administrator",
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    ),
];

/// The built-in role a role definition ID (`…/roleDefinitions/<guid>` or the GUID) denotes,
/// among [`PRIVILEGED_BUILT_IN_ROLES`].
pub fn privileged_role_of_id(id: &str) -> Option<&'static str> {
    let guid = id.trim().rsplit('/').next()?;
    PRIVILEGED_BUILT_IN_ROLES
        .iter()
        .find(|(_, g)| g.eq_ignore_ascii_case(guid))
        .map(|(name, _)| *name)
}

/// An `azurerm_role_definition` (a custom role).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RoleDefinition {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// `permissions.actions`, over every `permissions` block.
    pub actions: Vec<Value<String>>,
    /// `permissions.not_actions`.
    pub not_actions: Vec<Value<String>>,
    pub assignable_scopes: Vec<Value<String>>,
}

/// A federated identity credential: `azurerm_federated_identity_credential` (for a
/// user-assigned managed identity) or `azuread_application_federated_identity_credential`
/// (for an app registration).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FederatedCredential {
    pub meta: ResourceMeta,
    pub issuer: Value<String>,
    /// Matched exactly against the token's `sub` claim (Azure supports no wildcards here).
    pub subject: Value<String>,
    /// `parent_id`: the user-assigned identity the credential signs in as (`target` indexes
    /// `Azure::user_assigned_identities`); unknown for app registrations.
    pub parent: crate::Link,
}

/// The GitHub Actions OIDC issuer (also with an enterprise-specific path).
pub fn is_github_actions_issuer(issuer: &str) -> bool {
    let rest = issuer
        .trim()
        .strip_prefix("https://token.actions.githubusercontent.com");
    matches!(rest, Some(r) if r.is_empty() || r.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_levels() {
        assert_eq!(ScopeLevel::of_id("/"), Some(ScopeLevel::Root));
        assert_eq!(
            ScopeLevel::of_id("/subscriptions/0000"),
            Some(ScopeLevel::Subscription)
        );
        assert_eq!(
            ScopeLevel::of_id("/subscriptions/0000/"),
            Some(ScopeLevel::Subscription)
        );
        assert_eq!(
            ScopeLevel::of_id("/subscriptions/0000/resourceGroups/rg"),
            Some(ScopeLevel::ResourceGroup)
        );
        assert_eq!(
            ScopeLevel::of_id(
                "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
            ),
            Some(ScopeLevel::Resource)
        );
        assert_eq!(
            ScopeLevel::of_id("/providers/Microsoft.Management/managementGroups/mg"),
            Some(ScopeLevel::ManagementGroup)
        );
        assert_eq!(ScopeLevel::of_id("not-a-scope"), None);
    }

    #[test]
    fn built_in_roles_and_issuers() {
        assert_eq!(
            privileged_role_of_id(
                "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/8E3AF657-A8FF-443C-A75C-2FE8C4BCB635"
            ),
            Some("Owner")
        );
        assert_eq!(
            privileged_role_of_id("acdd72a7-3385-48ef-bd42-f606fba81ae7"),
            None
        );
        assert!(is_github_actions_issuer(
            "https://token.actions.githubusercontent.com"
        ));
        assert!(is_github_actions_issuer(
            "https://token.actions.githubusercontent.com/acme"
        ));
        assert!(!is_github_actions_issuer(
            "https://token.actions.githubusercontent.com.evil.test"
        ));
    }
}
