use trustmap_model::Model;
use trustmap_model::azure::authorization::{PRIVILEGED_BUILT_IN_ROLES, ScopeLevel};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_role_assignment` of `Owner`, `Contributor`, `User Access Administrator`
    /// or `Role Based Access Control Administrator` on a whole subscription, a management
    /// group or the tenant root.
    ///
    /// The role may be named by `role_definition_name`, by a `role_definition_id` with the
    /// built-in role's fixed ID, or through a `data "azurerm_role_definition"`; the scope by
    /// an ID (`/subscriptions/<id>` with nothing after it) or a reference to
    /// `data.azurerm_subscription`, `azurerm_management_group`. Assignments of the two
    /// access-administration roles that carry a `condition` (which limits the roles they
    /// may hand out) are not reported. A scope built with string interpolation of an unknown
    /// value (`"/subscriptions/${data.azurerm_client_config.current.subscription_id}"`)
    /// cannot be decided and is not reported.
    ///
    /// ## Why it matters
    /// Contributor on a subscription can read and change every resource in it: databases,
    /// key vault contents the data plane allows, VMs it can run commands on. Owner and the
    /// access-administration roles can also grant access, so the holder (or whoever steals a
    /// credential of a CI pipeline or managed identity that holds it) can make itself
    /// permanent. One identity compromise becomes a subscription compromise.
    ///
    /// ## Example
    /// ```hcl
    /// data "azurerm_subscription" "current" {}
    ///
    /// resource "azurerm_role_assignment" "ci" {
    ///   scope                = data.azurerm_subscription.current.id
    ///   role_definition_name = "Contributor"
    ///   principal_id         = azurerm_user_assigned_identity.ci.principal_id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Assign a role that fits the job, on the resource group (or resource) it works on:
    ///
    /// ```hcl
    /// resource "azurerm_role_assignment" "ci" {
    ///   scope                = azurerm_resource_group.app.id
    ///   role_definition_name = "Website Contributor"
    ///   principal_id         = azurerm_user_assigned_identity.ci.principal_id
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/role-based-access-control/best-practices>
    /// - <https://learn.microsoft.com/azure/role-based-access-control/role-assignments-steps#step-3-identify-the-needed-scope>
    pub(crate) AzureRoleAssignmentPrivilegedAtSubscription {
        id: "AZU-IAM-001",
        name: "azure-role-assignment-privileged-at-subscription",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for AzureRoleAssignmentPrivilegedAtSubscription {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for a in &model.azure.role_assignments {
            let Some(role) = a.role.get() else {
                out.unknown();
                continue;
            };
            let privileged = PRIVILEGED_BUILT_IN_ROLES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(role.trim()))
                .map(|(name, _)| *name);
            let Some(role) = privileged else {
                out.pass_at(a.meta.span);
                continue;
            };
            let grants_access_only = !matches!(role, "Owner" | "Contributor");
            if grants_access_only && a.condition.is_some() {
                out.pass_at(a.meta.span);
                continue;
            }
            match a.scope.get() {
                None => out.unknown(),
                Some(level) if *level < ScopeLevel::Subscription => out.pass_at(a.meta.span),
                Some(level) => {
                    let whole = match level {
                        ScopeLevel::Subscription => "a whole subscription",
                        ScopeLevel::ManagementGroup => "a whole management group",
                        _ => "the tenant root",
                    };
                    let named = a
                        .scope_text
                        .as_deref()
                        .map(|t| format!(" (`{t}`)"))
                        .unwrap_or_default();
                    out.report(
                        &a.meta,
                        a.scope.span,
                        &a.scope.via,
                        format!(
                            "role assignment `{}` grants `{role}` on {whole}{named}",
                            a.meta.address
                        ),
                    );
                }
            }
        }
    }
}
