//! Type constraints of input variables (`type = list(string)`, `object({...})`, `optional`).
//!
//! Conversion is lenient: a value that does not fit the type is kept as it is (Terraform would
//! reject the configuration; a scanner should still look at what was written).

use hcl_edit::expr::{Expression, ObjectKey};
use trustmap_syntax::{Entry, Node, NodeKind};

use super::Evaluator;
use crate::scope::Scope;
use crate::value::{null, number_text, set_of, to_number};

impl<'a> Evaluator<'a> {
    /// Converts `v` to the type written as `ty` (evaluating `optional` defaults in `scope`).
    pub(crate) fn convert_type(&mut self, scope: &mut Scope<'a>, v: Node, ty: &Expression) -> Node {
        if v.is_unknown() || v.is_null() {
            return v;
        }
        match ty {
            Expression::Parenthesis(p) => self.convert_type(scope, v, p.inner()),
            Expression::Variable(id) => convert_primitive(v, id.as_str()),
            Expression::FuncCall(fc) => {
                let first = fc.args.iter().next();
                match (fc.name.name.as_str(), first) {
                    ("optional", Some(t)) => self.convert_type(scope, v, t),
                    ("list" | "set", Some(t)) => {
                        let is_set = fc.name.name.as_str() == "set";
                        let Node { kind, span, via } = v;
                        let NodeKind::Seq(items) = kind else {
                            return Node { kind, span, via };
                        };
                        let items: Vec<Node> = items
                            .into_iter()
                            .map(|i| self.convert_type(scope, i, t))
                            .collect();
                        let items = if is_set {
                            match set_of(items.clone()) {
                                Some(s) => s,
                                None => items,
                            }
                        } else {
                            items
                        };
                        Node {
                            kind: NodeKind::Seq(items),
                            span,
                            via,
                        }
                    }
                    ("map", Some(t)) => {
                        let Node { kind, span, via } = v;
                        let NodeKind::Map(entries) = kind else {
                            return Node { kind, span, via };
                        };
                        let entries = entries
                            .into_iter()
                            .map(|e| Entry {
                                value: self.convert_type(scope, e.value, t),
                                ..e
                            })
                            .collect();
                        Node {
                            kind: NodeKind::Map(entries),
                            span,
                            via,
                        }
                    }
                    ("tuple", Some(Expression::Array(types))) => {
                        let Node { kind, span, via } = v;
                        let NodeKind::Seq(items) = kind else {
                            return Node { kind, span, via };
                        };
                        let items = items
                            .into_iter()
                            .enumerate()
                            .map(|(i, item)| match types.get(i) {
                                Some(t) => self.convert_type(scope, item, t),
                                None => item,
                            })
                            .collect();
                        Node {
                            kind: NodeKind::Seq(items),
                            span,
                            via,
                        }
                    }
                    ("object", Some(Expression::Object(attrs))) => {
                        self.convert_object(scope, v, attrs)
                    }
                    _ => v,
                }
            }
            _ => v,
        }
    }

    fn convert_object(
        &mut self,
        scope: &mut Scope<'a>,
        v: Node,
        attrs: &hcl_edit::expr::Object,
    ) -> Node {
        let Node { kind, span, via } = v;
        let NodeKind::Map(entries) = kind else {
            return Node { kind, span, via };
        };
        let mut out = Vec::with_capacity(attrs.len());
        for (key, tv) in attrs.iter() {
            let name = match key {
                ObjectKey::Ident(id) => id.as_str().to_string(),
                ObjectKey::Expression(Expression::Variable(id)) => id.as_str().to_string(),
                ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                ObjectKey::Expression(_) => continue,
            };
            let (inner, default, optional) = match tv.expr() {
                Expression::FuncCall(fc) if fc.name.name.as_str() == "optional" => {
                    let mut a = fc.args.iter();
                    (a.next(), a.next(), true)
                }
                other => (Some(other), None, false),
            };
            let found = entries.iter().rev().find(|e| e.key == name).cloned();
            let value = match found {
                Some(e) if !(e.value.is_null() && default.is_some()) => Some(e),
                _ => match default {
                    Some(d) => {
                        let dv = self.eval(scope, d).unwrap_or_else(|_| Node::unknown(span));
                        Some(Entry {
                            key: name.clone(),
                            key_span: dv.span,
                            value: dv,
                        })
                    }
                    None if optional => Some(Entry {
                        key: name.clone(),
                        key_span: span,
                        value: null(span),
                    }),
                    None => None,
                },
            };
            if let Some(mut e) = value {
                if let Some(t) = inner {
                    e.value = self.convert_type(scope, e.value, t);
                }
                out.push(e);
            }
        }
        Node {
            kind: NodeKind::Map(out),
            span,
            via,
        }
    }
}

fn convert_primitive(v: Node, ty: &str) -> Node {
    let Node { kind, span, via } = v;
    let kind = match (ty, kind) {
        ("string", NodeKind::Number(n)) => NodeKind::String(number_text(n.value)),
        ("string", NodeKind::Bool(b)) => NodeKind::String(b.to_string()),
        ("number", NodeKind::String(s)) => {
            let probe = Node::string(s.clone(), span);
            match to_number(&probe) {
                Ok(Some(x)) => Node::number(x, span).kind,
                _ => NodeKind::String(s),
            }
        }
        ("bool", NodeKind::String(s)) => match s.as_str() {
            "true" => NodeKind::Bool(true),
            "false" => NodeKind::Bool(false),
            _ => NodeKind::String(s),
        },
        (_, k) => k,
    };
    Node { kind, span, via }
}
