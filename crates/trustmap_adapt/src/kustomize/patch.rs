//! Patches: strategic merge (with the list merge keys of the Kubernetes types rules read)
//! and JSON 6902 operations. A value a patch puts in keeps the patch file's span and says
//! which patch it came through.

use trustmap_source::{Span, Via};
use trustmap_syntax::{Entry, Node, NodeKind};

use super::tree::{self, marked};

/// The merge key of lists that Kubernetes merges item by item, by the list's field name.
/// Lists not named here are replaced whole, as strategic merge does for them.
fn merge_key(field: &str, items: &[Node]) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "hostAliases" => Some("ip"),
        "topologySpreadConstraints" => Some("topologyKey"),
        // Container ports merge by `containerPort`, Service ports by `port`.
        "ports" => {
            let service = items.iter().any(|i| i.get("port").is_some());
            Some(if service { "port" } else { "containerPort" })
        }
        _ => None,
    }
}

/// What a `$patch` directive in a map asks for.
fn directive(n: &Node) -> Option<String> {
    n.get("$patch").and_then(Node::as_str).map(str::to_string)
}

/// A patch node without its `$…` directive keys (recursively), marked as coming from `via`.
fn clean(n: &Node, via: &Via) -> Node {
    let mut out = marked(n, via);
    strip_directives(&mut out);
    out
}

fn strip_directives(n: &mut Node) {
    match &mut n.kind {
        NodeKind::Map(entries) => {
            entries.retain(|e| !e.key.starts_with('$'));
            entries
                .iter_mut()
                .for_each(|e| strip_directives(&mut e.value));
        }
        NodeKind::Seq(items) => {
            items.retain(|i| !is_bare_directive(i));
            items.iter_mut().for_each(strip_directives);
        }
        _ => {}
    }
}

/// A list item that is only a `$patch` directive (`- $patch: replace`).
fn is_bare_directive(n: &Node) -> bool {
    n.as_map()
        .is_some_and(|m| m.len() == 1 && m[0].key.starts_with('$'))
}

/// Applies a strategic merge patch to a document. Returns false when the patch deletes the
/// whole document (`$patch: delete` at its top).
pub(super) fn strategic_merge(target: &mut Node, patch: &Node, via: &Via) -> bool {
    if directive(patch).as_deref() == Some("delete") {
        return false;
    }
    merge_map(target, patch, via);
    true
}

fn merge_map(target: &mut Node, patch: &Node, via: &Via) {
    if directive(patch).as_deref() == Some("replace") || target.as_map().is_none() {
        *target = clean(patch, via);
        return;
    }
    let Some(entries) = patch.as_map() else {
        *target = clean(patch, via);
        return;
    };
    for e in entries {
        if e.key.starts_with('$') {
            continue;
        }
        let value = e.value.untagged();
        if value.is_null() {
            tree::remove(target, &e.key);
            continue;
        }
        let Some(current) = tree::get_mut(target, &e.key) else {
            tree::set(target, &e.key, e.key_span, clean(value, via));
            continue;
        };
        match (&current.kind, &value.kind) {
            (NodeKind::Map(_), NodeKind::Map(_)) => {
                if directive(value).as_deref() == Some("delete") {
                    tree::remove(target, &e.key);
                } else {
                    merge_map(current, value, via);
                }
            }
            (NodeKind::Seq(_), NodeKind::Seq(items)) => {
                let key = merge_key(&e.key, items);
                merge_list(current, items, key, via);
            }
            _ => tree::set(target, &e.key, e.key_span, clean(value, via)),
        }
    }
}

fn merge_list(target: &mut Node, items: &[Node], key: Option<&str>, via: &Via) {
    // `- $patch: replace` among the items: the list becomes the other items.
    let replace = items
        .iter()
        .any(|i| is_bare_directive(i) && directive(i).as_deref() == Some("replace"));
    let NodeKind::Seq(current) = &mut target.kind else {
        return;
    };
    let Some(key) = key.filter(|_| !replace) else {
        *current = items
            .iter()
            .filter(|i| !is_bare_directive(i))
            .map(|i| clean(i, via))
            .collect();
        return;
    };
    for item in items {
        let item = item.untagged();
        let wanted = item.get(key).and_then(Node::scalar_text);
        let found = wanted.as_ref().and_then(|w| {
            current
                .iter()
                .position(|c| c.get(key).and_then(Node::scalar_text).as_ref() == Some(w))
        });
        match (found, directive(item).as_deref()) {
            (Some(i), Some("delete")) => {
                current.remove(i);
            }
            (None, Some("delete")) => {}
            (Some(i), Some("replace")) => current[i] = clean(item, via),
            (Some(i), _) => merge_map(&mut current[i], item, via),
            (None, _) => current.push(clean(item, via)),
        }
    }
}

/// Why a JSON patch operation could not be applied.
#[derive(Debug, PartialEq)]
pub(super) enum OpError {
    /// Not an operation kustomize knows, or a malformed one.
    Invalid(String),
    /// The path does not exist in the document.
    NoPath(String),
}

/// Applies one JSON 6902 operation (`add`, `remove`, `replace`, `move`, `copy`, `test`).
pub(super) fn json_op(doc: &mut Node, op: &Node, via: &Via) -> Result<(), OpError> {
    let name = op.get("op").and_then(Node::as_str).unwrap_or_default();
    let path_node = op.get("path");
    let path = path_node
        .and_then(Node::as_str)
        .ok_or_else(|| OpError::Invalid("an operation without `path`".into()))?;
    let path_span = path_node.map_or(op.span, |p| p.span);
    let tokens = pointer(path).ok_or_else(|| OpError::Invalid(format!("invalid path `{path}`")))?;
    match name {
        "add" | "replace" => {
            let value = op
                .get("value")
                .ok_or_else(|| OpError::Invalid(format!("`{name}` without `value`")))?;
            let value = marked(value.untagged(), via);
            put(doc, &tokens, value, path_span, name == "replace")
                .map_err(|()| OpError::NoPath(path.to_string()))
        }
        "remove" => take(doc, &tokens)
            .map(|_| ())
            .ok_or_else(|| OpError::NoPath(path.to_string())),
        "move" | "copy" => {
            let from = op
                .get("from")
                .and_then(Node::as_str)
                .and_then(pointer)
                .ok_or_else(|| OpError::Invalid(format!("`{name}` without a valid `from`")))?;
            let value = if name == "move" {
                take(doc, &from)
            } else {
                lookup(doc, &from).cloned()
            }
            .ok_or_else(|| OpError::NoPath(path.to_string()))?;
            put(doc, &tokens, marked(&value, via), path_span, false)
                .map_err(|()| OpError::NoPath(path.to_string()))
        }
        // A precondition: kustomize fails the build when it does not hold; we build anyway.
        "test" => Ok(()),
        other => Err(OpError::Invalid(format!("unknown operation `{other}`"))),
    }
}

/// `/a/b~1c/0` → `["a", "b/c", "0"]`.
fn pointer(path: &str) -> Option<Vec<String>> {
    if path.is_empty() {
        return Some(Vec::new());
    }
    let rest = path.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn lookup<'n>(n: &'n Node, tokens: &[String]) -> Option<&'n Node> {
    tokens.iter().try_fold(n, |n, t| match &n.kind {
        NodeKind::Map(_) => n.get(t),
        NodeKind::Seq(items) => items.get(t.parse::<usize>().ok()?),
        _ => None,
    })
}

fn lookup_mut<'n>(n: &'n mut Node, tokens: &[String]) -> Option<&'n mut Node> {
    let Some((first, rest)) = tokens.split_first() else {
        return Some(n);
    };
    let next = match &mut n.kind {
        NodeKind::Map(entries) => entries
            .iter_mut()
            .rev()
            .find(|e| &e.key == first)
            .map(|e| &mut e.value)?,
        NodeKind::Seq(items) => items.get_mut(first.parse::<usize>().ok()?)?,
        _ => return None,
    };
    lookup_mut(next, rest)
}

/// Adds (or with `must_exist`, replaces) the value at `tokens`.
fn put(
    doc: &mut Node,
    tokens: &[String],
    value: Node,
    key_span: Span,
    must_exist: bool,
) -> Result<(), ()> {
    let Some((last, parent_path)) = tokens.split_last() else {
        *doc = value;
        return Ok(());
    };
    let parent = lookup_mut(doc, parent_path).ok_or(())?;
    match &mut parent.kind {
        NodeKind::Map(entries) => {
            let exists = entries.iter().any(|e| &e.key == last);
            if must_exist && !exists {
                return Err(());
            }
            if exists {
                let span = entries
                    .iter()
                    .rev()
                    .find(|e| &e.key == last)
                    .map_or(key_span, |e| e.key_span);
                tree::set(parent, last, span, value);
            } else {
                entries.push(Entry {
                    key: last.clone(),
                    key_span,
                    value,
                });
            }
            Ok(())
        }
        NodeKind::Seq(items) => {
            if last == "-" && !must_exist {
                items.push(value);
                return Ok(());
            }
            let i: usize = last.parse().map_err(|_| ())?;
            if must_exist {
                *items.get_mut(i).ok_or(())? = value;
            } else if i <= items.len() {
                items.insert(i, value);
            } else {
                return Err(());
            }
            Ok(())
        }
        _ => Err(()),
    }
}

fn take(doc: &mut Node, tokens: &[String]) -> Option<Node> {
    let (last, parent_path) = tokens.split_last()?;
    let parent = lookup_mut(doc, parent_path)?;
    match &mut parent.kind {
        NodeKind::Map(entries) => {
            let i = entries.iter().rposition(|e| &e.key == last)?;
            Some(entries.remove(i).value)
        }
        NodeKind::Seq(items) => {
            let i: usize = last.parse().ok()?;
            (i < items.len()).then(|| items.remove(i))
        }
        _ => None,
    }
}
