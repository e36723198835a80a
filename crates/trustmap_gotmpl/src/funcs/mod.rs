//! Go's built-in template functions, sprig's, and Helm's (except the engine-level ones —
//! `include`, `tpl`, `required`, `fail`, `lookup`, `and`, `or` — which live in `exec`).
//!
//! Arguments are coerced the way sprig's `cast` calls do, and more leniently than Go's
//! reflection does for typed parameters (a number given where a string is declared is
//! printed rather than refused): a chart that Helm renders renders the same here; a few
//! that Helm would refuse render too.

mod convert;
mod dates;
mod lists;
mod math;
mod printf;
mod semver;
mod strings;

use trustmap_source::Span;

use crate::error::{Error, ErrorKind};
use crate::exec::Budget;
use crate::value::{Kind, Value};

pub(crate) use convert::{node_to_value, to_f64, to_i64, to_str};
pub(crate) use printf::sprintf;

/// What a function may touch besides its arguments.
pub(crate) struct FnCtx<'a> {
    pub(crate) budget: &'a mut Budget,
    pub(crate) span: Span,
}

impl FnCtx<'_> {
    /// The next number of the render's deterministic generator (xorshift64*).
    pub(crate) fn rand(&mut self) -> u64 {
        let mut x = self.budget.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.budget.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Refuses to build something of `n` elements/bytes beyond the render's list limit.
    pub(crate) fn list_limit(&self, n: usize) -> Result<(), FnError> {
        if n > self.budget.limits.max_list {
            return Err(FnError::limit(format!(
                "{n} elements is more than the {} a list may have here",
                self.budget.limits.max_list
            )));
        }
        Ok(())
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<(), FnError> {
        self.budget
            .bytes(n, self.span)
            .map_err(|e| FnError::limit(e.message))
    }
}

#[derive(Debug)]
pub(crate) struct FnError {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
}

impl FnError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Exec,
            message: message.into(),
        }
    }
    pub(crate) fn limit(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Limit,
            message: message.into(),
        }
    }
    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Unsupported,
            message: message.into(),
        }
    }
    pub(crate) fn at(self, span: Span, name: &str) -> Error {
        let message = match self.kind {
            ErrorKind::Exec => format!("error calling {name}: {}", self.message),
            _ => self.message,
        };
        Error::new(self.kind, span, message)
    }
}

pub(crate) type FnResult = Result<Value, FnError>;

/// Functions handled by the executor itself.
const ENGINE: &[&str] = &["and", "or", "include", "tpl", "required", "fail", "lookup"];

/// Helm functions trustmap knows but does not implement: a template using one fails to
/// render with an `unsupported` error naming it, rather than being skipped in silence.
const UNSUPPORTED: &[&str] = &["toToml", "fromToml", "call", "encryptAES", "decryptAES"];

/// True for every function name a template may use (Go builtins, sprig, Helm).
pub(crate) fn is_known(name: &str) -> bool {
    if ENGINE.contains(&name) || UNSUPPORTED.contains(&name) {
        return true;
    }
    if let Some(rest) = must_base(name) {
        return implemented(&rest);
    }
    implemented(name)
}

/// `mustFoo` → `foo`: sprig's erroring variants, which behave like the plain ones here
/// (the plain ones already report errors).
fn must_base(name: &str) -> Option<String> {
    let rest = name.strip_prefix("must")?;
    let mut c = rest.chars();
    let first = c.next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    Some(first.to_ascii_lowercase().to_string() + c.as_str())
}

fn implemented(name: &str) -> bool {
    strings::NAMES.contains(&name)
        || lists::NAMES.contains(&name)
        || math::NAMES.contains(&name)
        || convert::NAMES.contains(&name)
        || dates::NAMES.contains(&name)
        || semver::NAMES.contains(&name)
        || GO_BUILTINS.contains(&name)
}

const GO_BUILTINS: &[&str] = &[
    "not", "len", "index", "print", "printf", "println", "html", "js", "urlquery", "eq", "ne",
    "lt", "le", "gt", "ge",
];

pub(crate) fn call(name: &str, args: &[Value], ctx: &mut FnCtx) -> FnResult {
    if UNSUPPORTED.contains(&name) {
        return Err(FnError::unsupported(format!(
            "function `{name}` is not supported by trustmap's Helm renderer"
        )));
    }
    if let Some(base) = must_base(name)
        && implemented(&base)
    {
        return call(&base, args, ctx);
    }
    if let Some(r) = go_builtin(name, args)? {
        return Ok(r);
    }
    if let Some(r) = strings::call(name, args, ctx)? {
        return Ok(r);
    }
    if let Some(r) = lists::call(name, args, ctx)? {
        return Ok(r);
    }
    if let Some(r) = math::call(name, args, ctx)? {
        return Ok(r);
    }
    if let Some(r) = convert::call(name, args, ctx)? {
        return Ok(r);
    }
    if let Some(r) = dates::call(name, args)? {
        return Ok(r);
    }
    if let Some(r) = semver::call(name, args)? {
        return Ok(r);
    }
    Err(FnError::new(format!("function {name:?} not defined")))
}

pub(crate) fn want(name: &str, args: &[Value], n: usize) -> Result<(), FnError> {
    if args.len() != n {
        return Err(FnError::new(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

pub(crate) fn at_least(name: &str, args: &[Value], n: usize) -> Result<(), FnError> {
    if args.len() < n {
        return Err(FnError::new(format!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

fn go_builtin(name: &str, a: &[Value]) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "not" => {
            want(name, a, 1)?;
            Value::bool(!a[0].truthy())
        }
        "len" => {
            want(name, a, 1)?;
            match a[0].len() {
                Some(n) => Value::int(n as i64),
                None => return Err(FnError::new(format!("len of type {}", a[0].type_name()))),
            }
        }
        "index" => {
            at_least(name, a, 1)?;
            let mut v = a[0].clone();
            for k in &a[1..] {
                v = index(&v, k)?;
            }
            v
        }
        "print" => Value::str(sprint(a)),
        "println" => {
            let mut s = a
                .iter()
                .map(Value::to_go_string)
                .collect::<Vec<_>>()
                .join(" ");
            s.push('\n');
            Value::str(s)
        }
        "printf" => {
            at_least(name, a, 1)?;
            Value::str(sprintf(&to_str(&a[0]), &a[1..]))
        }
        "html" => Value::str(html_escape(&sprint(a))),
        "js" => Value::str(js_escape(&sprint(a))),
        "urlquery" => Value::str(strings::query_escape(&sprint(a))),
        "eq" => {
            at_least(name, a, 2)?;
            Value::bool(a[1..].iter().any(|b| crate::value::equal(&a[0], b)))
        }
        "ne" => {
            want(name, a, 2)?;
            Value::bool(!crate::value::equal(&a[0], &a[1]))
        }
        "lt" | "le" | "gt" | "ge" => {
            want(name, a, 2)?;
            let ord = compare(&a[0], &a[1])?;
            use std::cmp::Ordering::*;
            Value::bool(match name {
                "lt" => ord == Less,
                "le" => ord != Greater,
                "gt" => ord == Greater,
                _ => ord != Less,
            })
        }
        _ => return Ok(None),
    }))
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
pub(crate) fn sprint(a: &[Value]) -> String {
    let mut s = String::new();
    for (i, v) in a.iter().enumerate() {
        if i > 0 && !matches!(v.kind, Kind::Str(_)) && !matches!(a[i - 1].kind, Kind::Str(_)) {
            s.push(' ');
        }
        s.push_str(&v.to_go_string());
    }
    s
}

fn compare(x: &Value, y: &Value) -> Result<std::cmp::Ordering, FnError> {
    match (&x.kind, &y.kind) {
        (Kind::Int(a), Kind::Int(b)) => Ok(a.cmp(b)),
        (Kind::Int(_) | Kind::Float(_), Kind::Int(_) | Kind::Float(_)) => to_f64(x)
            .partial_cmp(&to_f64(y))
            .ok_or_else(|| FnError::new("cannot compare NaN")),
        (Kind::Str(a), Kind::Str(b)) => Ok(a.cmp(b)),
        _ => Err(FnError::new(format!(
            "incompatible types for comparison: {} and {}",
            x.type_name(),
            y.type_name()
        ))),
    }
}

pub(crate) fn index(v: &Value, k: &Value) -> FnResult {
    match &v.kind {
        Kind::List(l) => {
            let i = to_i64(k);
            usize::try_from(i)
                .ok()
                .and_then(|i| l.get(i))
                .cloned()
                .ok_or_else(|| FnError::new(format!("index out of range: {i}")))
        }
        Kind::Map(m) => Ok(m
            .borrow()
            .get(&to_str(k))
            .cloned()
            .unwrap_or_else(Value::nil)),
        Kind::Str(s) => {
            let i = to_i64(k);
            usize::try_from(i)
                .ok()
                .and_then(|i| s.as_bytes().get(i))
                .map(|b| Value::int(i64::from(*b)))
                .ok_or_else(|| FnError::new(format!("index out of range: {i}")))
        }
        Kind::Nil => Err(FnError::new("index of untyped nil")),
        _ => Err(FnError::new(format!(
            "can't index item of type {}",
            v.type_name()
        ))),
    }
}

fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&#34;"),
            '\'' => o.push_str("&#39;"),
            '\0' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

fn js_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            '"' => o.push_str("\\\""),
            '<' => o.push_str("\\u003C"),
            '>' => o.push_str("\\u003E"),
            '&' => o.push_str("\\u0026"),
            '=' => o.push_str("\\u003D"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04X}", c as u32)),
            c => o.push(c),
        }
    }
    o
}
