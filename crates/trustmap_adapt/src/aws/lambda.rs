//! Lambda functions, function URLs, permissions, asynchronous invocation settings and layer
//! permissions.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::lambda::{
    DEFAULT_TIMEOUT, EnvVar, EventInvokeConfig, Function, FunctionUrl, Lambda, LayerPermission,
    Permission,
};
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::TfResource;

use super::join::{Index, Target, unresolved};
use super::read::{self, Blocks, attr, blocks, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Lambda {
    let mut lambda = Lambda::default();
    for r in index.managed("aws_lambda_function") {
        lambda.functions.push(Function {
            meta: meta(r),
            name: read::string_at(&r.body, "function_name", r.span),
            role: index.link_at(Target::Role, &r.body, "role", r.span),
            environment: environment(r),
            reserved_concurrency: read::int(
                &r.body,
                "reserved_concurrent_executions",
                Some(-1),
                r.span,
            ),
            timeout: read::int(&r.body, "timeout", Some(DEFAULT_TIMEOUT), r.span),
            tracing_mode: match blocks(&r.body, "tracing_config") {
                Blocks::Absent => Value::default_at("PassThrough".to_string(), r.span),
                Blocks::Unknown(span) => Value::unknown(span),
                Blocks::Known(b) => b.first().map_or_else(
                    || Value::default_at("PassThrough".to_string(), r.span),
                    |t| read::string_or(t, "mode", "PassThrough", t.span),
                ),
            },
            dead_letter_target: match blocks(&r.body, "dead_letter_config") {
                Blocks::Absent => Value::default_at(None, r.span),
                Blocks::Unknown(span) => Value::unknown(span),
                Blocks::Known(b) => b.first().map_or_else(
                    || Value::default_at(None, r.span),
                    |d| read::opt_string(d, "target_arn", d.span),
                ),
            },
            triggers: Vec::new(),
        });
    }
    for r in index.managed("aws_lambda_function_url") {
        lambda.urls.push(FunctionUrl {
            meta: meta(r),
            function: index.link_at(Target::Function, &r.body, "function_name", r.span),
            authorization_type: read::string_at(&r.body, "authorization_type", r.span),
        });
    }
    for r in index.managed("aws_lambda_permission") {
        let b = &r.body;
        lambda.permissions.push(Permission {
            meta: meta(r),
            function: index.link_at(Target::Function, b, "function_name", r.span),
            action: read::string_at(b, "action", r.span),
            principal: read::string_at(b, "principal", r.span),
            source_arn: read::opt_string(b, "source_arn", r.span),
            source_account: read::opt_string(b, "source_account", r.span),
            principal_org_id: read::opt_string(b, "principal_org_id", r.span),
            function_url_auth_type: read::opt_string(b, "function_url_auth_type", r.span),
        });
    }
    for r in index.managed("aws_lambda_function_event_invoke_config") {
        let b = &r.body;
        let on_failure = match blocks(b, "destination_config") {
            Blocks::Absent => Value::default_at(None, r.span),
            Blocks::Unknown(span) => Value::unknown(span),
            Blocks::Known(list) => match list.first().map(|d| blocks(d, "on_failure")) {
                Some(Blocks::Known(f)) => f.first().map_or_else(
                    || Value::default_at(None, r.span),
                    |f| read::opt_string(f, "destination", f.span),
                ),
                Some(Blocks::Unknown(span)) => Value::unknown(span),
                Some(Blocks::Absent) | None => Value::default_at(None, r.span),
            },
        };
        lambda.invoke_configs.push(EventInvokeConfig {
            meta: meta(r),
            function: index.link_at(Target::Function, b, "function_name", r.span),
            on_failure,
        });
    }
    for r in index.managed("aws_lambda_layer_version_permission") {
        let b = &r.body;
        lambda.layer_permissions.push(LayerPermission {
            meta: meta(r),
            layer: attr(b, "layer_name").map_or_else(|| Link::unknown(r.span), unresolved),
            principal: read::string_at(b, "principal", r.span),
            organization_id: read::opt_string(b, "organization_id", r.span),
        });
    }
    super::cloudformation::lambda::adapt(index, &mut lambda);
    lambda
}

/// `environment { variables = { NAME = value } }`; no block means no variables.
fn environment(r: &TfResource) -> Value<Vec<EnvVar>> {
    let env = match blocks(&r.body, "environment") {
        Blocks::Absent => return Value::default_at(Vec::new(), r.span),
        Blocks::Unknown(span) => return Value::unknown(span),
        Blocks::Known(list) => list,
    };
    let mut vars = Vec::new();
    let mut span = r.span;
    for block in env {
        span = block.span;
        let Some(v) = attr(block, "variables") else {
            continue;
        };
        match &v.kind {
            NodeKind::Map(entries) => vars.extend(entries.iter().map(|e| EnvVar {
                name: e.key.clone(),
                name_span: e.key_span,
                value: with_outer_via(read::string(&e.value), v),
            })),
            _ => return Value::unknown(v.span).with_via(v.via.clone()),
        }
    }
    Value::explicit(vars, span)
}

/// A map that came through a variable passes its provenance to each element.
fn with_outer_via(mut value: Value<String>, outer: &Node) -> Value<String> {
    if value.via.is_empty() {
        value.via = outer.via.clone();
    }
    value
}
