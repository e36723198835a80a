//! `count` and `for_each`: which instances a resource or module call has, and their keys.

use hcl_edit::Span as _;
use hcl_edit::structure::Body;
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::Evaluator;
use crate::config::span_in;
use crate::limits::MAX_INSTANCES;
use crate::scope::{Binding, Scope};
use crate::value::{
    compare_primitive, entry, index_text, map, sorted_entries, to_number, to_text, type_name,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExpansionKind {
    /// Neither `count` nor `for_each`.
    Single,
    Count,
    ForEach,
    /// `count`/`for_each` could not be decided: evaluated once, address without key.
    Unknown,
}

/// One instance: its key and the `count`/`each` names bound inside it.
pub(crate) struct InstanceSpec {
    /// `count.index` or `each.key`.
    pub(crate) key: Option<Node>,
    /// `""`, `[0]` or `["key"]`.
    pub(crate) key_text: String,
    pub(crate) bindings: Vec<Binding>,
}

pub(crate) struct Expansion {
    pub(crate) kind: ExpansionKind,
    pub(crate) instances: Vec<InstanceSpec>,
}

impl Expansion {
    pub(crate) fn single() -> Self {
        Self {
            kind: ExpansionKind::Single,
            instances: vec![InstanceSpec {
                key: None,
                key_text: String::new(),
                bindings: Vec::new(),
            }],
        }
    }

    fn unknown(meta: &str, span: Span) -> Self {
        let value = if meta == "count" {
            map(vec![entry("index", span, Node::unknown(span))], span)
        } else {
            map(
                vec![
                    entry("key", span, Node::unknown(span)),
                    entry("value", span, Node::unknown(span)),
                ],
                span,
            )
        };
        Self {
            kind: ExpansionKind::Unknown,
            instances: vec![InstanceSpec {
                key: None,
                key_text: String::new(),
                bindings: vec![Binding::meta(meta, value)],
            }],
        }
    }

    fn empty(kind: ExpansionKind) -> Self {
        Self {
            kind,
            instances: Vec::new(),
        }
    }
}

impl<'a> Evaluator<'a> {
    /// Expands `count`/`for_each` of a block body; `what` names the object in diagnostics.
    pub(crate) fn expand(
        &mut self,
        scope: &mut Scope<'a>,
        body: &Body,
        what: &str,
        block_span: Span,
    ) -> Expansion {
        if let Some(attr) = body.get_attribute("count") {
            let aspan = span_in(scope.file, attr.value.span(), block_span);
            return match self.eval(scope, &attr.value) {
                Err(e) => {
                    self.diag(
                        "evaluation",
                        format!("count of {what}: {}; checked once", e.message),
                        e.span,
                    );
                    Expansion::unknown("count", aspan)
                }
                Ok(v) => self.expand_count(&v, what, aspan),
            };
        }
        if let Some(attr) = body.get_attribute("for_each") {
            let aspan = span_in(scope.file, attr.value.span(), block_span);
            return match self.eval(scope, &attr.value) {
                Err(e) => {
                    self.diag(
                        "evaluation",
                        format!("for_each of {what}: {}; checked once", e.message),
                        e.span,
                    );
                    Expansion::unknown("each", aspan)
                }
                Ok(v) => self.expand_for_each(&v, what, aspan),
            };
        }
        Expansion::single()
    }

    fn expand_count(&mut self, v: &Node, what: &str, aspan: Span) -> Expansion {
        let n = match to_number(v) {
            Ok(Some(n)) if n >= 0.0 && n.fract() == 0.0 => n,
            Ok(None) => {
                self.diag(
                    "evaluation",
                    format!("count of {what} is unknown; checked once"),
                    aspan,
                );
                return Expansion::unknown("count", aspan);
            }
            Ok(Some(n)) => {
                self.diag(
                    "evaluation",
                    format!("count of {what} must be a whole number ≥ 0, not {n}; checked once"),
                    aspan,
                );
                return Expansion::unknown("count", aspan);
            }
            Err(m) => {
                self.diag(
                    "evaluation",
                    format!("count of {what}: {m}; checked once"),
                    aspan,
                );
                return Expansion::unknown("count", aspan);
            }
        };
        let n = if n > MAX_INSTANCES as f64 {
            self.diag(
                "evaluation",
                format!(
                    "count of {what} is {n}; only the first {MAX_INSTANCES} instances are checked"
                ),
                aspan,
            );
            MAX_INSTANCES
        } else {
            n as usize
        };
        let instances = (0..n)
            .map(|i| {
                let key = Node::number(i as f64, aspan);
                InstanceSpec {
                    key_text: format!("[{i}]"),
                    bindings: vec![Binding::meta(
                        "count",
                        map(vec![entry("index", aspan, key.clone())], aspan),
                    )],
                    key: Some(key),
                }
            })
            .collect();
        Expansion {
            kind: ExpansionKind::Count,
            instances,
        }
    }

    fn expand_for_each(&mut self, v: &Node, what: &str, aspan: Span) -> Expansion {
        let pairs: Vec<(Node, Node)> = match &v.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                self.diag(
                    "evaluation",
                    format!("for_each of {what} is unknown; checked once"),
                    aspan,
                );
                return Expansion::unknown("each", aspan);
            }
            NodeKind::Null => {
                self.diag("evaluation", format!("for_each of {what} is null"), aspan);
                return Expansion::empty(ExpansionKind::ForEach);
            }
            NodeKind::Map(entries) => sorted_entries(entries)
                .into_iter()
                .map(|e| (Node::string(e.key.clone(), e.key_span), e.value.clone()))
                .collect(),
            NodeKind::Seq(items) => {
                if items.iter().any(Node::contains_unknown) {
                    self.diag(
                        "evaluation",
                        format!("for_each of {what} has unknown elements; checked once"),
                        aspan,
                    );
                    return Expansion::unknown("each", aspan);
                }
                let mut keys: Vec<Node> = Vec::with_capacity(items.len());
                for item in items {
                    match to_text(item) {
                        Ok(Some(s)) => keys.push(Node::string(s, item.span)),
                        _ => {
                            self.diag(
                                "evaluation",
                                format!("for_each of {what} must be a map or a set of strings, not a list of {}", type_name(item)),
                                aspan,
                            );
                            return Expansion::unknown("each", aspan);
                        }
                    }
                }
                keys.sort_by(compare_primitive);
                keys.dedup_by(|a, b| a.as_str() == b.as_str());
                keys.into_iter().map(|k| (k.clone(), k)).collect()
            }
            _ => {
                self.diag(
                    "evaluation",
                    format!("for_each of {what} must be a map or a set of strings, not {}; checked once", type_name(v)),
                    aspan,
                );
                return Expansion::unknown("each", aspan);
            }
        };
        let mut pairs = pairs;
        if pairs.len() > MAX_INSTANCES {
            self.diag(
                "evaluation",
                format!("for_each of {what} has {} elements; only the first {MAX_INSTANCES} are checked", pairs.len()),
                aspan,
            );
            pairs.truncate(MAX_INSTANCES);
        }
        let instances = pairs
            .into_iter()
            .map(|(k, value)| {
                let key_text = index_text(&k).unwrap_or_default();
                let each = map(
                    vec![
                        entry("key", k.span, k.clone()),
                        entry("value", value.span, value),
                    ],
                    aspan,
                );
                InstanceSpec {
                    key: Some(k),
                    key_text,
                    bindings: vec![Binding::meta("each", each)],
                }
            })
            .collect();
        Expansion {
            kind: ExpansionKind::ForEach,
            instances,
        }
    }
}
