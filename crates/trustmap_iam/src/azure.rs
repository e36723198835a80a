//! Azure RBAC: built-in roles classified to access levels, custom role definitions from
//! their `actions`/`not_actions` (with wildcards), and scope matching.
//!
//! Built-in roles, from Microsoft's "Azure built-in roles" reference:
//!
//! | role | access | services | data | escalation |
//! |---|---|---|---|---|
//! | Owner | Permissions | all | yes (can grant itself data roles) | yes |
//! | User Access Administrator, Role Based Access Control Administrator | Permissions | all | no | yes |
//! | Contributor | Write | all | yes (reads storage account keys) | yes (attaches any user-assigned identity to a VM it creates) |
//! | Reader | Read | all | no | no |
//! | Storage Account Contributor | Write | `Microsoft.Storage` | yes (account keys) | no |
//! | Storage Blob/Queue/Table Data Reader | Read | `Microsoft.Storage` | yes | no |
//! | Storage Blob/Queue/Table Data Contributor | Write | `Microsoft.Storage` | yes | no |
//! | Storage Blob Data Owner | Permissions | `Microsoft.Storage` | yes | no |
//! | Key Vault Administrator | Permissions | `Microsoft.KeyVault` | yes | no |
//! | Key Vault Secrets User, Key Vault Crypto User | Read | `Microsoft.KeyVault` | yes | no |
//! | Key Vault Secrets Officer, Key Vault Crypto Officer | Write | `Microsoft.KeyVault` | yes | no |
//! | Key Vault Reader | List | `Microsoft.KeyVault` | no | no |
//! | Managed Identity Operator | Write | `Microsoft.ManagedIdentity` | no | yes (assigns identities) |
//! | Virtual Machine Contributor | Write | `Microsoft.Compute` | no | no |
//! | AcrPull / AcrPush | Read / Write | `Microsoft.ContainerRegistry` | yes | no |

use trustmap_model::Value;

use crate::catalogue::Access;
use crate::glob;
use crate::role::{RoleClass, Services};

type Row = (&'static str, Access, Option<&'static str>, bool, bool);

const BUILT_IN: &[Row] = &[
    ("Owner", Access::Permissions, None, true, true),
    (
        "User Access Administrator",
        Access::Permissions,
        None,
        false,
        true,
    ),
    (
        "Role Based Access Control Administrator",
        Access::Permissions,
        None,
        false,
        true,
    ),
    ("Contributor", Access::Write, None, true, true),
    ("Reader", Access::Read, None, false, false),
    (
        "Storage Account Contributor",
        Access::Write,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Blob Data Reader",
        Access::Read,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Blob Data Contributor",
        Access::Write,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Blob Data Owner",
        Access::Permissions,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Queue Data Reader",
        Access::Read,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Queue Data Contributor",
        Access::Write,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Table Data Reader",
        Access::Read,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Storage Table Data Contributor",
        Access::Write,
        Some("Microsoft.Storage"),
        true,
        false,
    ),
    (
        "Key Vault Administrator",
        Access::Permissions,
        Some("Microsoft.KeyVault"),
        true,
        false,
    ),
    (
        "Key Vault Secrets User",
        Access::Read,
        Some("Microsoft.KeyVault"),
        true,
        false,
    ),
    (
        "Key Vault Secrets Officer",
        Access::Write,
        Some("Microsoft.KeyVault"),
        true,
        false,
    ),
    (
        "Key Vault Crypto User",
        Access::Read,
        Some("Microsoft.KeyVault"),
        true,
        false,
    ),
    (
        "Key Vault Crypto Officer",
        Access::Write,
        Some("Microsoft.KeyVault"),
        true,
        false,
    ),
    (
        "Key Vault Reader",
        Access::List,
        Some("Microsoft.KeyVault"),
        false,
        false,
    ),
    (
        "Managed Identity Operator",
        Access::Write,
        Some("Microsoft.ManagedIdentity"),
        false,
        true,
    ),
    (
        "Virtual Machine Contributor",
        Access::Write,
        Some("Microsoft.Compute"),
        false,
        false,
    ),
    (
        "AcrPull",
        Access::Read,
        Some("Microsoft.ContainerRegistry"),
        true,
        false,
    ),
    (
        "AcrPush",
        Access::Write,
        Some("Microsoft.ContainerRegistry"),
        true,
        false,
    ),
];

/// The class of a built-in role by name (case-insensitive); `None` when not in the table.
pub fn classify(role: &str) -> Option<RoleClass> {
    let (_, access, service, data, escalation) = BUILT_IN
        .iter()
        .find(|(n, ..)| n.eq_ignore_ascii_case(role.trim()))?;
    let services = service.map_or(Services::All, RoleClass::one);
    Some(RoleClass::new(*access, services, *data, *escalation))
}

/// Operations that change who may do what.
const PERMISSION_OPERATIONS: &[&str] = &[
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleDefinitions/write",
    "Microsoft.Authorization/elevateAccess/Action",
];

/// The class of a custom role from its `actions` and `not_actions` (wildcards `*`). `None`
/// when an element is unknown, so the role is never read as harmless.
pub fn classify_custom(
    actions: &[Value<String>],
    not_actions: &[Value<String>],
) -> Option<RoleClass> {
    let actions: Vec<&str> = actions
        .iter()
        .map(|a| a.get().map(String::as_str))
        .collect::<Option<_>>()?;
    let not_actions: Vec<&str> = not_actions
        .iter()
        .map(|a| a.get().map(String::as_str))
        .collect::<Option<_>>()?;
    let allowed = |op: &str| {
        actions.iter().any(|p| glob::matches(p, op, true))
            && !not_actions.iter().any(|p| glob::matches(p, op, true))
    };
    if PERMISSION_OPERATIONS.iter().any(|op| allowed(op)) {
        let services = providers(&actions);
        return Some(RoleClass::new(Access::Permissions, services, false, true));
    }
    let mut access = None;
    for a in &actions {
        let lower = a.to_ascii_lowercase();
        let level = if lower.ends_with("/read") {
            Access::Read
        } else if lower.ends_with("/listkeys/action")
            || lower.ends_with("/write")
            || lower.ends_with("/delete")
            || lower.ends_with("/action")
            || lower.ends_with('*')
        {
            Access::Write
        } else {
            Access::List
        };
        access = access.max(Some(level));
    }
    let data = actions.iter().any(|a| {
        let l = a.to_ascii_lowercase();
        l == "*"
            || l.contains("/listkeys/")
            || l.starts_with("microsoft.storage/*")
            || l.starts_with("microsoft.keyvault/*")
    });
    let escalation = allowed("Microsoft.ManagedIdentity/userAssignedIdentities/assign/action");
    Some(RoleClass::new(
        access.unwrap_or(Access::List),
        providers(&actions),
        data,
        escalation,
    ))
}

/// The resource providers the actions name (`Microsoft.Storage/...`), `All` for `*`.
fn providers(actions: &[&str]) -> Services {
    let mut out: Vec<String> = Vec::new();
    for a in actions {
        let p = a.split('/').next().unwrap_or(a);
        if p.contains('*') {
            return Services::All;
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(p)) {
            out.push(p.to_string());
        }
    }
    Services::Only(out)
}

/// Whether an assignment at `scope` covers `resource_id`: the scope is the resource or one
/// of its ancestors (`/` covers everything), compared per path segment, case-insensitively.
pub fn scope_covers(scope: &str, resource_id: &str) -> bool {
    let scope = scope.trim().trim_end_matches('/');
    if scope.is_empty() {
        return true;
    }
    let rid = resource_id.trim();
    rid.len() >= scope.len()
        && rid[..scope.len()].eq_ignore_ascii_case(scope)
        && (rid.len() == scope.len() || rid.as_bytes()[scope.len()] == b'/')
}

/// The resource provider of an ID (`.../providers/Microsoft.KeyVault/vaults/kv` →
/// `Microsoft.KeyVault`).
pub fn provider_of(resource_id: &str) -> Option<&str> {
    let mut parts = resource_id.split('/');
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case("providers") {
            return parts.next();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::Span;

    fn vals(v: &[&str]) -> Vec<Value<String>> {
        v.iter()
            .map(|s| Value::explicit(s.to_string(), Span::default()))
            .collect()
    }

    #[test]
    fn built_in_roles() {
        let c = |r| classify(r).unwrap();
        assert_eq!(c("Owner").access, Access::Permissions);
        assert!(c("owner").escalation);
        assert_eq!(c("Contributor").access, Access::Write);
        assert!(c("Contributor").escalation, "assigns managed identities");
        assert_eq!(c("Reader").access, Access::Read);
        assert!(c("User Access Administrator").escalation);
        let kv = c("Key Vault Secrets User");
        assert_eq!((kv.access, kv.data), (Access::Read, true));
        assert!(kv.services.includes("microsoft.keyvault"));
        assert_eq!(c("Storage Blob Data Contributor").access, Access::Write);
        assert_eq!(c("Storage Blob Data Owner").access, Access::Permissions);
        assert!(classify("Some Custom Role").is_none());
    }

    #[test]
    fn custom_roles() {
        let admin = classify_custom(&vals(&["*"]), &[]).unwrap();
        assert!(admin.escalation && admin.access == Access::Permissions);
        let contrib = classify_custom(
            &vals(&["*"]),
            &vals(&[
                "Microsoft.Authorization/*/Write",
                "Microsoft.Authorization/elevateAccess/Action",
            ]),
        )
        .unwrap();
        assert_eq!(contrib.access, Access::Write);
        assert!(
            contrib.escalation,
            "`*` includes assigning managed identities"
        );
        let reader = classify_custom(&vals(&["*/read"]), &[]).unwrap();
        assert_eq!(reader.access, Access::Read);
        let keys = classify_custom(
            &vals(&["Microsoft.Storage/storageAccounts/listKeys/action"]),
            &[],
        )
        .unwrap();
        assert!(keys.data && keys.services.includes("Microsoft.Storage"));
        let mut unknown = vals(&["*"]);
        unknown.push(Value::unknown(Span::default()));
        assert!(classify_custom(&unknown, &[]).is_none());
    }

    #[test]
    fn scopes() {
        let kv = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv";
        assert!(scope_covers("/", kv));
        assert!(scope_covers("/subscriptions/s1", kv));
        assert!(scope_covers("/subscriptions/S1/resourcegroups/RG", kv));
        assert!(!scope_covers("/subscriptions/s1/resourceGroups/r", kv));
        assert!(!scope_covers("/subscriptions/s2", kv));
        assert_eq!(provider_of(kv), Some("Microsoft.KeyVault"));
    }
}
