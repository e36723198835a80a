//! API Gateway: REST APIs (v1), HTTP and WebSocket APIs (v2), their routes, what each route
//! invokes, and the stages that serve and log them.
//!
//! A REST method and an HTTP/WebSocket route are both a [`Route`]: one entry point with its
//! authorization and its integration, so a rule (and, later, an attack path from the
//! internet to a function) reads one list whatever the API version.

use trustmap_source::Span;

use super::Link;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct ApiGateway {
    pub apis: Vec<Api>,
    pub routes: Vec<Route>,
    pub integrations: Vec<Integration>,
    pub stages: Vec<Stage>,
    /// Per-method logging and tracing settings of REST stages (`aws_api_gateway_method_settings`)
    /// and the route settings of v2 stages.
    pub method_settings: Vec<MethodSettings>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum ApiKind {
    /// API Gateway v1.
    Rest,
    /// v2, `protocol_type = "HTTP"`.
    Http,
    /// v2, `protocol_type = "WEBSOCKET"`.
    WebSocket,
}

impl ApiKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKind::Rest => "REST",
            ApiKind::Http => "HTTP",
            ApiKind::WebSocket => "WebSocket",
        }
    }
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Api {
    pub meta: ResourceMeta,
    /// Unknown when the v2 `protocol_type` cannot be evaluated.
    pub kind: Value<ApiKind>,
    pub name: Value<String>,
    /// REST: `endpoint_configuration.types` includes `PRIVATE` (reachable only through VPC
    /// endpoints). Known `false` for v2 APIs, which are always public.
    pub private: Value<bool>,
}

/// One entry point: a REST method on a resource path, or a v2 route key.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Route {
    pub meta: ResourceMeta,
    pub api: Link,
    /// The API version, from the resource type (REST) or the linked API (v2); unknown when a
    /// v2 route's API cannot be resolved.
    pub kind: Value<ApiKind>,
    /// HTTP method (`GET`, `ANY`, ...); for WebSocket routes the route key (`$connect`).
    pub method: Value<String>,
    /// The resource path (`/orders/{id}`), when it can be rebuilt; `$default` for a v2
    /// default route.
    pub path: Value<String>,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `JWT`, `COGNITO_USER_POOLS`.
    pub authorization: Value<String>,
    /// REST only: callers must send an API key (`api_key_required`, default `false`); known
    /// `false` for v2 routes.
    pub api_key_required: Value<bool>,
    /// The integration this route invokes, in [`ApiGateway::integrations`].
    pub integration: Link,
}

impl Route {
    /// `GET /orders`, `ANY /{proxy+}`, `$connect`: a label for messages.
    pub fn label(&self) -> String {
        match (self.method.get(), self.path.get()) {
            (Some(m), Some(p)) if m.starts_with('$') || p.starts_with('$') => {
                if m == p {
                    m.clone()
                } else {
                    format!("{m} {p}")
                }
            }
            (Some(m), Some(p)) => format!("{m} {p}"),
            (Some(m), None) => m.clone(),
            (None, Some(p)) => p.clone(),
            (None, None) => "unknown route".to_string(),
        }
    }

    /// Whether the route answers browsers' CORS preflight only (`OPTIONS`).
    pub fn is_preflight(&self) -> bool {
        self.method.is(|m| m.eq_ignore_ascii_case("OPTIONS"))
    }
}

/// What a route calls.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Integration {
    pub meta: ResourceMeta,
    pub api: Link,
    /// `AWS_PROXY`, `AWS`, `HTTP_PROXY`, `HTTP`, `MOCK`, ...
    pub integration_type: Value<String>,
    /// The Lambda function invoked, when the integration targets one (by reference, name or
    /// ARN); `None` for other backends.
    pub function: Option<Link>,
    /// The backend URI as written (a Lambda invoke ARN, an HTTP URL, an AWS service action).
    pub uri: Value<Option<String>>,
}

/// A deployed stage.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Stage {
    pub meta: ResourceMeta,
    pub api: Link,
    pub kind: Value<ApiKind>,
    pub name: Value<String>,
    /// The `access_log_settings` block; known `None` (located at the stage) when omitted.
    pub access_log: Value<Option<AccessLog>>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AccessLog {
    pub span: Span,
    pub destination: Value<String>,
}

/// Logging and tracing settings for one method path of a stage (`*/*` for all).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct MethodSettings {
    /// The resource that declares them (the stage itself for v2 route settings).
    pub meta: ResourceMeta,
    pub api: Link,
    /// The stage, in [`ApiGateway::stages`].
    pub stage: Link,
    /// `*/*`, `orders/GET`, a v2 route key, or `$default` for a v2 stage's default settings.
    pub method_path: Value<String>,
    /// The settings block.
    pub span: Span,
    /// Full request and response bodies written to CloudWatch (`data_trace_enabled`,
    /// default `false`).
    pub data_trace: Value<bool>,
    /// `OFF` (default), `ERROR` or `INFO`.
    pub logging_level: Value<String>,
}
