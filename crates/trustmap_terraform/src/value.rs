//! Helpers over [`Node`] for evaluation: errors, conversions, equality, sizes.

use std::cmp::Ordering;

use trustmap_source::{Span, Via};
use trustmap_syntax::{Entry, Node, NodeKind};

use crate::limits::MAX_VIA;

/// A Terraform evaluation error (what `terraform validate` would reject). `try()` and `can()`
/// catch it; at attribute level it becomes an unknown value plus an `evaluation` diagnostic.
#[derive(Clone, Debug)]
pub(crate) struct EvalError {
    pub(crate) message: String,
    pub(crate) span: Span,
}

impl EvalError {
    pub(crate) fn new(message: impl Into<String>, span: Span) -> Self {
        Self {
            message: message.into(),
            span,
        }
    }
}

pub(crate) type EvalResult = Result<Node, EvalError>;

pub(crate) fn seq(items: Vec<Node>, span: Span) -> Node {
    Node::new(NodeKind::Seq(items), span)
}

pub(crate) fn map(entries: Vec<Entry>, span: Span) -> Node {
    Node::new(NodeKind::Map(entries), span)
}

pub(crate) fn entry(key: impl Into<String>, key_span: Span, value: Node) -> Entry {
    Entry {
        key: key.into(),
        key_span,
        value,
    }
}

pub(crate) fn null(span: Span) -> Node {
    Node::new(NodeKind::Null, span)
}

/// A reference to another object's attribute (`attribute` empty: the whole object).
pub(crate) fn reference(
    address: impl Into<String>,
    attribute: impl Into<String>,
    span: Span,
) -> Node {
    Node::new(
        NodeKind::Ref {
            address: address.into(),
            attribute: attribute.into(),
        },
        span,
    )
}

/// Terraform's name for the type of a value, for error messages.
pub(crate) fn type_name(n: &Node) -> &'static str {
    match &n.kind {
        NodeKind::Null => "null",
        NodeKind::Bool(_) => "bool",
        NodeKind::Number(_) => "number",
        NodeKind::String(_) | NodeKind::Json { .. } => "string",
        NodeKind::Seq(_) => "list",
        NodeKind::Map(_) => "object",
        NodeKind::Tagged { .. } => "tagged value",
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => "unknown",
    }
}

/// Canonical text of a number, as Terraform prints it in strings.
pub(crate) fn number_text(v: f64) -> String {
    let v = v + 0.0; // -0 prints as 0
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// A primitive rendered as a string the way Terraform converts it (`tostring`, templates).
/// `Ok(None)` for an unknown value.
pub(crate) fn to_text(n: &Node) -> Result<Option<String>, String> {
    match &n.kind {
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => Ok(Some(s.clone())),
        NodeKind::Number(num) => Ok(Some(number_text(num.value))),
        NodeKind::Bool(b) => Ok(Some(b.to_string())),
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(None),
        NodeKind::Null => Err("a null value cannot be used as a string".into()),
        NodeKind::Tagged { value, .. } => to_text(value),
        NodeKind::Seq(_) | NodeKind::Map(_) => {
            Err(format!("cannot convert {} to string", type_name(n)))
        }
    }
}

/// A number, converting numeric strings as Terraform does. `Ok(None)` for unknown.
pub(crate) fn to_number(n: &Node) -> Result<Option<f64>, String> {
    match &n.kind {
        NodeKind::Number(num) => Ok(Some(num.value)),
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| format!("cannot convert {s:?} to number")),
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(None),
        _ => Err(format!("a number is required, not {}", type_name(n))),
    }
}

/// A boolean, converting `"true"`/`"false"`. `Ok(None)` for unknown.
pub(crate) fn to_bool(n: &Node) -> Result<Option<bool>, String> {
    match &n.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(None),
        _ => n
            .as_bool()
            .map(Some)
            .ok_or_else(|| format!("a bool is required, not {}", type_name(n))),
    }
}

/// Deep equality ignoring spans, as Terraform's `==`. `None` when an unknown is involved.
pub(crate) fn values_equal(a: &Node, b: &Node) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_), _)
        | (_, NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_)) => None,
        (NodeKind::Tagged { value, .. }, _) => values_equal(value, b),
        (_, NodeKind::Tagged { value, .. }) => values_equal(a, value),
        (NodeKind::Null, NodeKind::Null) => Some(true),
        (NodeKind::Bool(x), NodeKind::Bool(y)) => Some(x == y),
        (NodeKind::Number(x), NodeKind::Number(y)) => Some(x.value == y.value),
        (
            NodeKind::String(x) | NodeKind::Json { text: x, .. },
            NodeKind::String(y) | NodeKind::Json { text: y, .. },
        ) => Some(x == y),
        (NodeKind::Seq(x), NodeKind::Seq(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.iter().zip(y) {
                match values_equal(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            let xs = dedup_entries(x);
            let ys = dedup_entries(y);
            if xs.len() != ys.len() {
                return Some(false);
            }
            let mut unknown = false;
            for e in &xs {
                let Some(other) = ys.iter().find(|o| o.key == e.key) else {
                    return Some(false);
                };
                match values_equal(&e.value, &other.value) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        _ => Some(false),
    }
}

/// Map entries with duplicate keys removed (last wins), in first-seen order.
pub(crate) fn dedup_entries(entries: &[Entry]) -> Vec<&Entry> {
    let mut out: Vec<&Entry> = Vec::with_capacity(entries.len());
    let mut index = std::collections::HashMap::with_capacity(entries.len());
    for e in entries {
        match index.get(e.key.as_str()) {
            Some(&i) => out[i] = e,
            None => {
                index.insert(e.key.as_str(), out.len());
                out.push(e);
            }
        }
    }
    out
}

/// Map entries, deduplicated and sorted by key: Terraform iterates maps in key order.
pub(crate) fn sorted_entries(entries: &[Entry]) -> Vec<&Entry> {
    let mut out = dedup_entries(entries);
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// Total order used for sets and `sort`: strings lexicographic, numbers numeric.
pub(crate) fn compare_primitive(a: &Node, b: &Node) -> Ordering {
    match (&a.kind, &b.kind) {
        (NodeKind::Number(x), NodeKind::Number(y)) => {
            x.value.partial_cmp(&y.value).unwrap_or(Ordering::Equal)
        }
        (NodeKind::Bool(x), NodeKind::Bool(y)) => x.cmp(y),
        _ => match (to_text(a), to_text(b)) {
            (Ok(Some(x)), Ok(Some(y))) => x.cmp(&y),
            _ => Ordering::Equal,
        },
    }
}

pub(crate) fn is_primitive(n: &Node) -> bool {
    matches!(
        n.kind,
        NodeKind::String(_) | NodeKind::Json { .. } | NodeKind::Number(_) | NodeKind::Bool(_)
    )
}

/// Size (nodes, plus one per 16 bytes of string) and nesting depth of a value.
pub(crate) fn size_and_depth(n: &Node) -> (usize, usize) {
    match &n.kind {
        NodeKind::Seq(items) => items.iter().fold((1, 1), |(s, d), i| {
            let (s2, d2) = size_and_depth(i);
            (s.saturating_add(s2), d.max(d2 + 1))
        }),
        NodeKind::Map(entries) => entries.iter().fold((1, 1), |(s, d), e| {
            let (s2, d2) = size_and_depth(&e.value);
            (s.saturating_add(s2), d.max(d2 + 1))
        }),
        NodeKind::Json { tree, .. } => {
            let (s, d) = size_and_depth(tree);
            (s.saturating_add(1), d + 1)
        }
        NodeKind::Tagged { value, .. } => {
            let (s, d) = size_and_depth(value);
            (s.saturating_add(1), d + 1)
        }
        NodeKind::String(s) => (1 + s.len() / 16, 1),
        NodeKind::Template(parts) => {
            let text: usize = parts
                .iter()
                .map(|p| match p {
                    trustmap_syntax::Part::Text(t) => t.len(),
                    trustmap_syntax::Part::Ref { address, attribute } => {
                        address.len() + attribute.len()
                    }
                    trustmap_syntax::Part::Unknown => 0,
                })
                .sum();
            (1 + parts.len() + text / 16, 1)
        }
        _ => (1, 1),
    }
}

/// Number of maximal unknown subtrees (an `Unknown` or a `Ref` counts once).
pub(crate) fn count_unknown(n: &Node) -> usize {
    match &n.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => 1,
        NodeKind::Seq(items) => items.iter().map(count_unknown).sum(),
        NodeKind::Map(entries) => entries.iter().map(|e| count_unknown(&e.value)).sum(),
        NodeKind::Json { tree, .. } => count_unknown(tree),
        NodeKind::Tagged { value, .. } => count_unknown(value),
        _ => 0,
    }
}

/// Appends `extra` hops to `via`, skipping exact duplicates and keeping at most [`MAX_VIA`].
pub(crate) fn push_vias(via: &mut Vec<Via>, extra: &[Via]) {
    for v in extra {
        if via.len() >= MAX_VIA {
            break;
        }
        if !via.contains(v) {
            via.push(v.clone());
        }
    }
}

/// `hops` followed by the node's own hops.
pub(crate) fn prepend_vias(node: &mut Node, hops: Vec<Via>) {
    if hops.is_empty() {
        return;
    }
    let mut via = hops;
    let own = std::mem::take(&mut node.via);
    push_vias(&mut via, &own);
    via.truncate(MAX_VIA);
    node.via = via;
}

/// An instance key as Terraform prints it in addresses: `[0]` or `["key"]`.
pub(crate) fn index_text(key: &Node) -> Option<String> {
    match &key.kind {
        NodeKind::Number(n) => Some(format!("[{}]", number_text(n.value))),
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => Some(format!("[{}]", quote(s))),
        _ => None,
    }
}

/// A string quoted as HCL/Terraform prints it.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The same value with every span (keys too) replaced by `span`: for values that were not
/// written in any file (a `--var` option).
pub(crate) fn respan(mut n: Node, span: Span) -> Node {
    n.span = span;
    n.kind = match n.kind {
        NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().map(|i| respan(i, span)).collect()),
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|e| Entry {
                    key: e.key,
                    key_span: span,
                    value: respan(e.value, span),
                })
                .collect(),
        ),
        NodeKind::Json { text, tree } => NodeKind::Json {
            text,
            tree: Box::new(respan(*tree, span)),
        },
        other => other,
    };
    n
}

/// Terraform set semantics: duplicates removed, primitives ordered (strings lexicographic,
/// numbers numeric). `None` when an element is unknown (the set cannot be built).
pub(crate) fn set_of(items: Vec<Node>) -> Option<Vec<Node>> {
    if items.iter().any(Node::contains_unknown) {
        return None;
    }
    let mut out: Vec<Node> = Vec::with_capacity(items.len());
    if items.iter().all(is_primitive) {
        let mut items = items;
        items.sort_by(compare_primitive);
        for i in items {
            if out.last().is_none_or(|l| values_equal(l, &i) != Some(true)) {
                out.push(i);
            }
        }
    } else {
        for i in items {
            if !out.iter().any(|o| values_equal(o, &i) == Some(true)) {
                out.push(i);
            }
        }
    }
    Some(out)
}

/// A hashable key for a primitive value (equal keys ⇔ equal values); `None` otherwise.
pub(crate) fn primitive_key(n: &Node) -> Option<String> {
    match &n.kind {
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => Some(format!("s:{s}")),
        NodeKind::Number(num) => Some(format!("n:{}", number_text(num.value))),
        NodeKind::Bool(b) => Some(format!("b:{b}")),
        NodeKind::Null => Some("null".to_string()),
        _ => None,
    }
}
