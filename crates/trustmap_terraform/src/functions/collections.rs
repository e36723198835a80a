//! Collection functions: `length`, `concat`, `merge`, `lookup`, `toset`, `range`, …
//!
//! Elements keep their own spans, so `concat(var.a, ["*"])[1]` still points at the `"*"`.

use std::collections::HashSet;

use trustmap_source::Span;
use trustmap_syntax::{Entry, Node, NodeKind};

use super::{bool_of, err, int_arg, list_of, map_of, num_arg};
use crate::limits::MAX_COLLECTION;
use crate::value::{
    EvalError, EvalResult, dedup_entries, entry, map, primitive_key, seq, set_of, sorted_entries,
    to_text, values_equal,
};

fn unknown_in(args: &[Node]) -> bool {
    args.iter().any(Node::is_unknown)
}

fn check_size(n: usize, span: Span) -> Result<(), EvalError> {
    if n > MAX_COLLECTION {
        return Err(err(
            span,
            format!("result would have {n} elements (more than {MAX_COLLECTION})"),
        ));
    }
    Ok(())
}

pub(super) fn identity(mut args: Vec<Node>, span: Span) -> EvalResult {
    args.pop().ok_or_else(|| err(span, "missing argument"))
}

pub(super) fn length(args: Vec<Node>, span: Span) -> EvalResult {
    let n = &args[0];
    let len = match &n.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
            return Ok(Node::unknown(span));
        }
        NodeKind::Seq(items) => items.len(),
        NodeKind::Map(entries) => dedup_entries(entries).len(),
        NodeKind::String(s) | NodeKind::Json { text: s, .. } => s.chars().count(),
        _ => return Err(err(n.span, "length() needs a collection or a string")),
    };
    Ok(Node::number(len as f64, span))
}

pub(super) fn concat(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) {
        return Ok(Node::unknown(span));
    }
    let mut out = Vec::new();
    for a in args {
        match a.kind {
            NodeKind::Seq(items) => {
                check_size(out.len() + items.len(), span)?;
                out.extend(items);
            }
            _ => return Err(err(a.span, "concat() arguments must be lists")),
        }
    }
    Ok(seq(out, span))
}

fn flatten_into(n: Node, out: &mut Vec<Node>, span: Span) -> Result<bool, EvalError> {
    match n.kind {
        NodeKind::Seq(items) => {
            for i in items {
                if !flatten_into(i, out, span)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        // An unknown element might be a list: the flattened shape is unknown.
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(false),
        _ => {
            check_size(out.len() + 1, span)?;
            out.push(n);
            Ok(true)
        }
    }
}

pub(super) fn flatten(mut args: Vec<Node>, span: Span) -> EvalResult {
    let a = args.remove(0);
    if !matches!(
        a.kind,
        NodeKind::Seq(_) | NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_)
    ) {
        return Err(err(a.span, "flatten() needs a list"));
    }
    let mut out = Vec::new();
    if !flatten_into(a, &mut out, span)? {
        return Ok(Node::unknown(span));
    }
    Ok(seq(out, span))
}

/// Membership test over values: hashed for primitives, linear for the rest.
#[derive(Default)]
struct Members<'n> {
    keys: HashSet<String>,
    others: Vec<&'n Node>,
}

impl<'n> Members<'n> {
    fn of(items: &'n [Node]) -> Self {
        let mut m = Members::default();
        for i in items {
            m.insert(i);
        }
        m
    }

    fn contains(&self, n: &Node) -> bool {
        match primitive_key(n) {
            Some(k) => self.keys.contains(&k),
            None => self.others.iter().any(|o| values_equal(o, n) == Some(true)),
        }
    }

    /// Adds `n`; false if it was already there.
    fn insert(&mut self, n: &'n Node) -> bool {
        match primitive_key(n) {
            Some(k) => self.keys.insert(k),
            None if self.contains(n) => false,
            None => {
                self.others.push(n);
                true
            }
        }
    }
}

pub(super) fn distinct(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    let mut seen = Members::default();
    let out = items.iter().filter(|i| seen.insert(i)).cloned().collect();
    Ok(seq(out, span))
}

pub(super) fn keys(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) {
        return Ok(Node::unknown(span));
    }
    let entries = map_of(&args[0])?;
    Ok(seq(
        sorted_entries(entries)
            .into_iter()
            .map(|e| Node::string(e.key.clone(), e.key_span))
            .collect(),
        span,
    ))
}

pub(super) fn values(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) {
        return Ok(Node::unknown(span));
    }
    let entries = map_of(&args[0])?;
    Ok(seq(
        sorted_entries(entries)
            .into_iter()
            .map(|e| e.value.clone())
            .collect(),
        span,
    ))
}

pub(super) fn lookup(args: Vec<Node>, span: Span) -> EvalResult {
    if args[0].is_unknown() || args[1].contains_unknown() {
        return Ok(Node::unknown(span));
    }
    let entries = map_of(&args[0])?;
    let key = super::str_arg(&args, 1, span)?;
    if let Some(e) = entries.iter().rev().find(|e| e.key == key) {
        return Ok(e.value.clone());
    }
    match args.get(2) {
        Some(d) => Ok(d.clone()),
        None => Err(err(
            span,
            format!("lookup: the map has no key {key:?} and no default was given"),
        )),
    }
}

pub(super) fn element(args: Vec<Node>, span: Span) -> EvalResult {
    if args[0].is_unknown() || args[1].contains_unknown() {
        return Ok(Node::unknown(span));
    }
    let items = list_of(&args[0])?;
    let i = int_arg(&args, 1, span)?;
    if items.is_empty() {
        return Err(err(span, "element() of an empty list"));
    }
    if i < 0 {
        return Err(err(args[1].span, "element() index must not be negative"));
    }
    Ok(items[(i as usize) % items.len()].clone())
}

pub(super) fn index(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    items
        .iter()
        .position(|i| values_equal(i, &args[1]) == Some(true))
        .map(|p| Node::number(p as f64, span))
        .ok_or_else(|| err(span, "index(): the value is not in the list"))
}

pub(super) fn contains(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    let found = items
        .iter()
        .any(|i| values_equal(i, &args[1]) == Some(true));
    Ok(Node::bool(found, span))
}

pub(super) fn coalesce(args: Vec<Node>, span: Span) -> EvalResult {
    for a in args {
        match &a.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                return Ok(Node::unknown(span));
            }
            NodeKind::Null => {}
            NodeKind::String(s) if s.is_empty() => {}
            _ => return Ok(a),
        }
    }
    Err(err(span, "coalesce(): no non-null, non-empty argument"))
}

pub(super) fn coalescelist(args: Vec<Node>, span: Span) -> EvalResult {
    for a in args {
        match &a.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                return Ok(Node::unknown(span));
            }
            NodeKind::Seq(items) if items.is_empty() => {}
            NodeKind::Seq(_) => return Ok(a),
            NodeKind::Null => {}
            _ => return Err(err(a.span, "coalescelist() arguments must be lists")),
        }
    }
    Ok(seq(Vec::new(), span))
}

pub(super) fn compact(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    let out = items
        .iter()
        .filter(|i| !(i.is_null() || matches!(&i.kind, NodeKind::String(s) if s.is_empty())))
        .cloned()
        .collect();
    Ok(seq(out, span))
}

pub(super) fn toset(mut args: Vec<Node>, span: Span) -> EvalResult {
    let a = args.remove(0);
    match a.kind {
        NodeKind::Seq(items) => {
            Ok(set_of(items).map_or_else(|| Node::unknown(span), |s| seq(s, span)))
        }
        _ => Err(err(a.span, "toset() needs a list or set")),
    }
}

pub(super) fn tolist(mut args: Vec<Node>, span: Span) -> EvalResult {
    let a = args.remove(0);
    match a.kind {
        NodeKind::Seq(_)
        | NodeKind::Unknown
        | NodeKind::Ref { .. }
        | NodeKind::Template(_)
        | NodeKind::Null => Ok(a),
        _ => Err(err(span, "tolist() needs a list, set or tuple")),
    }
}

pub(super) fn tomap(mut args: Vec<Node>, span: Span) -> EvalResult {
    let a = args.remove(0);
    match a.kind {
        NodeKind::Map(_)
        | NodeKind::Unknown
        | NodeKind::Ref { .. }
        | NodeKind::Template(_)
        | NodeKind::Null => Ok(a),
        _ => Err(err(span, "tomap() needs a map or object")),
    }
}

pub(super) fn merge(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) {
        return Ok(Node::unknown(span));
    }
    let mut out: Vec<Entry> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for a in args {
        match a.kind {
            NodeKind::Null => {}
            NodeKind::Map(entries) => {
                for e in entries {
                    match index.get(&e.key) {
                        Some(&i) => out[i] = e,
                        None => {
                            index.insert(e.key.clone(), out.len());
                            out.push(e);
                        }
                    }
                }
            }
            _ => return Err(err(a.span, "merge() arguments must be maps or objects")),
        }
    }
    Ok(map(out, span))
}

pub(super) fn zipmap(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) || args[0].contains_unknown() {
        return Ok(Node::unknown(span));
    }
    let ks = list_of(&args[0])?;
    let vs = list_of(&args[1])?;
    if ks.len() != vs.len() {
        return Err(err(span, "zipmap(): the lists must have the same length"));
    }
    let mut out = Vec::with_capacity(ks.len());
    for (k, v) in ks.iter().zip(vs) {
        let key = to_text(k)
            .ok()
            .flatten()
            .ok_or_else(|| err(k.span, "zipmap(): keys must be strings"))?;
        out.push(entry(key, k.span, v.clone()));
    }
    Ok(map(out, span))
}

pub(super) fn slice(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) || args[1].contains_unknown() || args[2].contains_unknown() {
        return Ok(Node::unknown(span));
    }
    let items = list_of(&args[0])?;
    let start = int_arg(&args, 1, span)?;
    let end = int_arg(&args, 2, span)?;
    if start < 0 || end < start || end as usize > items.len() {
        return Err(err(span, "slice(): indexes out of range"));
    }
    Ok(seq(items[start as usize..end as usize].to_vec(), span))
}

pub(super) fn reverse(mut args: Vec<Node>, span: Span) -> EvalResult {
    let a = args.remove(0);
    match a.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(Node::unknown(span)),
        NodeKind::Seq(mut items) => {
            items.reverse();
            Ok(seq(items, span))
        }
        _ => Err(err(a.span, "reverse() needs a list")),
    }
}

pub(super) fn sort(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    let mut keyed = Vec::with_capacity(items.len());
    for i in items {
        let k = to_text(i)
            .ok()
            .flatten()
            .ok_or_else(|| err(i.span, "sort() needs a list of strings"))?;
        keyed.push((k, i.clone()));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(seq(keyed.into_iter().map(|(_, n)| n).collect(), span))
}

pub(super) fn one(mut args: Vec<Node>, span: Span) -> EvalResult {
    let a = args.remove(0);
    match a.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => Ok(Node::unknown(span)),
        NodeKind::Seq(mut items) => match items.len() {
            0 => Ok(Node::new(NodeKind::Null, span)),
            1 => Ok(items.remove(0)),
            n => Err(err(
                a.span,
                format!("one() needs at most one element, got {n}"),
            )),
        },
        _ => Err(err(a.span, "one() needs a list or set")),
    }
}

pub(super) fn range(args: Vec<Node>, span: Span) -> EvalResult {
    let (start, limit, step) = match args.len() {
        1 => (0.0, num_arg(&args, 0, span)?, 1.0),
        2 => (num_arg(&args, 0, span)?, num_arg(&args, 1, span)?, 1.0),
        _ => (
            num_arg(&args, 0, span)?,
            num_arg(&args, 1, span)?,
            num_arg(&args, 2, span)?,
        ),
    };
    let step = if args.len() < 3 && limit < start {
        -1.0
    } else {
        step
    };
    if step == 0.0 {
        return Err(err(span, "range(): step must not be zero"));
    }
    let count = ((limit - start) / step).ceil();
    if count.is_nan() || count <= 0.0 {
        return Ok(seq(Vec::new(), span));
    }
    if count > MAX_COLLECTION as f64 {
        return Err(err(
            span,
            format!("range() would produce more than {MAX_COLLECTION} elements"),
        ));
    }
    let out = (0..count as usize)
        .map(|i| Node::number(start + step * i as f64, span))
        .collect();
    Ok(seq(out, span))
}

fn sets(args: &[Node]) -> Result<Vec<Vec<Node>>, EvalError> {
    args.iter()
        .map(|a| list_of(a).map(<[Node]>::to_vec))
        .collect()
}

pub(super) fn setunion(args: Vec<Node>, span: Span) -> EvalResult {
    let all: Vec<Node> = sets(&args)?.into_iter().flatten().collect();
    check_size(all.len(), span)?;
    Ok(set_of(all).map_or_else(|| Node::unknown(span), |s| seq(s, span)))
}

pub(super) fn setintersection(args: Vec<Node>, span: Span) -> EvalResult {
    let mut lists = sets(&args)?.into_iter();
    let first = lists.next().unwrap_or_default();
    let rest: Vec<Vec<Node>> = lists.collect();
    let rest: Vec<Members<'_>> = rest.iter().map(|l| Members::of(l)).collect();
    let out = first
        .into_iter()
        .filter(|i| rest.iter().all(|m| m.contains(i)))
        .collect();
    Ok(set_of(out).map_or_else(|| Node::unknown(span), |s| seq(s, span)))
}

pub(super) fn setsubtract(args: Vec<Node>, span: Span) -> EvalResult {
    let a = list_of(&args[0])?;
    let b = list_of(&args[1])?;
    let b = Members::of(b);
    let out = a.iter().filter(|i| !b.contains(i)).cloned().collect();
    Ok(set_of(out).map_or_else(|| Node::unknown(span), |s| seq(s, span)))
}

pub(super) fn chunklist(args: Vec<Node>, span: Span) -> EvalResult {
    if unknown_in(&args) || args[1].contains_unknown() {
        return Ok(Node::unknown(span));
    }
    let items = list_of(&args[0])?;
    let size = int_arg(&args, 1, span)?;
    if size < 0 {
        return Err(err(args[1].span, "chunklist(): size must not be negative"));
    }
    if size == 0 {
        return Ok(seq(vec![seq(items.to_vec(), span)], span));
    }
    Ok(seq(
        items
            .chunks(size as usize)
            .map(|c| seq(c.to_vec(), span))
            .collect(),
        span,
    ))
}

pub(super) fn alltrue(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    let mut all = true;
    for i in items {
        all &= bool_of(i)?;
    }
    Ok(Node::bool(all, span))
}

pub(super) fn anytrue(args: Vec<Node>, span: Span) -> EvalResult {
    let items = list_of(&args[0])?;
    let mut any = false;
    for i in items {
        any |= bool_of(i)?;
    }
    Ok(Node::bool(any, span))
}
