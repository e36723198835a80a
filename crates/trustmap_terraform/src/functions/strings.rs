//! String functions: `format`, `join`, `split`, `replace` (with `/regex/`), `regex`, …

use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::{err, int_arg, list_of, str_arg};
use crate::functions::json_text;
use crate::limits::{MAX_COLLECTION, MAX_STRING};
use crate::value::{EvalError, EvalResult, entry, map, null, number_text, seq, to_number, to_text};

/// Refuses a result of `len` bytes before building it.
fn fits(len: usize, span: Span) -> Result<(), EvalError> {
    if len > MAX_STRING {
        return Err(err(span, "string result is too large"));
    }
    Ok(())
}

fn string(s: String, span: Span) -> EvalResult {
    if s.len() > MAX_STRING {
        return Err(err(span, "string result is too large"));
    }
    Ok(Node::string(s, span))
}

pub(super) fn lower(args: Vec<Node>, span: Span) -> EvalResult {
    string(str_arg(&args, 0, span)?.to_lowercase(), span)
}

pub(super) fn upper(args: Vec<Node>, span: Span) -> EvalResult {
    string(str_arg(&args, 0, span)?.to_uppercase(), span)
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
pub(super) fn title(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let mut out = String::with_capacity(s.len());
    let mut at_start = true;
    for c in s.chars() {
        if at_start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_start = !(c.is_alphanumeric() || c == '_');
    }
    string(out, span)
}

pub(super) fn trimspace(args: Vec<Node>, span: Span) -> EvalResult {
    string(str_arg(&args, 0, span)?.trim().to_string(), span)
}

pub(super) fn trim(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let cut = str_arg(&args, 1, span)?;
    string(s.trim_matches(|c| cut.contains(c)).to_string(), span)
}

pub(super) fn trimprefix(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let p = str_arg(&args, 1, span)?;
    string(s.strip_prefix(p.as_str()).unwrap_or(&s).to_string(), span)
}

pub(super) fn trimsuffix(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let p = str_arg(&args, 1, span)?;
    string(s.strip_suffix(p.as_str()).unwrap_or(&s).to_string(), span)
}

pub(super) fn startswith(args: Vec<Node>, span: Span) -> EvalResult {
    Ok(Node::bool(
        str_arg(&args, 0, span)?.starts_with(&str_arg(&args, 1, span)?),
        span,
    ))
}

pub(super) fn endswith(args: Vec<Node>, span: Span) -> EvalResult {
    Ok(Node::bool(
        str_arg(&args, 0, span)?.ends_with(&str_arg(&args, 1, span)?),
        span,
    ))
}

pub(super) fn strcontains(args: Vec<Node>, span: Span) -> EvalResult {
    Ok(Node::bool(
        str_arg(&args, 0, span)?.contains(&str_arg(&args, 1, span)?),
        span,
    ))
}

pub(super) fn strrev(args: Vec<Node>, span: Span) -> EvalResult {
    string(str_arg(&args, 0, span)?.chars().rev().collect(), span)
}

pub(super) fn chomp(args: Vec<Node>, span: Span) -> EvalResult {
    string(
        str_arg(&args, 0, span)?
            .trim_end_matches(['\n', '\r'])
            .to_string(),
        span,
    )
}

pub(super) fn indent(args: Vec<Node>, span: Span) -> EvalResult {
    let n = int_arg(&args, 0, span)?.clamp(0, 1024) as usize;
    let s = str_arg(&args, 1, span)?;
    fits(s.len() + s.matches('\n').count() * n, span)?;
    let pad = " ".repeat(n);
    string(s.replace('\n', &format!("\n{pad}")), span)
}

pub(super) fn dirname(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let d = match s.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => s[..i].to_string(),
        None => ".".to_string(),
    };
    string(d, span)
}

pub(super) fn basename(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let t = s.trim_end_matches('/');
    string(t.rsplit('/').next().unwrap_or(t).to_string(), span)
}

/// `substr(string, offset, length)`, in characters; negative offset counts from the end,
/// length -1 means "to the end".
pub(super) fn substr(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as i64;
    let mut offset = int_arg(&args, 1, span)?;
    let length = int_arg(&args, 2, span)?;
    if offset < 0 {
        offset += len;
    }
    if offset < 0 || offset > len {
        return Err(err(args[1].span, "substr(): offset out of range"));
    }
    let end = if length < 0 {
        len
    } else {
        (offset + length).min(len)
    };
    string(chars[offset as usize..end as usize].iter().collect(), span)
}

pub(super) fn tostring(args: Vec<Node>, span: Span) -> EvalResult {
    let n = &args[0];
    match &n.kind {
        NodeKind::Null => Ok(null(span)),
        NodeKind::Json { .. } => Ok(n.clone()),
        _ => match to_text(n) {
            Ok(Some(s)) => string(s, span),
            _ => Err(err(n.span, "tostring() needs a primitive value")),
        },
    }
}

pub(super) fn tonumber(args: Vec<Node>, span: Span) -> EvalResult {
    let n = &args[0];
    if n.is_null() {
        return Ok(null(span));
    }
    match to_number(n) {
        Ok(Some(v)) => Ok(Node::number(v, span)),
        _ => Err(err(n.span, "tonumber(): not a number")),
    }
}

pub(super) fn tobool(args: Vec<Node>, span: Span) -> EvalResult {
    let n = &args[0];
    if n.is_null() {
        return Ok(null(span));
    }
    n.as_bool()
        .map(|b| Node::bool(b, span))
        .ok_or_else(|| err(n.span, "tobool(): not a bool"))
}

pub(super) fn join(args: Vec<Node>, span: Span) -> EvalResult {
    let sep = str_arg(&args, 0, span)?;
    let mut out = String::new();
    let mut first = true;
    for list in &args[1..] {
        for item in list_of(list)? {
            let s = to_text(item)
                .ok()
                .flatten()
                .ok_or_else(|| err(item.span, "join(): elements must be strings"))?;
            fits(out.len() + sep.len() + s.len(), span)?;
            if !first {
                out.push_str(&sep);
            }
            first = false;
            out.push_str(&s);
        }
    }
    string(out, span)
}

pub(super) fn split(args: Vec<Node>, span: Span) -> EvalResult {
    let sep = str_arg(&args, 0, span)?;
    let s = str_arg(&args, 1, span)?;
    let count = if sep.is_empty() {
        s.chars().count()
    } else {
        s.matches(sep.as_str()).count() + 1
    };
    if count > MAX_COLLECTION {
        return Err(err(span, "split(): too many parts"));
    }
    let parts: Vec<Node> = if sep.is_empty() {
        s.chars()
            .map(|c| Node::string(c.to_string(), span))
            .collect()
    } else {
        s.split(sep.as_str())
            .map(|p| Node::string(p, span))
            .collect()
    };
    if parts.len() > MAX_COLLECTION {
        return Err(err(span, "split(): too many parts"));
    }
    Ok(seq(parts, span))
}

/// Compiles a Terraform (RE2-style) pattern with bounded size.
fn compile(pattern: &str, span: Span) -> Result<regex::Regex, EvalError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| err(span, format!("invalid regular expression: {e}")))
}

pub(super) fn replace(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let sub = str_arg(&args, 1, span)?;
    let rep = str_arg(&args, 2, span)?;
    if sub.len() >= 2 && sub.starts_with('/') && sub.ends_with('/') {
        let re = compile(&sub[1..sub.len() - 1], args[1].span)?;
        // Each replacement may expand groups (at most the whole input each).
        let per_match = rep.len() + if rep.contains('$') { s.len() } else { 0 };
        let matches = re.find_iter(&s).take(MAX_STRING + 1).count();
        fits(
            s.len().saturating_add(matches.saturating_mul(per_match)),
            span,
        )?;
        return string(re.replace_all(&s, rep.as_str()).into_owned(), span);
    }
    if sub.is_empty() {
        return string(s, span);
    }
    fits(
        s.len() + s.matches(sub.as_str()).count().saturating_mul(rep.len()),
        span,
    )?;
    let out = s.replace(sub.as_str(), &rep);
    string(out, span)
}

/// One match as `regex()` returns it: the match, a list of groups, or a map of named groups.
fn match_value(
    re: &regex::Regex,
    caps: &regex::Captures<'_>,
    span: Span,
) -> Result<Node, EvalError> {
    let groups = re.captures_len() - 1;
    if groups == 0 {
        return Ok(Node::string(caps.get(0).map_or("", |m| m.as_str()), span));
    }
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.iter().all(Option::is_some) {
        let entries = names
            .iter()
            .flatten()
            .map(|n| {
                entry(
                    *n,
                    span,
                    Node::string(caps.name(n).map_or("", |m| m.as_str()), span),
                )
            })
            .collect();
        return Ok(map(entries, span));
    }
    if names.iter().any(Option::is_some) {
        return Err(err(
            span,
            "regex(): named and unnamed groups cannot be mixed",
        ));
    }
    let items = (1..=groups)
        .map(|i| Node::string(caps.get(i).map_or("", |m| m.as_str()), span))
        .collect();
    Ok(seq(items, span))
}

pub(super) fn regex(args: Vec<Node>, span: Span) -> EvalResult {
    let re = compile(&str_arg(&args, 0, span)?, args[0].span)?;
    let s = str_arg(&args, 1, span)?;
    let caps = re
        .captures(&s)
        .ok_or_else(|| err(span, "regex(): the pattern did not match"))?;
    match_value(&re, &caps, span)
}

pub(super) fn regexall(args: Vec<Node>, span: Span) -> EvalResult {
    let re = compile(&str_arg(&args, 0, span)?, args[0].span)?;
    let s = str_arg(&args, 1, span)?;
    let mut out = Vec::new();
    for caps in re.captures_iter(&s) {
        if out.len() >= MAX_COLLECTION {
            return Err(err(span, "regexall(): too many matches"));
        }
        out.push(match_value(&re, &caps, span)?);
    }
    Ok(seq(out, span))
}

// ---- format / formatlist ----

struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
    verb: char,
}

const MAX_WIDTH: usize = 1024;

/// `format(spec, args...)`, Go `fmt` verbs as Terraform documents them.
pub(super) fn format(args: Vec<Node>, span: Span) -> EvalResult {
    let fmt = str_arg(&args, 0, span)?;
    string(render_format(&fmt, &args[1..], span)?, span)
}

fn render_format(fmt: &str, args: &[Node], span: Span) -> Result<String, EvalError> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut spec = Spec {
            minus: false,
            plus: false,
            zero: false,
            space: false,
            sharp: false,
            width: None,
            precision: None,
            verb: 'v',
        };
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
            let n: usize = digits
                .parse()
                .map_err(|_| err(span, "format: bad argument index"))?;
            next_arg = n
                .checked_sub(1)
                .ok_or_else(|| err(span, "format: bad argument index"))?;
        }
        spec.width = read_number(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(read_number(&mut chars).unwrap_or(0));
        }
        spec.verb = chars
            .next()
            .ok_or_else(|| err(span, "format: incomplete verb at end of string"))?;
        if spec.width.is_some_and(|w| w > MAX_WIDTH)
            || spec.precision.is_some_and(|p| p > MAX_WIDTH)
        {
            return Err(err(span, "format: width or precision too large"));
        }
        let arg = args.get(next_arg).ok_or_else(|| {
            err(
                span,
                format!("format: not enough arguments for %{}", spec.verb),
            )
        })?;
        next_arg += 1;
        out.push_str(&format_one(&spec, arg, span)?);
        if out.len() > MAX_STRING {
            return Err(err(span, "format: result too large"));
        }
    }
    if next_arg < args.len() {
        return Err(err(
            span,
            format!(
                "format: too many arguments ({} given, {next_arg} used)",
                args.len()
            ),
        ));
    }
    Ok(out)
}

fn read_number(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
        chars.next();
    }
    n
}

fn format_one(spec: &Spec, arg: &Node, span: Span) -> Result<String, EvalError> {
    let num = || -> Result<f64, EvalError> {
        to_number(arg)
            .ok()
            .flatten()
            .ok_or_else(|| err(arg.span, format!("format: %{} needs a number", spec.verb)))
    };
    let text = || -> Result<String, EvalError> {
        to_text(arg)
            .ok()
            .flatten()
            .ok_or_else(|| err(arg.span, format!("format: %{} needs a string", spec.verb)))
    };
    let (body, numeric) = match spec.verb {
        'v' if matches!(arg.kind, NodeKind::Seq(_) | NodeKind::Map(_)) || spec.sharp => {
            (json_text(arg, false, true, span)?, false)
        }
        'v' | 's' => (text()?, false),
        'q' => (serde_json::Value::String(text()?).to_string(), false),
        't' => match arg.as_bool() {
            Some(b) => (b.to_string(), false),
            None => return Err(err(arg.span, "format: %t needs a bool")),
        },
        'd' => {
            let v = num()?;
            if v.fract() != 0.0 {
                return Err(err(arg.span, "format: %d needs a whole number"));
            }
            (signed(number_text(v.abs()), v < 0.0, spec), true)
        }
        'f' | 'F' => {
            let v = num()?;
            let p = spec.precision.unwrap_or(6);
            (signed(format!("{:.*}", p, v.abs()), v < 0.0, spec), true)
        }
        'e' | 'E' => {
            let v = num()?;
            let s = go_exp(v.abs(), spec.precision.unwrap_or(6));
            let s = if spec.verb == 'E' {
                s.to_uppercase()
            } else {
                s
            };
            (signed(s, v < 0.0, spec), true)
        }
        'g' | 'G' => {
            let v = num()?;
            (signed(number_text(v.abs()), v < 0.0, spec), true)
        }
        'b' | 'o' | 'x' | 'X' => {
            if spec.verb != 'b' && spec.verb != 'o' && matches!(arg.kind, NodeKind::String(_)) {
                let s = text()?;
                let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
                (
                    if spec.verb == 'X' {
                        hex.to_uppercase()
                    } else {
                        hex
                    },
                    false,
                )
            } else {
                let v = num()?;
                if v.fract() != 0.0 || v.abs() > 9.0e15 {
                    return Err(err(
                        arg.span,
                        format!("format: %{} needs a whole number", spec.verb),
                    ));
                }
                let a = v.abs() as u64;
                let digits = match spec.verb {
                    'b' => format!("{a:b}"),
                    'o' => format!("{a:o}"),
                    'x' => format!("{a:x}"),
                    _ => format!("{a:X}"),
                };
                (signed(digits, v < 0.0, spec), true)
            }
        }
        other => return Err(err(span, format!("format: unsupported verb %{other}"))),
    };
    Ok(pad(body, spec, numeric))
}

fn signed(digits: String, negative: bool, spec: &Spec) -> String {
    if negative {
        format!("-{digits}")
    } else if spec.plus {
        format!("+{digits}")
    } else if spec.space {
        format!(" {digits}")
    } else {
        digits
    }
}

fn pad(body: String, spec: &Spec, numeric: bool) -> String {
    let Some(width) = spec.width else {
        return body;
    };
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let fill = width - len;
    if spec.minus {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, rest) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
            _ => (String::new(), body),
        };
        format!("{sign}{}{rest}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

/// Go's `%e`: `d.dddddde±dd`.
fn go_exp(v: f64, precision: usize) -> String {
    let s = format!("{:.*e}", precision, v);
    match s.split_once('e') {
        Some((mant, exp)) => {
            let e: i32 = exp.parse().unwrap_or(0);
            let sign = if e < 0 { '-' } else { '+' };
            format!("{mant}e{sign}{:02}", e.abs())
        }
        None => s,
    }
}

/// `formatlist(spec, args...)`: list arguments are iterated together, others repeated.
pub(super) fn formatlist(args: Vec<Node>, span: Span) -> EvalResult {
    let fmt = str_arg(&args, 0, span)?;
    let rest = &args[1..];
    let mut n: Option<usize> = None;
    for a in rest {
        if let NodeKind::Seq(items) = &a.kind {
            match n {
                Some(m) if m != items.len() => {
                    return Err(err(
                        a.span,
                        "formatlist(): list arguments must have the same length",
                    ));
                }
                _ => n = Some(items.len()),
            }
        }
    }
    let count = n.unwrap_or(1);
    if count > MAX_COLLECTION {
        return Err(err(span, "formatlist(): too many elements"));
    }
    let mut out = Vec::with_capacity(count);
    let mut total = 0;
    for i in 0..count {
        let row: Vec<Node> = rest
            .iter()
            .map(|a| match &a.kind {
                NodeKind::Seq(items) => items[i].clone(),
                _ => a.clone(),
            })
            .collect();
        let text = render_format(&fmt, &row, span)?;
        total += text.len();
        fits(total, span)?;
        out.push(Node::string(text, span));
    }
    Ok(seq(out, span))
}
