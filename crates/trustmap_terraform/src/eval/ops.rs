//! Unary and binary operators, with Terraform's unknown propagation.

use hcl_edit::expr::{BinaryOp, BinaryOperator, UnaryOp, UnaryOperator};
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::Evaluator;
use crate::scope::Scope;
use crate::value::{EvalError, EvalResult, to_bool, to_number, values_equal};

impl<'a> Evaluator<'a> {
    pub(crate) fn eval_unary(
        &mut self,
        scope: &mut Scope<'a>,
        op: &UnaryOp,
        span: Span,
    ) -> EvalResult {
        let v = self.eval(scope, &op.expr)?;
        match op.operator.value() {
            UnaryOperator::Neg => match to_number(&v) {
                Ok(Some(n)) => Ok(Node::number(0.0 - n, span)),
                Ok(None) => Ok(Node::unknown(span)),
                Err(m) => Err(EvalError::new(format!("unary minus: {m}"), v.span)),
            },
            UnaryOperator::Not => match to_bool(&v) {
                Ok(Some(b)) => Ok(Node::bool(!b, span)),
                Ok(None) => Ok(Node::unknown(span)),
                Err(m) => Err(EvalError::new(format!("`!`: {m}"), v.span)),
            },
        }
    }

    pub(crate) fn eval_binary(
        &mut self,
        scope: &mut Scope<'a>,
        op: &BinaryOp,
        span: Span,
    ) -> EvalResult {
        let operator = *op.operator.value();
        let lhs = self.eval(scope, &op.lhs_expr)?;
        // `&&` / `||` with a known deciding left side do not need the right side.
        if matches!(operator, BinaryOperator::And | BinaryOperator::Or)
            && let Ok(Some(l)) = to_bool(&lhs)
        {
            if operator == BinaryOperator::And && !l {
                return Ok(Node::bool(false, span));
            }
            if operator == BinaryOperator::Or && l {
                return Ok(Node::bool(true, span));
            }
        }
        let rhs = self.eval(scope, &op.rhs_expr)?;
        binary(operator, &lhs, &rhs, span)
    }
}

/// Applies a binary operator to evaluated operands.
pub(crate) fn binary(operator: BinaryOperator, lhs: &Node, rhs: &Node, span: Span) -> EvalResult {
    use BinaryOperator as B;
    match operator {
        B::Eq | B::NotEq => Ok(match values_equal(lhs, rhs) {
            Some(eq) => Node::bool(eq == (operator == B::Eq), span),
            None => Node::unknown(span),
        }),
        B::And | B::Or => {
            let l = to_bool(lhs).map_err(|m| EvalError::new(m, lhs.span))?;
            let r = to_bool(rhs).map_err(|m| EvalError::new(m, rhs.span))?;
            let is_and = operator == B::And;
            Ok(match (l, r) {
                (Some(a), Some(b)) => Node::bool(if is_and { a && b } else { a || b }, span),
                // A known deciding operand decides even when the other is unknown.
                (Some(x), None) | (None, Some(x)) if x != is_and => Node::bool(x, span),
                _ => Node::unknown(span),
            })
        }
        _ => {
            let l = to_number(lhs).map_err(|m| EvalError::new(m, lhs.span))?;
            let r = to_number(rhs).map_err(|m| EvalError::new(m, rhs.span))?;
            let (Some(a), Some(b)) = (l, r) else {
                return Ok(Node::unknown(span));
            };
            let out = match operator {
                B::Less => return Ok(Node::bool(a < b, span)),
                B::LessEq => return Ok(Node::bool(a <= b, span)),
                B::Greater => return Ok(Node::bool(a > b, span)),
                B::GreaterEq => return Ok(Node::bool(a >= b, span)),
                B::Plus => a + b,
                B::Minus => a - b,
                B::Mul => a * b,
                B::Div => {
                    if b == 0.0 {
                        return Err(EvalError::new("division by zero", span));
                    }
                    a / b
                }
                B::Mod => {
                    if b == 0.0 {
                        return Err(EvalError::new("modulo by zero", span));
                    }
                    a % b
                }
                _ => return Ok(Node::unknown(span)),
            };
            if out.is_finite() {
                Ok(Node::number(out + 0.0, span))
            } else {
                Err(EvalError::new("arithmetic overflow", span))
            }
        }
    }
}
