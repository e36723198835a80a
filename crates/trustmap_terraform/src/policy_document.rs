//! `data "aws_iam_policy_document"`: the evaluated HCL body rendered into IAM JSON.
//!
//! The tree has IAM's shape — `{Version, Statement: [{Sid, Effect, Action, NotAction,
//! Resource, NotResource, Principal, NotPrincipal, Condition}]}` — and every value is the
//! evaluated HCL node itself, so a rule that finds `"Action": "*"` points at the `actions`
//! line of the HCL. A missing `effect` defaults to `"Allow"`, spanned at the statement block.
//! Single-element lists are written as a single value, as the AWS provider does.
//! `source_policy_documents` statements come first and `override_policy_documents` statements
//! last (a simplification: overriding by `Sid` is not modelled).

use trustmap_source::Span;
use trustmap_syntax::{Entry, Node, NodeKind};

use crate::functions::json_text;
use crate::value::{entry, map, seq, to_text};

/// Adds `json` and `minified_json` to the evaluated body of a policy document.
pub(crate) fn with_json(mut body: Node, block_span: Span) -> Node {
    let NodeKind::Map(entries) = &mut body.kind else {
        return body;
    };
    let doc = build(
        &Node::new(NodeKind::Map(entries.clone()), block_span),
        block_span,
    );
    let pretty = json_text(&doc, true, false, block_span).ok();
    let minified = json_text(&doc, false, false, block_span).ok();
    if let (Some(pretty), Some(minified)) = (pretty, minified) {
        let json = |text: String| {
            Node::new(
                NodeKind::Json {
                    text,
                    tree: Box::new(doc.clone()),
                },
                block_span,
            )
        };
        entries.push(entry("json", block_span, json(pretty)));
        entries.push(entry("minified_json", block_span, json(minified)));
    }
    body
}

/// The IAM policy tree of a policy document body.
fn build(body: &Node, span: Span) -> Node {
    let mut statements = Vec::new();
    if let Some(docs) = body.get("source_policy_documents") {
        statements.extend(statements_of_docs(docs));
    }
    let mut stmt_key = span;
    if let Some(e) = body.entry("statement") {
        stmt_key = e.key_span;
        for st in e.value.one_or_many() {
            statements.push(statement(st));
        }
    }
    if let Some(docs) = body.get("override_policy_documents") {
        statements.extend(statements_of_docs(docs));
    }
    let mut out = Vec::new();
    match body.entry("version") {
        Some(e) => out.push(entry("Version", e.key_span, e.value.clone())),
        None => out.push(entry("Version", span, Node::string("2012-10-17", span))),
    }
    if let Some(e) = body.entry("policy_id") {
        out.push(entry("Id", e.key_span, e.value.clone()));
    }
    out.push(entry("Statement", stmt_key, seq(statements, span)));
    map(out, span)
}

/// Statements of other policy documents (JSON strings); an unknown document adds an unknown
/// statement so the policy is never mistaken for complete.
fn statements_of_docs(docs: &Node) -> Vec<Node> {
    let mut out = Vec::new();
    match &docs.kind {
        NodeKind::Seq(items) => {
            for d in items {
                match d.json_tree() {
                    Some(tree) => {
                        if let Some(st) = tree.get_ci("Statement") {
                            out.extend(st.one_or_many().into_iter().cloned());
                        }
                    }
                    None => out.push(Node::unknown(d.span)),
                }
            }
        }
        _ => out.push(Node::unknown(docs.span)),
    }
    out
}

/// A single-element list as its element, as the provider renders it.
fn collapse(v: &Node) -> Node {
    match &v.kind {
        NodeKind::Seq(items) if items.len() == 1 => items[0].clone(),
        _ => v.clone(),
    }
}

fn statement(st: &Node) -> Node {
    if st.as_map().is_none() {
        return st.clone();
    }
    let mut out: Vec<Entry> = Vec::new();
    let mut put = |name: &str, from: &str, single: bool| {
        if let Some(e) = st.entry(from) {
            let v = if single {
                collapse(&e.value)
            } else {
                e.value.clone()
            };
            out.push(entry(name, e.key_span, v));
        }
    };
    put("Sid", "sid", false);
    put("Effect", "effect", false);
    put("Action", "actions", true);
    put("NotAction", "not_actions", true);
    put("Resource", "resources", true);
    put("NotResource", "not_resources", true);
    if !out.iter().any(|e| e.key == "Effect") {
        let pos = usize::from(out.first().is_some_and(|e| e.key == "Sid"));
        out.insert(
            pos,
            entry("Effect", st.span, Node::string("Allow", st.span)),
        );
    }
    if let Some(e) = st.entry("principals") {
        out.push(entry("Principal", e.key_span, principals(&e.value)));
    }
    if let Some(e) = st.entry("not_principals") {
        out.push(entry("NotPrincipal", e.key_span, principals(&e.value)));
    }
    if let Some(e) = st.entry("condition") {
        out.push(entry("Condition", e.key_span, conditions(&e.value)));
    }
    map(out, st.span)
}

/// `principals { type = "AWS" identifiers = [...] }` blocks → `{"AWS": [...]}`; the type `*`
/// with identifiers `["*"]` is the bare `"*"`.
fn principals(blocks: &Node) -> Node {
    let mut out: Vec<Entry> = Vec::new();
    for p in blocks.one_or_many() {
        let (Some(ty), Some(ids)) = (p.entry("type"), p.get("identifiers")) else {
            return Node::unknown(p.span);
        };
        let Ok(Some(t)) = to_text(&ty.value) else {
            return Node::unknown(p.span);
        };
        if t == "*" {
            return collapse(ids);
        }
        merge_list(&mut out, &t, ty.value.span, ids);
    }
    collapse_values(map(out, blocks.span))
}

/// `condition { test, variable, values }` blocks → `{test: {variable: values}}`.
fn conditions(blocks: &Node) -> Node {
    let mut out: Vec<Entry> = Vec::new();
    for c in blocks.one_or_many() {
        let (Some(test), Some(var), Some(values)) =
            (c.entry("test"), c.get("variable"), c.get("values"))
        else {
            return Node::unknown(c.span);
        };
        let (Ok(Some(test_name)), Ok(Some(var_name))) = (to_text(&test.value), to_text(var)) else {
            return Node::unknown(c.span);
        };
        let idx = match out.iter().position(|e| e.key == test_name) {
            Some(i) => i,
            None => {
                out.push(entry(test_name, test.value.span, map(Vec::new(), c.span)));
                out.len() - 1
            }
        };
        if let NodeKind::Map(vars) = &mut out[idx].value.kind {
            merge_list(vars, &var_name, var.span, values);
        }
    }
    let out = out.into_iter().map(|e| Entry {
        value: collapse_values(e.value),
        ..e
    });
    map(out.collect(), blocks.span)
}

/// Appends `values` to the list under `key` (creating it).
fn merge_list(entries: &mut Vec<Entry>, key: &str, key_span: Span, values: &Node) {
    match entries.iter_mut().find(|e| e.key == key) {
        Some(e) => {
            if let (NodeKind::Seq(existing), NodeKind::Seq(more)) =
                (&mut e.value.kind, &values.kind)
            {
                existing.extend(more.iter().cloned());
            }
        }
        None => entries.push(entry(key, key_span, values.clone())),
    }
}

fn collapse_values(mut m: Node) -> Node {
    if let NodeKind::Map(entries) = &mut m.kind {
        for e in entries {
            e.value = collapse(&e.value);
        }
    }
    m
}
