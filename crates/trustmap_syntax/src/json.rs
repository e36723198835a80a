//! JSON (with comments and trailing commas) into spanned [`Node`] trees, on jsonc-parser.
//!
//! jsonc-parser's ranges are byte offsets into the text it was given, so spans are the
//! range plus where that text sits in the file. Everything else a lenient parser could
//! accept (single quotes, bare words, hex numbers, missing commas) stays an error: IAM
//! policies and CloudFormation templates are strict JSON in the tools that consume them.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::{Range, Ranged};
use jsonc_parser::{CollectOptions, ParseOptions};
use trustmap_source::{Diagnostic, FileId, SourceFile, Span};

use crate::codes;
use crate::node::{Entry, Node, NodeKind, Number};

/// Same nesting limit as YAML: consumers walk trees recursively.
pub const MAX_DEPTH: usize = crate::yaml::MAX_DEPTH;

/// Whole file as one JSON value (comments and trailing commas tolerated).
pub fn parse(file: &SourceFile) -> Result<Node, Diagnostic> {
    let full: &str = &file.text;
    // Editors on Windows write a byte-order mark; it is not JSON.
    let base = if full.starts_with('\u{feff}') { 3 } else { 0 };
    let spans = Spans {
        file: file.id,
        base,
        exact: true,
        fallback: file.full_span(),
    };
    parse_value(&full[base..], &spans).map_err(|e| {
        let at = e.range.map_or_else(
            || file.span(full.len(), full.len()),
            |r| char_span(file, base + r.start, base + r.end),
        );
        Diagnostic::new(codes::PARSE_ERROR, e.message).at(file, at)
    })
}

/// Parse `text` which sits at byte `base_offset` of file `file` (so spans point into the real
/// file, e.g. a Terraform heredoc body). If `text` is not a verbatim slice of the file (escapes
/// or interpolation were applied), callers pass `exact = false` and every node gets `fallback`
/// as its span.
pub fn parse_str_at(
    text: &str,
    file: FileId,
    base_offset: usize,
    exact: bool,
    fallback: Span,
) -> Result<Node, String> {
    let spans = Spans {
        file,
        base: base_offset,
        exact,
        fallback,
    };
    parse_value(text, &spans).map_err(|e| match e.range {
        Some(r) => {
            let before = text.get(..r.start).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{} (line {line}, column {col} of the JSON text)", e.message)
        }
        None => e.message,
    })
}

/// How jsonc-parser ranges become file spans.
struct Spans {
    file: FileId,
    base: usize,
    exact: bool,
    fallback: Span,
}

impl Spans {
    fn of(&self, range: Range) -> Span {
        if self.exact {
            Span::new(self.file, self.base + range.start, self.base + range.end)
        } else {
            self.fallback
        }
    }
}

struct Error {
    message: String,
    /// Range in the parsed text, when the error has a place.
    range: Option<Range>,
}

fn parse_value(text: &str, spans: &Spans) -> Result<Node, Error> {
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
            Error {
                message: format!("JSON syntax error: {}", e.kind()),
                range: Some(e.range()),
            }
        })?;
    let value = parsed.value.ok_or_else(|| Error {
        message: "JSON syntax error: no value (the text is empty or only comments)".to_string(),
        range: None,
    })?;
    convert(&value, spans, 1)
}

fn convert(value: &Value<'_>, spans: &Spans, depth: usize) -> Result<Node, Error> {
    if depth > MAX_DEPTH {
        return Err(Error {
            message: format!("JSON nests deeper than {MAX_DEPTH} levels"),
            range: Some(value.range()),
        });
    }
    let span = spans.of(value.range());
    let kind = match value {
        Value::NullKeyword(_) => NodeKind::Null,
        Value::BooleanLit(b) => NodeKind::Bool(b.value),
        Value::NumberLit(n) => NodeKind::Number(Number {
            text: n.value.to_string(),
            // Strict JSON number syntax is a subset of Rust's float syntax.
            value: n.value.parse().unwrap_or(f64::NAN),
        }),
        Value::StringLit(s) => NodeKind::String(s.value.to_string()),
        Value::Array(a) => NodeKind::Seq(
            a.elements
                .iter()
                .map(|v| convert(v, spans, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => NodeKind::Map(
            o.properties
                .iter()
                .map(|p| {
                    let (key, key_range) = match &p.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    Ok(Entry {
                        key,
                        key_span: spans.of(key_range),
                        value: convert(&p.value, spans, depth + 1)?,
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    Ok(Node::new(kind, span))
}

/// `start..end`, widened to one character when empty so an error has something to underline.
fn char_span(file: &SourceFile, start: usize, end: usize) -> Span {
    let start = start.min(file.text.len());
    let end = if end > start {
        end
    } else {
        file.text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(start, |c| start + c.len_utf8())
    };
    file.span(start, end)
}

#[cfg(test)]
mod tests;
