//! Terraform's built-in functions (the pure ones), over evaluated [`Node`]s.
//!
//! *Strict* functions return unknown as soon as any argument contains an unknown value.
//! *Structural* functions (collections, `jsonencode`) pass unknown elements through, so
//! `concat([aws_x.y.arn], ["*"])` keeps its known `"*"`. `file` and `templatefile` are the
//! evaluator's (they read scan files and evaluate templates). Other functions that read files,
//! the clock or randomness (and the hashes we do not compute) are unknown without a diagnostic; a
//! function we do not know is unknown plus one diagnostic per file and name.

mod collections;
mod encoding;
mod network;
mod numeric;
mod strings;

use trustmap_source::{Span, Via};
use trustmap_syntax::{Entry, Node, NodeKind};

pub(crate) use self::encoding::json_text;
use crate::value::{EvalError, EvalResult, push_vias, to_bool, to_number, to_text, type_name};

/// How a function treats unknown arguments.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Strict,
    Structural,
}

type Impl = fn(Vec<Node>, Span) -> EvalResult;

const ANY: usize = usize::MAX;

/// Functions whose result depends on the filesystem, the clock, randomness, or a hash we do
/// not compute: their result is unknown (no diagnostic: this is not a gap to fix).
const UNEVALUATED: &[&str] = &[
    "timestamp",
    "plantimestamp",
    "timeadd",
    "timecmp",
    "formatdate",
    "uuid",
    "uuidv5",
    "bcrypt",
    "md5",
    "sha1",
    "fileexists",
    "fileset",
    "filebase64",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "filebase64sha256",
    "filebase64sha512",
    "abspath",
    "pathexpand",
    "rsadecrypt",
    "base64gzip",
    "textencodebase64",
    "textdecodebase64",
    "yamlencode",
    "yamldecode",
    "type",
    "issensitive",
    "ephemeralasnull",
];

fn lookup(name: &str) -> Option<(Kind, usize, usize, Impl)> {
    use Kind::{Strict as S, Structural as T};
    Some(match name {
        // collections
        "length" => (T, 1, 1, collections::length),
        "concat" => (T, 0, ANY, collections::concat),
        "flatten" => (T, 1, 1, collections::flatten),
        "distinct" => (S, 1, 1, collections::distinct),
        "keys" => (T, 1, 1, collections::keys),
        "values" => (T, 1, 1, collections::values),
        "lookup" => (T, 2, 3, collections::lookup),
        "element" => (T, 2, 2, collections::element),
        "index" => (S, 2, 2, collections::index),
        "contains" => (S, 2, 2, collections::contains),
        "coalesce" => (T, 1, ANY, collections::coalesce),
        "coalescelist" => (T, 1, ANY, collections::coalescelist),
        "compact" => (S, 1, 1, collections::compact),
        "toset" => (S, 1, 1, collections::toset),
        "tolist" => (T, 1, 1, collections::tolist),
        "tomap" => (T, 1, 1, collections::tomap),
        "merge" => (T, 0, ANY, collections::merge),
        "zipmap" => (T, 2, 2, collections::zipmap),
        "slice" => (T, 3, 3, collections::slice),
        "reverse" => (T, 1, 1, collections::reverse),
        "sort" => (S, 1, 1, collections::sort),
        "one" => (T, 1, 1, collections::one),
        "range" => (S, 1, 3, collections::range),
        "setunion" => (S, 1, ANY, collections::setunion),
        "setintersection" => (S, 1, ANY, collections::setintersection),
        "setsubtract" => (S, 2, 2, collections::setsubtract),
        "chunklist" => (T, 2, 2, collections::chunklist),
        "alltrue" => (S, 1, 1, collections::alltrue),
        "anytrue" => (S, 1, 1, collections::anytrue),
        "sensitive" | "nonsensitive" => (T, 1, 1, collections::identity),
        // strings
        "format" => (S, 1, ANY, strings::format),
        "formatlist" => (S, 1, ANY, strings::formatlist),
        "join" => (S, 2, ANY, strings::join),
        "split" => (S, 2, 2, strings::split),
        "replace" => (S, 3, 3, strings::replace),
        "lower" => (S, 1, 1, strings::lower),
        "upper" => (S, 1, 1, strings::upper),
        "title" => (S, 1, 1, strings::title),
        "trimspace" => (S, 1, 1, strings::trimspace),
        "trim" => (S, 2, 2, strings::trim),
        "trimprefix" => (S, 2, 2, strings::trimprefix),
        "trimsuffix" => (S, 2, 2, strings::trimsuffix),
        "substr" => (S, 3, 3, strings::substr),
        "startswith" => (S, 2, 2, strings::startswith),
        "endswith" => (S, 2, 2, strings::endswith),
        "strcontains" => (S, 2, 2, strings::strcontains),
        "strrev" => (S, 1, 1, strings::strrev),
        "chomp" => (S, 1, 1, strings::chomp),
        "indent" => (S, 2, 2, strings::indent),
        "regex" => (S, 2, 2, strings::regex),
        "regexall" => (S, 2, 2, strings::regexall),
        "tostring" => (S, 1, 1, strings::tostring),
        "tonumber" => (S, 1, 1, strings::tonumber),
        "tobool" => (S, 1, 1, strings::tobool),
        "dirname" => (S, 1, 1, strings::dirname),
        "basename" => (S, 1, 1, strings::basename),
        // encoding
        "jsonencode" => (T, 1, 1, encoding::jsonencode),
        "jsondecode" => (T, 1, 1, encoding::jsondecode),
        "base64encode" => (S, 1, 1, encoding::base64encode),
        "base64decode" => (S, 1, 1, encoding::base64decode),
        "sha256" => (S, 1, 1, encoding::sha256),
        "sha512" => (S, 1, 1, encoding::sha512),
        "base64sha256" => (S, 1, 1, encoding::base64sha256),
        "base64sha512" => (S, 1, 1, encoding::base64sha512),
        "urlencode" => (S, 1, 1, encoding::urlencode),
        // network
        "cidrsubnet" => (S, 3, 3, network::cidrsubnet),
        "cidrsubnets" => (S, 1, ANY, network::cidrsubnets),
        "cidrhost" => (S, 2, 2, network::cidrhost),
        "cidrnetmask" => (S, 1, 1, network::cidrnetmask),
        // numeric
        "abs" => (S, 1, 1, numeric::abs),
        "ceil" => (S, 1, 1, numeric::ceil),
        "floor" => (S, 1, 1, numeric::floor),
        "signum" => (S, 1, 1, numeric::signum),
        "min" => (S, 1, ANY, numeric::min),
        "max" => (S, 1, ANY, numeric::max),
        "sum" => (S, 1, 1, numeric::sum),
        "pow" => (S, 2, 2, numeric::pow),
        "log" => (S, 2, 2, numeric::log),
        "parseint" => (S, 2, 2, numeric::parseint),
        _ => return None,
    })
}

/// Calls function `name`. `Ok(None)` when the function is not known.
pub(crate) fn call(name: &str, args: Vec<Node>, span: Span) -> Result<Option<Node>, EvalError> {
    if UNEVALUATED.contains(&name) {
        return Ok(Some(Node::unknown(span)));
    }
    let Some((kind, min, max, f)) = lookup(name) else {
        return Ok(None);
    };
    if args.len() < min || args.len() > max {
        let expected = match (min, max) {
            (a, b) if a == b => format!("{a}"),
            (a, ANY) => format!("at least {a}"),
            (a, b) => format!("{a} to {b}"),
        };
        return Err(EvalError::new(
            format!("{name}() takes {expected} argument(s), got {}", args.len()),
            span,
        ));
    }
    if kind == Kind::Structural {
        return f(args, span).map(Some);
    }
    let mut via: Vec<Via> = Vec::new();
    for a in &args {
        push_vias(&mut via, &a.via);
    }
    let mut out = if args.iter().any(Node::contains_unknown) {
        crate::template_parts::partial_call(name, &args, span)
            .unwrap_or_else(|| Node::unknown(span))
    } else {
        f(args, span)?
    };
    out.via = via;
    Ok(Some(out))
}

// ---- argument helpers shared by the function modules ----

fn err(span: Span, message: impl Into<String>) -> EvalError {
    EvalError::new(message, span)
}

fn str_arg(args: &[Node], i: usize, span: Span) -> Result<String, EvalError> {
    let n = args.get(i).ok_or_else(|| err(span, "missing argument"))?;
    match to_text(n) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(err(n.span, "argument is unknown")),
        Err(m) => Err(err(n.span, m)),
    }
}

fn num_arg(args: &[Node], i: usize, span: Span) -> Result<f64, EvalError> {
    let n = args.get(i).ok_or_else(|| err(span, "missing argument"))?;
    match to_number(n) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(err(n.span, "argument is unknown")),
        Err(m) => Err(err(n.span, m)),
    }
}

fn int_arg(args: &[Node], i: usize, span: Span) -> Result<i64, EvalError> {
    let v = num_arg(args, i, span)?;
    if v.fract() != 0.0 || v.abs() > 9.0e15 {
        return Err(err(
            args.get(i).map_or(span, |n| n.span),
            "a whole number is required",
        ));
    }
    Ok(v as i64)
}

fn bool_of(n: &Node) -> Result<bool, EvalError> {
    match to_bool(n) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(err(n.span, "argument is unknown")),
        Err(m) => Err(err(n.span, m)),
    }
}

fn list_of(n: &Node) -> Result<&[Node], EvalError> {
    match &n.kind {
        NodeKind::Seq(items) => Ok(items),
        _ => Err(err(
            n.span,
            format!("a list is required, not {}", type_name(n)),
        )),
    }
}

fn map_of(n: &Node) -> Result<&[Entry], EvalError> {
    match &n.kind {
        NodeKind::Map(entries) => Ok(entries),
        _ => Err(err(
            n.span,
            format!("a map is required, not {}", type_name(n)),
        )),
    }
}
