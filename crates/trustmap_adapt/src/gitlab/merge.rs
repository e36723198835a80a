//! GitLab's configuration composition on the spanned tree: included files merged under the
//! root file, `extends:` deep-merged, `!reference [job, key]` tags replaced by what they
//! name. Every node keeps its own span, so a value merged in from an included file or a
//! template still points at the line that wrote it.

use std::collections::HashMap;

use trustmap_syntax::{Entry, Node, NodeKind};

/// `extends:` chains deeper than this are cut (GitLab allows 11 levels).
const MAX_EXTENDS_DEPTH: usize = 11;
/// `!reference` tags resolve through at most this many nested references (GitLab: 10).
const MAX_REFERENCE_DEPTH: usize = 10;

/// Deep merge: maps merge key by key, anything else in `over` replaces `base`.
pub(crate) fn merge(base: &Node, over: &Node) -> Node {
    match (&base.kind, &over.kind) {
        (NodeKind::Map(b), NodeKind::Map(o)) => {
            let mut entries: Vec<Entry> = b.clone();
            for e in o {
                match entries.iter_mut().rev().find(|x| x.key == e.key) {
                    Some(existing) => {
                        existing.value = merge(&existing.value, &e.value);
                        existing.key_span = e.key_span;
                    }
                    None => entries.push(e.clone()),
                }
            }
            Node {
                kind: NodeKind::Map(entries),
                span: over.span,
                via: over.via.clone(),
            }
        }
        _ => over.clone(),
    }
}

/// Applies `extends:`, remembering each resolved job so shared templates are merged once.
pub(crate) struct Extends<'a> {
    config: &'a Node,
    done: HashMap<String, Node>,
}

impl<'a> Extends<'a> {
    pub(crate) fn new(config: &'a Node) -> Self {
        Self {
            config,
            done: HashMap::new(),
        }
    }

    /// The job (or template) `name` with its `extends:` applied, `extends` itself removed.
    pub(crate) fn resolve(&mut self, name: &str) -> Option<Node> {
        self.resolve_at(name, 0, &mut Vec::new())
    }

    /// Every name is resolved once. A cycle or a chain past the depth limit is cut where it
    /// is met, so that result depends on the path that reached it; GitLab rejects such
    /// configurations anyway, and remembering it keeps crafted fan-out linear.
    fn resolve_at(&mut self, name: &str, depth: usize, stack: &mut Vec<String>) -> Option<Node> {
        if let Some(n) = self.done.get(name) {
            return Some(n.clone());
        }
        let own = self.config.get(name)?;
        if depth > MAX_EXTENDS_DEPTH || stack.iter().any(|s| s == name) {
            return Some(without(own, "extends"));
        }
        let parents: Vec<String> = own
            .get("extends")
            .map(|e| {
                e.one_or_many()
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        stack.push(name.to_string());
        let mut base: Option<Node> = None;
        for p in &parents {
            if let Some(parent) = self.resolve_at(p, depth + 1, stack) {
                base = Some(match base {
                    Some(b) => merge(&b, &parent),
                    None => parent,
                });
            }
        }
        stack.pop();
        let own = without(own, "extends");
        let resolved = match base {
            Some(b) => {
                let mut merged = merge(&b, &own);
                merged.span = own.span;
                merged
            }
            None => own,
        };
        self.done.insert(name.to_string(), resolved.clone());
        Some(resolved)
    }
}

/// The job (or template) `name` with its `extends:` applied (a one-off [`Extends`]).
#[cfg(test)]
pub(crate) fn resolve_extends(config: &Node, name: &str) -> Option<Node> {
    Extends::new(config).resolve(name)
}

fn without(node: &Node, key: &str) -> Node {
    match &node.kind {
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(entries.iter().filter(|e| e.key != key).cloned().collect()),
            span: node.span,
            via: node.via.clone(),
        },
        _ => node.clone(),
    }
}

/// Replaces every `!reference [a, b, …]` inside `node` by the value at that path of
/// `config` (unresolvable references become nulls at their own span).
pub(crate) fn resolve_references(config: &Node, node: &Node) -> Node {
    references_at(config, node, 0)
}

fn references_at(config: &Node, node: &Node, depth: usize) -> Node {
    match &node.kind {
        NodeKind::Tagged { tag, value } if tag.ends_with("reference") => {
            let path: Vec<&str> = value
                .as_seq()
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
                .collect();
            let target = (depth < MAX_REFERENCE_DEPTH && !path.is_empty())
                .then(|| config.path(&path))
                .flatten();
            match target {
                Some(t) => references_at(config, t, depth + 1),
                None => Node::new(NodeKind::Null, node.span),
            }
        }
        NodeKind::Seq(items) => Node {
            kind: NodeKind::Seq(
                items
                    .iter()
                    .map(|i| references_at(config, i, depth))
                    .collect(),
            ),
            span: node.span,
            via: node.via.clone(),
        },
        NodeKind::Map(entries) => Node {
            kind: NodeKind::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: references_at(config, &e.value, depth),
                    })
                    .collect(),
            ),
            span: node.span,
            via: node.via.clone(),
        },
        _ => node.clone(),
    }
}

#[cfg(test)]
mod tests {
    use trustmap_source::{FileId, SourceFile};

    use super::*;

    fn doc(text: &str) -> Node {
        let file = SourceFile::new(FileId(0), ".gitlab-ci.yml", text);
        trustmap_syntax::yaml::parse(&file).docs.remove(0)
    }

    #[test]
    fn extends_merges_maps_and_replaces_lists() {
        let c = doc("\
.base:
  image: alpine:3
  variables: {A: '1', B: '2'}
  script: [one]
.mid:
  extends: .base
  variables: {B: '3'}
job:
  extends: [.mid]
  script: [two]
loop:
  extends: loop
  script: [x]
");
        let j = resolve_extends(&c, "job").unwrap();
        assert_eq!(j.path(&["image"]).and_then(Node::as_str), Some("alpine:3"));
        assert_eq!(
            j.path(&["variables", "A"]).and_then(Node::as_str),
            Some("1")
        );
        assert_eq!(
            j.path(&["variables", "B"]).and_then(Node::as_str),
            Some("3")
        );
        let script: Vec<_> = j
            .get("script")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(script, ["two"]);
        assert!(j.get("extends").is_none());
        assert!(resolve_extends(&c, "loop").is_some());
    }

    #[test]
    fn references_are_replaced() {
        let c = doc("\
.setup:
  script: [a, b]
job:
  script:
    - !reference [.setup, script]
    - c
    - !reference [.nothing, here]
");
        let j = resolve_references(&c, c.get("job").unwrap());
        let s = j.get("script").unwrap().as_seq().unwrap();
        assert_eq!(s[0].as_seq().map(<[Node]>::len), Some(2));
        assert!(s[2].is_null());
    }
}
