//! Go's `fmt.Sprintf` for the verbs templates use, with Go's output for mismatched
//! arguments (`%!d(string=x)`), so a chart that prints garbage in Helm prints the same here.

use std::fmt::Write as _;

use crate::value::{Kind, Value, format_float_g};

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut sp = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => sp.minus = true,
                '+' => sp.plus = true,
                '0' => sp.zero = true,
                ' ' => sp.space = true,
                '#' => sp.sharp = true,
                _ => break,
            }
            chars.next();
        }
        sp.width = read_num(&mut chars, args, &mut next);
        if chars.peek() == Some(&'.') {
            chars.next();
            sp.prec = Some(read_num(&mut chars, args, &mut next).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next += 1;
        let body = format_one(verb, arg, &sp);
        pad(
            &mut out,
            &body,
            &sp,
            matches!(arg.kind, Kind::Int(_) | Kind::Float(_)),
        );
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| format!("{}={}", a.type_name(), a.to_go_string()))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn read_num(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    args: &[Value],
    next: &mut usize,
) -> Option<usize> {
    if chars.peek() == Some(&'*') {
        chars.next();
        let v = args.get(*next).map(super::to_i64);
        *next += 1;
        return v.map(|v| v.clamp(0, 1 << 20) as usize);
    }
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(d as usize)
                .min(1 << 20),
        );
        chars.next();
    }
    n
}

fn pad(out: &mut String, body: &str, sp: &Spec, numeric: bool) {
    let len = body.chars().count();
    let w = sp.width.unwrap_or(0);
    if len >= w {
        out.push_str(body);
        return;
    }
    let fill = w - len;
    if sp.minus {
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if sp.zero && numeric {
        let (sign, digits) = match body.strip_prefix(['-', '+']) {
            Some(d) => (&body[..1], d),
            None => ("", body),
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(digits);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(body);
    }
}

fn bad(verb: char, v: &Value) -> String {
    match v.kind {
        Kind::Nil => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", v.type_name(), v.to_go_string()),
    }
}

fn sign(s: String, sp: &Spec, negative: bool) -> String {
    if negative {
        s
    } else if sp.plus {
        format!("+{s}")
    } else if sp.space {
        format!(" {s}")
    } else {
        s
    }
}

fn format_one(verb: char, v: &Value, sp: &Spec) -> String {
    match verb {
        'v' => match &v.kind {
            Kind::Str(s) if sp.sharp => super::strings::go_quote(s),
            Kind::Int(i) => sign(i.to_string(), sp, *i < 0),
            _ => v.to_go_string(),
        },
        's' => match &v.kind {
            Kind::Str(s) => truncate(s, sp.prec),
            Kind::List(_) | Kind::Map(_) | Kind::Bool(_) => v.to_go_string(),
            _ => bad(verb, v),
        },
        'q' => match &v.kind {
            Kind::Str(s) => super::strings::go_quote(s),
            Kind::Int(i) => {
                char::from_u32(*i as u32).map_or_else(|| bad(verb, v), |c| format!("'{c}'"))
            }
            _ => bad(verb, v),
        },
        'd' => match &v.kind {
            Kind::Int(i) => sign(i.to_string(), sp, *i < 0),
            _ => bad(verb, v),
        },
        'x' | 'X' | 'o' | 'b' => match &v.kind {
            Kind::Int(i) => {
                let neg = *i < 0;
                let u = i.unsigned_abs();
                let body = match verb {
                    'x' => format!("{u:x}"),
                    'X' => format!("{u:X}"),
                    'o' => format!("{u:o}"),
                    _ => format!("{u:b}"),
                };
                let body = if sp.sharp && verb == 'x' {
                    format!("0x{body}")
                } else {
                    body
                };
                if neg { format!("-{body}") } else { body }
            }
            Kind::Str(s) if verb == 'x' || verb == 'X' => {
                let h = super::strings::hex(s.as_bytes());
                if verb == 'X' { h.to_uppercase() } else { h }
            }
            _ => bad(verb, v),
        },
        'c' => match &v.kind {
            Kind::Int(i) => char::from_u32(*i as u32).map_or_else(String::new, String::from),
            _ => bad(verb, v),
        },
        't' => match &v.kind {
            Kind::Bool(b) => b.to_string(),
            _ => bad(verb, v),
        },
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
            let f = match &v.kind {
                Kind::Float(f) => *f,
                _ => return bad(verb, v),
            };
            let s = match verb {
                'f' | 'F' => format!("{:.*}", sp.prec.unwrap_or(6), f),
                'e' | 'E' => {
                    let s = go_exp(f, sp.prec.unwrap_or(6));
                    if verb == 'E' { s.to_uppercase() } else { s }
                }
                _ => match sp.prec {
                    None => format_float_g(f, 21),
                    Some(p) => {
                        let s = format!("{:.*e}", p.saturating_sub(1), f);
                        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                        let e: i32 = e.parse().unwrap_or(0);
                        if e < -4 || e >= p.max(1) as i32 {
                            go_exp(f, p.saturating_sub(1))
                        } else {
                            let dec = (p as i32 - 1 - e).max(0) as usize;
                            let _ = m;
                            let t = format!("{f:.dec$}");
                            if t.contains('.') {
                                t.trim_end_matches('0').trim_end_matches('.').to_string()
                            } else {
                                t
                            }
                        }
                    }
                },
            };
            sign(s, sp, f < 0.0)
        }
        'T' => v.type_name().to_string(),
        _ => format!("%!{verb}({}={})", v.type_name(), v.to_go_string()),
    }
}

fn truncate(s: &str, prec: Option<usize>) -> String {
    match prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    }
}

/// Go's `%e`: mantissa with `prec` decimals and a two-digit signed exponent.
fn go_exp(f: f64, prec: usize) -> String {
    let s = format!("{f:.prec$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs() {
        let s = |x: &str| Value::str(x);
        assert_eq!(sprintf("%s-%s", &[s("a"), s("b")]), "a-b");
        assert_eq!(sprintf("%d", &[Value::int(42)]), "42");
        assert_eq!(sprintf("%05d", &[Value::int(42)]), "00042");
        assert_eq!(sprintf("%d", &[Value::float(1.0)]), "%!d(float64=1)");
        assert_eq!(
            sprintf("%v:%v", &[Value::float(8080.0), Value::bool(true)]),
            "8080:true"
        );
        assert_eq!(sprintf("%q", &[s("x")]), "\"x\"");
        assert_eq!(sprintf("%.2f", &[Value::float(1.234)]), "1.23");
        assert_eq!(sprintf("%s", &[]), "%!s(MISSING)");
        assert_eq!(sprintf("%-4s|", &[s("a")]), "a   |");
        assert_eq!(sprintf("%x", &[Value::int(255)]), "ff");
    }
}
