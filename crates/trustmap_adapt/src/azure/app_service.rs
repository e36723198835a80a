//! Web apps and function apps, every generation of the resources.

use trustmap_model::Value;
use trustmap_model::azure::app_service::{AppKind, AuthV1, AuthV2, WebApp};

use super::Index;
use crate::terraform_read::{self as read, Blocks, blocks, meta};

/// App resource types and their kind (`_slot`s are deployment slots with the same schema).
const APPS: &[(&str, AppKind)] = &[
    ("azurerm_linux_web_app", AppKind::WebApp),
    ("azurerm_windows_web_app", AppKind::WebApp),
    ("azurerm_linux_web_app_slot", AppKind::WebApp),
    ("azurerm_windows_web_app_slot", AppKind::WebApp),
    ("azurerm_app_service", AppKind::WebApp),
    ("azurerm_app_service_slot", AppKind::WebApp),
    ("azurerm_linux_function_app", AppKind::FunctionApp),
    ("azurerm_windows_function_app", AppKind::FunctionApp),
    ("azurerm_linux_function_app_slot", AppKind::FunctionApp),
    ("azurerm_windows_function_app_slot", AppKind::FunctionApp),
    ("azurerm_function_app", AppKind::FunctionApp),
    ("azurerm_function_app_slot", AppKind::FunctionApp),
];

pub(super) fn adapt(index: &Index<'_>) -> Vec<WebApp> {
    let mut apps = Vec::new();
    for &(rtype, kind) in APPS {
        for r in index.managed(rtype) {
            let b = &r.body;
            let auth_v1 = match blocks(b, "auth_settings") {
                Blocks::Absent => None,
                Blocks::Known(list) => list.first().map(|a| AuthV1 {
                    span: a.span,
                    enabled: read::bool_or(a, "enabled", false, a.span),
                    unauthenticated_action: read::opt_string(
                        a,
                        "unauthenticated_client_action",
                        a.span,
                    ),
                }),
                Blocks::Unknown(span) => Some(AuthV1 {
                    span,
                    enabled: Value::unknown(span),
                    unauthenticated_action: Value::unknown(span),
                }),
            };
            let auth_v2 = match blocks(b, "auth_settings_v2") {
                Blocks::Absent => None,
                Blocks::Known(list) => list.first().map(|a| AuthV2 {
                    span: a.span,
                    enabled: read::bool_or(a, "auth_enabled", false, a.span),
                    require_authentication: read::bool_or(
                        a,
                        "require_authentication",
                        false,
                        a.span,
                    ),
                    unauthenticated_action: read::string_or(
                        a,
                        "unauthenticated_action",
                        "RedirectToLoginPage",
                        a.span,
                    ),
                }),
                Blocks::Unknown(span) => Some(AuthV2 {
                    span,
                    enabled: Value::unknown(span),
                    require_authentication: Value::unknown(span),
                    unauthenticated_action: Value::unknown(span),
                }),
            };
            apps.push(WebApp {
                meta: meta(r),
                kind,
                https_only: read::bool_or(b, "https_only", false, r.span),
                auth_v1,
                auth_v2,
                public_network_access: read::bool_or(
                    b,
                    "public_network_access_enabled",
                    true,
                    r.span,
                ),
                ip_restricted: blocks(b, "site_config")
                    .first()
                    .is_some_and(|sc| !matches!(blocks(sc, "ip_restriction"), Blocks::Absent)),
                identity: super::identity::block(b, index),
            });
        }
    }
    apps
}
