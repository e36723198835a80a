//! Managed identities: user-assigned identities and the `identity` block of the resources
//! that run code (web apps, function apps, AKS clusters).

use trustmap_source::Span;

use crate::{Link, ResourceMeta, Value};

/// An `azurerm_user_assigned_identity`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct UserAssignedIdentity {
    pub meta: ResourceMeta,
    pub name: Value<String>,
}

/// An `identity` block: `type` is `SystemAssigned`, `UserAssigned` or
/// `SystemAssigned, UserAssigned`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ManagedIdentity {
    pub span: Span,
    /// `type` (required).
    pub kind: Value<String>,
    /// `identity_ids`: the user-assigned identities (`target` indexes
    /// `Azure::user_assigned_identities`).
    pub identity_ids: Vec<Link>,
}

impl ManagedIdentity {
    /// Whether the resource has its own (system-assigned) principal; unknown `type` counts.
    pub fn system_assigned(&self) -> bool {
        self.kind
            .get()
            .is_none_or(|k| k.to_ascii_lowercase().contains("systemassigned"))
    }
}

/// The principal a role assignment's `principal_id` names.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PrincipalRef {
    /// The address of the referenced resource (`azurerm_user_assigned_identity.ci`, or the
    /// web app / cluster whose `identity[0].principal_id` it is); `None` for a literal
    /// object ID or anything else the scan cannot join.
    pub address: Option<String>,
    /// The literal object ID, when written as one.
    pub object_id: Option<String>,
    pub span: Span,
}
