//! YAML 1.2 core-schema resolution of plain scalars.
//!
//! Core schema, not YAML 1.1: `yes`/`no`/`on`/`off` stay strings, so GitHub Actions' `on:`
//! key and Kubernetes label values like `"on"` keep their text. Numbers keep their source
//! text (`0644` stays `0644`), so an adapter that needs YAML 1.1 octal can still read it.

use crate::node::{NodeKind, Number};

/// The value of an untagged plain scalar.
pub(crate) fn resolve_plain(text: &str) -> NodeKind {
    if is_null(text) {
        return NodeKind::Null;
    }
    if let Some(b) = parse_bool(text) {
        return NodeKind::Bool(b);
    }
    match parse_number(text) {
        Some(value) => NodeKind::Number(Number {
            text: text.to_string(),
            value,
        }),
        None => NodeKind::String(text.to_string()),
    }
}

/// `null`, `Null`, `NULL`, `~` or nothing at all.
pub(crate) fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer or a float of the core schema (`!!int` / `!!float`).
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    parse_int(text).or_else(|| parse_float(text))
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
pub(crate) fn parse_int(text: &str) -> Option<f64> {
    if let Some(digits) = text.strip_prefix("0o") {
        return radix_value(digits, 8);
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return radix_value(digits, 16);
    }
    let (negative, digits) = split_sign(text);
    let value = radix_value(digits, 10)?;
    Some(if negative { -value } else { value })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`, `.nan`.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    let (negative, rest) = split_sign(text);
    if matches!(rest, ".inf" | ".Inf" | ".INF") {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac_part {
        // `.5` needs fraction digits; `5.` is fine.
        Some(f) if int_part.is_empty() => !f.is_empty() && all_digits(f),
        Some(f) => all_digits(int_part) && all_digits(f),
        None => !int_part.is_empty() && all_digits(int_part),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let (_, digits) = split_sign(e);
        !digits.is_empty() && all_digits(digits)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    // Rust's float syntax accepts everything the pattern above allows.
    text.parse::<f64>().ok()
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// Digits in `radix`, folded into an f64 so arbitrarily long literals cannot overflow.
fn radix_value(digits: &str, radix: u32) -> Option<f64> {
    if digits.is_empty() {
        return None;
    }
    digits.chars().try_fold(0.0_f64, |acc, c| {
        c.to_digit(radix)
            .map(|d| acc.mul_add(f64::from(radix), f64::from(d)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Option<f64> {
        match resolve_plain(text) {
            NodeKind::Number(n) => {
                assert_eq!(n.text, text);
                Some(n.value)
            }
            _ => None,
        }
    }

    #[test]
    fn core_schema_nulls_and_bools() {
        for t in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(t), NodeKind::Null, "{t:?}");
        }
        assert_eq!(resolve_plain("True"), NodeKind::Bool(true));
        assert_eq!(resolve_plain("FALSE"), NodeKind::Bool(false));
        for t in ["yes", "no", "on", "off", "Y", "nULL", "tRUE"] {
            assert_eq!(resolve_plain(t), NodeKind::String(t.into()), "{t:?}");
        }
    }

    #[test]
    fn core_schema_numbers() {
        assert_eq!(num("42"), Some(42.0));
        assert_eq!(num("-7"), Some(-7.0));
        assert_eq!(num("+7"), Some(7.0));
        assert_eq!(num("0644"), Some(644.0));
        assert_eq!(num("0o17"), Some(15.0));
        assert_eq!(num("0x1F"), Some(31.0));
        assert_eq!(num("1.5"), Some(1.5));
        assert_eq!(num(".5"), Some(0.5));
        assert_eq!(num("5."), Some(5.0));
        assert_eq!(num("1e3"), Some(1000.0));
        assert_eq!(num("-2.5E-1"), Some(-0.25));
        assert_eq!(num("-.inf"), Some(f64::NEG_INFINITY));
        assert!(num(".NaN").is_some_and(f64::is_nan));
        for t in [
            "0x", "0o8", "1_000", "1.2.3", ".", "e3", "1e", "inf", "nan", "+", "12abc",
        ] {
            assert_eq!(num(t), None, "{t:?}");
        }
    }
}
