//! API Gateway REST APIs (methods, integrations, stages, method settings) and v2 HTTP and
//! WebSocket APIs (routes, integrations, stages, quick-create targets).
//!
//! A REST method is joined to its integration by the `http_method` reference the integration
//! usually writes (`aws_api_gateway_method.get.http_method`), or else by the same
//! API, resource and method. Its path is rebuilt from the `aws_api_gateway_resource` chain.
//! A v2 route names its integration in a template (`"integrations/${...id}"`): the
//! evaluator keeps the reference in it, and the route links to that integration.

use std::collections::HashMap;

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::apigw::{
    AccessLog, Api, ApiGateway, ApiKind, Integration, MethodSettings, Route, Stage,
};
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::TfResource;

use super::join::{Index, Target};
use super::read::{self, Blocks, attr, blocks, meta};

/// Longest chain of `aws_api_gateway_resource` parents followed to rebuild a path.
const MAX_PATH_DEPTH: usize = 64;

pub(crate) fn adapt(index: &Index<'_>) -> ApiGateway {
    let mut gw = ApiGateway::default();
    // APIs, integrations and stages in join-table order: REST first, then v2.
    for r in index.managed("aws_api_gateway_rest_api") {
        gw.apis.push(Api {
            meta: meta(r),
            kind: Value::explicit(ApiKind::Rest, r.span),
            name: read::string_at(&r.body, "name", r.span),
            private: rest_private(r),
        });
    }
    for r in index.managed("aws_apigatewayv2_api") {
        let kind = read::string_at(&r.body, "protocol_type", r.span);
        gw.apis.push(Api {
            meta: meta(r),
            kind: v2_kind(kind),
            name: read::string_at(&r.body, "name", r.span),
            private: Value::explicit(false, r.span),
        });
    }
    let mut by_method: HashMap<String, usize> = HashMap::new();
    let mut by_key: HashMap<(String, String, String), usize> = HashMap::new();
    for r in index.managed("aws_api_gateway_integration") {
        let b = &r.body;
        let i = gw.integrations.len();
        match attr(b, "http_method").and_then(Node::as_ref_target) {
            Some((address, _)) if address.starts_with("aws_api_gateway_method.") => {
                by_method.insert(address.to_string(), i);
            }
            _ => {
                if let Some(key) = method_key(b) {
                    by_key.insert(key, i);
                }
            }
        }
        let integration_type = read::string_at(b, "type", r.span);
        gw.integrations.push(Integration {
            meta: meta(r),
            api: index.link_at(Target::Api, b, "rest_api_id", r.span),
            function: function(index, attr(b, "uri"), &integration_type, false),
            integration_type,
            uri: read::opt_string(b, "uri", r.span),
        });
    }
    for r in index.managed("aws_apigatewayv2_integration") {
        let b = &r.body;
        let integration_type = read::string_at(b, "integration_type", r.span);
        let has_subtype = attr(b, "integration_subtype").is_some();
        gw.integrations.push(Integration {
            meta: meta(r),
            api: index.link_at(Target::Api, b, "api_id", r.span),
            function: function(
                index,
                attr(b, "integration_uri"),
                &integration_type,
                has_subtype,
            ),
            integration_type,
            uri: read::opt_string(b, "integration_uri", r.span),
        });
    }
    rest_methods(&mut gw, index, &by_method, &by_key);
    quick_create_routes(&mut gw, index);
    for r in index.managed("aws_apigatewayv2_route") {
        let b = &r.body;
        let api = index.link_at(Target::Api, b, "api_id", r.span);
        let key = read::string_at(b, "route_key", r.span);
        let (method, path) = match key.get() {
            Some(k) if k.starts_with('$') => (key.clone(), key.clone()),
            Some(k) => match k.split_once(' ') {
                Some((m, p)) => (
                    Value::explicit(m.to_string(), key.span).with_via(key.via.clone()),
                    Value::explicit(p.to_string(), key.span).with_via(key.via.clone()),
                ),
                // A WebSocket route key (`sendmessage`) is the whole selection value.
                None => (key.clone(), key.clone()),
            },
            None => (key.clone(), key.clone()),
        };
        gw.routes.push(Route {
            meta: meta(r),
            kind: kind_of(&gw, &api),
            api,
            method,
            path,
            authorization: read::string_or(b, "authorization_type", "NONE", r.span),
            api_key_required: read::bool_or(b, "api_key_required", false, r.span),
            integration: attr(b, "target").map_or_else(
                || Link::unknown(r.span),
                |t| index.link(Target::ApiIntegration, t),
            ),
        });
    }
    for r in index.managed("aws_api_gateway_stage") {
        let api = index.link_at(Target::Api, &r.body, "rest_api_id", r.span);
        gw.stages.push(Stage {
            meta: meta(r),
            kind: Value::explicit(ApiKind::Rest, r.span),
            api,
            name: read::string_at(&r.body, "stage_name", r.span),
            access_log: access_log(r),
        });
    }
    let rest_stages = gw.stages.len();
    for (i, r) in index.managed("aws_apigatewayv2_stage").iter().enumerate() {
        let b = &r.body;
        let api = index.link_at(Target::Api, b, "api_id", r.span);
        let stage = Link::parent(rest_stages + i, &r.address, r.span);
        for settings in blocks(b, "default_route_settings").known() {
            let path = Value::default_at("$default".to_string(), settings.span);
            gw.method_settings
                .push(settings_of(r, api.clone(), stage.clone(), path, settings));
        }
        for settings in blocks(b, "route_settings").known() {
            let path = read::string_at(settings, "route_key", settings.span);
            gw.method_settings
                .push(settings_of(r, api.clone(), stage.clone(), path, settings));
        }
        gw.stages.push(Stage {
            meta: meta(r),
            kind: kind_of(&gw, &api),
            api,
            name: read::string_at(b, "name", r.span),
            access_log: access_log(r),
        });
    }
    for r in index.managed("aws_api_gateway_method_settings") {
        let b = &r.body;
        let api = index.link_at(Target::Api, b, "rest_api_id", r.span);
        let stage = index.link_at(Target::ApiStage, b, "stage_name", r.span);
        let path = read::string_at(b, "method_path", r.span);
        match blocks(b, "settings") {
            Blocks::Known(list) => {
                for settings in list {
                    gw.method_settings.push(settings_of(
                        r,
                        api.clone(),
                        stage.clone(),
                        path.clone(),
                        settings,
                    ));
                }
            }
            Blocks::Unknown(span) => gw.method_settings.push(MethodSettings {
                meta: meta(r),
                api,
                stage,
                method_path: path,
                span,
                data_trace: Value::unknown(span),
                logging_level: Value::unknown(span),
            }),
            Blocks::Absent => {}
        }
    }
    super::cloudformation::apigw::adapt(index, &mut gw);
    gw
}

/// `endpoint_configuration { types = ["PRIVATE"] }`.
fn rest_private(r: &TfResource) -> Value<bool> {
    let Some(config) = blocks(&r.body, "endpoint_configuration").first() else {
        return Value::default_at(false, r.span);
    };
    private_among(&read::strings_at(config, "types"), config.span)
}

/// Whether an API's endpoint types include `PRIVATE` (shared by the Terraform and
/// CloudFormation readers): `written` locates the whole setting when nothing matches.
pub(super) fn private_among(types: &[Value<String>], written: Span) -> Value<bool> {
    if let Some(p) = types.iter().find(|t| t.is(|s| s == "PRIVATE")) {
        return Value::explicit(true, p.span).with_via(p.via.clone());
    }
    if let Some(u) = types.iter().find(|t| t.is_unknown()) {
        return Value::unknown(u.span);
    }
    Value::explicit(false, written)
}

/// A v2 API's `protocol_type` / `ProtocolType` as its kind.
pub(super) fn v2_kind(protocol: Value<String>) -> Value<ApiKind> {
    let span = protocol.span;
    match protocol.get().map(|p| p.to_ascii_uppercase()) {
        Some(p) if p == "HTTP" => protocol.map(|_| ApiKind::Http),
        Some(p) if p == "WEBSOCKET" => protocol.map(|_| ApiKind::WebSocket),
        _ => Value::unknown(span),
    }
}

/// The kind of the API a v2 route or stage belongs to.
pub(super) fn kind_of(gw: &ApiGateway, api: &Link) -> Value<ApiKind> {
    api.target
        .and_then(|i| gw.apis.get(i))
        .map_or_else(|| Value::unknown(api.span), |a| a.kind.clone())
}

/// How a REST method or integration names its API, resource and method, for joining.
fn method_key(b: &Node) -> Option<(String, String, String)> {
    let text = |key: &str| {
        attr(b, key).and_then(|n| match &n.kind {
            NodeKind::Ref { address, .. } => Some(format!("ref:{address}")),
            _ => n.scalar_text(),
        })
    };
    Some((
        text("rest_api_id")?,
        text("resource_id")?,
        text("http_method")?,
    ))
}

fn rest_methods(
    gw: &mut ApiGateway,
    index: &Index<'_>,
    by_method: &HashMap<String, usize>,
    by_key: &HashMap<(String, String, String), usize>,
) {
    for r in index.managed("aws_api_gateway_method") {
        let b = &r.body;
        let found = by_method
            .get(r.address.as_str())
            .or_else(|| method_key(b).and_then(|k| by_key.get(&k)))
            .copied();
        let integration = match found.and_then(|i| gw.integrations.get(i).map(|x| (i, x))) {
            Some((i, x)) => Link::parent(i, &x.meta.address, r.span),
            None => Link::unknown(r.span),
        };
        gw.routes.push(Route {
            meta: meta(r),
            api: index.link_at(Target::Api, b, "rest_api_id", r.span),
            kind: Value::explicit(ApiKind::Rest, r.span),
            method: read::string_at(b, "http_method", r.span),
            path: attr(b, "resource_id")
                .map_or_else(|| Value::unknown(r.span), |n| rest_path(index, n)),
            authorization: read::string_at(b, "authorization", r.span),
            api_key_required: read::bool_or(b, "api_key_required", false, r.span),
            integration,
        });
    }
}

/// The path of a REST resource, rebuilt from `path_part`s up to the API's root resource.
fn rest_path(index: &Index<'_>, resource_id: &Node) -> Value<String> {
    let at = resource_id.span;
    let mut parts = Vec::new();
    let mut current = resource_id;
    for _ in 0..MAX_PATH_DEPTH {
        let Some((address, attribute)) = current.as_ref_target() else {
            return Value::unknown(at);
        };
        if address.starts_with("aws_api_gateway_rest_api.") && attribute == "root_resource_id" {
            parts.reverse();
            return Value::explicit(format!("/{}", parts.join("/")), at);
        }
        let Some(res) = index
            .resource(address)
            .filter(|r| r.rtype == "aws_api_gateway_resource")
        else {
            return Value::unknown(at);
        };
        let Some(part) = attr(&res.body, "path_part").and_then(Node::scalar_text) else {
            return Value::unknown(at);
        };
        parts.push(part);
        let Some(parent) = attr(&res.body, "parent_id") else {
            return Value::unknown(at);
        };
        current = parent;
    }
    Value::unknown(at)
}

/// A v2 API with `target` set (quick create) gets an integration and a `$default` route
/// (or `route_key`) that no authorizer can be attached to.
fn quick_create_routes(gw: &mut ApiGateway, index: &Index<'_>) {
    let rest_apis = index.managed("aws_api_gateway_rest_api").len();
    for (i, r) in index.managed("aws_apigatewayv2_api").iter().enumerate() {
        let Some(target) = attr(&r.body, "target") else {
            continue;
        };
        let api = Link::parent(rest_apis + i, &r.address, r.span);
        let kind = gw
            .apis
            .get(rest_apis + i)
            .map_or_else(|| Value::unknown(r.span), |a| a.kind.clone());
        let proxy = Value::default_at("AWS_PROXY".to_string(), target.span);
        let function = function(index, Some(target), &proxy, false);
        let integration_type = if function.is_some() {
            proxy
        } else {
            Value::default_at("HTTP_PROXY".to_string(), target.span)
        };
        let integration = Link::parent(gw.integrations.len(), &r.address, target.span);
        gw.integrations.push(Integration {
            meta: meta(r),
            api: api.clone(),
            integration_type,
            function,
            uri: read::string(target).map(Some),
        });
        let key = read::string_or(&r.body, "route_key", "$default", r.span);
        let (method, path) = match key.get().and_then(|k| k.split_once(' ')) {
            Some((m, p)) => (
                Value::explicit(m.to_string(), key.span),
                Value::explicit(p.to_string(), key.span),
            ),
            None => (key.clone(), key.clone()),
        };
        gw.routes.push(Route {
            meta: meta(r),
            api,
            kind,
            method,
            path,
            authorization: Value::default_at("NONE".to_string(), target.span),
            api_key_required: Value::default_at(false, target.span),
            integration,
        });
    }
}

/// The Lambda function an integration URI invokes: a reference to the function (its
/// `invoke_arn`, `arn`, ...), a literal function ARN or a literal invoke ARN that wraps one.
/// A Lambda proxy integration whose URI cannot be read still targets some function.
fn function(
    index: &Index<'_>,
    uri: Option<&Node>,
    integration_type: &Value<String>,
    has_subtype: bool,
) -> Option<Link> {
    let lambda_proxy = integration_type.is(|t| t == "AWS_PROXY") && !has_subtype;
    let uri = uri?;
    if let Some((address, _)) = uri.as_ref_target() {
        return (address.starts_with("aws_lambda_function.")
            || address.contains(".aws_lambda_function."))
        .then(|| index.link(Target::Function, uri))
        .or_else(|| lambda_proxy.then(|| Link::unknown(uri.span)));
    }
    if let Some(text) = uri.as_str() {
        return function_arn_in(text).map(|arn| index.link_text(Target::Function, arn, uri));
    }
    lambda_proxy.then(|| Link::unknown(uri.span))
}

/// `arn:aws:apigateway:R:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations` →
/// `FUNCTION_ARN`; a function ARN is returned as is. Shared with the CloudFormation adapter.
pub(crate) fn function_arn_in(uri: &str) -> Option<&str> {
    if let Some((_, rest)) = uri.split_once("/functions/") {
        let arn = rest.strip_suffix("/invocations").unwrap_or(rest);
        return arn.contains(":function:").then_some(arn);
    }
    (uri.starts_with("arn:") && uri.contains(":lambda:") && uri.contains(":function:"))
        .then_some(uri)
}

fn access_log(r: &TfResource) -> Value<Option<AccessLog>> {
    match blocks(&r.body, "access_log_settings") {
        Blocks::Absent => Value::default_at(None, r.span),
        Blocks::Unknown(span) => Value::unknown(span),
        Blocks::Known(list) => match list.first() {
            Some(b) => Value::explicit(
                Some(AccessLog {
                    span: b.span,
                    destination: read::string_at(b, "destination_arn", b.span),
                }),
                b.span,
            ),
            None => Value::default_at(None, r.span),
        },
    }
}

fn settings_of(
    r: &TfResource,
    api: Link,
    stage: Link,
    method_path: Value<String>,
    settings: &Node,
) -> MethodSettings {
    let at: Span = settings.span;
    MethodSettings {
        meta: meta(r),
        api,
        stage,
        method_path,
        span: at,
        data_trace: read::bool_or(settings, "data_trace_enabled", false, at),
        logging_level: read::string_or(settings, "logging_level", "OFF", at),
    }
}
