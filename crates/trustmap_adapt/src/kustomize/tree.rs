//! Editing spanned [`Node`] trees: the builder changes documents in place, and every value
//! it puts in keeps the span of the text it came from.

use trustmap_source::{Span, Via};
use trustmap_syntax::{Entry, Node, NodeKind};

/// The value under `key` of a map, for editing (the last one, as lookups take the last).
pub(super) fn get_mut<'n>(n: &'n mut Node, key: &str) -> Option<&'n mut Node> {
    match &mut n.kind {
        NodeKind::Map(entries) => entries
            .iter_mut()
            .rev()
            .find(|e| e.key == key)
            .map(|e| &mut e.value),
        _ => None,
    }
}

/// Sets `key` of a map to `value`, replacing every entry with that key.
pub(super) fn set(n: &mut Node, key: &str, key_span: Span, value: Node) {
    if let NodeKind::Map(entries) = &mut n.kind {
        match entries.iter().position(|e| e.key == key) {
            Some(first) => {
                entries.retain(|e| e.key != key);
                entries.insert(
                    first.min(entries.len()),
                    Entry {
                        key: key.to_string(),
                        key_span,
                        value,
                    },
                );
            }
            None => entries.push(Entry {
                key: key.to_string(),
                key_span,
                value,
            }),
        }
    }
}

/// Removes `key` from a map; true when something was removed.
pub(super) fn remove(n: &mut Node, key: &str) -> bool {
    match &mut n.kind {
        NodeKind::Map(entries) => {
            let before = entries.len();
            entries.retain(|e| e.key != key);
            entries.len() != before
        }
        _ => false,
    }
}

/// The map under `key`, created (empty, spanned at `span`) when absent or not a map.
pub(super) fn map_at<'n>(n: &'n mut Node, key: &str, span: Span) -> Option<&'n mut Node> {
    n.as_map()?;
    let is_map = n.get(key).is_some_and(|v| v.as_map().is_some());
    if !is_map {
        set(n, key, span, Node::new(NodeKind::Map(Vec::new()), span));
    }
    get_mut(n, key)
}

/// A map from `(key, key span, value)` entries.
pub(super) fn map(span: Span, entries: Vec<(&str, Span, Node)>) -> Node {
    Node::new(
        NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, ks, v)| Entry {
                    key: k.to_string(),
                    key_span: ks,
                    value: v,
                })
                .collect(),
        ),
        span,
    )
}

/// A copy of `n` that says it came through `via` (the adapter pushes it down to children).
pub(super) fn marked(n: &Node, via: &Via) -> Node {
    let mut out = n.clone();
    out.via.insert(0, via.clone());
    out
}

/// A string node, when the value is a scalar.
pub(super) fn text(n: &Node) -> Option<String> {
    n.untagged().scalar_text()
}

/// The string at a path of map keys.
pub(super) fn text_at(n: &Node, keys: &[&str]) -> Option<String> {
    n.path(keys).and_then(text)
}

/// Every node in the tree (depth first), for edits that apply wherever a field appears.
pub(super) fn walk_mut(n: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    f(n);
    match &mut n.kind {
        NodeKind::Map(entries) => entries.iter_mut().for_each(|e| walk_mut(&mut e.value, f)),
        NodeKind::Seq(items) => items.iter_mut().for_each(|i| walk_mut(i, f)),
        NodeKind::Tagged { value, .. } => walk_mut(value, f),
        _ => {}
    }
}

/// Rewrites every span (and key span) in the tree to `span`: for values parsed from text
/// that cannot be mapped back to the file exactly.
pub(super) fn respan(n: &mut Node, span: Span) {
    n.span = span;
    match &mut n.kind {
        NodeKind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_span = span;
            respan(&mut e.value, span);
        }),
        NodeKind::Seq(items) => items.iter_mut().for_each(|i| respan(i, span)),
        NodeKind::Tagged { value, .. } => respan(value, span),
        NodeKind::Json { tree, .. } => respan(tree, span),
        _ => {}
    }
}

/// Counts nodes, to keep builds within a budget.
pub(super) fn size(n: &Node) -> usize {
    1 + match &n.kind {
        NodeKind::Map(entries) => entries.iter().map(|e| size(&e.value)).sum(),
        NodeKind::Seq(items) => items.iter().map(size).sum(),
        NodeKind::Tagged { value, .. } => size(value),
        _ => 0,
    }
}
