//! Reading [`Node`]s into model [`Value`]s: present values are explicit at their own span,
//! omitted ones take a documented default at the block that omitted them, and anything of
//! the wrong shape (or not decidable) is unknown.

use trustmap_model::Value;
use trustmap_model::k8s::KeyValue;
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

/// The non-null value under `key` of a map (YAML `key:` with nothing after it means unset).
pub(super) fn field<'a>(map: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    let node = map?.get(key)?.untagged();
    (!node.is_null()).then_some(node)
}

/// The items of a sequence; nothing when absent or not a sequence.
pub(super) fn items(node: Option<&Node>) -> &[Node] {
    node.and_then(Node::as_seq).unwrap_or(&[])
}

/// `node` read with `read`: explicit when it reads, unknown otherwise.
pub(super) fn value<T>(node: &Node, read: impl FnOnce(&Node) -> Option<T>) -> Value<T> {
    let read = if node.is_unknown() { None } else { read(node) };
    match read {
        Some(v) => Value::explicit(v, node.span),
        None => Value::unknown(node.span),
    }
    .with_via(node.via.clone())
}

/// `key` of `map` read with `read`, or `default` located at `at` when omitted.
pub(super) fn or_default<T>(
    map: Option<&Node>,
    key: &str,
    read: impl FnOnce(&Node) -> Option<T>,
    default: T,
    at: Span,
) -> Value<T> {
    match field(map, key) {
        Some(node) => value(node, read),
        None => Value::default_at(default, at),
    }
}

/// `key` of `map` read with `read`, when present.
pub(super) fn optional<T>(
    map: Option<&Node>,
    key: &str,
    read: impl FnOnce(&Node) -> Option<T>,
) -> Option<Value<T>> {
    field(map, key).map(|node| value(node, read))
}

/// `key` of `map` as a required field: unknown at `at` when omitted.
pub(super) fn required<T>(
    map: Option<&Node>,
    key: &str,
    read: impl FnOnce(&Node) -> Option<T>,
    at: Span,
) -> Value<T> {
    optional(map, key, read).unwrap_or_else(|| Value::unknown(at))
}

/// A scalar as text (YAML authors write `port: 80` and `port: "80"` alike).
pub(super) fn text(node: &Node) -> Option<String> {
    node.scalar_text()
}

pub(super) fn boolean(node: &Node) -> Option<bool> {
    node.as_bool()
}

pub(super) fn int(node: &Node) -> Option<i64> {
    node.as_i64()
}

/// A list of strings, each item with its span. A value that is not a list becomes one
/// unknown item, so rules see "something here" rather than "nothing".
pub(super) fn strings(node: Option<&Node>) -> Vec<Value<String>> {
    match node {
        None => Vec::new(),
        Some(n) => match n.as_seq() {
            Some(seq) => seq
                .iter()
                .map(|item| value(item.untagged(), text))
                .collect(),
            None => vec![value(n, |_| None)],
        },
    }
}

/// The entries of a string map (labels, annotations, selectors, data).
pub(super) fn key_values(node: Option<&Node>) -> Vec<KeyValue> {
    node.and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|e| KeyValue {
            key: e.key.clone(),
            key_span: e.key_span,
            value: value(e.value.untagged(), text),
        })
        .collect()
}

/// True when some value in the tree came through an indirection (a YAML alias).
pub(super) fn has_via(node: &Node) -> bool {
    !node.via.is_empty() || children(node).any(has_via)
}

/// Copies each value's indirections onto everything inside it, so a field read from an
/// aliased block still says it came through the alias. (The parser records the hop on
/// the alias's value only.)
pub(super) fn push_via_down(node: &mut Node) {
    let inherited = node.via.clone();
    let mut visit = |child: &mut Node| {
        child.via.extend(inherited.iter().cloned());
        push_via_down(child);
    };
    match &mut node.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(&mut visit),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|e| visit(&mut e.value)),
        NodeKind::Tagged { value, .. } => visit(value),
        _ => {}
    }
}

fn children(node: &Node) -> Box<dyn Iterator<Item = &Node> + '_> {
    match &node.kind {
        NodeKind::Seq(items) => Box::new(items.iter()),
        NodeKind::Map(entries) => Box::new(entries.iter().map(|e| &e.value)),
        NodeKind::Tagged { value, .. } => Box::new(std::iter::once(value.as_ref())),
        _ => Box::new(std::iter::empty()),
    }
}
