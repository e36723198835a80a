use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_role_definition` (a custom role) whose `permissions.actions` include `*`
    /// (every management action in its assignable scopes, which makes it an Owner in all
    /// but name) or `Microsoft.Authorization/*` (every role-assignment and policy action, so
    /// its holder can grant itself any role).
    ///
    /// ## Why it matters
    /// Custom roles are reviewed less than built-in ones and their names say nothing about
    /// their power: a role called "Deployment Operator" with `*` is an owner. Whoever holds
    /// it, or steals the credentials of an identity that does, controls everything it is
    /// assignable to and can make that access permanent.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_role_definition" "deployer" {
    ///   name  = "deployer"
    ///   scope = data.azurerm_subscription.current.id
    ///   permissions {
    ///     actions = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// List the actions the job needs:
    ///
    /// ```hcl
    ///   permissions {
    ///     actions = [
    ///       "Microsoft.Web/sites/read",
    ///       "Microsoft.Web/sites/write",
    ///       "Microsoft.Web/sites/restart/action",
    ///     ]
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/role-based-access-control/custom-roles>
    pub(crate) AzureCustomRoleWildcardAction {
        id: "AZU-IAM-002",
        name: "azure-custom-role-wildcard-action",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_39"],
            trivy: ["AVD-AZU-0030"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for AzureCustomRoleWildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for role in &model.azure.role_definitions {
            let name = role
                .name
                .get()
                .map_or_else(|| role.meta.address.clone(), Clone::clone);
            let mut found = false;
            let mut unknown = false;
            for action in &role.actions {
                let Some(a) = action.get() else {
                    unknown = true;
                    continue;
                };
                let why = match a.trim() {
                    "*" => "every management action, like Owner",
                    a if a.eq_ignore_ascii_case("Microsoft.Authorization/*") => {
                        "every role-assignment action, so its holders can grant themselves any role"
                    }
                    _ => continue,
                };
                found = true;
                out.report(
                    &role.meta,
                    action.span,
                    &action.via,
                    format!("custom role `{name}` allows `{}`: {why}", a.trim()),
                );
            }
            super::settle(out, role.meta.span, found, unknown);
        }
    }
}
