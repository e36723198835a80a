//! Lambda functions and the ways they can be invoked: function URLs and resource-based
//! permissions; what happens when an asynchronous invocation fails; who may use a layer.

use trustmap_source::Span;

use super::Link;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Lambda {
    pub functions: Vec<Function>,
    pub urls: Vec<FunctionUrl>,
    pub permissions: Vec<Permission>,
    /// Asynchronous invocation settings (`aws_lambda_function_event_invoke_config`).
    pub invoke_configs: Vec<EventInvokeConfig>,
    /// Grants on layer versions (`aws_lambda_layer_version_permission`).
    pub layer_permissions: Vec<LayerPermission>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Function {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// The execution role.
    pub role: Link,
    /// `environment.variables`; known-empty when there is no `environment` block.
    pub environment: Value<Vec<EnvVar>>,
    /// `reserved_concurrent_executions`: `-1` (the default) leaves the function on the
    /// account's shared pool, `0` disables it.
    pub reserved_concurrency: Value<i64>,
    /// Seconds before an invocation is stopped (default 3, at most 900).
    pub timeout: Value<i64>,
    /// X-Ray `tracing_config.mode`: `PassThrough` (default) or `Active`.
    pub tracing_mode: Value<String>,
    /// `dead_letter_config.target_arn`: where failed asynchronous events go; known `None`
    /// when omitted.
    pub dead_letter_target: Value<Option<String>>,
    /// Event sources declared with the function (SAM `Events`).
    pub triggers: Vec<Trigger>,
}

/// One event source that invokes a function.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Trigger {
    /// The event's name (the key under SAM `Events`).
    pub name: String,
    /// The event's block.
    pub span: Span,
    pub kind: TriggerKind,
    /// What fires it: the bucket, queue, topic, stream or table (by reference, name or ARN),
    /// the schedule expression, or for API events the route (`GET /items`).
    pub source: Value<String>,
    /// For API events: the route in [`super::apigw::ApiGateway::routes`] the event defines.
    pub route: Option<usize>,
    /// For API events: `NONE`, `AWS_IAM`, or the authorizer that guards the route (the event's
    /// own, else the API's default, located where it is written or at the event that
    /// omitted it). `None` for other kinds.
    pub auth: Option<Value<String>>,
}

/// The kinds of event sources.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum TriggerKind {
    /// API Gateway REST API (SAM `Api`).
    Api,
    /// API Gateway HTTP API (SAM `HttpApi`).
    HttpApi,
    S3,
    Sqs,
    Sns,
    Schedule,
    EventBridgeRule,
    DynamoDb,
    Kinesis,
    /// Any other event type, as written.
    Other(String),
}

impl TriggerKind {
    /// SAM's event `Type` → kind.
    pub fn from_sam(t: &str) -> Self {
        match t {
            "Api" => TriggerKind::Api,
            "HttpApi" => TriggerKind::HttpApi,
            "S3" => TriggerKind::S3,
            "SQS" => TriggerKind::Sqs,
            "SNS" => TriggerKind::Sns,
            "Schedule" | "ScheduleV2" => TriggerKind::Schedule,
            "EventBridgeRule" | "CloudWatchEvent" => TriggerKind::EventBridgeRule,
            "DynamoDB" => TriggerKind::DynamoDb,
            "Kinesis" => TriggerKind::Kinesis,
            other => TriggerKind::Other(other.to_string()),
        }
    }

    /// The kind's name, as SAM spells it.
    pub fn as_str(&self) -> &str {
        match self {
            TriggerKind::Api => "Api",
            TriggerKind::HttpApi => "HttpApi",
            TriggerKind::S3 => "S3",
            TriggerKind::Sqs => "SQS",
            TriggerKind::Sns => "SNS",
            TriggerKind::Schedule => "Schedule",
            TriggerKind::EventBridgeRule => "EventBridgeRule",
            TriggerKind::DynamoDb => "DynamoDB",
            TriggerKind::Kinesis => "Kinesis",
            TriggerKind::Other(s) => s,
        }
    }

    /// Reachable over HTTP through API Gateway.
    pub fn is_api(&self) -> bool {
        matches!(self, TriggerKind::Api | TriggerKind::HttpApi)
    }
}

/// Lambda's documented default timeout, in seconds.
pub const DEFAULT_TIMEOUT: i64 = 3;
/// The longest timeout Lambda accepts, in seconds.
pub const MAX_TIMEOUT: i64 = 900;

/// `aws_lambda_function_event_invoke_config`: retries and destinations of asynchronous
/// invocations of one function.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct EventInvokeConfig {
    pub meta: ResourceMeta,
    pub function: Link,
    /// `destination_config.on_failure.destination`; known `None` when omitted.
    pub on_failure: Value<Option<String>>,
}

/// `aws_lambda_layer_version_permission`: who may use a layer version.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct LayerPermission {
    pub meta: ResourceMeta,
    /// The layer (`layer_name`: a name, an ARN or a reference to `aws_lambda_layer_version`).
    pub layer: Link,
    /// An account ID or `*`.
    pub principal: Value<String>,
    /// Limits a `*` grant to one AWS Organization.
    pub organization_id: Value<Option<String>>,
}

/// One environment variable.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct EnvVar {
    pub name: String,
    pub name_span: Span,
    pub value: Value<String>,
}

/// `aws_lambda_function_url`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FunctionUrl {
    pub meta: ResourceMeta,
    pub function: Link,
    /// `AWS_IAM` or `NONE`.
    pub authorization_type: Value<String>,
}

/// `aws_lambda_permission`: a resource-based policy statement on a function.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Permission {
    pub meta: ResourceMeta,
    pub function: Link,
    pub action: Value<String>,
    /// An account ID, an ARN, a service principal (`s3.amazonaws.com`) or `*`.
    pub principal: Value<String>,
    pub source_arn: Value<Option<String>>,
    pub source_account: Value<Option<String>>,
    pub principal_org_id: Value<Option<String>>,
    pub function_url_auth_type: Value<Option<String>>,
}

/// AWS services that invoke functions asynchronously (events are queued, retried and
/// dropped after the last retry unless a destination catches them).
const ASYNC_INVOKERS: &[&str] = &[
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "ses.amazonaws.com",
    "iot.amazonaws.com",
    "logs.amazonaws.com",
    "config.amazonaws.com",
    "codecommit.amazonaws.com",
    "cloudformation.amazonaws.com",
];

impl Permission {
    /// The principal is a service that invokes asynchronously (`None`: unknown principal).
    pub fn is_async_invoker(&self) -> Option<bool> {
        self.principal
            .get()
            .map(|p| ASYNC_INVOKERS.iter().any(|s| s.eq_ignore_ascii_case(p)))
    }

    /// The principal is an AWS service (`events.amazonaws.com`, `s3.amazonaws.com`, ...).
    pub fn is_service_principal(&self) -> Option<bool> {
        self.principal
            .get()
            .map(|p| p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn"))
    }
}
