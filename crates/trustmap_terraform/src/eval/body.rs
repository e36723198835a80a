//! Block bodies: attributes, nested blocks grouped by type, `dynamic` blocks expanded.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body, Structure};
use trustmap_source::Span;
use trustmap_syntax::{Entry, Node, NodeKind};

use super::Evaluator;
use crate::config::span_in;
use crate::json_text;
use crate::limits::MAX_INSTANCES;
use crate::scope::Scope;
use crate::value::{entry, map, seq, sorted_entries, type_name};

/// Meta-arguments of `resource`/`data` blocks that configure Terraform, not the object.
const META_ATTRIBUTES: [&str; 4] = ["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: [&str; 3] = ["lifecycle", "provisioner", "connection"];

/// Attributes that hold an IAM-style JSON policy: `policy`, `assume_role_policy`, `*_policy`.
/// A plain string value there (built by a template, say) is decoded as JSON when it is JSON.
fn is_policy_attribute(key: &str) -> bool {
    key == "policy" || key.ends_with("_policy")
}

/// Nested blocks of one type collected into one `Seq` entry.
struct Groups {
    entries: Vec<Entry>,
    by_type: HashMap<String, usize>,
}

impl Groups {
    fn push_block(&mut self, ident: &str, key_span: Span, block: Node) {
        match self.by_type.get(ident) {
            Some(&i) => {
                let group = &mut self.entries[i].value;
                group.span = group.span.to(block.span);
                if let NodeKind::Seq(items) = &mut group.kind {
                    items.push(block);
                }
            }
            None => {
                self.by_type.insert(ident.to_string(), self.entries.len());
                let s = block.span;
                self.entries
                    .push(entry(ident, key_span, seq(vec![block], s)));
            }
        }
    }
}

impl<'a> Evaluator<'a> {
    /// Evaluates a block body into a map. `top` is true for a `resource`/`data` block itself
    /// (its meta-arguments are left out).
    pub(crate) fn eval_block_body(
        &mut self,
        scope: &mut Scope<'a>,
        body: &Body,
        span: Span,
        top: bool,
    ) -> Node {
        let mut groups = Groups {
            entries: Vec::new(),
            by_type: HashMap::new(),
        };
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    if top && META_ATTRIBUTES.contains(&key) {
                        continue;
                    }
                    let mut v = self.eval_or_unknown(scope, &a.value);
                    if v.is_null() {
                        continue;
                    }
                    if is_policy_attribute(key)
                        && let Some(json) = json_text::string_json(&v)
                    {
                        v = json;
                    }
                    let key_span = span_in(scope.file, a.key.span(), span);
                    groups.entries.push(entry(key, key_span, v));
                }
                Structure::Block(b) => {
                    let ident = b.ident.as_str();
                    if top && META_BLOCKS.contains(&ident) {
                        continue;
                    }
                    if ident == "dynamic" {
                        self.expand_dynamic(scope, b, span, &mut groups);
                        continue;
                    }
                    let bspan = span_in(scope.file, b.span(), span);
                    let key_span = span_in(scope.file, b.ident.span(), bspan);
                    let m = self.eval_block_body(scope, &b.body, bspan, false);
                    groups.push_block(ident, key_span, m);
                }
            }
        }
        map(groups.entries, span)
    }

    /// `dynamic "NAME" { for_each = ...; iterator = it; content { ... } }` → repeated `NAME`
    /// blocks. An unknown `for_each` gives one block whose iterator values are unknown.
    fn expand_dynamic(
        &mut self,
        scope: &mut Scope<'a>,
        b: &Block,
        parent: Span,
        groups: &mut Groups,
    ) {
        let bspan = span_in(scope.file, b.span(), parent);
        let Some(label) = b.labels.first() else {
            self.diag(
                "evaluation",
                "a dynamic block needs a label (the block type)",
                bspan,
            );
            return;
        };
        let name = label.as_str();
        let key_span = span_in(scope.file, label.span(), bspan);
        let Some(content) = b.body.get_blocks("content").next() else {
            self.diag(
                "evaluation",
                format!("dynamic \"{name}\" has no content block"),
                bspan,
            );
            return;
        };
        let iterator = b
            .body
            .get_attribute("iterator")
            .and_then(|a| a.value.as_variable().map(|i| i.as_str().to_string()))
            .unwrap_or_else(|| name.to_string());
        let Some(fe) = b.body.get_attribute("for_each") else {
            self.diag(
                "evaluation",
                format!("dynamic \"{name}\" has no for_each"),
                bspan,
            );
            return;
        };
        let coll = self.eval_or_unknown(scope, &fe.value);
        let pairs: Vec<(Node, Node)> = match &coll.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                vec![(Node::unknown(coll.span), Node::unknown(coll.span))]
            }
            NodeKind::Null => return,
            NodeKind::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::number(i as f64, v.span), v.clone()))
                .collect(),
            NodeKind::Map(entries) => sorted_entries(entries)
                .into_iter()
                .map(|e| (Node::string(e.key.clone(), e.key_span), e.value.clone()))
                .collect(),
            _ => {
                self.diag(
                    "evaluation",
                    format!(
                        "dynamic \"{name}\": for_each must be a collection, not {}",
                        type_name(&coll)
                    ),
                    coll.span,
                );
                return;
            }
        };
        for (k, v) in pairs.into_iter().take(MAX_INSTANCES) {
            let it = map(
                vec![entry("key", k.span, k), entry("value", v.span, v)],
                bspan,
            );
            scope.bind(iterator.clone(), it);
            let m = self.eval_block_body(scope, &content.body, bspan, false);
            scope.unbind(1);
            groups.push_block(name, key_span, m);
        }
    }
}
