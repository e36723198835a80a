use trustmap_model::Model;
use trustmap_model::azure::app_service::WebApp;
use trustmap_source::{Span, Via};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A web app or function app whose App Service authentication ("Easy Auth") lets
    /// anonymous requests through:
    ///
    /// - neither `auth_settings` nor `auth_settings_v2` is configured;
    /// - `auth_settings_v2` has `auth_enabled` off (the default), `require_authentication`
    ///   off (the default), or `unauthenticated_action = "AllowAnonymous"`;
    /// - `auth_settings` has `enabled = false` or `unauthenticated_client_action =
    ///   "AllowAnonymous"`.
    ///
    /// Covers the same resources as `app-service-allows-http`. HTTP-triggered functions may
    /// still require a function key (`authLevel` in the function's code); a key is a shared
    /// secret, not an identity. An app that authenticates every request in its own code is a
    /// legitimate exception: suppress the finding with that reason.
    ///
    /// ## Why it matters
    /// Every request from the internet reaches the application code unauthenticated, so the
    /// app's own checks are the only barrier, and one forgotten route (an admin page, a debug
    /// endpoint, an internal API) is open to everyone. The platform's authentication rejects
    /// anonymous callers before they reach the code and works the same for every route.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_function_app" "orders" {
    ///   name                       = "acme-orders"
    ///   location                   = "westeurope"
    ///   resource_group_name        = azurerm_resource_group.main.name
    ///   service_plan_id            = azurerm_service_plan.main.id
    ///   storage_account_name       = azurerm_storage_account.fn.name
    ///   storage_account_access_key = azurerm_storage_account.fn.primary_access_key
    ///   https_only                 = true
    ///   site_config {}
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    ///   auth_settings_v2 {
    ///     auth_enabled           = true
    ///     require_authentication = true
    ///     unauthenticated_action = "Return401"
    ///     active_directory_v2 {
    ///       client_id            = azuread_application.orders.client_id
    ///       tenant_auth_endpoint = "https://login.microsoftonline.com/${var.tenant_id}/v2.0"
    ///     }
    ///     login {}
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/app-service/overview-authentication-authorization>
    pub(crate) AppServiceAllowsAnonymousAccess {
        id: "AZU-APP-001",
        name: "app-service-allows-anonymous-access",
        severity: Low,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_13", "CKV_AZURE_56"],
            trivy: ["AVD-AZU-0003"],
            cwe: ["CWE-306"],
        },
    }
}

/// Why an app lets anonymous requests in, and where to say so: `Some(Some(..))` a finding,
/// `Some(None)` enforced, `None` unknown.
fn anonymous(app: &WebApp) -> Option<Option<(Span, Vec<Via>, String)>> {
    let mut unknown = false;
    let mut reason = None;
    if let Some(v2) = &app.auth_v2 {
        let checks = [
            (&v2.enabled, "`auth_settings_v2` has `auth_enabled` off"),
            (
                &v2.require_authentication,
                "`auth_settings_v2` has `require_authentication` off",
            ),
        ];
        let mut enforced = true;
        for (v, why) in checks {
            match v.get() {
                None => unknown = true,
                Some(false) => {
                    enforced = false;
                    let at = if v.is_default() { v2.span } else { v.span };
                    reason.get_or_insert((at, v.via.clone(), why.to_string()));
                }
                Some(true) => {}
            }
        }
        let action = &v2.unauthenticated_action;
        match action.get() {
            None => unknown = true,
            Some(a) if a.eq_ignore_ascii_case("AllowAnonymous") => {
                enforced = false;
                reason.get_or_insert((
                    action.span,
                    action.via.clone(),
                    "`auth_settings_v2` allows anonymous requests".to_string(),
                ));
            }
            Some(_) => {}
        }
        if enforced && !unknown {
            return Some(None);
        }
    }
    if let Some(v1) = &app.auth_v1 {
        let action = &v1.unauthenticated_action;
        match (v1.enabled.get(), action.get()) {
            (Some(true), Some(Some(a))) if a.eq_ignore_ascii_case("AllowAnonymous") => {
                reason.get_or_insert((
                    action.span,
                    action.via.clone(),
                    "`auth_settings` allows anonymous requests".to_string(),
                ));
            }
            (Some(true), Some(_)) => return Some(None),
            (Some(false), _) => {
                reason.get_or_insert((
                    v1.enabled.span,
                    v1.enabled.via.clone(),
                    "`auth_settings` is disabled".to_string(),
                ));
            }
            _ => unknown = true,
        }
    }
    if unknown {
        return None;
    }
    Some(Some(reason.unwrap_or_else(|| {
        (
            app.meta.span,
            Vec::new(),
            "it configures no App Service authentication".to_string(),
        )
    })))
}

impl Rule for AppServiceAllowsAnonymousAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for app in &model.azure.web_apps {
            match anonymous(app) {
                None => out.unknown(),
                Some(None) => out.pass_at(app.meta.span),
                Some(Some((at, via, why))) => {
                    out.report(
                        &app.meta,
                        at,
                        &via,
                        format!(
                            "{} `{}` lets unauthenticated requests reach its code: {why}",
                            app.kind.as_str(),
                            app.meta.address
                        ),
                    );
                }
            }
        }
    }
}
