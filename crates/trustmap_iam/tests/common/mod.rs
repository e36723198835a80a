//! Policy documents for tests, written as JSON. Every statement `i` spans bytes
//! `1000 * (i + 1)..`, every element its own position after it, so evidence can be checked.
//! The string `<unknown>` stands for a value that cannot be known statically.

#![allow(dead_code, unreachable_pub)]

use serde_json::Value as J;
use trustmap_model::Value;
use trustmap_model::aws::policy::{
    Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement,
};
use trustmap_source::{FileId, Span};

fn span(at: usize) -> Span {
    Span::new(FileId(0), at, at + 1)
}

fn val(s: &str, at: usize) -> Value<String> {
    if s == "<unknown>" {
        Value::unknown(span(at))
    } else {
        Value::explicit(s.to_string(), span(at))
    }
}

fn list(j: Option<&J>, at: &mut usize) -> Vec<Value<String>> {
    let items: Vec<&str> = match j {
        None => Vec::new(),
        Some(J::String(s)) => vec![s.as_str()],
        Some(J::Array(a)) => a.iter().filter_map(J::as_str).collect(),
        Some(other) => panic!("not a string or list: {other}"),
    };
    items
        .into_iter()
        .map(|s| {
            *at += 1;
            val(s, *at)
        })
        .collect()
}

fn principals(j: Option<&J>, at: &mut usize) -> Vec<Principal> {
    match j {
        None => Vec::new(),
        Some(J::String(s)) if s == "*" => {
            *at += 1;
            vec![Principal {
                kind: PrincipalKind::Everyone,
                id: val("*", *at),
                provider_url: None,
            }]
        }
        Some(J::Object(m)) => m
            .iter()
            .flat_map(|(k, v)| {
                let kind = match k.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    other => PrincipalKind::Other(other.to_string()),
                };
                list(Some(v), at).into_iter().map(move |id| Principal {
                    kind: kind.clone(),
                    id,
                    provider_url: None,
                })
            })
            .collect(),
        Some(other) => panic!("bad principal {other}"),
    }
}

/// Parses a policy document from JSON (a single statement object or a `Statement` list).
pub fn doc(json: &str) -> PolicyDocument {
    let j: J = serde_json::from_str(json).expect("test JSON");
    let stmts = match j.get("Statement") {
        Some(J::Array(a)) => a.clone(),
        Some(s) => vec![s.clone()],
        None => vec![j.clone()],
    };
    let statements = stmts
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let base = 1000 * (i + 1);
            let mut at = base;
            let effect = match s.get("Effect").and_then(J::as_str) {
                Some("Allow") => Value::explicit(Effect::Allow, span(base)),
                Some("Deny") => Value::explicit(Effect::Deny, span(base)),
                _ => Value::unknown(span(base)),
            };
            let mut conditions = Vec::new();
            if let Some(J::Object(ops)) = s.get("Condition") {
                for (op, keys) in ops {
                    let J::Object(keys) = keys else {
                        panic!("bad condition")
                    };
                    for (key, values) in keys {
                        at += 1;
                        let c_at = at;
                        conditions.push(Condition {
                            span: span(c_at),
                            operator: val(op, c_at),
                            key: val(key, c_at),
                            values: list(Some(values), &mut at),
                        });
                    }
                }
            }
            Statement {
                span: span(base),
                sid: s.get("Sid").and_then(J::as_str).map(|x| val(x, base)),
                effect,
                actions: list(s.get("Action"), &mut at),
                not_actions: list(s.get("NotAction"), &mut at),
                resources: list(s.get("Resource"), &mut at),
                not_resources: list(s.get("NotResource"), &mut at),
                principals: principals(s.get("Principal"), &mut at),
                not_principals: principals(s.get("NotPrincipal"), &mut at),
                conditions,
            }
        })
        .collect();
    PolicyDocument {
        span: span(0),
        statements,
    }
}
