//! sprig's integer and float arithmetic.

use super::{FnCtx, FnError, at_least, to_f64, to_i64, want};
use crate::value::Value;

pub(super) const NAMES: &[&str] = &[
    "add", "add1", "sub", "mul", "div", "mod", "max", "min", "biggest", "floor", "ceil", "round",
    "addf", "add1f", "subf", "mulf", "divf", "maxf", "minf",
];

pub(super) fn call(name: &str, a: &[Value], _ctx: &mut FnCtx) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "add" => Value::int(a.iter().map(to_i64).fold(0i64, i64::wrapping_add)),
        "add1" => {
            want(name, a, 1)?;
            Value::int(to_i64(&a[0]).wrapping_add(1))
        }
        "sub" => {
            want(name, a, 2)?;
            Value::int(to_i64(&a[0]).wrapping_sub(to_i64(&a[1])))
        }
        "mul" => {
            at_least(name, a, 1)?;
            Value::int(a.iter().map(to_i64).fold(1i64, i64::wrapping_mul))
        }
        "div" | "mod" => {
            want(name, a, 2)?;
            let (x, y) = (to_i64(&a[0]), to_i64(&a[1]));
            if y == 0 {
                return Err(FnError::new("runtime error: integer divide by zero"));
            }
            Value::int(if name == "div" {
                x.wrapping_div(y)
            } else {
                x.wrapping_rem(y)
            })
        }
        "max" | "biggest" => {
            at_least(name, a, 1)?;
            Value::int(a.iter().map(to_i64).max().unwrap_or(0))
        }
        "min" => {
            at_least(name, a, 1)?;
            Value::int(a.iter().map(to_i64).min().unwrap_or(0))
        }
        "floor" => {
            want(name, a, 1)?;
            Value::float(to_f64(&a[0]).floor())
        }
        "ceil" => {
            want(name, a, 1)?;
            Value::float(to_f64(&a[0]).ceil())
        }
        "round" => {
            at_least(name, a, 2)?;
            let places = to_i64(&a[1]).clamp(0, 15) as i32;
            let p = 10f64.powi(places);
            Value::float((to_f64(&a[0]) * p).round() / p)
        }
        "addf" => Value::float(a.iter().map(to_f64).sum()),
        "add1f" => {
            want(name, a, 1)?;
            Value::float(to_f64(&a[0]) + 1.0)
        }
        "subf" => {
            at_least(name, a, 1)?;
            Value::float(a[1..].iter().map(to_f64).fold(to_f64(&a[0]), |x, y| x - y))
        }
        "mulf" => {
            at_least(name, a, 1)?;
            Value::float(a.iter().map(to_f64).product())
        }
        "divf" => {
            at_least(name, a, 1)?;
            Value::float(a[1..].iter().map(to_f64).fold(to_f64(&a[0]), |x, y| x / y))
        }
        "maxf" => {
            at_least(name, a, 1)?;
            Value::float(a.iter().map(to_f64).fold(f64::NEG_INFINITY, f64::max))
        }
        "minf" => {
            at_least(name, a, 1)?;
            Value::float(a.iter().map(to_f64).fold(f64::INFINITY, f64::min))
        }
        _ => return Ok(None),
    }))
}
