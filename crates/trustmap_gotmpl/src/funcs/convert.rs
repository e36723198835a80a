//! Type conversions (sprig's `cast`), type predicates, and YAML/JSON in and out.

use std::rc::Rc;

use trustmap_source::{FileId, SourceFile};
use trustmap_syntax::{Node, NodeKind};

use super::{FnCtx, FnError, want};
use crate::value::{Kind, Map, Origin, Value};

pub(super) const NAMES: &[&str] = &[
    "toYaml",
    "toYamlPretty",
    "fromYaml",
    "fromYamlArray",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "fromJson",
    "fromJsonArray",
    "toString",
    "toStrings",
    "atoi",
    "int",
    "int64",
    "float64",
    "toDecimal",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "kindOf",
    "kindIs",
    "deepEqual",
    "default",
    "empty",
    "coalesce",
    "all",
    "any",
    "ternary",
    "deepCopy",
];

/// sprig's `strval`: strings as they are, everything else as `fmt.Sprint` prints it.
pub(crate) fn to_str(v: &Value) -> String {
    match &v.kind {
        Kind::Str(s) => s.to_string(),
        _ => v.to_go_string(),
    }
}

/// `cast.ToInt64`: numbers truncated, numeric strings parsed, booleans 1/0, else 0.
pub(crate) fn to_i64(v: &Value) -> i64 {
    match &v.kind {
        Kind::Int(i) => *i,
        Kind::Float(f) => *f as i64,
        Kind::Bool(b) => i64::from(*b),
        Kind::Str(s) => {
            let t = s.trim();
            t.parse::<i64>().unwrap_or(0)
        }
        _ => 0,
    }
}

/// `cast.ToFloat64`.
pub(crate) fn to_f64(v: &Value) -> f64 {
    match &v.kind {
        Kind::Int(i) => *i as f64,
        Kind::Float(f) => *f,
        Kind::Bool(b) => f64::from(u8::from(*b)),
        Kind::Str(s) => s.trim().parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// A parsed YAML/JSON tree as template values. Numbers are float64, as Helm reads values
/// (`sigs.k8s.io/yaml` goes through JSON). With `origin_path`, every value records its
/// values-file location and dotted path.
pub(crate) fn node_to_value(node: &Node, origin_path: Option<&str>) -> Value {
    node_at(node, origin_path, 0)
}

fn node_at(node: &Node, path: Option<&str>, depth: usize) -> Value {
    if depth > crate::value::MAX_WALK_DEPTH {
        return Value::nil();
    }
    let v = match &node.kind {
        NodeKind::Null | NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
            Value::nil()
        }
        NodeKind::Bool(b) => Value::bool(*b),
        NodeKind::Number(n) => Value::float(n.value),
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => Value::str(s.as_str()),
        NodeKind::Seq(items) => Value::list(
            items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    let p = path.map(|p| format!("{p}[{i}]"));
                    node_at(it, p.as_deref(), depth + 1)
                })
                .collect(),
        ),
        NodeKind::Map(entries) => {
            let mut m = Map::new();
            for e in entries {
                let p = path.map(|p| {
                    if p.is_empty() {
                        e.key.clone()
                    } else {
                        format!("{p}.{}", e.key)
                    }
                });
                m.insert(e.key.clone(), node_at(&e.value, p.as_deref(), depth + 1));
            }
            Value::map(m)
        }
        NodeKind::Tagged { value, .. } => return node_at(value, path, depth + 1),
    };
    match path {
        Some(p) if !p.is_empty() => v.with_origin(Some(Rc::new(Origin {
            span: node.span,
            path: p.to_string(),
            block: None,
        }))),
        _ => v,
    }
}

fn parse_yaml_docs(text: &str) -> Result<Vec<Node>, String> {
    let f = SourceFile::new(FileId(u32::MAX - 3), "fromYaml", text);
    let parsed = trustmap_syntax::yaml::parse(&f);
    if let Some(d) = parsed.diagnostics.iter().find(|d| {
        d.code == trustmap_syntax::codes::PARSE_ERROR
            || d.code == trustmap_syntax::codes::YAML_BUDGET
    }) {
        return Err(d.message.clone());
    }
    Ok(parsed.docs)
}

fn parse_json(text: &str) -> Result<Node, String> {
    let f = SourceFile::new(FileId(u32::MAX - 3), "fromJson", text);
    trustmap_syntax::json::parse(&f).map_err(|d| d.message.clone())
}

fn error_map(msg: String) -> Value {
    let mut m = Map::new();
    m.insert("Error".into(), Value::str(msg));
    Value::map(m)
}

/// sprig's `empty`.
pub(crate) fn is_empty(v: &Value) -> bool {
    !v.truthy()
}

pub(super) fn call(name: &str, a: &[Value], ctx: &mut FnCtx) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "toYaml" | "toYamlPretty" => {
            want(name, a, 1)?;
            let s = crate::yaml_out::to_yaml(&a[0]);
            ctx.bytes(s.len())?;
            Value::str(s)
        }
        "fromYaml" => {
            want(name, a, 1)?;
            match parse_yaml_docs(&to_str(&a[0])) {
                    Ok(docs) => match docs.first() {
                        Some(d) if d.as_map().is_some() => node_to_value(d, None),
                        Some(d) if d.is_null() => Value::empty_map(),
                        None => Value::empty_map(),
                        Some(_) => error_map("error unmarshaling JSON: json: cannot unmarshal array into Go value of type map[string]interface {}".into()),
                    },
                    Err(e) => error_map(e),
                }
        }
        "fromYamlArray" => {
            want(name, a, 1)?;
            match parse_yaml_docs(&to_str(&a[0])) {
                Ok(docs) => match docs.first() {
                    Some(d) if d.as_seq().is_some() => node_to_value(d, None),
                    None => Value::list(Vec::new()),
                    Some(_) => Value::list(vec![Value::str(
                        "error unmarshaling JSON: cannot unmarshal object into []interface {}",
                    )]),
                },
                Err(e) => Value::list(vec![Value::str(e)]),
            }
        }
        "toJson" | "toRawJson" => {
            want(name, a, 1)?;
            let s = crate::json_out::to_json(&a[0], name == "toJson", None);
            ctx.bytes(s.len())?;
            Value::str(s)
        }
        "toPrettyJson" => {
            want(name, a, 1)?;
            let s = crate::json_out::to_json(&a[0], true, Some(2));
            ctx.bytes(s.len())?;
            Value::str(s)
        }
        "fromJson" => {
            want(name, a, 1)?;
            match parse_json(&to_str(&a[0])) {
                Ok(n) if n.as_map().is_some() => node_to_value(&n, None),
                Ok(_) => error_map("json: cannot unmarshal into map[string]interface {}".into()),
                Err(e) => error_map(e),
            }
        }
        "fromJsonArray" => {
            want(name, a, 1)?;
            match parse_json(&to_str(&a[0])) {
                Ok(n) if n.as_seq().is_some() => node_to_value(&n, None),
                Ok(_) => Value::list(vec![Value::str(
                    "json: cannot unmarshal into []interface {}",
                )]),
                Err(e) => Value::list(vec![Value::str(e)]),
            }
        }
        "toString" => {
            want(name, a, 1)?;
            Value::str(to_str(&a[0]))
        }
        "toStrings" => {
            want(name, a, 1)?;
            Value::list(
                super::lists::items(&a[0])
                    .iter()
                    .map(|v| Value::str(to_str(v)))
                    .collect(),
            )
        }
        "atoi" => {
            want(name, a, 1)?;
            Value::int(to_str(&a[0]).trim().parse().unwrap_or(0))
        }
        "int" | "int64" => {
            want(name, a, 1)?;
            Value::int(cast_int(&a[0]))
        }
        "float64" => {
            want(name, a, 1)?;
            Value::float(to_f64(&a[0]))
        }
        "toDecimal" => {
            want(name, a, 1)?;
            Value::int(i64::from_str_radix(to_str(&a[0]).trim(), 8).unwrap_or(0))
        }
        "typeOf" => {
            want(name, a, 1)?;
            Value::str(a[0].type_name())
        }
        "kindOf" => {
            want(name, a, 1)?;
            Value::str(a[0].kind_name())
        }
        "typeIs" => {
            want(name, a, 2)?;
            Value::bool(to_str(&a[0]) == a[1].type_name())
        }
        "typeIsLike" => {
            want(name, a, 2)?;
            let t = to_str(&a[0]);
            let n = a[1].type_name();
            Value::bool(t == n || t == format!("*{n}"))
        }
        "kindIs" => {
            want(name, a, 2)?;
            Value::bool(to_str(&a[0]) == a[1].kind_name())
        }
        "deepEqual" => {
            want(name, a, 2)?;
            Value::bool(crate::value::equal(&a[0], &a[1]))
        }
        "default" => {
            super::at_least(name, a, 1)?;
            match a.get(1) {
                Some(v) if !is_empty(v) => v.clone(),
                _ => a[0].clone(),
            }
        }
        "empty" => {
            want(name, a, 1)?;
            Value::bool(is_empty(&a[0]))
        }
        "coalesce" => a
            .iter()
            .find(|v| !is_empty(v))
            .cloned()
            .unwrap_or_else(Value::nil),
        "all" => Value::bool(a.iter().all(|v| !is_empty(v))),
        "any" => Value::bool(a.iter().any(|v| !is_empty(v))),
        "ternary" => {
            want(name, a, 3)?;
            if a[2].truthy() {
                a[0].clone()
            } else {
                a[1].clone()
            }
        }
        "deepCopy" => {
            want(name, a, 1)?;
            a[0].deep_copy()
        }
        _ => return Ok(None),
    }))
}

/// `cast.ToInt`: like [`to_i64`], but numeric strings may be floats or use a base prefix.
fn cast_int(v: &Value) -> i64 {
    match &v.kind {
        Kind::Str(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                return i;
            }
            if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                return i64::from_str_radix(h, 16).unwrap_or(0);
            }
            0
        }
        _ => to_i64(v),
    }
}
