//! API Gateway: `AWS::ApiGateway::RestApi` / `Method` (with its inline integration) /
//! `Stage`, `AWS::ApiGatewayV2::Api` / `Route` / `Integration` / `Stage`, and SAM's
//! `AWS::Serverless::Api` / `HttpApi` (with their stage settings and `Auth`).
//!
//! SAM API events are routes too: [`sam_events`] runs once every list is filled, adds a route
//! and a Lambda proxy integration per `Api`/`HttpApi` event of a serverless function, decides
//! its authorization (the event's `Auth.Authorizer`, else the API's `DefaultAuthorizer`, else
//! none), and records both on the function's trigger.

use trustmap_cloudformation::Resource;
use trustmap_cloudformation::sam::{IMPLICIT_HTTP_API, IMPLICIT_REST_API};
use trustmap_model::Value;
use trustmap_model::aws::Aws;
use trustmap_model::aws::Link;
use trustmap_model::aws::apigw::{
    AccessLog, Api, ApiGateway, ApiKind, Integration, MethodSettings, Route, Stage,
};
use trustmap_model::aws::lambda::TriggerKind;
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::{Object, items, meta, object};
use crate::aws::apigw::{kind_of, private_among, v2_kind};
use crate::aws::join::{Index, Target};
use crate::aws::read::{self, attr};

/// Longest chain of `AWS::ApiGateway::Resource` parents followed to rebuild a path.
const MAX_PATH_DEPTH: usize = 64;

/// Appends APIs (in join-table order), integrations, routes and stages.
pub(in crate::aws) fn adapt(index: &Index<'_>, gw: &mut ApiGateway) {
    for r in index.cfn("AWS::ApiGateway::RestApi") {
        let p = &r.properties;
        gw.apis.push(Api {
            meta: meta(r),
            kind: Value::explicit(ApiKind::Rest, r.span),
            name: read::string_at(p, "Name", r.span),
            private: private(p, r.span),
        });
    }
    for r in index.cfn("AWS::Serverless::Api") {
        let p = &r.properties;
        gw.apis.push(Api {
            meta: meta(r),
            kind: Value::explicit(ApiKind::Rest, r.span),
            name: read::string_at(p, "Name", r.span),
            private: private(p, r.span),
        });
    }
    for r in index.cfn("AWS::ApiGatewayV2::Api") {
        let p = &r.properties;
        gw.apis.push(Api {
            meta: meta(r),
            kind: v2_kind(read::string_at(p, "ProtocolType", r.span)),
            name: read::string_at(p, "Name", r.span),
            private: Value::explicit(false, r.span),
        });
    }
    for r in index.cfn("AWS::Serverless::HttpApi") {
        let p = &r.properties;
        gw.apis.push(Api {
            meta: meta(r),
            kind: Value::explicit(ApiKind::Http, r.span),
            name: read::string_at(p, "Name", r.span),
            private: Value::explicit(false, r.span),
        });
    }
    for r in index.cfn("AWS::ApiGatewayV2::Integration") {
        let p = &r.properties;
        let integration_type = read::string_at(p, "IntegrationType", r.span);
        gw.integrations.push(Integration {
            meta: meta(r),
            api: index.link_at(Target::Api, p, "ApiId", r.span),
            function: function(
                index,
                attr(p, "IntegrationUri"),
                &integration_type,
                attr(p, "IntegrationSubtype").is_some(),
            ),
            integration_type,
            uri: read::opt_string(p, "IntegrationUri", r.span),
        });
    }
    quick_create_routes(index, gw);
    for r in index.cfn("AWS::ApiGateway::Method") {
        rest_method(index, gw, r);
    }
    for r in index.cfn("AWS::ApiGatewayV2::Route") {
        let p = &r.properties;
        let api = index.link_at(Target::Api, p, "ApiId", r.span);
        let key = read::string_at(p, "RouteKey", r.span);
        let (method, path) = split_route_key(&key);
        gw.routes.push(Route {
            meta: meta(r),
            kind: kind_of(gw, &api),
            api,
            method,
            path,
            authorization: read::string_or(p, "AuthorizationType", "NONE", r.span),
            api_key_required: read::bool_or(p, "ApiKeyRequired", false, r.span),
            integration: attr(p, "Target").map_or_else(
                || Link::unknown(r.span),
                |t| index.link(Target::ApiIntegration, t),
            ),
        });
    }
    for r in index.cfn("AWS::ApiGateway::Stage") {
        let p = &r.properties;
        let api = index.link_at(Target::Api, p, "RestApiId", r.span);
        let stage = Link::parent(gw.stages.len(), &r.logical_id, r.span);
        rest_method_settings(gw, r, &api, &stage, p);
        gw.stages.push(Stage {
            meta: meta(r),
            kind: Value::explicit(ApiKind::Rest, r.span),
            api,
            name: read::string_at(p, "StageName", r.span),
            access_log: access_log(p, "AccessLogSetting", r.span),
        });
    }
    for r in index.cfn("AWS::ApiGatewayV2::Stage") {
        let p = &r.properties;
        let api = index.link_at(Target::Api, p, "ApiId", r.span);
        let stage = Link::parent(gw.stages.len(), &r.logical_id, r.span);
        v2_route_settings(gw, r, &api, &stage, p);
        gw.stages.push(Stage {
            meta: meta(r),
            kind: kind_of(gw, &api),
            api,
            name: read::string_at(p, "StageName", r.span),
            access_log: access_log(p, "AccessLogSettings", r.span),
        });
    }
    sam_stages(index, gw);
}

/// SAM APIs deploy one stage each: `StageName` (required for REST APIs; `$default` for HTTP
/// APIs), with the API's access log and method settings.
fn sam_stages(index: &Index<'_>, gw: &mut ApiGateway) {
    for (rtype, kind) in [
        ("AWS::Serverless::Api", ApiKind::Rest),
        ("AWS::Serverless::HttpApi", ApiKind::Http),
    ] {
        for r in index.cfn(rtype) {
            let p = &r.properties;
            let Some(position) = index.cfn_position(Target::Api, r.span.file, &r.logical_id) else {
                continue;
            };
            let api = Link::parent(position, &r.logical_id, r.span);
            let stage = Link::parent(gw.stages.len(), &r.logical_id, r.span);
            let name = match kind {
                ApiKind::Rest => read::string_at(p, "StageName", r.span),
                _ => read::string_or(p, "StageName", "$default", r.span),
            };
            let log_key = match kind {
                ApiKind::Rest => {
                    rest_method_settings(gw, r, &api, &stage, p);
                    "AccessLogSetting"
                }
                _ => {
                    v2_route_settings(gw, r, &api, &stage, p);
                    "AccessLogSettings"
                }
            };
            gw.stages.push(Stage {
                meta: meta(r),
                kind: Value::explicit(kind, r.span),
                api,
                name,
                access_log: access_log(p, log_key, r.span),
            });
        }
    }
}

/// `EndpointConfiguration: {Types: [PRIVATE]}` (plain CloudFormation) or
/// `EndpointConfiguration: PRIVATE` / `{Type: PRIVATE}` (SAM).
fn private(p: &Node, at: Span) -> Value<bool> {
    let Some(config) = attr(p, "EndpointConfiguration") else {
        return Value::default_at(false, at);
    };
    let types = match (config.as_map(), attr(config, "Types"), attr(config, "Type")) {
        (Some(_), Some(types), _) => read::strings(types),
        (Some(_), None, Some(t)) => vec![read::string(t)],
        (Some(_), None, None) => return Value::default_at(false, config.span),
        (None, ..) => read::strings(config),
    };
    private_among(&types, config.span)
}

/// `GET /items` → (`GET`, `/items`); `$default` and WebSocket keys are both.
fn split_route_key(key: &Value<String>) -> (Value<String>, Value<String>) {
    match key.get() {
        Some(k) if !k.starts_with('$') => match k.split_once(' ') {
            Some((m, p)) => (
                Value::explicit(m.to_string(), key.span).with_via(key.via.clone()),
                Value::explicit(p.to_string(), key.span).with_via(key.via.clone()),
            ),
            None => (key.clone(), key.clone()),
        },
        _ => (key.clone(), key.clone()),
    }
}

/// A v2 API with `Target` (quick create) gets a Lambda proxy integration and a `$default`
/// route (or `RouteKey`) that no authorizer guards.
fn quick_create_routes(index: &Index<'_>, gw: &mut ApiGateway) {
    for r in index.cfn("AWS::ApiGatewayV2::Api") {
        let p = &r.properties;
        let Some(target) = attr(p, "Target") else {
            continue;
        };
        let Some(position) = index.cfn_position(Target::Api, r.span.file, &r.logical_id) else {
            continue;
        };
        let api = Link::parent(position, &r.logical_id, r.span);
        let kind = kind_of(gw, &api);
        let proxy = Value::default_at("AWS_PROXY".to_string(), target.span);
        let function = function(index, Some(target), &proxy, false);
        let integration_type = if function.is_some() {
            proxy
        } else {
            Value::default_at("HTTP_PROXY".to_string(), target.span)
        };
        let integration = Link::parent(gw.integrations.len(), &r.logical_id, target.span);
        gw.integrations.push(Integration {
            meta: meta(r),
            api: api.clone(),
            integration_type,
            function,
            uri: read::string(target).map(Some),
        });
        let key = read::string_or(p, "RouteKey", "$default", r.span);
        let (method, path) = split_route_key(&key);
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

/// A REST method and the integration written inside it.
fn rest_method(index: &Index<'_>, gw: &mut ApiGateway, r: &Resource) {
    let p = &r.properties;
    let api = index.link_at(Target::Api, p, "RestApiId", r.span);
    let integration = match object(p, "Integration") {
        Object::Absent => Link::unknown(r.span),
        Object::Unknown(span) => Link::unknown(span),
        Object::Known(i) => {
            let integration_type = read::string_at(i, "Type", i.span);
            let link = Link::parent(gw.integrations.len(), &r.logical_id, i.span);
            gw.integrations.push(Integration {
                meta: meta(r),
                api: api.clone(),
                function: function(index, attr(i, "Uri"), &integration_type, false),
                integration_type,
                uri: read::opt_string(i, "Uri", i.span),
            });
            link
        }
    };
    gw.routes.push(Route {
        meta: meta(r),
        api,
        kind: Value::explicit(ApiKind::Rest, r.span),
        method: read::string_at(p, "HttpMethod", r.span),
        path: attr(p, "ResourceId").map_or_else(|| Value::unknown(r.span), |n| rest_path(index, n)),
        authorization: read::string_or(p, "AuthorizationType", "NONE", r.span),
        api_key_required: read::bool_or(p, "ApiKeyRequired", false, r.span),
        integration,
    });
}

/// The path of a REST resource, rebuilt from `PathPart`s up to the API's root resource.
fn rest_path(index: &Index<'_>, resource_id: &Node) -> Value<String> {
    let at = resource_id.span;
    let mut parts = Vec::new();
    let mut current = resource_id;
    for _ in 0..MAX_PATH_DEPTH {
        let Some((id, attribute)) = current.as_ref_target() else {
            return Value::unknown(at);
        };
        let Some(res) = index.cfn_resource(at.file, id) else {
            return Value::unknown(at);
        };
        if attribute == "RootResourceId" && res.rtype == "AWS::ApiGateway::RestApi" {
            parts.reverse();
            return Value::explicit(format!("/{}", parts.join("/")), at);
        }
        if res.rtype != "AWS::ApiGateway::Resource" {
            return Value::unknown(at);
        }
        let Some(part) = attr(&res.properties, "PathPart").and_then(Node::scalar_text) else {
            return Value::unknown(at);
        };
        parts.push(part);
        let Some(parent) = attr(&res.properties, "ParentId") else {
            return Value::unknown(at);
        };
        current = parent;
    }
    Value::unknown(at)
}

/// The Lambda function an integration URI invokes: a reference to a function of the
/// template (inside `Fn::Sub` it is unknown), or a literal (invoke) ARN naming one.
fn function(
    index: &Index<'_>,
    uri: Option<&Node>,
    integration_type: &Value<String>,
    has_subtype: bool,
) -> Option<Link> {
    let lambda_proxy = integration_type.is(|t| t.eq_ignore_ascii_case("AWS_PROXY")) && !has_subtype;
    let uri = uri?;
    if let Some((id, _)) = uri.as_ref_target() {
        let is_function = index.cfn_resource(uri.span.file, id).is_some_and(|r| {
            r.rtype == "AWS::Lambda::Function" || r.rtype == "AWS::Serverless::Function"
        });
        return is_function
            .then(|| index.link(Target::Function, uri))
            .or_else(|| lambda_proxy.then(|| Link::unknown(uri.span)));
    }
    if let Some(text) = uri.as_str() {
        return crate::aws::apigw::function_arn_in(text)
            .map(|arn| index.link_text(Target::Function, arn, uri));
    }
    lambda_proxy.then(|| Link::unknown(uri.span))
}

/// `AccessLogSetting` (REST) / `AccessLogSettings` (v2): `{DestinationArn, Format}`.
fn access_log(p: &Node, key: &str, at: Span) -> Value<Option<AccessLog>> {
    match object(p, key) {
        Object::Absent => Value::default_at(None, at),
        Object::Unknown(span) => Value::unknown(span),
        Object::Known(b) => Value::explicit(
            Some(AccessLog {
                span: b.span,
                destination: read::string_at(b, "DestinationArn", b.span),
            }),
            b.span,
        ),
    }
}

/// REST `MethodSettings: [{ResourcePath, HttpMethod, DataTraceEnabled, LoggingLevel}]`.
fn rest_method_settings(gw: &mut ApiGateway, r: &Resource, api: &Link, stage: &Link, p: &Node) {
    for s in items(p, "MethodSettings").unwrap_or_default() {
        let at = s.span;
        let resource = attr(s, "ResourcePath").and_then(Node::scalar_text);
        let method = attr(s, "HttpMethod").and_then(Node::scalar_text);
        // `/*` + `*` is the `*/*` path Terraform writes; `/~1items` + `GET` is `~1items/GET`.
        let method_path = match (resource, method) {
            (Some(res), Some(m)) => {
                let res = res.strip_prefix('/').unwrap_or(&res).to_string();
                Value::explicit(format!("{res}/{m}"), at)
            }
            _ => Value::unknown(at),
        };
        gw.method_settings
            .push(settings(r, api, stage, method_path, s));
    }
}

/// v2 `DefaultRouteSettings` and `RouteSettings: {RouteKey: {...}}`.
fn v2_route_settings(gw: &mut ApiGateway, r: &Resource, api: &Link, stage: &Link, p: &Node) {
    if let Object::Known(s) = object(p, "DefaultRouteSettings") {
        let path = Value::default_at("$default".to_string(), s.span);
        gw.method_settings.push(settings(r, api, stage, path, s));
    }
    if let Some(NodeKind::Map(routes)) = attr(p, "RouteSettings").map(|n| &n.kind) {
        for e in routes {
            let path = Value::explicit(e.key.clone(), e.key_span);
            gw.method_settings
                .push(settings(r, api, stage, path, &e.value));
        }
    }
}

fn settings(
    r: &Resource,
    api: &Link,
    stage: &Link,
    method_path: Value<String>,
    s: &Node,
) -> MethodSettings {
    let at = s.span;
    MethodSettings {
        meta: meta(r),
        api: api.clone(),
        stage: stage.clone(),
        method_path,
        span: at,
        data_trace: read::bool_or(s, "DataTraceEnabled", false, at),
        logging_level: read::string_or(s, "LoggingLevel", "OFF", at),
    }
}

/// SAM `Api`/`HttpApi` events → routes and Lambda proxy integrations, recorded on the
/// functions' triggers. Runs after every service is adapted.
pub(in crate::aws) fn sam_events(index: &Index<'_>, aws: &mut Aws) {
    for r in index.cfn("AWS::Serverless::Function") {
        let Some(fi) = index.cfn_position(Target::Function, r.span.file, &r.logical_id) else {
            continue;
        };
        let events = trustmap_cloudformation::sam::events(&r.properties);
        for (ti, (event, kind)) in events.into_iter().enumerate() {
            let kind = TriggerKind::from_sam(kind);
            if !kind.is_api() {
                continue;
            }
            let span = event.key_span.to(event.value.span);
            let props = event.value.get("Properties");
            let (api_key, implicit, api_kind) = match kind {
                TriggerKind::Api => ("RestApiId", IMPLICIT_REST_API, ApiKind::Rest),
                _ => ("ApiId", IMPLICIT_HTTP_API, ApiKind::Http),
            };
            let (api, api_resource) = match props.and_then(|p| attr(p, api_key)) {
                Some(n) => (
                    index.link(Target::Api, n),
                    n.as_ref_target()
                        .and_then(|(id, _)| index.cfn_resource(n.span.file, id)),
                ),
                None => (
                    index
                        .cfn_position(Target::Api, r.span.file, implicit)
                        .map_or_else(|| Link::unknown(span), |i| Link::parent(i, implicit, span)),
                    index.cfn_resource(r.span.file, implicit),
                ),
            };
            let api_auth = api_resource.and_then(|a| attr(&a.properties, "Auth"));
            let event_auth = props.and_then(|p| attr(p, "Auth"));
            let authorization = authorization(event_auth, api_auth, span);
            let api_key_required = event_auth
                .and_then(|a| attr(a, "ApiKeyRequired"))
                .or_else(|| api_auth.and_then(|a| attr(a, "ApiKeyRequired")))
                .map_or_else(
                    || Value::default_at(false, span),
                    |n| {
                        n.as_bool()
                            .map_or_else(|| Value::unknown(n.span), |b| Value::explicit(b, n.span))
                    },
                );
            let (method, path) = method_and_path(props, span);
            let f_meta = meta(r);
            let integration = Link::parent(aws.apigw.integrations.len(), &r.logical_id, span);
            aws.apigw.integrations.push(Integration {
                meta: f_meta.clone(),
                api: api.clone(),
                integration_type: Value::default_at("AWS_PROXY".to_string(), span),
                function: Some(Link::parent(fi, &r.logical_id, span)),
                uri: Value::unknown(span),
            });
            let route = aws.apigw.routes.len();
            aws.apigw.routes.push(Route {
                meta: f_meta,
                api,
                kind: Value::explicit(api_kind, span),
                method,
                path,
                authorization: authorization.clone(),
                api_key_required,
                integration,
            });
            if let Some(t) = aws
                .lambda
                .functions
                .get_mut(fi)
                .and_then(|f| f.triggers.get_mut(ti))
            {
                t.route = Some(route);
                t.auth = Some(authorization);
            }
        }
    }
}

/// `Method` (upper-cased; `any` is `ANY`) and `Path`; an HTTP API event with neither is the
/// `$default` route.
fn method_and_path(props: Option<&Node>, at: Span) -> (Value<String>, Value<String>) {
    let get = |k| props.and_then(|p| attr(p, k));
    match (get("Method"), get("Path")) {
        (None, None) => (
            Value::default_at("$default".to_string(), at),
            Value::default_at("$default".to_string(), at),
        ),
        (m, p) => (
            m.map_or_else(
                || Value::unknown(at),
                |m| read::string(m).map(|s| s.to_ascii_uppercase()),
            ),
            p.map_or_else(|| Value::unknown(at), read::string),
        ),
    }
}

/// The event's `Auth.Authorizer`, else the API's `Auth.DefaultAuthorizer`, else `NONE`
/// (located at the event that left it out). A named authorizer is resolved to its kind
/// through the API's `Auth.Authorizers`.
fn authorization(event_auth: Option<&Node>, api_auth: Option<&Node>, at: Span) -> Value<String> {
    let chosen = event_auth
        .and_then(|a| attr(a, "Authorizer"))
        .or_else(|| api_auth.and_then(|a| attr(a, "DefaultAuthorizer")));
    let Some(n) = chosen else {
        return Value::default_at("NONE".to_string(), at);
    };
    read::string(n).map(|name| match name.as_str() {
        "NONE" | "AWS_IAM" => name,
        _ => {
            let def = api_auth
                .and_then(|a| attr(a, "Authorizers"))
                .and_then(|a| attr(a, &name));
            match def {
                Some(d) if attr(d, "UserPoolArn").is_some() => "COGNITO_USER_POOLS".to_string(),
                Some(d) if attr(d, "JwtConfiguration").is_some() => "JWT".to_string(),
                _ => "CUSTOM".to_string(),
            }
        }
    })
}
