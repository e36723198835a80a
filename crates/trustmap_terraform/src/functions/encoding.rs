//! Encoding functions: `jsonencode` (keeping the argument as the JSON tree), `jsondecode`,
//! base64, SHA-2 digests, `urlencode`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value as J;
use sha2::{Digest, Sha256, Sha512};
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::{err, str_arg};
use crate::json_text::parse_loose;
use crate::limits::MAX_STRING;
use crate::value::{EvalError, EvalResult, dedup_entries};

/// A value as JSON (`null` for unknown parts). `sort_keys` orders object keys as
/// Terraform's `jsonencode` does.
pub(crate) fn to_json_value(n: &Node, sort_keys: bool) -> J {
    match &n.kind {
        NodeKind::Null | NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
            J::Null
        }
        NodeKind::Bool(b) => J::Bool(*b),
        NodeKind::Number(num) => {
            let v = num.value;
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                J::Number((v as i64).into())
            } else {
                serde_json::Number::from_f64(v).map_or(J::Null, J::Number)
            }
        }
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => J::String(s.clone()),
        NodeKind::Seq(items) => {
            J::Array(items.iter().map(|i| to_json_value(i, sort_keys)).collect())
        }
        NodeKind::Map(entries) => {
            let mut es = dedup_entries(entries);
            if sort_keys {
                es.sort_by(|a, b| a.key.cmp(&b.key));
            }
            J::Object(
                es.into_iter()
                    .map(|e| (e.key.clone(), to_json_value(&e.value, sort_keys)))
                    .collect(),
            )
        }
        NodeKind::Tagged { value, .. } => to_json_value(value, sort_keys),
    }
}

/// JSON text of a value, escaped like Go's encoder (`<`, `>`, `&` as `\u00XX`).
pub(crate) fn json_text(
    n: &Node,
    pretty: bool,
    sort_keys: bool,
    span: Span,
) -> Result<String, EvalError> {
    let v = to_json_value(n, sort_keys);
    let s = if pretty {
        serde_json::to_string_pretty(&v)
    } else {
        serde_json::to_string(&v)
    }
    .map_err(|e| err(span, format!("cannot encode JSON: {e}")))?;
    if s.len() > MAX_STRING {
        return Err(err(span, "JSON result is too large"));
    }
    Ok(go_escape(s))
}

fn go_escape(s: String) -> String {
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `jsonencode(v)`: a `Json` string whose tree is the evaluated argument itself, so rules
/// reading the policy point at the HCL that wrote each value. Unknown parts encode as `null`
/// in the text and stay unknown in the tree.
pub(super) fn jsonencode(mut args: Vec<Node>, span: Span) -> EvalResult {
    let v = args.remove(0);
    if v.is_unknown() {
        return Ok(Node::unknown(span));
    }
    let text = json_text(&v, false, true, span)?;
    Ok(Node::new(
        NodeKind::Json {
            text,
            tree: Box::new(v),
        },
        span,
    ))
}

/// `jsondecode(s)`: the decoded tree; for a JSON literal written in the file, its spans
/// point at the JSON tokens.
pub(super) fn jsondecode(mut args: Vec<Node>, span: Span) -> EvalResult {
    let v = args.remove(0);
    match v.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(Node::unknown(span)),
        NodeKind::Json { tree, .. } => Ok(*tree),
        NodeKind::String(s) => {
            parse_loose(&s, v.span).map_err(|m| err(v.span, format!("jsondecode(): {m}")))
        }
        _ => Err(err(v.span, "jsondecode() needs a string")),
    }
}

pub(super) fn base64encode(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    Ok(Node::string(STANDARD.encode(s.as_bytes()), span))
}

pub(super) fn base64decode(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let bytes = STANDARD
        .decode(s.trim().as_bytes())
        .map_err(|e| err(span, format!("base64decode(): {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| err(span, "base64decode(): the result is not UTF-8"))?;
    Ok(Node::string(text, span))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn sha256(args: Vec<Node>, span: Span) -> EvalResult {
    Ok(Node::string(
        hex(&Sha256::digest(str_arg(&args, 0, span)?.as_bytes())),
        span,
    ))
}

pub(super) fn sha512(args: Vec<Node>, span: Span) -> EvalResult {
    Ok(Node::string(
        hex(&Sha512::digest(str_arg(&args, 0, span)?.as_bytes())),
        span,
    ))
}

pub(super) fn base64sha256(args: Vec<Node>, span: Span) -> EvalResult {
    let d = Sha256::digest(str_arg(&args, 0, span)?.as_bytes());
    Ok(Node::string(STANDARD.encode(d), span))
}

pub(super) fn base64sha512(args: Vec<Node>, span: Span) -> EvalResult {
    let d = Sha512::digest(str_arg(&args, 0, span)?.as_bytes());
    Ok(Node::string(STANDARD.encode(d), span))
}

/// Go's `url.QueryEscape`.
pub(super) fn urlencode(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Node::string(out, span))
}
