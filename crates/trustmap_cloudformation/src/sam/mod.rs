//! The SAM transform (`AWS::Serverless-2016-10-31`), as far as security needs it.
//!
//! SAM expands each serverless resource into plain CloudFormation. trustmap keeps the
//! serverless resources themselves (adapters read `AWS::Serverless::Function`, its `Events`
//! and the serverless APIs directly) and adds the resources SAM would generate that carry
//! identity or exposure, under the logical ids SAM gives them:
//!
//! - `<Function>Role` (`AWS::IAM::Role`) when a function names no `Role`: trusted by Lambda,
//!   with `AWSLambdaBasicExecutionRole`, and the function's `Policies` — managed policy names
//!   and ARNs, inline documents, and [policy templates](policies) expanded into statements.
//!   The function's `Role` is set to this role's `Arn`.
//! - `<Function>Url` (`AWS::Lambda::Url`) for `FunctionUrlConfig`.
//! - `ServerlessRestApi` / `ServerlessHttpApi` (`AWS::Serverless::Api` / `HttpApi`, with
//!   `Globals.Api` / `Globals.HttpApi`) when an `Api` / `HttpApi` event names no API.
//! - `<Function><Event>Permission` (`AWS::Lambda::Permission`) for each event a service
//!   pushes to the function (`S3`, `SNS`, `Schedule`, `EventBridgeRule`, `Api`, ...): the
//!   service principal, with the source SAM scopes it to (unknown here: a generated ARN or
//!   the account id). Polled sources (`SQS`, `Kinesis`, `DynamoDB`, ...) need none.
//!
//! Generated resources are spanned at the text that asked for them and carry a `via` hop
//! naming the SAM resource, and they share its `Condition`.

pub mod policies;

use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::{Entry, Node, NodeKind};

use crate::Resource;
use crate::eval::{Eval, resource_ref};

/// The implicit REST API's logical id.
pub const IMPLICIT_REST_API: &str = "ServerlessRestApi";
/// The implicit HTTP API's logical id.
pub const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

/// The managed policy SAM attaches to every implicit function role.
pub const BASIC_EXECUTION_ROLE: &str =
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// Logical ids SAM may generate for these resources, so `Ref`/`Fn::GetAtt` on them resolve.
pub(crate) fn implicit_ids(resources: &[Entry]) -> Vec<String> {
    let mut ids = vec![IMPLICIT_REST_API.to_string(), IMPLICIT_HTTP_API.to_string()];
    for e in resources {
        if e.value.get("Type").and_then(Node::as_str) == Some("AWS::Serverless::Function") {
            ids.push(format!("{}Role", e.key));
            ids.push(format!("{}Url", e.key));
            if let Some(events) = e
                .value
                .path(&["Properties", "Events"])
                .and_then(Node::as_map)
            {
                ids.extend(
                    events
                        .iter()
                        .map(|ev| format!("{}{}Permission", e.key, ev.key)),
                );
            }
        }
    }
    ids
}

/// Adds the generated resources after the resource that generated them.
pub(crate) fn transform(ev: &mut Eval<'_>, globals: Option<&Node>, resources: &mut Vec<Resource>) {
    let defined: std::collections::HashSet<String> =
        resources.iter().map(|r| r.logical_id.clone()).collect();
    let mut out = Vec::with_capacity(resources.len());
    let mut implicit_rest: Option<(Span, Via)> = None;
    let mut implicit_http: Option<(Span, Via)> = None;
    for mut r in resources.drain(..) {
        let mut generated = Vec::new();
        if r.rtype == "AWS::Serverless::Function" && r.properties.as_map().is_some() {
            function(ev, &mut r, &mut generated);
            for (event, kind) in events(&r.properties) {
                let props = event.value.get("Properties");
                let slot = match kind {
                    "Api" if props.and_then(|p| p.get("RestApiId")).is_none() => &mut implicit_rest,
                    "HttpApi" if props.and_then(|p| p.get("ApiId")).is_none() => &mut implicit_http,
                    _ => continue,
                };
                slot.get_or_insert_with(|| {
                    (
                        event.key_span.to(event.value.span),
                        hop(
                            format!("SAM event `{}` of `{}`", event.key, r.logical_id),
                            event.key_span,
                        ),
                    )
                });
            }
        }
        out.push(r);
        out.extend(generated);
    }
    for (id, rtype, section, need) in [
        (
            IMPLICIT_REST_API,
            "AWS::Serverless::Api",
            "Api",
            implicit_rest,
        ),
        (
            IMPLICIT_HTTP_API,
            "AWS::Serverless::HttpApi",
            "HttpApi",
            implicit_http,
        ),
    ] {
        let Some((span, via)) = need else { continue };
        if defined.contains(id) {
            continue;
        }
        let mut properties = globals
            .and_then(|g| g.get(section))
            .and_then(|g| ev.value(g, 0))
            .filter(|p| p.as_map().is_some())
            .map_or_else(
                || Node::new(NodeKind::Map(Vec::new()), span),
                |mut p| {
                    p.span = span;
                    p
                },
            );
        // SAM deploys the implicit REST API to a stage named `Prod`.
        if section == "Api" && properties.get("StageName").is_none() {
            set(
                &mut properties,
                "StageName",
                span,
                Node::string("Prod", span),
            );
        }
        out.push(Resource {
            logical_id: id.to_string(),
            rtype: rtype.to_string(),
            properties,
            span,
            id_span: span,
            condition: None,
            via: vec![via],
        });
    }
    *resources = out;
}

/// `(event, Type)` for each entry of a function's `Events`.
pub fn events(properties: &Node) -> Vec<(&Entry, &str)> {
    properties
        .get("Events")
        .and_then(Node::as_map)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| Some((e, e.value.get("Type")?.as_str()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn hop(note: String, span: Span) -> Via {
    Via {
        kind: ViaKind::Other { note },
        span,
    }
}

/// Event types that invoke through a resource-based permission, and the service principal
/// SAM grants it to.
const PUSH_EVENTS: &[(&str, &str)] = &[
    ("S3", "s3.amazonaws.com"),
    ("SNS", "sns.amazonaws.com"),
    ("Schedule", "events.amazonaws.com"),
    ("EventBridgeRule", "events.amazonaws.com"),
    ("CloudWatchEvent", "events.amazonaws.com"),
    ("ScheduleV2", "scheduler.amazonaws.com"),
    ("CloudWatchLogs", "logs.amazonaws.com"),
    ("IoTRule", "iot.amazonaws.com"),
    ("Cognito", "cognito-idp.amazonaws.com"),
    ("Api", "apigateway.amazonaws.com"),
    ("HttpApi", "apigateway.amazonaws.com"),
];

/// `<Function><Event>Permission` for each pushed event. S3 permissions are scoped to the
/// account (`SourceAccount`), the others to the generated source (`SourceArn`): both unknown.
fn event_permissions(r: &Resource, via: &Via, generated: &mut Vec<Resource>) {
    for (event, kind) in events(&r.properties) {
        let Some((_, principal)) = PUSH_EVENTS.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let span = event.key_span.to(event.value.span);
        let at = event.key_span;
        let scope = if kind == "S3" {
            "SourceAccount"
        } else {
            "SourceArn"
        };
        let properties = map(
            vec![
                entry("Action", at, Node::string("lambda:InvokeFunction", at)),
                entry("FunctionName", at, resource_ref(&r.logical_id, "", at)),
                entry("Principal", at, Node::string(*principal, at)),
                entry(scope, at, Node::unknown(at)),
            ],
            span,
        );
        generated.push(Resource {
            logical_id: format!("{}{}Permission", r.logical_id, event.key),
            rtype: "AWS::Lambda::Permission".to_string(),
            properties,
            span,
            id_span: at,
            condition: r.condition.clone(),
            via: vec![via.clone()],
        });
    }
}

/// The implicit role, the function URL and the event permissions of one function.
fn function(ev: &mut Eval<'_>, r: &mut Resource, generated: &mut Vec<Resource>) {
    let id = r.logical_id.clone();
    let via = hop(format!("SAM function `{id}`"), r.id_span);
    if r.properties.get("Role").is_none() {
        let role = implicit_role(ev, r, &via);
        set(
            &mut r.properties,
            "Role",
            r.id_span,
            resource_ref(&role.logical_id, "Arn", r.span),
        );
        generated.push(role);
    }
    if let Some(cfg) = r
        .properties
        .entry("FunctionUrlConfig")
        .filter(|c| c.value.as_map().is_some())
    {
        let mut props = vec![entry(
            "TargetFunctionArn",
            cfg.key_span,
            resource_ref(&id, "", cfg.key_span),
        )];
        props.extend(cfg.value.as_map().unwrap_or_default().iter().cloned());
        generated.push(Resource {
            logical_id: format!("{id}Url"),
            rtype: "AWS::Lambda::Url".to_string(),
            properties: Node::new(NodeKind::Map(props), cfg.value.span),
            span: cfg.key_span.to(cfg.value.span),
            id_span: cfg.key_span,
            condition: r.condition.clone(),
            via: vec![via.clone()],
        });
    }
    event_permissions(r, &via, generated);
}

/// `<Function>Role`: trusted by Lambda, with the basic execution policy and `Policies`.
fn implicit_role(ev: &mut Eval<'_>, r: &Resource, via: &Via) -> Resource {
    let span = r.span;
    let props = &r.properties;
    let trust = props
        .get("AssumeRolePolicyDocument")
        .cloned()
        .unwrap_or_else(|| lambda_trust(span));
    let mut managed = vec![Node::string(BASIC_EXECUTION_ROLE, span)];
    let mut documents = Vec::new();
    if let Some(p) = props.get("Policies") {
        policies::read(ev, p, &mut managed, &mut documents);
    }
    let inline = documents
        .into_iter()
        .enumerate()
        .map(|(i, doc)| {
            let at = doc.span;
            map(
                vec![
                    entry(
                        "PolicyName",
                        at,
                        Node::string(format!("{}RolePolicy{i}", r.logical_id), at),
                    ),
                    entry("PolicyDocument", at, doc),
                ],
                at,
            )
        })
        .collect();
    let mut entries = vec![
        entry("AssumeRolePolicyDocument", span, trust),
        entry(
            "ManagedPolicyArns",
            span,
            Node::new(NodeKind::Seq(managed), span),
        ),
        entry("Policies", span, Node::new(NodeKind::Seq(inline), span)),
    ];
    if let Some(b) = props.entry("PermissionsBoundary") {
        entries.push(b.clone());
    }
    Resource {
        logical_id: format!("{}Role", r.logical_id),
        rtype: "AWS::IAM::Role".to_string(),
        properties: map(entries, span),
        span,
        id_span: r.id_span,
        condition: r.condition.clone(),
        via: vec![via.clone()],
    }
}

/// The trust policy SAM gives function roles: `lambda.amazonaws.com` may assume it.
fn lambda_trust(at: Span) -> Node {
    let s = |v: &str| Node::string(v, at);
    let seq = |v: Vec<Node>| Node::new(NodeKind::Seq(v), at);
    let statement = map(
        vec![
            entry("Effect", at, s("Allow")),
            entry(
                "Principal",
                at,
                map(
                    vec![entry("Service", at, seq(vec![s("lambda.amazonaws.com")]))],
                    at,
                ),
            ),
            entry("Action", at, seq(vec![s("sts:AssumeRole")])),
        ],
        at,
    );
    map(
        vec![
            entry("Version", at, s("2012-10-17")),
            entry("Statement", at, seq(vec![statement])),
        ],
        at,
    )
}

pub(crate) fn entry(key: &str, key_span: Span, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span,
        value,
    }
}

pub(crate) fn map(entries: Vec<Entry>, span: Span) -> Node {
    Node::new(NodeKind::Map(entries), span)
}

/// Sets (or replaces) a key of a map node.
fn set(n: &mut Node, key: &str, key_span: Span, value: Node) {
    if let NodeKind::Map(entries) = &mut n.kind {
        entries.retain(|e| e.key != key);
        entries.push(entry(key, key_span, value));
    }
}
