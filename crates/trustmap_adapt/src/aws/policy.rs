//! IAM policy JSON (from `jsonencode`, a heredoc, a file or an `aws_iam_policy_document`
//! data source) into the typed [`PolicyDocument`], parsed once for every rule.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::policy::{
    Condition, Effect, PolicyDocument, Principal, PrincipalKind, ResourcePolicy, Statement,
};
use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::Mode;

use super::join::{Index, Target};
use super::read;

/// The document held by an argument; unknown when it cannot be read.
pub(crate) fn document(n: &Node, index: &Index<'_>) -> Value<PolicyDocument> {
    document_at_depth(n, index, 0)
}

/// Reads an optional policy argument.
pub(crate) fn document_at(
    body: &Node,
    key: &str,
    at: Span,
    index: &Index<'_>,
) -> Value<PolicyDocument> {
    read::attr(body, key).map_or_else(|| Value::unknown(at), |n| document(n, index))
}

fn document_at_depth(n: &Node, index: &Index<'_>, depth: u8) -> Value<PolicyDocument> {
    let unknown = || Value::unknown(n.span).with_via(n.via.clone());
    match &n.kind {
        // `data.aws_iam_policy_document.x.json` left as a reference: read the rendering the
        // evaluator stored on the data source.
        NodeKind::Ref { address, .. } if depth == 0 => {
            let Some(data) = index
                .resource(address)
                .filter(|r| r.mode == Mode::Data && r.rtype == "aws_iam_policy_document")
            else {
                return unknown();
            };
            let Some(rendered) = read::attr(&data.body, "json") else {
                return unknown();
            };
            let mut v = document_at_depth(rendered, index, depth + 1);
            v.span = n.span;
            v.via.insert(
                0,
                Via {
                    kind: ViaKind::Other {
                        note: format!("policy document `{}`", data.address),
                    },
                    span: data.span,
                },
            );
            v
        }
        NodeKind::Json { tree, .. } => parse_tree(tree, index).map_or_else(unknown, |d| {
            Value::explicit(d, n.span).with_via(n.via.clone())
        }),
        NodeKind::Map(_) => parse_tree(n, index).map_or_else(unknown, |d| {
            Value::explicit(d, n.span).with_via(n.via.clone())
        }),
        NodeKind::String(text) => {
            // A JSON string the evaluator did not decode (escaped quotes, a template): spans
            // fall back to the argument.
            match trustmap_syntax::json::parse_str_at(
                text,
                n.span.file,
                n.span.start as usize,
                false,
                n.span,
            ) {
                Ok(tree) => parse_tree(&tree, index).map_or_else(unknown, |d| {
                    Value::explicit(d, n.span).with_via(n.via.clone())
                }),
                Err(_) => unknown(),
            }
        }
        _ => unknown(),
    }
}

/// `None` when the `Statement` element itself cannot be read.
fn parse_tree(tree: &Node, index: &Index<'_>) -> Option<PolicyDocument> {
    tree.as_map()?;
    let statements = match tree.get_ci("Statement") {
        None => Vec::new(),
        Some(s) if s.is_unknown() => return None,
        Some(s) => s
            .one_or_many()
            .into_iter()
            .map(|st| statement(st, index))
            .collect(),
    };
    Some(PolicyDocument {
        span: tree.span,
        statements,
    })
}

fn statement(st: &Node, index: &Index<'_>) -> Statement {
    let list = |key: &str| st.get_ci(key).map_or_else(Vec::new, elements);
    let effect = match st.get_ci("Effect") {
        None => Value::unknown(st.span),
        Some(e) => match e.as_str() {
            Some("Allow") => Value::explicit(Effect::Allow, e.span),
            Some("Deny") => Value::explicit(Effect::Deny, e.span),
            _ => Value::unknown(e.span),
        }
        .with_via(e.via.clone()),
    };
    // A statement the evaluator could not build at all decides nothing.
    if st.as_map().is_none() {
        let unknown = vec![Value::unknown(st.span)];
        return Statement {
            span: st.span,
            sid: None,
            effect,
            actions: unknown.clone(),
            not_actions: Vec::new(),
            resources: unknown,
            not_resources: Vec::new(),
            principals: Vec::new(),
            not_principals: Vec::new(),
            conditions: Vec::new(),
        };
    }
    Statement {
        span: st.span,
        sid: st.get_ci("Sid").map(read::string),
        effect,
        actions: list("Action"),
        not_actions: list("NotAction"),
        resources: list("Resource"),
        not_resources: list("NotResource"),
        principals: st
            .get_ci("Principal")
            .map_or_else(Vec::new, |p| principals(p, index)),
        not_principals: st
            .get_ci("NotPrincipal")
            .map_or_else(Vec::new, |p| principals(p, index)),
        conditions: st.get_ci("Condition").map_or_else(Vec::new, conditions),
    }
}

/// `"x"` or `["x", "y"]`, each element spanned; an unknown list is one unknown element.
fn elements(n: &Node) -> Vec<Value<String>> {
    read::strings(n)
}

fn principals(p: &Node, index: &Index<'_>) -> Vec<Principal> {
    match &p.kind {
        NodeKind::Map(entries) => entries
            .iter()
            .flat_map(|e| {
                let kind = match e.key.to_ascii_lowercase().as_str() {
                    "aws" => PrincipalKind::Aws,
                    "service" => PrincipalKind::Service,
                    "federated" => PrincipalKind::Federated,
                    "canonicaluser" => PrincipalKind::CanonicalUser,
                    "*" => PrincipalKind::Everyone,
                    _ => PrincipalKind::Other(e.key.clone()),
                };
                let ids: Vec<&Node> = if e.value.is_unknown() {
                    vec![&e.value]
                } else {
                    e.value.one_or_many()
                };
                ids.into_iter()
                    .map(|id| Principal {
                        kind: kind.clone(),
                        id: read::string(id),
                        provider_url: (kind == PrincipalKind::Federated)
                            .then(|| oidc_provider_url(id, index))
                            .flatten(),
                    })
                    .collect::<Vec<_>>()
            })
            .collect(),
        _ if p.as_str() == Some("*") => vec![Principal {
            kind: PrincipalKind::Everyone,
            id: read::string(p),
            provider_url: None,
        }],
        _ => vec![Principal {
            kind: PrincipalKind::Unknown,
            id: Value::unknown(p.span).with_via(p.via.clone()),
            provider_url: None,
        }],
    }
}

/// The `url` of the OIDC provider a federated principal references, when the scan defines it.
fn oidc_provider_url(id: &Node, index: &Index<'_>) -> Option<Value<String>> {
    let (address, _) = id.as_ref_target()?;
    if index.position(Target::OidcProvider, address).is_none() {
        // A CloudFormation `AWS::IAM::OIDCProvider` of the same template.
        index.cfn_position(Target::OidcProvider, id.span.file, address)?;
        let provider = index.cfn_resource(id.span.file, address)?;
        return read::attr(&provider.properties, "Url").map(read::string);
    }
    let provider = index.resource(address)?;
    let url = read::attr(&provider.body, "url")?;
    Some(read::string(url))
}

fn conditions(c: &Node) -> Vec<Condition> {
    let Some(ops) = c.as_map() else {
        return vec![unknown_condition(c)];
    };
    let mut out = Vec::new();
    for op in ops {
        let operator = Value::explicit(op.key.clone(), op.key_span);
        match op.value.as_map() {
            Some(keys) => {
                for k in keys {
                    out.push(Condition {
                        span: op.key_span.to(k.value.span),
                        operator: operator.clone(),
                        key: Value::explicit(k.key.clone(), k.key_span),
                        values: elements(&k.value),
                    });
                }
            }
            None => out.push(Condition {
                span: op.value.span,
                operator,
                key: Value::unknown(op.value.span),
                values: vec![Value::unknown(op.value.span)],
            }),
        }
    }
    out
}

fn unknown_condition(c: &Node) -> Condition {
    Condition {
        span: c.span,
        operator: Value::unknown(c.span),
        key: Value::unknown(c.span),
        values: vec![Value::unknown(c.span)],
    }
}

/// The inline `policy` argument of a resource that takes one (`aws_sqs_queue`,
/// `aws_kms_key`, ...), linked to that resource at position `i` of its model list.
pub(crate) fn inline_resource_policy(
    r: &trustmap_terraform::TfResource,
    i: usize,
    index: &Index<'_>,
) -> Option<ResourcePolicy> {
    read::attr(&r.body, "policy").map(|p| ResourcePolicy {
        meta: read::meta(r),
        target: Link::parent(i, &r.address, r.span),
        document: document(p, index),
    })
}

/// Every separate policy resource of `rtype` (`aws_sqs_queue_policy`, ...), linked to its
/// `target` through the argument `link_arg`.
pub(crate) fn separate_resource_policies(
    index: &Index<'_>,
    rtype: &str,
    target: Target,
    link_arg: &str,
) -> Vec<ResourcePolicy> {
    index
        .managed(rtype)
        .iter()
        .map(|r| ResourcePolicy {
            meta: read::meta(r),
            target: index.link_at(target, &r.body, link_arg, r.span),
            document: document_at(&r.body, "policy", r.span, index),
        })
        .collect()
}
