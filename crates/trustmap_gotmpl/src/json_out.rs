//! `toJson`/`toRawJson`/`toPrettyJson`: Go's `encoding/json` output (sorted keys, HTML
//! characters escaped unless raw, floats as Go writes them).

use std::fmt::Write as _;

use crate::value::{Kind, MAX_WALK_DEPTH, Value};

pub(crate) fn to_json(v: &Value, escape_html: bool, indent: Option<usize>) -> String {
    let mut out = String::new();
    emit(&mut out, v, escape_html, indent, 0);
    out
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(n) = indent {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', n * level));
    }
}

fn emit(out: &mut String, v: &Value, html: bool, indent: Option<usize>, level: usize) {
    if level > MAX_WALK_DEPTH {
        out.push_str("null");
        return;
    }
    match &v.kind {
        Kind::Nil => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) => out.push_str(&json_float(*f)),
        Kind::Str(s) => string(out, s, html),
        Kind::Host(h) => string(out, &h.display(), html),
        Kind::List(l) => {
            if l.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                emit(out, x, html, indent, level + 1);
            }
            newline(out, indent, level);
            out.push(']');
        }
        Kind::Map(m) => {
            let m = m.borrow();
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                string(out, k, html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                emit(out, x, html, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
}

/// `encoding/json`'s float format: `%f`-style shortest, exponent form below 1e-6 and from
/// 1e21, with Go's exponent cleanup (`1e-07` → `1e-7`).
fn json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        return format!("{m}e{}{}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let s = format!("{f}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

fn string(out: &mut String, s: &str, html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    #[test]
    fn like_encoding_json() {
        let mut m = Map::new();
        m.insert("b".into(), Value::float(1.0));
        m.insert("a".into(), Value::str("<x>"));
        m.insert(
            "c".into(),
            Value::list(vec![Value::float(0.5), Value::nil()]),
        );
        let v = Value::map(m);
        assert_eq!(
            to_json(&v, true, None),
            r#"{"a":"\u003cx\u003e","b":1,"c":[0.5,null]}"#
        );
        assert_eq!(
            to_json(&v, false, None),
            r#"{"a":"<x>","b":1,"c":[0.5,null]}"#
        );
        assert_eq!(
            to_json(&v, false, Some(2)),
            "{\n  \"a\": \"<x>\",\n  \"b\": 1,\n  \"c\": [\n    0.5,\n    null\n  ]\n}"
        );
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(1e21), "1e+21");
    }
}
