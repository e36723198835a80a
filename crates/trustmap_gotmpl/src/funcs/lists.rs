//! sprig's list and dict functions. Dicts are shared references, as Go maps are: `set`,
//! `unset`, `merge` and `mergeOverwrite` change the dict they are given.

use super::{FnCtx, FnError, at_least, to_i64, to_str, want};
use crate::funcs::convert::is_empty;
use crate::value::{Kind, MAX_WALK_DEPTH, Map, Value, equal};

pub(super) const NAMES: &[&str] = &[
    "list",
    "tuple",
    "first",
    "rest",
    "last",
    "initial",
    "append",
    "push",
    "prepend",
    "concat",
    "reverse",
    "uniq",
    "without",
    "has",
    "compact",
    "chunk",
    "slice",
    "until",
    "untilStep",
    "dict",
    "get",
    "set",
    "unset",
    "hasKey",
    "pluck",
    "keys",
    "values",
    "pick",
    "omit",
    "merge",
    "mergeOverwrite",
    "dig",
];

/// The elements of a list (a map's values are not a list; anything else is empty).
pub(crate) fn items(v: &Value) -> Vec<Value> {
    match &v.kind {
        Kind::List(l) => l.as_ref().clone(),
        _ => Vec::new(),
    }
}

fn list_arg(name: &str, v: &Value) -> Result<Vec<Value>, FnError> {
    match &v.kind {
        Kind::List(l) => Ok(l.as_ref().clone()),
        Kind::Nil => Ok(Vec::new()),
        _ => Err(FnError::new(format!(
            "Cannot {name} on type {}",
            v.type_name()
        ))),
    }
}

fn dict_arg<'a>(
    name: &str,
    v: &'a Value,
) -> Result<&'a std::rc::Rc<std::cell::RefCell<Map>>, FnError> {
    v.as_map().ok_or_else(|| {
        FnError::new(format!(
            "wrong type for value; expected map[string]interface {{}}; got {} (in {name})",
            v.type_name()
        ))
    })
}

pub(super) fn call(name: &str, a: &[Value], ctx: &mut FnCtx) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "list" | "tuple" => Value::list(a.to_vec()),
        "first" => {
            want(name, a, 1)?;
            list_arg(name, &a[0])?
                .first()
                .cloned()
                .unwrap_or_else(Value::nil)
        }
        "last" => {
            want(name, a, 1)?;
            list_arg(name, &a[0])?
                .last()
                .cloned()
                .unwrap_or_else(Value::nil)
        }
        "rest" => {
            want(name, a, 1)?;
            let l = list_arg(name, &a[0])?;
            if l.is_empty() {
                Value::nil()
            } else {
                Value::list(l[1..].to_vec())
            }
        }
        "initial" => {
            want(name, a, 1)?;
            let l = list_arg(name, &a[0])?;
            if l.is_empty() {
                Value::nil()
            } else {
                Value::list(l[..l.len() - 1].to_vec())
            }
        }
        "append" | "push" => {
            want(name, a, 2)?;
            let mut l = list_arg(name, &a[0])?;
            l.push(a[1].clone());
            Value::list(l)
        }
        "prepend" => {
            want(name, a, 2)?;
            let mut l = list_arg(name, &a[0])?;
            l.insert(0, a[1].clone());
            Value::list(l)
        }
        "concat" => {
            let mut out = Vec::new();
            for x in a {
                out.extend(list_arg(name, x)?);
                ctx.list_limit(out.len())?;
            }
            Value::list(out)
        }
        "reverse" => {
            want(name, a, 1)?;
            let mut l = list_arg(name, &a[0])?;
            l.reverse();
            Value::list(l)
        }
        "uniq" => {
            want(name, a, 1)?;
            let mut out: Vec<Value> = Vec::new();
            for x in list_arg(name, &a[0])? {
                if !out.iter().any(|y| equal(y, &x)) {
                    out.push(x);
                }
            }
            Value::list(out)
        }
        "without" => {
            at_least(name, a, 1)?;
            let l = list_arg(name, &a[0])?;
            Value::list(
                l.into_iter()
                    .filter(|x| !a[1..].iter().any(|y| equal(x, y)))
                    .collect(),
            )
        }
        "has" => {
            want(name, a, 2)?;
            Value::bool(items(&a[1]).iter().any(|x| equal(x, &a[0])))
        }
        "compact" => {
            want(name, a, 1)?;
            Value::list(
                list_arg(name, &a[0])?
                    .into_iter()
                    .filter(|x| !is_empty(x))
                    .collect(),
            )
        }
        "chunk" => {
            want(name, a, 2)?;
            let size = to_i64(&a[0]).max(1) as usize;
            let l = list_arg(name, &a[1])?;
            Value::list(l.chunks(size).map(|c| Value::list(c.to_vec())).collect())
        }
        "slice" => {
            at_least(name, a, 1)?;
            let idx: Vec<i64> = a[1..].iter().map(to_i64).collect();
            match &a[0].kind {
                Kind::Str(s) => {
                    let (i, j) = bounds(&idx, s.len())?;
                    Value::str(s.get(i..j).unwrap_or(""))
                }
                _ => {
                    let l = list_arg(name, &a[0])?;
                    let (i, j) = bounds(&idx, l.len())?;
                    Value::list(l[i..j].to_vec())
                }
            }
        }
        "until" => {
            want(name, a, 1)?;
            let n = to_i64(&a[0]);
            let step = if n < 0 { -1 } else { 1 };
            range_list(0, n, step, ctx)?
        }
        "untilStep" => {
            want(name, a, 3)?;
            range_list(to_i64(&a[0]), to_i64(&a[1]), to_i64(&a[2]), ctx)?
        }
        "dict" => {
            let mut m = Map::new();
            for pair in a.chunks(2) {
                let v = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
                m.insert(to_str(&pair[0]), v);
            }
            Value::map(m)
        }
        "get" => {
            want(name, a, 2)?;
            let d = dict_arg(name, &a[0])?;
            d.borrow()
                .get(&to_str(&a[1]))
                .cloned()
                .unwrap_or_else(|| Value::str(""))
        }
        "set" => {
            want(name, a, 3)?;
            let d = dict_arg(name, &a[0])?;
            d.borrow_mut().insert(to_str(&a[1]), a[2].clone());
            a[0].clone()
        }
        "unset" => {
            want(name, a, 2)?;
            let d = dict_arg(name, &a[0])?;
            d.borrow_mut().remove(&to_str(&a[1]));
            a[0].clone()
        }
        "hasKey" => {
            want(name, a, 2)?;
            let d = dict_arg(name, &a[0])?;
            Value::bool(d.borrow().contains_key(&to_str(&a[1])))
        }
        "pluck" => {
            at_least(name, a, 1)?;
            let key = to_str(&a[0]);
            Value::list(
                a[1..]
                    .iter()
                    .filter_map(|d| d.as_map().and_then(|m| m.borrow().get(&key).cloned()))
                    .collect(),
            )
        }
        "keys" => {
            let mut out = Vec::new();
            for d in a {
                out.extend(
                    dict_arg(name, d)?
                        .borrow()
                        .keys()
                        .map(|k| Value::str(k.as_str())),
                );
            }
            Value::list(out)
        }
        "values" => {
            want(name, a, 1)?;
            Value::list(dict_arg(name, &a[0])?.borrow().values().cloned().collect())
        }
        "pick" | "omit" => {
            at_least(name, a, 1)?;
            let d = dict_arg(name, &a[0])?;
            let keys: Vec<String> = a[1..].iter().map(to_str).collect();
            let keep = name == "pick";
            let m: Map = d
                .borrow()
                .iter()
                .filter(|(k, _)| keys.contains(k) == keep)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Value::map(m)
        }
        "merge" | "mergeOverwrite" => {
            at_least(name, a, 1)?;
            let dst = dict_arg(name, &a[0])?.clone();
            for src in &a[1..] {
                if let Some(s) = src.as_map() {
                    if std::rc::Rc::ptr_eq(s, &dst) {
                        continue;
                    }
                    let snapshot = s.borrow().clone();
                    merge_into(&dst, &snapshot, name == "mergeOverwrite", 0);
                }
            }
            a[0].clone()
        }
        "dig" => {
            at_least(name, a, 3)?;
            let dict = &a[a.len() - 1];
            let default = &a[a.len() - 2];
            let mut cur = dict.clone();
            for k in &a[..a.len() - 2] {
                let next = cur
                    .as_map()
                    .and_then(|m| m.borrow().get(&to_str(k)).cloned());
                match next {
                    Some(v) => cur = v,
                    None => return Ok(Some(default.clone())),
                }
            }
            cur
        }
        _ => return Ok(None),
    }))
}

fn bounds(idx: &[i64], len: usize) -> Result<(usize, usize), FnError> {
    let i = idx.first().copied().unwrap_or(0);
    let j = idx.get(1).copied().unwrap_or(len as i64);
    if i < 0 || j < i || j as usize > len {
        return Err(FnError::new(format!("slice index out of range: {i}:{j}")));
    }
    Ok((i as usize, j as usize))
}

fn range_list(start: i64, stop: i64, step: i64, ctx: &mut FnCtx) -> Result<Value, FnError> {
    if step == 0 || (step > 0 && start >= stop) || (step < 0 && start <= stop) {
        return Ok(Value::list(Vec::new()));
    }
    let count = ((stop - start).unsigned_abs()).div_ceil(step.unsigned_abs());
    ctx.list_limit(usize::try_from(count).unwrap_or(usize::MAX))?;
    let mut out = Vec::with_capacity(count as usize);
    let mut i = start;
    for _ in 0..count {
        out.push(Value::int(i));
        i += step;
    }
    Ok(Value::list(out))
}

/// mergo's `Merge` (`overwrite` false: `dst` keeps what it has) and `Merge` with
/// `WithOverride` (`src` wins, except that empty `src` values never overwrite).
fn merge_into(
    dst: &std::rc::Rc<std::cell::RefCell<Map>>,
    src: &Map,
    overwrite: bool,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    for (k, sv) in src {
        let existing = dst.borrow().get(k).cloned();
        match existing {
            None => {
                dst.borrow_mut().insert(k.clone(), sv.clone());
            }
            Some(dv) => {
                if let (Some(dm), Some(sm)) = (dv.as_map(), sv.as_map()) {
                    if !std::rc::Rc::ptr_eq(dm, sm) {
                        let snapshot = sm.borrow().clone();
                        merge_into(dm, &snapshot, overwrite, depth + 1);
                    }
                } else if !is_empty(sv) && (overwrite || (is_empty(&dv) && dv.as_map().is_none())) {
                    dst.borrow_mut().insert(k.clone(), sv.clone());
                }
            }
        }
    }
}
