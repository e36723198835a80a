//! `Conditions` and the condition functions (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`,
//! `Condition`), in three-valued logic: a condition that depends on something unknown (a
//! parameter without a default, the region) is `None`, and `None` decides nothing.

use trustmap_source::Span;
use trustmap_syntax::Node;

use crate::codes;
use crate::eval::Eval;
use crate::intrinsic::{self, Call, Func};
use crate::limits::{MAX_CONDITION_DEPTH, MAX_VALUE_DEPTH};

impl Eval<'_> {
    /// The value of a named condition (memoised; cycles and undefined names are diagnosed
    /// and unknown).
    pub(crate) fn condition(&mut self, name: &str, at: Span) -> Option<bool> {
        if let Some(v) = self.cond_cache.get(name) {
            return *v;
        }
        if self.cond_stack.iter().any(|n| n == name) {
            self.diagnose(
                codes::EVALUATION,
                format!("condition `{name}` depends on itself"),
                at,
            );
            return None;
        }
        if self.cond_stack.len() >= MAX_CONDITION_DEPTH {
            self.diagnose(codes::EVALUATION, "conditions nested too deeply", at);
            return None;
        }
        let Some(def) = self.conditions.get(name).copied() else {
            self.diagnose(
                codes::EVALUATION,
                format!("condition `{name}` is not defined in `Conditions`"),
                at,
            );
            self.cond_cache.insert(name.to_string(), None);
            return None;
        };
        self.cond_stack.push(name.to_string());
        let v = self.cond_value(def, 0);
        self.cond_stack.pop();
        self.cond_cache.insert(name.to_string(), v);
        v
    }

    fn cond_value(&mut self, n: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_VALUE_DEPTH {
            self.diagnose(codes::EVALUATION, "condition nested too deeply", n.span);
            return None;
        }
        match intrinsic::call(n) {
            Some(c) => self.cond_call(&c, n, depth),
            None => n.as_bool(),
        }
    }

    /// A condition function's value (other functions are evaluated and read as booleans).
    pub(crate) fn cond_call(&mut self, c: &Call<'_>, n: &Node, depth: usize) -> Option<bool> {
        let d = depth + 1;
        let args = c.arg.as_seq();
        match c.func {
            Func::Equals => {
                let Some([a, b]) = args.and_then(|s| <&[Node; 2]>::try_from(s).ok()) else {
                    self.bad(c, "two values", n.span);
                    return None;
                };
                let (a, b) = (self.value(a, d)?, self.value(b, d)?);
                if a.contains_unknown() || b.contains_unknown() {
                    return None;
                }
                Some(match (a.scalar_text(), b.scalar_text()) {
                    (Some(x), Some(y)) => x == y,
                    _ => a.to_json() == b.to_json(),
                })
            }
            Func::And | Func::Or => {
                let Some(items) = args.filter(|s| !s.is_empty()) else {
                    self.bad(c, "a list of conditions", n.span);
                    return None;
                };
                let decisive = c.func == Func::Or;
                let mut unknown = false;
                for item in items {
                    match self.cond_value(item, d) {
                        Some(v) if v == decisive => return Some(decisive),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                (!unknown).then_some(!decisive)
            }
            Func::Not => {
                let Some([x]) = args.and_then(|s| <&[Node; 1]>::try_from(s).ok()) else {
                    self.bad(c, "a list of one condition", n.span);
                    return None;
                };
                self.cond_value(x, d).map(|v| !v)
            }
            Func::Condition => {
                let name = c.arg.as_str()?.to_string();
                self.condition(&name, c.arg.span)
            }
            _ => self.value(n, d)?.as_bool(),
        }
    }

    fn bad(&mut self, c: &Call<'_>, expected: &str, at: Span) {
        self.diagnose(
            codes::EVALUATION,
            format!("`{}` expects {expected}", c.name),
            at,
        );
    }
}
