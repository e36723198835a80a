//! Lambda: `AWS::Lambda::Function` and `AWS::Serverless::Function` (the same properties for
//! what the model holds; SAM's `Events` become triggers, `Tracing`, `DeadLetterQueue` and
//! `EventInvokeConfig` its spellings of the same settings), `AWS::Lambda::Url` (SAM's
//! `FunctionUrlConfig` arrives as one), `AWS::Lambda::Permission`,
//! `AWS::Lambda::EventInvokeConfig` and `AWS::Lambda::LayerVersionPermission`.

use trustmap_cloudformation::Resource;
use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::lambda::{
    DEFAULT_TIMEOUT, EnvVar, EventInvokeConfig, Function, FunctionUrl, Lambda, LayerPermission,
    Permission, Trigger, TriggerKind,
};
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::{Object, meta, object};
use crate::aws::join::{Index, Target, unresolved};
use crate::aws::read::{self, attr};

/// The properties of each event type that name its source.
const EVENT_SOURCES: &[(&str, &[&str])] = &[
    ("S3", &["Bucket"]),
    ("SQS", &["Queue"]),
    ("SNS", &["Topic"]),
    ("Kinesis", &["Stream"]),
    ("DynamoDB", &["Stream"]),
    ("MSK", &["Stream"]),
    ("MQ", &["Broker"]),
    ("Schedule", &["Schedule"]),
    ("ScheduleV2", &["ScheduleExpression"]),
    ("EventBridgeRule", &["EventBusName", "Pattern"]),
    ("CloudWatchEvent", &["EventBusName", "Pattern"]),
    ("CloudWatchLogs", &["LogGroupName"]),
    ("Cognito", &["UserPool"]),
    ("IoTRule", &["Sql"]),
];

pub(in crate::aws) fn adapt(index: &Index<'_>, lambda: &mut Lambda) {
    for rtype in ["AWS::Lambda::Function", "AWS::Serverless::Function"] {
        for r in index.cfn(rtype) {
            function(index, lambda, r, rtype == "AWS::Serverless::Function");
        }
    }
    for r in index.cfn("AWS::Lambda::Url") {
        let p = &r.properties;
        lambda.urls.push(FunctionUrl {
            meta: meta(r),
            function: index.link_at(Target::Function, p, "TargetFunctionArn", r.span),
            authorization_type: read::string_at(p, "AuthType", r.span),
        });
    }
    for r in index.cfn("AWS::Lambda::Permission") {
        let p = &r.properties;
        lambda.permissions.push(Permission {
            meta: meta(r),
            function: index.link_at(Target::Function, p, "FunctionName", r.span),
            action: read::string_at(p, "Action", r.span),
            principal: read::string_at(p, "Principal", r.span),
            source_arn: read::opt_string(p, "SourceArn", r.span),
            source_account: read::opt_string(p, "SourceAccount", r.span),
            principal_org_id: read::opt_string(p, "PrincipalOrgID", r.span),
            function_url_auth_type: read::opt_string(p, "FunctionUrlAuthType", r.span),
        });
    }
    for r in index.cfn("AWS::Lambda::EventInvokeConfig") {
        let p = &r.properties;
        lambda.invoke_configs.push(EventInvokeConfig {
            meta: meta(r),
            function: index.link_at(Target::Function, p, "FunctionName", r.span),
            on_failure: on_failure(p, r.span),
        });
    }
    for r in index.cfn("AWS::Lambda::LayerVersionPermission") {
        let p = &r.properties;
        lambda.layer_permissions.push(LayerPermission {
            meta: meta(r),
            layer: attr(p, "LayerVersionArn").map_or_else(|| Link::unknown(r.span), unresolved),
            principal: read::string_at(p, "Principal", r.span),
            organization_id: read::opt_string(p, "OrganizationId", r.span),
        });
    }
}

fn function(index: &Index<'_>, lambda: &mut Lambda, r: &Resource, sam: bool) {
    let p = &r.properties;
    let at = r.span;
    let i = lambda.functions.len();
    if sam && let Object::Known(cfg) = object(p, "EventInvokeConfig") {
        lambda.invoke_configs.push(EventInvokeConfig {
            meta: meta(r),
            function: Link::parent(i, &r.logical_id, r.span),
            on_failure: on_failure(cfg, cfg.span),
        });
    }
    let (tracing_key, dlq) = if sam {
        ("Tracing", ("DeadLetterQueue", "TargetArn"))
    } else {
        ("TracingConfig", ("DeadLetterConfig", "TargetArn"))
    };
    let tracing_mode = if sam {
        read::string_or(p, tracing_key, "PassThrough", at)
    } else {
        match object(p, tracing_key) {
            Object::Absent => Value::default_at("PassThrough".to_string(), at),
            Object::Unknown(span) => Value::unknown(span),
            Object::Known(t) => read::string_or(t, "Mode", "PassThrough", t.span),
        }
    };
    let dead_letter_target = match object(p, dlq.0) {
        Object::Absent => Value::default_at(None, at),
        Object::Unknown(span) => Value::unknown(span),
        Object::Known(d) => read::opt_string(d, dlq.1, d.span),
    };
    lambda.functions.push(Function {
        meta: meta(r),
        name: read::string_at(p, "FunctionName", at),
        role: index.link_at(Target::Role, p, "Role", at),
        environment: environment(p, at),
        reserved_concurrency: read::int(p, "ReservedConcurrentExecutions", Some(-1), at),
        timeout: read::int(p, "Timeout", Some(DEFAULT_TIMEOUT), at),
        tracing_mode,
        dead_letter_target,
        triggers: if sam { triggers(p) } else { Vec::new() },
    });
}

/// `Environment: {Variables: {NAME: value}}`; no `Environment` means no variables.
fn environment(p: &Node, at: Span) -> Value<Vec<EnvVar>> {
    let env = match object(p, "Environment") {
        Object::Absent => return Value::default_at(Vec::new(), at),
        Object::Unknown(span) => return Value::unknown(span),
        Object::Known(env) => env,
    };
    let Some(vars) = attr(env, "Variables") else {
        return Value::explicit(Vec::new(), env.span);
    };
    match &vars.kind {
        NodeKind::Map(entries) => Value::explicit(
            entries
                .iter()
                .map(|e| EnvVar {
                    name: e.key.clone(),
                    name_span: e.key_span,
                    value: read::string(&e.value),
                })
                .collect(),
            env.span,
        ),
        _ => Value::unknown(vars.span).with_via(vars.via.clone()),
    }
}

/// `DestinationConfig.OnFailure.Destination`, known `None` when omitted.
fn on_failure(cfg: &Node, at: Span) -> Value<Option<String>> {
    match object(cfg, "DestinationConfig") {
        Object::Absent => Value::default_at(None, at),
        Object::Unknown(span) => Value::unknown(span),
        Object::Known(d) => match object(d, "OnFailure") {
            Object::Absent => Value::default_at(None, d.span),
            Object::Unknown(span) => Value::unknown(span),
            Object::Known(f) => read::opt_string(f, "Destination", f.span),
        },
    }
}

/// SAM `Events`. API events get their route and authorization from the API pass
/// ([`super::apigw::sam_events`]); here they name the route.
fn triggers(p: &Node) -> Vec<Trigger> {
    trustmap_cloudformation::sam::events(p)
        .into_iter()
        .map(|(e, kind)| {
            let span = e.key_span.to(e.value.span);
            let props = e.value.get("Properties");
            let kind = TriggerKind::from_sam(kind);
            let source = if kind.is_api() {
                route_label(props, span)
            } else {
                EVENT_SOURCES
                    .iter()
                    .find(|(t, _)| *t == kind.as_str())
                    .and_then(|(_, keys)| keys.iter().find_map(|k| props.and_then(|p| attr(p, k))))
                    .map_or_else(|| Value::unknown(span), source_value)
            };
            Trigger {
                name: e.key.clone(),
                span,
                kind,
                source,
                route: None,
                auth: None,
            }
        })
        .collect()
}

/// `GET /items` from an API event's `Method` and `Path`.
fn route_label(props: Option<&Node>, at: Span) -> Value<String> {
    let get = |k| props.and_then(|p| attr(p, k)).and_then(Node::scalar_text);
    match (get("Method"), get("Path")) {
        (Some(m), Some(p)) => Value::explicit(format!("{} {p}", m.to_ascii_uppercase()), at),
        // An HTTP API event without path and method is the `$default` route.
        (None, None) => Value::explicit("$default".to_string(), at),
        _ => Value::unknown(at),
    }
}

/// A source as text: its logical id for a reference, else the name, ARN or expression.
fn source_value(n: &Node) -> Value<String> {
    match n.as_ref_target() {
        Some((id, _)) => Value::explicit(id.to_string(), n.span),
        None if n.as_map().is_some() => Value::explicit("event pattern".to_string(), n.span),
        None => read::string(n),
    }
}
