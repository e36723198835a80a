//! Numeric functions: `abs`, `ceil`, `floor`, `min`, `max`, `sum`, `pow`, `log`, `parseint`.

use trustmap_source::Span;
use trustmap_syntax::Node;

use super::{err, int_arg, list_of, num_arg, str_arg};
use crate::value::{EvalError, EvalResult, to_number};

fn finite(v: f64, span: Span) -> EvalResult {
    if v.is_finite() {
        Ok(Node::number(v, span))
    } else {
        Err(err(span, "the result is not a finite number"))
    }
}

pub(super) fn abs(args: Vec<Node>, span: Span) -> EvalResult {
    finite(num_arg(&args, 0, span)?.abs(), span)
}

pub(super) fn ceil(args: Vec<Node>, span: Span) -> EvalResult {
    finite(num_arg(&args, 0, span)?.ceil(), span)
}

pub(super) fn floor(args: Vec<Node>, span: Span) -> EvalResult {
    finite(num_arg(&args, 0, span)?.floor(), span)
}

pub(super) fn signum(args: Vec<Node>, span: Span) -> EvalResult {
    let v = num_arg(&args, 0, span)?;
    finite(if v == 0.0 { 0.0 } else { v.signum() }, span)
}

fn numbers(args: &[Node], span: Span) -> Result<Vec<f64>, EvalError> {
    (0..args.len()).map(|i| num_arg(args, i, span)).collect()
}

pub(super) fn min(args: Vec<Node>, span: Span) -> EvalResult {
    let v = numbers(&args, span)?;
    finite(v.into_iter().fold(f64::INFINITY, f64::min), span)
}

pub(super) fn max(args: Vec<Node>, span: Span) -> EvalResult {
    let v = numbers(&args, span)?;
    finite(v.into_iter().fold(f64::NEG_INFINITY, f64::max), span)
}

pub(super) fn sum(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    if items.is_empty() {
        return Err(err(span, "sum() of an empty list"));
    }
    let mut total = 0.0;
    for i in items {
        total += to_number(i)
            .ok()
            .flatten()
            .ok_or_else(|| err(i.span, "sum() needs a list of numbers"))?;
    }
    finite(total, span)
}

pub(super) fn pow(args: Vec<Node>, span: Span) -> EvalResult {
    finite(
        num_arg(&args, 0, span)?.powf(num_arg(&args, 1, span)?),
        span,
    )
}

pub(super) fn log(args: Vec<Node>, span: Span) -> EvalResult {
    finite(
        num_arg(&args, 0, span)?.ln() / num_arg(&args, 1, span)?.ln(),
        span,
    )
}

pub(super) fn parseint(args: Vec<Node>, span: Span) -> EvalResult {
    let s = str_arg(&args, 0, span)?;
    let base = int_arg(&args, 1, span)?;
    if !(2..=36).contains(&base) {
        return Err(err(
            args[1].span,
            "parseint(): base must be between 2 and 36",
        ));
    }
    let v =
        i64::from_str_radix(&s, base as u32).map_err(|e| err(span, format!("parseint(): {e}")))?;
    finite(v as f64, span)
}
