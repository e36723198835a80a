//! App Service web apps and Function Apps (and their deployment slots).

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum AppKind {
    WebApp,
    FunctionApp,
}

impl AppKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AppKind::WebApp => "web app",
            AppKind::FunctionApp => "function app",
        }
    }
}

/// A web app or function app: `azurerm_linux_web_app`, `azurerm_windows_web_app`,
/// `azurerm_linux_function_app`, `azurerm_windows_function_app`, their `_slot`s, and the
/// pre-4.0 `azurerm_app_service`, `azurerm_function_app` and their slots.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct WebApp {
    pub meta: ResourceMeta,
    pub kind: AppKind,
    /// `https_only`, default `false`.
    pub https_only: Value<bool>,
    /// `auth_settings` (App Service Authentication v1); `None` when absent.
    pub auth_v1: Option<AuthV1>,
    /// `auth_settings_v2`; `None` when absent.
    pub auth_v2: Option<AuthV2>,
    /// `public_network_access_enabled`, default `true`.
    pub public_network_access: Value<bool>,
    /// Whether `site_config` has an `ip_restriction` (the app answers only listed sources).
    pub ip_restricted: bool,
    /// `identity`; `None` when absent (the app has no managed identity).
    pub identity: Option<crate::azure::identity::ManagedIdentity>,
}

/// An `auth_settings` block.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AuthV1 {
    pub span: Span,
    /// `enabled` (required).
    pub enabled: Value<bool>,
    /// `unauthenticated_client_action`: `RedirectToLoginPage` or `AllowAnonymous`; computed
    /// by Azure when omitted.
    pub unauthenticated_action: Value<Option<String>>,
}

/// An `auth_settings_v2` block.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AuthV2 {
    pub span: Span,
    /// `auth_enabled`, default `false`.
    pub enabled: Value<bool>,
    /// `require_authentication`, default `false`: unauthenticated requests reach the app.
    pub require_authentication: Value<bool>,
    /// `unauthenticated_action`: `RedirectToLoginPage` (the default), `AllowAnonymous`,
    /// `Return401` or `Return403`.
    pub unauthenticated_action: Value<String>,
}
