//! `toYaml`: values as `sigs.k8s.io/yaml` (go-yaml v2) writes them — sorted keys, two-space
//! indentation, sequences not indented under their key, integral numbers without a decimal
//! point, strings quoted whenever YAML would read them as something else. Long strings are
//! not folded at 80 columns as go-yaml does; the value read back is the same.

use crate::value::{Kind, MAX_WALK_DEPTH, Value, format_float_g};

/// The YAML text of `v`, without the final newline (Helm trims it).
pub(crate) fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match &v.kind {
        Kind::Map(m) if !m.borrow().is_empty() => emit_map(&mut out, v, 0, 0),
        Kind::List(l) if !l.is_empty() => emit_list(&mut out, v, 0, 0),
        Kind::Str(s) if is_block(s) => emit_block(&mut out, s, 0),
        _ => out.push_str(&scalar(v)),
    }
    out
}

fn pad(out: &mut String, col: usize) {
    out.extend(std::iter::repeat_n(' ', col));
}

fn emit_map(out: &mut String, v: &Value, col: usize, depth: usize) {
    let Kind::Map(m) = &v.kind else { return };
    if depth > MAX_WALK_DEPTH {
        out.push_str("{}");
        return;
    }
    let entries: Vec<(String, Value)> = m
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (i, (k, val)) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            pad(out, col);
        }
        out.push_str(&quote_str(k));
        out.push(':');
        match &val.kind {
            Kind::Map(m) if !m.borrow().is_empty() => {
                out.push('\n');
                pad(out, col + 2);
                emit_map(out, val, col + 2, depth + 1);
            }
            Kind::List(l) if !l.is_empty() => {
                out.push('\n');
                pad(out, col);
                emit_list(out, val, col, depth + 1);
            }
            Kind::Str(s) if is_block(s) => {
                out.push(' ');
                emit_block(out, s, col + 2);
            }
            _ => {
                out.push(' ');
                out.push_str(&scalar(val));
            }
        }
    }
}

fn emit_list(out: &mut String, v: &Value, col: usize, depth: usize) {
    let Kind::List(l) = &v.kind else { return };
    if depth > MAX_WALK_DEPTH {
        out.push_str("[]");
        return;
    }
    for (i, item) in l.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            pad(out, col);
        }
        out.push_str("- ");
        match &item.kind {
            Kind::Map(m) if !m.borrow().is_empty() => emit_map(out, item, col + 2, depth + 1),
            Kind::List(l) if !l.is_empty() => emit_list(out, item, col + 2, depth + 1),
            Kind::Str(s) if is_block(s) => emit_block(out, s, col + 2),
            _ => out.push_str(&scalar(item)),
        }
    }
}

/// Multi-line strings are written as literal blocks when every line can be.
fn is_block(s: &str) -> bool {
    s.contains('\n')
        && !s.split('\n').any(|l| l.ends_with([' ', '\t']))
        && !s.chars().any(|c| c != '\n' && c != '\t' && is_special(c))
}

fn emit_block(out: &mut String, s: &str, col: usize) {
    out.push('|');
    if s.starts_with([' ', '\n']) {
        out.push('2');
    }
    let body = if let Some(b) = s.strip_suffix('\n') {
        if b.ends_with('\n') {
            out.push('+');
        }
        b
    } else {
        out.push('-');
        s
    };
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, col);
            out.push_str(line);
        }
    }
}

fn scalar(v: &Value) -> String {
    match &v.kind {
        Kind::Nil => "null".into(),
        Kind::Bool(b) => b.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => yaml_float(*f),
        Kind::Str(s) => quote_str(s),
        Kind::Map(_) => "{}".into(),
        Kind::List(_) => "[]".into(),
        Kind::Host(h) => quote_str(&h.display()),
    }
}

/// A float as go-yaml writes it after the JSON round trip: integral values as integers.
pub(crate) fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    format_float_g(f, 21)
}

fn is_special(c: char) -> bool {
    (c < ' ' && c != '\n' && c != '\t')
        || c == '\u{7f}'
        || c == '\u{feff}'
        || (('\u{80}'..'\u{a0}').contains(&c))
}

/// Would a YAML reader take this plain scalar for something other than a string?
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "<<",
        "=", ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", ".nan",
        ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return false;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let body = clean.trim_start_matches(['-', '+']);
    if body.parse::<f64>().is_ok() {
        return true;
    }
    let lower = body.to_ascii_lowercase();
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(d) = lower.strip_prefix(prefix)
            && !d.is_empty()
            && u64::from_str_radix(d, radix).is_ok()
        {
            return true;
        }
    }
    // Timestamps (2024-01-01…) and base-60 numbers (1:30).
    let b = s.as_bytes();
    if b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' {
        return true;
    }
    s.contains(':')
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '_' | '-' | '+'))
}

fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.starts_with([' ', '\t']) || s.ends_with([' ', '\t']) {
        return false;
    }
    if s.contains(['\n', '\r']) || s.chars().any(is_special) {
        return false;
    }
    let b = s.as_bytes();
    let ws_after = |i: usize| b.get(i + 1).is_none_or(|c| matches!(c, b' ' | b'\t'));
    match b[0] {
        b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => return false,
        b'?' | b':' | b'-' if ws_after(0) => return false,
        _ => {}
    }
    for (i, &c) in b.iter().enumerate() {
        if c == b':' && ws_after(i) {
            return false;
        }
        if c == b'#' && i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            return false;
        }
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    !resolves_to_non_string(s)
}

/// A string as a YAML scalar: plain when safe, single-quoted when only indicators are in
/// the way, double-quoted (with escapes) otherwise.
fn quote_str(s: &str) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    let needs_double = s.is_empty()
        || s.contains(['\n', '\r', '\t'])
        || s.chars().any(is_special)
        || (resolves_to_non_string(s));
    if !needs_double {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '\0' => o.push_str("\\0"),
            c if is_special(c) => {
                let n = c as u32;
                if n <= 0xff {
                    o.push_str(&format!("\\x{n:02X}"));
                } else {
                    o.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn m(pairs: &[(&str, Value)]) -> Value {
        let mut x = Map::new();
        for (k, v) in pairs {
            x.insert((*k).to_string(), v.clone());
        }
        Value::map(x)
    }

    #[test]
    fn emits_like_go_yaml_v2() {
        let v = m(&[
            (
                "b",
                Value::list(vec![
                    Value::str("x"),
                    m(&[("k", Value::int(1)), ("j", Value::bool(true))]),
                ]),
            ),
            (
                "a",
                m(&[("cpu", Value::str("100m")), ("num", Value::float(8080.0))]),
            ),
            ("s", Value::str("true")),
            ("t", Value::str("a: b")),
            ("e", Value::str("")),
            ("m", Value::str("line1\nline2\n")),
            ("z", Value::empty_map()),
        ]);
        assert_eq!(
            to_yaml(&v),
            "a:\n  cpu: 100m\n  num: 8080\nb:\n- x\n- j: true\n  k: 1\ne: \"\"\nm: |\n  line1\n  line2\ns: \"true\"\nt: 'a: b'\nz: {}"
        );
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "1",
            "1.5",
            "0x1F",
            "yes",
            "null",
            "~",
            "2024-01-01",
            "1:30",
            "-",
            "#x",
            "*a",
        ] {
            assert_ne!(quote_str(s), s, "{s}");
        }
        for s in ["nginx:1.25", "a-b", "http://x", "foo bar", "-x"] {
            assert_eq!(quote_str(s), s, "{s}");
        }
    }
}
