//! Attribute, index and splat access (`.name`, `[key]`, `.*`, `[*]`) on evaluated values.
//!
//! A value read out of another resource's *configuration* remembers where it came from (an
//! [`Origin`]: the resource address and the path walked so far). Reaching an attribute that the
//! configuration does not set is then not an error but a computed attribute, known only after
//! apply: `aws_eks_cluster.this[0].vpc_config[0].cluster_security_group_id` evaluates to
//! `Ref { address: "aws_eks_cluster.this[0]", attribute: "vpc_config[0].cluster_security_group_id" }`.
//! The attribute path uses Terraform's own traversal syntax: `.name` between attributes,
//! `[0]` for list elements and `["key"]` for map keys. Everywhere else (a local, a variable,
//! `each.value`) a missing attribute stays an error, as in Terraform.

use hcl_edit::expr::TraversalOperator;
use hcl_edit::{Decorated, Span as _};
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};

use super::Evaluator;
use crate::config::span_in;
use crate::scope::Scope;
use crate::value::{
    EvalError, EvalResult, index_text, reference, seq, to_number, to_text, type_name,
};

type Op = Decorated<TraversalOperator>;

/// Where a value inside another resource's configuration sits.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    /// Address of the resource instance, e.g. `aws_eks_cluster.this[0]`.
    address: String,
    /// Path from the resource to the value, e.g. `vpc_config[0]`.
    path: String,
}

impl Origin {
    fn attr(&self, name: &str) -> Self {
        Self {
            address: self.address.clone(),
            path: format!("{}.{name}", self.path),
        }
    }

    fn index(&self, key: &str) -> Self {
        Self {
            address: self.address.clone(),
            path: format!("{}{key}", self.path),
        }
    }

    /// The computed attribute reached by this path.
    fn reference(self, span: Span) -> Node {
        reference(self.address, self.path, span)
    }
}

/// A value and, when it was read from a resource's configuration, where.
type Located = (Node, Option<Origin>);

impl<'a> Evaluator<'a> {
    /// Applies `.attr`, `[index]`, `.*` and `[*]` operators.
    pub(crate) fn apply_ops(
        &mut self,
        scope: &mut Scope<'a>,
        base: Node,
        ops: &[Op],
        span: Span,
    ) -> EvalResult {
        self.apply_ops_at(scope, (base, None), ops, span)
    }

    fn apply_ops_at(
        &mut self,
        scope: &mut Scope<'a>,
        base: Located,
        ops: &[Op],
        span: Span,
    ) -> EvalResult {
        let mut cur = base;
        let mut i = 0;
        while i < ops.len() {
            let op_span = span_in(scope.file, ops[i].span(), span);
            match ops[i].value() {
                TraversalOperator::GetAttr(id) => {
                    cur = self.get_attr_at(cur, id.as_str(), op_span)?;
                }
                TraversalOperator::Index(e) => {
                    let k = self.eval(scope, e)?;
                    cur = self.index_at(cur, &k, op_span)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    let k = Node::number(*n.value() as f64, op_span);
                    cur = self.index_at(cur, &k, op_span)?;
                }
                TraversalOperator::AttrSplat(_) => {
                    // `.*` applies only the attribute accesses that follow it.
                    let end = i
                        + 1
                        + ops[i + 1..]
                            .iter()
                            .take_while(|o| matches!(o.value(), TraversalOperator::GetAttr(_)))
                            .count();
                    cur = (self.splat(scope, cur, &ops[i + 1..end], span)?, None);
                    i = end;
                    continue;
                }
                TraversalOperator::FullSplat(_) => {
                    return self.splat(scope, cur, &ops[i + 1..], span);
                }
            }
            i += 1;
        }
        Ok(cur.0)
    }

    fn splat(
        &mut self,
        scope: &mut Scope<'a>,
        (cur, origin): Located,
        rest: &[Op],
        span: Span,
    ) -> EvalResult {
        match cur.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                Ok(Node::unknown(span))
            }
            NodeKind::Null => Ok(seq(Vec::new(), cur.span)),
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let at = origin.as_ref().map(|o| o.index(&format!("[{i}]")));
                    out.push(self.apply_ops_at(scope, (item, at), rest, span)?);
                }
                Ok(seq(out, cur.span))
            }
            _ => {
                let s = cur.span;
                Ok(seq(
                    vec![self.apply_ops_at(scope, (cur, origin), rest, span)?],
                    s,
                ))
            }
        }
    }

    /// `value.name`.
    fn get_attr_at(
        &mut self,
        (cur, origin): Located,
        name: &str,
        span: Span,
    ) -> Result<Located, EvalError> {
        match cur.kind {
            NodeKind::Map(entries) => match entries.into_iter().rev().find(|e| e.key == name) {
                Some(e) => Ok((e.value, origin.map(|o| o.attr(name)))),
                None => match origin {
                    Some(o) => Ok((o.attr(name).reference(span), None)),
                    None => Err(EvalError::new(
                        format!("object has no attribute `{name}`"),
                        span,
                    )),
                },
            },
            NodeKind::Ref { address, attribute } if attribute.is_empty() => {
                match self.configured_attr(&address, name) {
                    Some((_, Some(v))) => {
                        let origin = Origin {
                            address,
                            path: name.to_string(),
                        };
                        Ok((v, Some(origin)))
                    }
                    // Not configured: computed by the provider (a resource's `arn`, every
                    // attribute a data source reads), or an address outside the scan.
                    Some((_, None)) | None => Ok((reference(address, name, span), None)),
                }
            }
            NodeKind::Ref { address, attribute } => Ok((
                reference(address, format!("{attribute}.{name}"), span),
                None,
            )),
            NodeKind::Unknown => Ok((Node::unknown(span), None)),
            _ => Err(EvalError::new(
                format!(
                    "cannot read attribute `{name}` of a {} value",
                    type_name(&cur)
                ),
                span,
            )),
        }
    }

    /// `value[key]`.
    fn index_at(
        &mut self,
        (cur, origin): Located,
        key: &Node,
        span: Span,
    ) -> Result<Located, EvalError> {
        if key.is_unknown() {
            return Ok((Node::unknown(span), None));
        }
        match cur.kind {
            NodeKind::Seq(items) => {
                let i = to_number(key)
                    .ok()
                    .flatten()
                    .filter(|v| v.fract() == 0.0 && *v >= 0.0)
                    .ok_or_else(|| EvalError::new("a list index must be a whole number", span))?;
                let len = items.len();
                let item = items.into_iter().nth(i as usize).ok_or_else(|| {
                    EvalError::new(
                        format!("index {i} is out of range for a list of {len}"),
                        span,
                    )
                })?;
                let at = origin.map(|o| o.index(&format!("[{}]", i as usize)));
                Ok((item, at))
            }
            NodeKind::Map(entries) => {
                let k = to_text(key)
                    .ok()
                    .flatten()
                    .ok_or_else(|| EvalError::new("a map key must be a string", span))?;
                let at = origin.map(|o| o.index(&index_text(key).unwrap_or_default()));
                match entries.into_iter().rev().find(|e| e.key == k) {
                    Some(e) => Ok((e.value, at)),
                    None => match at {
                        Some(o) => Ok((o.reference(span), None)),
                        None => Err(EvalError::new(
                            format!("the map has no element {k:?}"),
                            span,
                        )),
                    },
                }
            }
            NodeKind::Ref { address, attribute } => {
                let it = index_text(key).ok_or_else(|| EvalError::new("invalid index", span))?;
                Ok((
                    if attribute.is_empty() {
                        reference(format!("{address}{it}"), "", span)
                    } else {
                        reference(address, format!("{attribute}{it}"), span)
                    },
                    None,
                ))
            }
            NodeKind::Unknown => Ok((Node::unknown(span), None)),
            _ => Err(EvalError::new(
                format!("cannot index a {} value", type_name(&cur)),
                span,
            )),
        }
    }
}
