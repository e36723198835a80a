//! References (`var.`, `local.`, `module.`, `data.`, resources, `each.`/`count.`, `path.`)
//! and attribute/index/splat access.

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::{Decorated, Span as _};
use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::Node;

use super::module_call::CallState;
use super::{Evaluator, Memo};
use crate::Mode;
use crate::config::span_in;
use crate::discovery::relative_path;
use crate::eval::instances::ExpansionKind;
use crate::limits::{COST_NODE, MAX_VALUE_DEPTH, MAX_VALUE_NODES};
use crate::scope::{InstId, Scope};
use crate::value::{
    EvalError, EvalResult, entry, index_text, map, prepend_vias, seq, size_and_depth, to_text,
};

type Op = Decorated<TraversalOperator>;

/// A resolved reference root: its value and how many traversal operators it consumed.
struct Resolved {
    value: Node,
    consumed: usize,
    /// The hop recorded on the result (pointing at where the value was written).
    hop: Option<ViaKind>,
    /// Further hops after that one (module call, `--var` note).
    extra: Vec<Via>,
    /// Record the hop even when the value is unknown (an unset variable is worth naming).
    hop_on_unknown: bool,
}

impl Resolved {
    fn plain(value: Node, consumed: usize) -> Self {
        Self {
            value,
            consumed,
            hop: None,
            extra: Vec::new(),
            hop_on_unknown: false,
        }
    }
}

fn attr_name(ops: &[Op], i: usize) -> Option<&str> {
    match ops.get(i).map(Decorated::value) {
        Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
        _ => None,
    }
}

impl<'a> Evaluator<'a> {
    pub(crate) fn eval_traversal(
        &mut self,
        scope: &mut Scope<'a>,
        t: &Traversal,
        span: Span,
    ) -> EvalResult {
        if let Expression::Variable(v) = &t.expr
            && let Some(r) = self.resolve_root(scope, v.as_str(), &t.operators, span)?
        {
            let rest = t.operators.get(r.consumed..).unwrap_or(&[]);
            let mut result = self.apply_ops(scope, r.value, rest, span)?;
            if let Some(kind) = r.hop
                && (r.hop_on_unknown || !result.is_unknown())
            {
                let mut hops = vec![Via {
                    kind,
                    span: result.span,
                }];
                hops.extend(r.extra);
                prepend_vias(&mut result, hops);
            }
            result.span = span;
            return Ok(result);
        }
        let base = self.eval(scope, &t.expr)?;
        self.apply_ops(scope, base, &t.operators, span)
    }

    fn resolve_root(
        &mut self,
        scope: &mut Scope<'a>,
        name: &str,
        ops: &[Op],
        span: Span,
    ) -> Result<Option<Resolved>, EvalError> {
        if let Some(b) = scope.lookup(name) {
            if !b.is_meta {
                return Ok(None);
            }
            let note =
                attr_name(ops, 0).map_or_else(|| name.to_string(), |a| format!("{name}.{a}"));
            let value = b.value.clone();
            self.charge_copy(&value);
            return Ok(Some(Resolved {
                value,
                consumed: 0,
                hop: Some(ViaKind::Other { note }),
                extra: Vec::new(),
                hop_on_unknown: false,
            }));
        }
        if scope.isolated {
            return Err(EvalError::new(
                format!("`{name}` is not available in a template file (only its variables are)"),
                span,
            ));
        }
        let inst = scope.inst;
        let module = self.instances[inst].module;
        let resolved = match name {
            "var" => {
                let var = attr_name(ops, 0)
                    .ok_or_else(|| EvalError::new("`var` needs a variable name", span))?;
                let Some(input) = self.instances[inst].inputs.get(var) else {
                    return Err(EvalError::new(
                        format!("reference to undeclared input variable `{var}`"),
                        span,
                    ));
                };
                let (value, extra) = (input.value.clone(), input.hops.clone());
                self.charge_copy(&value);
                Resolved {
                    value,
                    consumed: 1,
                    hop: Some(ViaKind::Variable {
                        name: var.to_string(),
                    }),
                    extra,
                    hop_on_unknown: true,
                }
            }
            "local" => {
                let local = attr_name(ops, 0)
                    .ok_or_else(|| EvalError::new("`local` needs a name", span))?;
                let value = self.read_local(inst, local, span)?;
                Resolved {
                    value,
                    consumed: 1,
                    hop: Some(ViaKind::Local {
                        name: local.to_string(),
                    }),
                    extra: Vec::new(),
                    hop_on_unknown: true,
                }
            }
            "module" => self.resolve_module(scope, ops, span)?,
            "data" => {
                let (Some(rtype), Some(rname)) = (attr_name(ops, 0), attr_name(ops, 1)) else {
                    return Err(EvalError::new("`data` needs a type and a name", span));
                };
                let Some(&ridx) = module.resource_index.get(&(Mode::Data, rtype, rname)) else {
                    return Err(EvalError::new(
                        format!("reference to undeclared data source `data.{rtype}.{rname}`"),
                        span,
                    ));
                };
                Resolved {
                    value: self.resource_value(inst, ridx, span),
                    consumed: 2,
                    hop: Some(ViaKind::Other {
                        note: format!("data.{rtype}.{rname}"),
                    }),
                    extra: Vec::new(),
                    hop_on_unknown: false,
                }
            }
            "path" => {
                let value = match attr_name(ops, 0) {
                    Some("module") => relative_path(&self.instances[inst].root_dir, &module.dir),
                    Some("root" | "cwd") => ".".to_string(),
                    _ => return Err(EvalError::new("`path` has module, root and cwd", span)),
                };
                Resolved::plain(Node::string(value, span), 1)
            }
            "terraform" => match attr_name(ops, 0) {
                Some("workspace") => Resolved::plain(Node::string("default", span), 1),
                _ => Resolved::plain(Node::unknown(span), ops.len()),
            },
            "count" | "each" | "self" => Resolved::plain(Node::unknown(span), ops.len()),
            rtype => {
                let Some(rname) = attr_name(ops, 0) else {
                    return Ok(None);
                };
                let Some(&ridx) = module.resource_index.get(&(Mode::Managed, rtype, rname)) else {
                    return Err(EvalError::new(
                        format!("reference to undeclared resource `{rtype}.{rname}`"),
                        span,
                    ));
                };
                Resolved {
                    value: self.resource_value(inst, ridx, span),
                    consumed: 1,
                    hop: Some(ViaKind::Other {
                        note: format!("{rtype}.{rname}"),
                    }),
                    extra: Vec::new(),
                    hop_on_unknown: false,
                }
            }
        };
        Ok(Some(resolved))
    }

    /// `module.NAME[KEY].OUTPUT` and friends.
    fn resolve_module(
        &mut self,
        scope: &mut Scope<'a>,
        ops: &[Op],
        span: Span,
    ) -> Result<Resolved, EvalError> {
        let call_name =
            attr_name(ops, 0).ok_or_else(|| EvalError::new("`module` needs a name", span))?;
        let inst = scope.inst;
        let Some(&cidx) = self.instances[inst].module.call_index.get(call_name) else {
            return Err(EvalError::new(
                format!("reference to undeclared module `{call_name}`"),
                span,
            ));
        };
        let hop = Some(ViaKind::Other {
            note: format!("module.{call_name}"),
        });
        let unknown = Resolved::plain(Node::unknown(span), ops.len());
        let Some(state) = self.call_children(inst, cidx) else {
            return Ok(unknown);
        };
        let CallState::Expanded {
            expansion,
            children,
        } = &*state
        else {
            return Ok(unknown);
        };
        let (value, consumed) = match expansion.kind {
            ExpansionKind::Unknown => return Ok(unknown),
            ExpansionKind::Single => {
                let Some(&child) = children.first() else {
                    return Ok(unknown);
                };
                match attr_name(ops, 1) {
                    Some(out) => (self.read_output(child, out, span)?, 2),
                    None => (self.module_object(child, span), 1),
                }
            }
            ExpansionKind::Count | ExpansionKind::ForEach => {
                let key = match ops.get(1).map(Decorated::value) {
                    Some(TraversalOperator::Index(e)) => Some(self.eval(scope, e)?),
                    Some(TraversalOperator::LegacyIndex(n)) => {
                        Some(Node::number(*n.value() as f64, span))
                    }
                    _ => None,
                };
                match key {
                    Some(k) if k.is_unknown() => return Ok(unknown),
                    Some(k) => {
                        let wanted = index_text(&k).or_else(|| to_text(&k).ok().flatten());
                        let pos = expansion
                            .instances
                            .iter()
                            .position(|s| Some(&s.key_text) == wanted.as_ref());
                        let Some(&child) = pos.and_then(|p| children.get(p)) else {
                            return Err(EvalError::new(
                                format!(
                                    "module `{call_name}` has no instance {}",
                                    wanted.unwrap_or_default()
                                ),
                                span,
                            ));
                        };
                        match attr_name(ops, 2) {
                            Some(out) => (self.read_output(child, out, span)?, 3),
                            None => (self.module_object(child, span), 2),
                        }
                    }
                    None => {
                        let mut items = Vec::new();
                        let mut entries = Vec::new();
                        for (spec, &child) in expansion.instances.iter().zip(children) {
                            let obj = self.module_object(child, span);
                            match &spec.key {
                                Some(k) if expansion.kind == ExpansionKind::ForEach => {
                                    entries.push(entry(
                                        to_text(k).ok().flatten().unwrap_or_default(),
                                        span,
                                        obj,
                                    ));
                                }
                                _ => items.push(obj),
                            }
                        }
                        let v = if expansion.kind == ExpansionKind::ForEach {
                            map(entries, span)
                        } else {
                            seq(items, span)
                        };
                        (v, 1)
                    }
                }
            }
        };
        Ok(Resolved {
            value,
            consumed,
            hop,
            extra: Vec::new(),
            hop_on_unknown: false,
        })
    }

    /// All outputs of a module instance as an object.
    fn module_object(&mut self, child: InstId, span: Span) -> Node {
        let module = self.instances[child].module;
        let mut entries = Vec::with_capacity(module.output_order.len());
        for &name in &module.output_order {
            let v = self
                .read_output(child, name, span)
                .unwrap_or_else(|_| Node::unknown(span));
            entries.push(entry(name, span, v));
        }
        map(entries, span)
    }

    /// The value of output `name` of module instance `child` (memoized).
    pub(crate) fn read_output(&mut self, child: InstId, name: &str, span: Span) -> EvalResult {
        let module = self.instances[child].module;
        let Some((&key, decl)) = module.outputs.get_key_value(name) else {
            return Err(EvalError::new(
                format!("module has no output `{name}`"),
                span,
            ));
        };
        match self.instances[child].outputs.get(key) {
            Some(Memo::Done(v)) => {
                let v = v.clone();
                self.charge_copy(&v);
                return Ok(v);
            }
            Some(Memo::Pending) => return Ok(Node::unknown(span)),
            None => {}
        }
        self.instances[child].outputs.insert(key, Memo::Pending);
        let block_span = span_in(decl.file, decl.block.span(), span);
        let value = match decl.block.body.get_attribute("value") {
            Some(a) => self
                .memo_scope(|ev| {
                    let mut sc = Scope::new(child, decl.file);
                    ev.eval_or_unknown(&mut sc, &a.value)
                })
                .unwrap_or_else(|| Node::unknown(block_span)),
            None => Node::unknown(block_span),
        };
        let value = self.bounded(value, &format!("output `{name}`"));
        self.instances[child]
            .outputs
            .insert(key, Memo::Done(value.clone()));
        Ok(value)
    }

    /// The value of `local.name` in `inst` (memoized; a cycle is unknown plus a diagnostic).
    pub(crate) fn read_local(&mut self, inst: InstId, name: &str, span: Span) -> EvalResult {
        let module = self.instances[inst].module;
        let Some((&key, decl)) = module.locals.get_key_value(name) else {
            return Err(EvalError::new(
                format!("reference to undeclared local value `{name}`"),
                span,
            ));
        };
        match self.instances[inst].locals.get(key) {
            Some(Memo::Done(v)) => {
                let v = v.clone();
                self.charge_copy(&v);
                return Ok(v);
            }
            Some(Memo::Pending) => {
                self.diag(
                    "evaluation",
                    format!("local value `{name}` refers to itself (cycle); it is unknown"),
                    span,
                );
                return Ok(Node::unknown(span));
            }
            None => {}
        }
        self.instances[inst].locals.insert(key, Memo::Pending);
        let attr_span = span_in(decl.file, decl.attr.span(), span);
        let value = self
            .memo_scope(|ev| {
                let mut sc = Scope::new(inst, decl.file);
                ev.eval_or_unknown(&mut sc, &decl.attr.value)
            })
            .unwrap_or_else(|| Node::unknown(attr_span));
        let value = self.bounded(value, &format!("local value `{name}`"));
        self.instances[inst]
            .locals
            .insert(key, Memo::Done(value.clone()));
        Ok(value)
    }

    /// Charges the work of copying a value.
    pub(crate) fn charge_copy(&mut self, v: &Node) -> bool {
        let (size, _) = size_and_depth(v);
        self.charge(COST_NODE.saturating_mul(size as u64))
    }

    /// Replaces a value that is too large or too deep to keep with unknown.
    pub(crate) fn bounded(&mut self, v: Node, what: &str) -> Node {
        let (size, depth) = size_and_depth(&v);
        if size > MAX_VALUE_NODES || depth > MAX_VALUE_DEPTH {
            self.diag(
                "evaluation",
                format!("{what} is too large or too deeply nested to evaluate; it is unknown"),
                v.span,
            );
            return Node::unknown(v.span);
        }
        v
    }
}
