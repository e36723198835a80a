//! Chart values: merging (Helm's coalesce rules) and the `--set` syntax (Helm's `strvals`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::value::{Kind, MAX_WALK_DEPTH, Map, Value};

/// `over` merged onto `base` into a new map, as Helm coalesces user values onto chart
/// defaults: maps merge key by key, anything else in `over` replaces, and a `null` in
/// `over` deletes the default.
pub(crate) fn coalesce(over: &Value, base: &Value) -> Value {
    coalesce_at(over, base, 0)
}

fn coalesce_at(over: &Value, base: &Value, depth: usize) -> Value {
    let (Some(o), Some(b)) = (over.as_map(), base.as_map()) else {
        return if over.as_map().is_some() {
            over.deep_copy()
        } else {
            base.deep_copy()
        };
    };
    if depth > MAX_WALK_DEPTH {
        return over.deep_copy();
    }
    let mut out: Map = b
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.deep_copy()))
        .collect();
    for (k, v) in o.borrow().iter() {
        if v.is_nil() {
            out.remove(k);
            continue;
        }
        let merged = match (out.get(k), v.as_map()) {
            (Some(existing), Some(_)) if existing.as_map().is_some() => {
                coalesce_at(v, existing, depth + 1)
            }
            _ => v.deep_copy(),
        };
        out.insert(k.clone(), merged);
    }
    Value {
        kind: Kind::Map(Rc::new(RefCell::new(out))),
        origin: base.origin.clone().or_else(|| over.origin.clone()),
    }
}

/// The map under `key`, or an empty one.
pub(crate) fn submap(v: &Value, key: &str) -> Value {
    v.as_map()
        .and_then(|m| m.borrow().get(key).cloned())
        .filter(|x| x.as_map().is_some())
        .unwrap_or_else(Value::empty_map)
}

/// Follows a dotted path (`a.b.c`).
pub(crate) fn lookup_path(v: &Value, path: &str) -> Option<Value> {
    let mut cur = v.clone();
    for part in path.split('.') {
        let next = cur.as_map()?.borrow().get(part).cloned()?;
        cur = next;
    }
    Some(cur)
}

#[derive(Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Largest list index `--set a[N]=x` may create (Helm's own limit is 65536).
const MAX_SET_INDEX: usize = 65_536;

/// Applies one `--set` argument (`a.b=c,d[0].e=f,l={x,y}`) to `into`. With `strings`,
/// values stay strings (`--set-string`); otherwise `true`/`false` become booleans,
/// integers become int64 and `null` deletes the key.
pub fn apply_set(expr: &str, into: &Value, strings: bool) -> Result<(), String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // The key path.
        let mut segs = Vec::new();
        let mut cur = String::new();
        loop {
            let Some(&c) = chars.get(i) else {
                return Err(format!("key {:?} has no value", cur));
            };
            i += 1;
            match c {
                '\\' => {
                    if let Some(&n) = chars.get(i) {
                        cur.push(n);
                        i += 1;
                    }
                }
                '.' => {
                    if !cur.is_empty() {
                        segs.push(Seg::Key(std::mem::take(&mut cur)));
                    }
                }
                '[' => {
                    if !cur.is_empty() {
                        segs.push(Seg::Key(std::mem::take(&mut cur)));
                    }
                    let close = chars[i..]
                        .iter()
                        .position(|&c| c == ']')
                        .ok_or_else(|| format!("unclosed [ in {expr:?}"))?;
                    let n: String = chars[i..i + close].iter().collect();
                    let idx: usize = n
                        .trim()
                        .parse()
                        .map_err(|_| format!("bad list index {n:?} in {expr:?}"))?;
                    if idx > MAX_SET_INDEX {
                        return Err(format!(
                            "list index {idx} is too large (max {MAX_SET_INDEX})"
                        ));
                    }
                    segs.push(Seg::Index(idx));
                    i += close + 1;
                }
                '=' => break,
                ',' => return Err(format!("key {cur:?} has no value")),
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            segs.push(Seg::Key(cur));
        }
        if segs.is_empty() {
            return Err(format!("empty key in {expr:?}"));
        }
        // The value.
        let value = if chars.get(i) == Some(&'{') {
            i += 1;
            let mut items = Vec::new();
            let mut cur = String::new();
            loop {
                let Some(&c) = chars.get(i) else {
                    return Err(format!("unclosed {{ in {expr:?}"));
                };
                i += 1;
                match c {
                    '\\' => {
                        if let Some(&n) = chars.get(i) {
                            cur.push(n);
                            i += 1;
                        }
                    }
                    ',' => items.push(typed(&std::mem::take(&mut cur), strings)),
                    '}' => {
                        if !cur.is_empty() || !items.is_empty() {
                            items.push(typed(&cur, strings));
                        }
                        break;
                    }
                    c => cur.push(c),
                }
            }
            if chars.get(i) == Some(&',') {
                i += 1;
            }
            Value::list(items)
        } else {
            let mut cur = String::new();
            while let Some(&c) = chars.get(i) {
                i += 1;
                match c {
                    '\\' => {
                        if let Some(&n) = chars.get(i) {
                            cur.push(n);
                            i += 1;
                        }
                    }
                    ',' => break,
                    c => cur.push(c),
                }
            }
            typed(&cur, strings)
        };
        set_path(into, &segs, value, 0)?;
    }
    Ok(())
}

fn typed(s: &str, strings: bool) -> Value {
    if strings {
        return Value::str(s);
    }
    match s {
        "true" => return Value::bool(true),
        "false" => return Value::bool(false),
        "null" => return Value::nil(),
        _ => {}
    }
    // Helm keeps `0123` a string; plain integers become int64.
    if !(s.len() > 1 && s.starts_with('0'))
        && let Ok(i) = s.parse::<i64>()
    {
        return Value::int(i);
    }
    Value::str(s)
}

fn set_path(into: &Value, segs: &[Seg], value: Value, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Err("--set key nests too deep".into());
    }
    let Some(m) = into.as_map() else {
        return Err("cannot set a key inside a non-map value".into());
    };
    let Seg::Key(k) = &segs[0] else {
        return Err("a --set key cannot start with an index".into());
    };
    if segs.len() == 1 {
        if value.is_nil() {
            // Helm keeps an explicit null so it can delete the chart's default.
            m.borrow_mut().insert(k.clone(), value);
        } else {
            m.borrow_mut().insert(k.clone(), value);
        }
        return Ok(());
    }
    match &segs[1] {
        Seg::Key(_) => {
            let child = {
                let mut b = m.borrow_mut();
                let e = b.entry(k.clone()).or_insert_with(Value::empty_map);
                if e.as_map().is_none() {
                    *e = Value::empty_map();
                }
                e.clone()
            };
            set_path(&child, &segs[1..], value, depth + 1)
        }
        Seg::Index(idx) => {
            let mut list: Vec<Value> = m
                .borrow()
                .get(k)
                .and_then(|v| v.as_list().map(<[Value]>::to_vec))
                .unwrap_or_default();
            while list.len() <= *idx {
                list.push(Value::nil());
            }
            if segs.len() == 2 {
                list[*idx] = value;
            } else {
                if list[*idx].as_map().is_none() {
                    list[*idx] = Value::empty_map();
                }
                let child = list[*idx].clone();
                let rest: Vec<Seg> = segs[2..]
                    .iter()
                    .map(|s| match s {
                        Seg::Key(k) => Seg::Key(k.clone()),
                        Seg::Index(i) => Seg::Index(*i),
                    })
                    .collect();
                if let Some(Seg::Index(_)) = rest.first() {
                    return Err("nested list indexes (a[0][1]) are not supported in --set".into());
                }
                set_path(&child, &rest, value, depth + 1)?;
            }
            m.borrow_mut().insert(k.clone(), Value::list(list));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(exprs: &[&str]) -> String {
        let v = Value::empty_map();
        for e in exprs {
            apply_set(e, &v, false).unwrap();
        }
        crate::json_out::to_json(&v, false, None)
    }

    #[test]
    fn helm_set_syntax() {
        assert_eq!(set(&["a.b=c"]), r#"{"a":{"b":"c"}}"#);
        assert_eq!(set(&["a=1,b=true,c=x"]), r#"{"a":1,"b":true,"c":"x"}"#);
        assert_eq!(set(&["l={x,y}"]), r#"{"l":["x","y"]}"#);
        assert_eq!(set(&["a[1].b=c"]), r#"{"a":[null,{"b":"c"}]}"#);
        assert_eq!(set(&["a[0]=x", "a[1]=y"]), r#"{"a":["x","y"]}"#);
        assert_eq!(set(&["a=x\\,y"]), r#"{"a":"x,y"}"#);
        assert_eq!(set(&["a\\.b=c"]), r#"{"a.b":"c"}"#);
        assert_eq!(set(&["z=0123"]), r#"{"z":"0123"}"#);
        assert!(apply_set("a", &Value::empty_map(), false).is_err());
    }

    #[test]
    fn coalesce_like_helm() {
        let base = Value::empty_map();
        apply_set("a.b=1,a.c=2,d=3", &base, false).unwrap();
        let over = Value::empty_map();
        apply_set("a.b=9,d=null,e=5", &over, false).unwrap();
        let r = coalesce(&over, &base);
        assert_eq!(
            crate::json_out::to_json(&r, false, None),
            r#"{"a":{"b":9,"c":2},"e":5}"#
        );
    }
}
