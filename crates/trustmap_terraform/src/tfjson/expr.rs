//! JSON values written as HCL expressions, per Terraform's JSON syntax: strings are string
//! templates (`"${var.x}-logs"`), numbers, booleans and `null` are themselves, arrays are
//! tuples and objects are objects whose property names are templates too. In *literal*
//! contexts (a variable's `default`, a module's `source`) strings are plain strings.

use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::Synth;
use crate::value::dedup_entries;

/// Nesting of interpolations inside quoted strings inside interpolations that is followed.
const MAX_TEMPLATE_NESTING: usize = 32;

/// How a JSON value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Strings are templates.
    Expr,
    /// Strings are literal text.
    Literal,
}

impl Synth<'_> {
    /// Writes `n` as an HCL expression.
    pub(super) fn value(&mut self, n: &Node, mode: Mode) {
        match &n.kind {
            NodeKind::String(s) => self.string(n, s, mode),
            NodeKind::Number(_) | NodeKind::Bool(_) | NodeKind::Null => {
                let raw = self.file.slice(n.span).to_string();
                if raw.is_empty() {
                    self.filler("null");
                } else {
                    self.exact(&raw, n.span);
                }
            }
            NodeKind::Seq(items) => {
                self.delimiter("[", n.span.start);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.filler(", ");
                    }
                    self.value(item, mode);
                }
                self.delimiter("]", n.span.end.saturating_sub(1));
            }
            NodeKind::Map(entries) => {
                self.delimiter("{", n.span.start);
                for (i, e) in dedup_entries(entries).into_iter().enumerate() {
                    if i > 0 {
                        self.filler(", ");
                    }
                    let key = Node::string(e.key.clone(), e.key_span);
                    self.string(&key, &e.key, mode);
                    self.filler(" = ");
                    self.value(&e.value, mode);
                }
                self.delimiter("}", n.span.end.saturating_sub(1));
            }
            // The JSON parser produces none of these.
            NodeKind::Json { .. }
            | NodeKind::Tagged { .. }
            | NodeKind::Unknown
            | NodeKind::Ref { .. }
            | NodeKind::Template(_) => {
                self.filler("null");
            }
        }
    }

    /// A JSON string as an HCL quoted string: a template in [`Mode::Expr`], literal text
    /// otherwise. A template that does not parse is reported and kept as literal text.
    pub(super) fn string(&mut self, n: &Node, s: &str, mode: Mode) {
        let quoted = match mode {
            Mode::Expr => {
                match quote_template(s) {
                    Some(q) if !has_template(s) || hcl_edit::parser::parse_expr(&q).is_ok() => q,
                    _ => {
                        self.invalid(n, "this string is not a valid Terraform template; it is read as plain text");
                        quote_literal(s)
                    }
                }
            }
            Mode::Literal => quote_literal(s),
        };
        self.token(&quoted, n.span);
    }

    /// A string holding an expression (a variable's `type`), written without quotes.
    pub(super) fn expression(&mut self, n: &Node, s: &str) {
        if hcl_edit::parser::parse_expr(s).is_err() || s.contains('\n') {
            self.invalid(
                n,
                "this string is not a valid Terraform type expression; it is ignored",
            );
            self.filler("null");
            return;
        }
        let inner = Span {
            start: n.span.start.saturating_add(1),
            end: n.span.end.saturating_sub(1),
            ..n.span
        };
        if self.file.slice(inner) == s {
            self.exact(s, inner);
        } else {
            self.coarse(s, n.span);
        }
    }

    fn delimiter(&mut self, d: &str, at: u32) {
        let span = Span {
            file: self.file.id,
            start: at,
            end: at.saturating_add(1),
        };
        self.token(d, span);
    }
}

fn has_template(s: &str) -> bool {
    s.contains("${") || s.contains("%{")
}

/// Escapes one character for an HCL quoted string.
fn escape_char(c: char, out: &mut String) {
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

/// Literal text as an HCL quoted string (template sequences escaped: `$${`, `%%{`).
pub(super) fn quote_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") || rest.starts_with("%{") {
            out.push(c);
        }
        escape_char(c, &mut out);
        rest = &rest[c.len_utf8()..];
    }
    out.push('"');
    out
}

/// A template's source as an HCL quoted template: literal parts escaped, interpolations and
/// directives copied as written. `None` when an interpolation is not closed.
pub(super) fn quote_template(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with("$${") || s[i..].starts_with("%%{") {
            out.push_str(&s[i..i + 3]);
            i += 3;
            continue;
        }
        if (b[i] == b'$' || b[i] == b'%') && b.get(i + 1) == Some(&b'{') {
            let end = interpolation_end(s, i + 2, 0)?;
            out.push_str(&s[i..end]);
            i = end;
            continue;
        }
        let c = s[i..].chars().next()?;
        escape_char(c, &mut out);
        i += c.len_utf8();
    }
    out.push('"');
    Some(out)
}

/// Index just past the `}` closing an interpolation whose body starts at `i`: braces nest,
/// quoted strings (with their own escapes and interpolations) are skipped.
fn interpolation_end(s: &str, mut i: usize, nesting: usize) -> Option<usize> {
    if nesting > MAX_TEMPLATE_NESTING {
        return None;
    }
    let b = s.as_bytes();
    let mut depth = 1usize;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'"' => {
                i = quoted_end(s, i + 1, nesting + 1)?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Index just past the `"` closing a quoted string whose body starts at `i`.
fn quoted_end(s: &str, mut i: usize, nesting: usize) -> Option<usize> {
    let b = s.as_bytes();
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                if b.get(i.wrapping_sub(1)) == Some(&b[i]) {
                    i += 2;
                } else {
                    i = interpolation_end(s, i + 2, nesting)?;
                }
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_keep_interpolations_and_escape_literals() {
        assert_eq!(
            quote_template("a-${var.x}").as_deref(),
            Some(r#""a-${var.x}""#)
        );
        assert_eq!(
            quote_template(r#"say "hi"\${lookup(var.m, "k")}"#).as_deref(),
            Some(r#""say \"hi\"\\${lookup(var.m, "k")}""#)
        );
        assert_eq!(
            quote_template(r#"${join(",", [for x in var.l : "${x}}"])}!"#).as_deref(),
            Some(r#""${join(",", [for x in var.l : "${x}}"])}!""#)
        );
        assert_eq!(
            quote_template("$${x} %%{y}").as_deref(),
            Some(r#""$${x} %%{y}""#)
        );
        assert_eq!(
            quote_template("line\nnext").as_deref(),
            Some(r#""line\nnext""#)
        );
        assert_eq!(quote_template("${var.x"), None);
    }

    #[test]
    fn literals_escape_template_sequences() {
        assert_eq!(quote_literal("${x} %{y} $"), r#""$${x} %%{y} $""#);
        assert_eq!(quote_literal("a\"b"), r#""a\"b""#);
    }
}
