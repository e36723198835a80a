//! API Gateway rules: unauthenticated entry points and what the gateway logs.

mod apigw_access_logging_disabled;
mod apigw_data_trace_enabled;
mod apigw_route_without_auth;

pub(crate) use apigw_access_logging_disabled::ApigwAccessLoggingDisabled;
pub(crate) use apigw_data_trace_enabled::ApigwDataTraceEnabled;
pub(crate) use apigw_route_without_auth::ApigwRouteWithoutAuth;

use trustmap_model::Model;
use trustmap_model::aws::Link;
use trustmap_model::aws::apigw::{ApiKind, Route};

use super::label;

fn api_label<'a>(model: &'a Model, api: &'a Link) -> &'a str {
    label(api, |i| {
        model.aws.apigw.apis.get(i).map(|a| a.meta.address.as_str())
    })
}

/// The API version of a route: the known kind, or what the route key implies (`$connect`
/// is a WebSocket key, `GET /x` an HTTP one). `None` when it cannot be told.
fn route_kind(route: &Route) -> Option<ApiKind> {
    if let Some(k) = route.kind.get() {
        return Some(*k);
    }
    let method = route.method.get()?;
    let path = route.path.get()?;
    if method == "$connect" {
        Some(ApiKind::WebSocket)
    } else if path.starts_with('/') {
        Some(ApiKind::Http)
    } else {
        None
    }
}

/// Whether callers must authenticate (or, for REST, send an API key) to invoke the route.
/// `None` when a setting is unknown. WebSocket routes other than `$connect` and CORS
/// preflight routes are not entry points of their own: `Some(true)`.
pub(super) fn route_requires_auth(route: &Route) -> Option<bool> {
    let kind = route_kind(route)?;
    if route.is_preflight() {
        return Some(true);
    }
    if kind == ApiKind::WebSocket && !route.method.is(|m| m == "$connect") {
        return Some(true);
    }
    if route.api_key_required.is_true() {
        return Some(true);
    }
    let auth = route.authorization.get()?;
    if !auth.eq_ignore_ascii_case("NONE") {
        return Some(true);
    }
    route.api_key_required.get().copied()
}
