use trustmap_model::Model;

use super::bool_state;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A web app or function app that serves plain HTTP: `https_only = false`, or omitted
    /// (the default is `false`). Covers `azurerm_linux_web_app`, `azurerm_windows_web_app`,
    /// `azurerm_linux_function_app`, `azurerm_windows_function_app`, their deployment slots,
    /// and the pre-4.0 `azurerm_app_service` and `azurerm_function_app`.
    ///
    /// ## Why it matters
    /// Without the redirect, browsers and clients that start with `http://` send session
    /// cookies, bearer tokens, function keys and form data in clear text, where anyone on the
    /// path (public Wi-Fi, a hostile proxy) can read and replay them or rewrite the page.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_web_app" "shop" {
    ///   name                = "acme-shop"
    ///   location            = "westeurope"
    ///   resource_group_name = azurerm_resource_group.main.name
    ///   service_plan_id     = azurerm_service_plan.main.id
    ///   site_config {}
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    ///   https_only = true
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https>
    pub(crate) AppServiceAllowsHttp {
        id: "AZU-APP-002",
        name: "app-service-allows-http",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_14", "CKV_AZURE_70"],
            trivy: ["AVD-AZU-0004", "AVD-AZU-0072"],
            cwe: ["CWE-319"],
        },
    }
}

impl Rule for AppServiceAllowsHttp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for app in &model.azure.web_apps {
            let v = &app.https_only;
            match v.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(app.meta.span),
                Some(false) => {
                    out.report(
                        &app.meta,
                        v.span,
                        &v.via,
                        format!(
                            "{} `{}` {}, so it also serves plain HTTP",
                            app.kind.as_str(),
                            app.meta.address,
                            bool_state(v, "https_only")
                        ),
                    );
                }
            }
        }
    }
}
