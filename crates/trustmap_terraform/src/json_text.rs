//! JSON held in Terraform strings: recognising it and decoding it with spans.
//!
//! Parsing is `trustmap_syntax::json::parse_str_at`; this module only decides which text to
//! hand it and where that text sits in the file.

use std::ops::Range;

use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind};

/// Parses JSON whose bytes are exactly the file's bytes from `base` on (spans map 1:1).
pub(crate) fn parse_exact(
    text: &str,
    file: FileId,
    base: usize,
    fallback: Span,
) -> Result<Node, String> {
    trustmap_syntax::json::parse_str_at(text, file, base, true, fallback)
}

/// Parses JSON that is not written verbatim in a file; every node gets `fallback` as span.
pub(crate) fn parse_loose(text: &str, fallback: Span) -> Result<Node, String> {
    trustmap_syntax::json::parse_str_at(text, fallback.file, 0, false, fallback)
}

/// A string that could hold a JSON object or array (cheap pre-check before parsing).
pub(crate) fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && s.len() >= 2
}

/// A JSON-carrying string for `value`, when it holds a JSON object or array.
///
/// `raw` is the byte range of the literal's content in `file` (between the quotes, or a
/// heredoc's body). When the value is written verbatim there, the tree's spans point at the
/// exact JSON tokens. When it is not (escapes, or `<<-` indentation stripping), the raw text
/// is parsed too and used if it decodes to the same value — JSON ignores the indentation that
/// `<<-` removes — else every node points at the whole literal (`span`).
pub(crate) fn literal_json(
    file: &SourceFile,
    value: &str,
    raw: Option<Range<usize>>,
    span: Span,
) -> Option<Node> {
    if !looks_like_json(value) {
        return None;
    }
    let raw_text = raw
        .as_ref()
        .and_then(|r| file.text.get(r.clone()).map(|t| (r.start, t)));
    let tree = match raw_text {
        Some((start, text)) if text == value => parse_exact(value, file.id, start, span).ok()?,
        Some((start, text)) => {
            let loose = parse_loose(value, span).ok()?;
            match parse_exact(text, file.id, start, span) {
                Ok(exact) if exact.to_json() == loose.to_json() => exact,
                _ => loose,
            }
        }
        None => parse_loose(value, span).ok()?,
    };
    json_node(value.to_string(), tree, span)
}

/// Wraps a decoded object or array as a JSON-carrying string; `None` for scalars.
pub(crate) fn json_node(text: String, tree: Node, span: Span) -> Option<Node> {
    matches!(tree.kind, NodeKind::Map(_) | NodeKind::Seq(_)).then(|| {
        Node::new(
            NodeKind::Json {
                text,
                tree: Box::new(tree),
            },
            span,
        )
    })
}

/// A string value that holds JSON, decoded with every node spanned at the string itself
/// (used for policies built by templates or functions).
pub(crate) fn string_json(node: &Node) -> Option<Node> {
    match &node.kind {
        NodeKind::String(s) if looks_like_json(s) => {
            let tree = parse_loose(s, node.span).ok()?;
            let mut out = json_node(s.clone(), tree, node.span)?;
            out.via.clone_from(&node.via);
            Some(out)
        }
        _ => None,
    }
}
