//! SAM `Globals`: properties shared by every serverless resource of a kind, merged into each
//! resource before evaluation, as SAM does: maps are merged key by key, lists are the global
//! items followed by the resource's, and anything else written on the resource wins. Merged
//! values keep their spans, so a global setting is reported where `Globals` writes it.

use std::collections::{HashMap, HashSet};

use trustmap_source::Span;
use trustmap_syntax::{Entry, Node, NodeKind};

use crate::intrinsic;

/// The `Globals` section that applies to a resource type.
pub(crate) fn section_for<'a>(globals: &'a Node, rtype: &str) -> Option<&'a Node> {
    let key = match rtype {
        "AWS::Serverless::Function" => "Function",
        "AWS::Serverless::Api" => "Api",
        "AWS::Serverless::HttpApi" => "HttpApi",
        "AWS::Serverless::SimpleTable" => "SimpleTable",
        "AWS::Serverless::StateMachine" => "StateMachine",
        "AWS::Serverless::LayerVersion" => "LayerVersion",
        _ => return None,
    };
    globals.get(key).filter(|g| g.as_map().is_some())
}

/// `global` merged under `local` (the resource's `Properties`, if any).
pub(crate) fn merge(global: &Node, local: Option<&Node>, at: Span) -> Node {
    match local {
        None => {
            let mut g = global.clone();
            // The merged map stands for the resource's properties.
            g.span = at;
            g
        }
        Some(l) => merge_value(global, l, 0),
    }
}

/// Depth-limited: both trees come from a parser that bounds nesting already.
fn merge_value(g: &Node, l: &Node, depth: usize) -> Node {
    if depth > crate::limits::MAX_VALUE_DEPTH || intrinsic::is_call(g) || intrinsic::is_call(l) {
        return l.clone();
    }
    match (&g.kind, &l.kind) {
        (NodeKind::Map(ge), NodeKind::Map(le)) => {
            let mut out: Vec<Entry> = Vec::with_capacity(ge.len() + le.len());
            // Last duplicate wins, as in lookups.
            let local: HashMap<&str, &Entry> = le.iter().map(|e| (e.key.as_str(), e)).collect();
            let global: HashSet<&str> = ge.iter().map(|e| e.key.as_str()).collect();
            for e in ge {
                match local.get(e.key.as_str()) {
                    Some(local) => out.push(Entry {
                        key: local.key.clone(),
                        key_span: local.key_span,
                        value: merge_value(&e.value, &local.value, depth + 1),
                    }),
                    None => out.push(e.clone()),
                }
            }
            for e in le {
                if !global.contains(e.key.as_str()) {
                    out.push(e.clone());
                }
            }
            Node {
                kind: NodeKind::Map(out),
                span: l.span,
                via: l.via.clone(),
            }
        }
        (NodeKind::Seq(gi), NodeKind::Seq(li)) => Node {
            kind: NodeKind::Seq(gi.iter().chain(li).cloned().collect()),
            span: l.span,
            via: l.via.clone(),
        },
        _ => l.clone(),
    }
}
