//! Expressions: literals, collections, conditionals, `for`, function calls, `try`/`can`.

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{Conditional, Expression, ForExpr, FuncCall, Object, ObjectKey};
use trustmap_source::Span;
use trustmap_syntax::{Entry, Node, NodeKind, Number};

use super::Evaluator;
use crate::config::span_in;
use crate::functions;
use crate::json_text;
use crate::limits::{MAX_COLLECTION, MAX_EXPR_DEPTH};
use crate::scope::Scope;
use crate::value::{
    EvalError, EvalResult, entry, map, null, number_text, seq, sorted_entries, to_bool, to_text,
    type_name, values_equal,
};

/// One iteration of a `for` expression.
enum ForItem {
    Skip,
    Unknown,
    Value {
        key: Option<(String, Span)>,
        value: Node,
    },
}

impl<'a> Evaluator<'a> {
    /// Evaluates an expression to a spanned value; `Err` is a Terraform evaluation error.
    pub(crate) fn eval(&mut self, scope: &mut Scope<'a>, expr: &Expression) -> EvalResult {
        let span = Self::span_of(scope, expr);
        if self.depth >= MAX_EXPR_DEPTH {
            return Err(EvalError::new(
                "expression is nested too deeply to evaluate",
                span,
            ));
        }
        if !self.charge(1) {
            return Ok(Node::unknown(span));
        }
        self.depth += 1;
        let out = self.eval_inner(scope, expr, span);
        self.depth -= 1;
        out
    }

    fn eval_inner(&mut self, scope: &mut Scope<'a>, expr: &Expression, span: Span) -> EvalResult {
        match expr {
            Expression::Null(_) => Ok(null(span)),
            Expression::Bool(b) => Ok(Node::bool(*b.value(), span)),
            Expression::Number(n) => {
                let value = n.value().as_f64().unwrap_or(0.0);
                let src = scope.file.slice(span).trim();
                let text = if src.is_empty() {
                    number_text(value)
                } else {
                    src.to_string()
                };
                Ok(Node::new(NodeKind::Number(Number { text, value }), span))
            }
            Expression::String(s) => {
                let raw = (span.len() >= 2).then(|| span.start as usize + 1..span.end as usize - 1);
                Ok(self.literal_string(scope, s.value(), span, raw))
            }
            Expression::Array(arr) => {
                if arr.len() > MAX_COLLECTION {
                    return Err(EvalError::new("list is too large to evaluate", span));
                }
                let mut items = Vec::with_capacity(arr.len());
                for item in arr.iter() {
                    items.push(self.eval(scope, item)?);
                }
                Ok(seq(items, span))
            }
            Expression::Object(obj) => self.eval_object(scope, obj, span),
            Expression::StringTemplate(t) => self.eval_template(scope, t, span),
            Expression::HeredocTemplate(h) => {
                let literals: Option<Vec<&str>> = h
                    .template
                    .iter()
                    .map(|e| e.as_literal().map(|l| l.value().as_str()))
                    .collect();
                match literals {
                    Some(parts) => {
                        let value = parts.concat();
                        let raw = h.template.span().filter(|_| parts.len() == 1);
                        Ok(self.literal_string(scope, &value, span, raw))
                    }
                    None => {
                        // `<<-`: Terraform strips the common indentation from every source line,
                        // including lines inside directives (hcl-edit only dedents top-level
                        // literals, and none at all when a line starts with an interpolation).
                        let indented = scope
                            .file
                            .text
                            .get(span.range())
                            .is_some_and(|t| t.starts_with("<<-"));
                        let dedent = indented
                            .then(|| {
                                h.template
                                    .span()
                                    .and_then(|r| scope.file.text.get(r))
                                    .map(min_indent)
                            })
                            .flatten();
                        self.eval_template_dedented(scope, &h.template, span, dedent)
                    }
                }
            }
            Expression::Parenthesis(p) => self.eval(scope, p.inner()),
            Expression::Variable(v) => self.eval_bare_name(scope, v.as_str(), span),
            Expression::Conditional(c) => self.eval_conditional(scope, c, span),
            Expression::FuncCall(f) => self.eval_call(scope, f, span),
            Expression::Traversal(t) => self.eval_traversal(scope, t, span),
            Expression::UnaryOp(op) => self.eval_unary(scope, op, span),
            Expression::BinaryOp(op) => self.eval_binary(scope, op, span),
            Expression::ForExpr(f) => self.eval_for(scope, f, span),
        }
    }

    /// A string literal; JSON objects/arrays become `Json` nodes with spans in the file.
    pub(crate) fn literal_string(
        &mut self,
        scope: &Scope<'a>,
        value: &str,
        span: Span,
        raw: Option<Range<usize>>,
    ) -> Node {
        json_text::literal_json(scope.file, value, raw, span)
            .unwrap_or_else(|| Node::string(value, span))
    }

    fn eval_object(&mut self, scope: &mut Scope<'a>, obj: &Object, span: Span) -> EvalResult {
        let mut entries: Vec<Entry> = Vec::with_capacity(obj.len());
        let mut unknown_key = false;
        for (key, value) in obj.iter() {
            let (name, key_span) = match key {
                ObjectKey::Ident(id) => (
                    Some(id.as_str().to_string()),
                    span_in(scope.file, id.span(), span),
                ),
                ObjectKey::Expression(Expression::Variable(v)) => (
                    Some(v.as_str().to_string()),
                    span_in(scope.file, v.span(), span),
                ),
                ObjectKey::Expression(e) => {
                    let k = self.eval(scope, e)?;
                    let text = to_text(&k)
                        .map_err(|m| EvalError::new(format!("invalid object key: {m}"), k.span))?;
                    (text, k.span)
                }
            };
            let v = self.eval(scope, value.expr())?;
            match name {
                Some(name) => entries.push(entry(name, key_span, v)),
                None => unknown_key = true,
            }
        }
        if unknown_key {
            return Ok(Node::unknown(span));
        }
        Ok(map(entries, span))
    }

    fn eval_bare_name(&mut self, scope: &mut Scope<'a>, name: &str, span: Span) -> EvalResult {
        match scope.lookup(name) {
            Some(b) => {
                let mut value = b.value.clone();
                if b.is_meta {
                    value.span = span;
                }
                self.charge_copy(&value);
                Ok(value)
            }
            None => Err(EvalError::new(format!("unknown name `{name}`"), span)),
        }
    }

    fn eval_conditional(
        &mut self,
        scope: &mut Scope<'a>,
        c: &Conditional,
        span: Span,
    ) -> EvalResult {
        let cond = self.eval(scope, &c.cond_expr)?;
        match to_bool(&cond) {
            Ok(Some(true)) => self.eval(scope, &c.true_expr),
            Ok(Some(false)) => self.eval(scope, &c.false_expr),
            Ok(None) => {
                let t = self.eval(scope, &c.true_expr)?;
                let f = self.eval(scope, &c.false_expr)?;
                if values_equal(&t, &f) == Some(true) {
                    Ok(t)
                } else {
                    Ok(Node::unknown(span))
                }
            }
            Err(m) => Err(EvalError::new(format!("condition: {m}"), cond.span)),
        }
    }

    fn eval_call(&mut self, scope: &mut Scope<'a>, call: &FuncCall, span: Span) -> EvalResult {
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            let full: Vec<&str> = call
                .name
                .namespace
                .iter()
                .map(|n| n.as_str())
                .chain([name])
                .collect();
            self.report_function(&full.join("::"), span);
            return Ok(Node::unknown(span));
        }
        match name {
            "try" => return self.eval_try(scope, call, span),
            "can" => return self.eval_can(scope, call, span),
            _ => {}
        }
        let mut args = Vec::with_capacity(call.args.len());
        for a in call.args.iter() {
            args.push(self.eval(scope, a)?);
        }
        if call.args.expand_final() {
            let last = args
                .pop()
                .ok_or_else(|| EvalError::new("`...` needs an argument", span))?;
            match last.kind {
                NodeKind::Seq(items) => args.extend(items),
                NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                    return Ok(Node::unknown(span));
                }
                _ => {
                    return Err(EvalError::new(
                        format!("`...` expands a list, not {}", type_name(&last)),
                        last.span,
                    ));
                }
            }
        }
        let result = match name {
            "file" => Some(self.call_file(scope, args, span)?),
            "templatefile" => Some(self.call_templatefile(scope, args, span)?),
            _ => functions::call(name, args, span)?,
        };
        match result {
            Some(n) => {
                if !self.charge_copy(&n) {
                    return Ok(Node::unknown(span));
                }
                Ok(n)
            }
            None => {
                self.report_function(name, span);
                Ok(Node::unknown(span))
            }
        }
    }

    /// `try(a, b, ...)`: the first argument that evaluates without error.
    fn eval_try(&mut self, scope: &mut Scope<'a>, call: &FuncCall, span: Span) -> EvalResult {
        let mut last_err = None;
        for a in call.args.iter() {
            match self.eval(scope, a) {
                Ok(v) => return Ok(v),
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| EvalError::new("try() needs at least one argument", span)))
    }

    /// `can(x)`: whether `x` evaluates without error (unknown when `x` is unknown).
    fn eval_can(&mut self, scope: &mut Scope<'a>, call: &FuncCall, span: Span) -> EvalResult {
        let Some(a) = call.args.iter().next().filter(|_| call.args.len() == 1) else {
            return Err(EvalError::new("can() takes exactly one argument", span));
        };
        match self.eval(scope, a) {
            Ok(v) if v.is_unknown() => Ok(Node::unknown(span)),
            Ok(_) => Ok(Node::bool(true, span)),
            Err(_) => Ok(Node::bool(false, span)),
        }
    }

    fn eval_for(&mut self, scope: &mut Scope<'a>, f: &ForExpr, span: Span) -> EvalResult {
        let coll = self.eval(scope, &f.intro.collection_expr)?;
        let pairs: Vec<(Node, Node)> = match &coll.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                return Ok(Node::unknown(span));
            }
            NodeKind::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::number(i as f64, v.span), v.clone()))
                .collect(),
            NodeKind::Map(entries) => sorted_entries(entries)
                .into_iter()
                .map(|e| (Node::string(e.key.clone(), e.key_span), e.value.clone()))
                .collect(),
            _ => {
                return Err(EvalError::new(
                    format!(
                        "a for expression iterates a list, set, map or object, not {}",
                        type_name(&coll)
                    ),
                    coll.span,
                ));
            }
        };
        if pairs.len() > MAX_COLLECTION {
            return Err(EvalError::new(
                "for expression produces too many elements",
                span,
            ));
        }
        let mut items = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (k, v) in pairs {
            match self.for_item(scope, f, k, v)? {
                ForItem::Skip => {}
                ForItem::Unknown => return Ok(Node::unknown(span)),
                ForItem::Value { key: None, value } => items.push(value),
                ForItem::Value {
                    key: Some((key, key_span)),
                    value,
                } => {
                    if f.grouping {
                        match index.get(&key) {
                            Some(&i) => {
                                if let NodeKind::Seq(group) = &mut entries[i].value.kind {
                                    group.push(value);
                                }
                            }
                            None => {
                                index.insert(key.clone(), entries.len());
                                let group_span = value.span;
                                entries.push(entry(key, key_span, seq(vec![value], group_span)));
                            }
                        }
                    } else if index.contains_key(&key) {
                        return Err(EvalError::new(
                            format!(
                                "duplicate key {key:?} in for expression (add `...` to group values)"
                            ),
                            key_span,
                        ));
                    } else {
                        index.insert(key.clone(), entries.len());
                        entries.push(entry(key, key_span, value));
                    }
                }
            }
        }
        Ok(if f.key_expr.is_some() {
            map(entries, span)
        } else {
            seq(items, span)
        })
    }

    fn for_item(
        &mut self,
        scope: &mut Scope<'a>,
        f: &ForExpr,
        k: Node,
        v: Node,
    ) -> Result<ForItem, EvalError> {
        let mut bound = 1;
        if let Some(kv) = &f.intro.key_var {
            scope.bind(kv.as_str(), k);
            bound = 2;
        }
        scope.bind(f.intro.value_var.as_str(), v);
        let out = self.for_item_body(scope, f);
        scope.unbind(bound);
        out
    }

    fn for_item_body(&mut self, scope: &mut Scope<'a>, f: &ForExpr) -> Result<ForItem, EvalError> {
        if let Some(cond) = &f.cond {
            let c = self.eval(scope, &cond.expr)?;
            match to_bool(&c) {
                Ok(Some(true)) => {}
                Ok(Some(false)) => return Ok(ForItem::Skip),
                Ok(None) => return Ok(ForItem::Unknown),
                Err(m) => return Err(EvalError::new(format!("for condition: {m}"), c.span)),
            }
        }
        let key = match &f.key_expr {
            Some(ke) => {
                let k = self.eval(scope, ke)?;
                match to_text(&k) {
                    Ok(Some(s)) => Some((s, k.span)),
                    Ok(None) => return Ok(ForItem::Unknown),
                    Err(m) => return Err(EvalError::new(format!("for key: {m}"), k.span)),
                }
            }
            None => None,
        };
        let value = self.eval(scope, &f.value_expr)?;
        Ok(ForItem::Value { key, value })
    }
}

/// Smallest leading whitespace of the non-blank lines of a heredoc body.
fn min_indent(body: &str) -> usize {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.chars().take_while(|c| *c == ' ' || *c == '\t').count())
        .min()
        .unwrap_or(0)
}
