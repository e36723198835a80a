//! Resources and data sources: instance expansion, bodies, references between them.

use std::rc::Rc;

use hcl_edit::Span as _;
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::instances::{Expansion, ExpansionKind};
use super::{Evaluator, Memo, RefTarget};
use crate::Mode;
use crate::config::span_in;
use crate::limits::COST_RESOURCE_INSTANCE;
use crate::policy_document;
use crate::scope::{InstId, Scope};
use crate::value::{entry, map, reference, seq, to_text};

/// Memoized state of one resource declaration in one module instance.
#[derive(Default)]
pub(crate) struct ResourceState {
    pub(crate) expansion: Option<Memo<Rc<Expansion>>>,
    /// One body per instance of the expansion.
    pub(crate) bodies: Vec<Option<Memo<Node>>>,
}

impl<'a> Evaluator<'a> {
    /// Terraform address of a resource instance: `module.m[0].aws_x.y["k"]`.
    pub(crate) fn resource_address(&self, inst: InstId, ridx: usize, key_text: &str) -> String {
        let i = &self.instances[inst];
        let decl = &i.module.resources[ridx];
        let mut s = i.prefix.clone();
        if decl.mode == Mode::Data {
            s.push_str("data.");
        }
        s.push_str(decl.rtype);
        s.push('.');
        s.push_str(decl.name);
        s.push_str(key_text);
        s
    }

    fn resource_span(&self, inst: InstId, ridx: usize) -> Span {
        let decl = &self.instances[inst].module.resources[ridx];
        span_in(decl.file, decl.block.span(), decl.file.span(0, 0))
    }

    /// The instances of a resource (`count`/`for_each`), memoized. `None` while it is being
    /// computed (a reference cycle through `count`/`for_each`).
    pub(crate) fn resource_expansion(
        &mut self,
        inst: InstId,
        ridx: usize,
    ) -> Option<Rc<Expansion>> {
        match &self.instances[inst].resources[ridx].expansion {
            Some(Memo::Done(e)) => return Some(Rc::clone(e)),
            Some(Memo::Pending) => return None,
            None => {}
        }
        self.instances[inst].resources[ridx].expansion = Some(Memo::Pending);
        let module = self.instances[inst].module;
        let decl = &module.resources[ridx];
        let what = self.resource_address(inst, ridx, "");
        let block_span = self.resource_span(inst, ridx);
        let exp = self
            .memo_scope(|ev| {
                let mut sc = Scope::new(inst, decl.file);
                ev.expand(&mut sc, &decl.block.body, &what, block_span)
            })
            .unwrap_or_else(Expansion::single);
        let n = exp.instances.len() as u64;
        let exp = if n > 1 && !self.charge(COST_RESOURCE_INSTANCE * n) {
            Expansion::single()
        } else {
            exp
        };
        let exp = Rc::new(exp);
        for (index, spec) in exp.instances.iter().enumerate() {
            let address = format!("{what}{}", spec.key_text);
            self.registry.insert(
                address,
                RefTarget {
                    inst,
                    res: ridx,
                    index,
                    mode: decl.mode,
                },
            );
        }
        let state = &mut self.instances[inst].resources[ridx];
        state.bodies = (0..exp.instances.len()).map(|_| None).collect();
        state.expansion = Some(Memo::Done(Rc::clone(&exp)));
        Some(exp)
    }

    /// Evaluates the body of instance `i` if not done yet. `false` if it is being evaluated.
    fn ensure_resource_body(&mut self, inst: InstId, ridx: usize, i: usize) -> bool {
        let Some(exp) = self.resource_expansion(inst, ridx) else {
            return false;
        };
        match self.instances[inst].resources[ridx].bodies.get(i) {
            Some(Some(Memo::Done(_))) => return true,
            Some(Some(Memo::Pending)) | None => return false,
            Some(None) => {}
        }
        self.instances[inst].resources[ridx].bodies[i] = Some(Memo::Pending);
        let module = self.instances[inst].module;
        let decl = &module.resources[ridx];
        let block_span = self.resource_span(inst, ridx);
        let bindings = exp
            .instances
            .get(i)
            .map(|s| s.bindings.clone())
            .unwrap_or_default();
        let body = self
            .memo_scope(|ev| {
                let mut sc = Scope::with_bindings(inst, decl.file, bindings);
                ev.eval_block_body(&mut sc, &decl.block.body, block_span, true)
            })
            .unwrap_or_else(|| Node::unknown(block_span));
        let body = if decl.mode == Mode::Data && decl.rtype == "aws_iam_policy_document" {
            policy_document::with_json(body, block_span)
        } else {
            body
        };
        self.instances[inst].resources[ridx].bodies[i] = Some(Memo::Done(body));
        true
    }

    /// The evaluated body of instance `i` of a resource.
    pub(crate) fn resource_body(&mut self, inst: InstId, ridx: usize, i: usize) -> Node {
        if self.ensure_resource_body(inst, ridx, i)
            && let Some(Some(Memo::Done(b))) = self.instances[inst].resources[ridx].bodies.get(i)
        {
            return b.clone();
        }
        Node::unknown(self.resource_span(inst, ridx))
    }

    /// The configured value of attribute `name` of the resource instance at `address`:
    /// `None` if the address is not known, `Some((mode, None))` if it is not configured.
    pub(crate) fn configured_attr(
        &mut self,
        address: &str,
        name: &str,
    ) -> Option<(Mode, Option<Node>)> {
        let t = *self.registry.get(address)?;
        if !self.ensure_resource_body(t.inst, t.res, t.index) {
            return Some((t.mode, None));
        }
        let v = match self.instances[t.inst].resources[t.res].bodies.get(t.index) {
            Some(Some(Memo::Done(b))) => b.get(name).cloned(),
            _ => None,
        };
        if let Some(v) = &v {
            self.charge_copy(v);
        }
        Some((t.mode, v))
    }

    /// The value of a reference to a whole resource: one object reference, a list of them
    /// (`count`) or a map of them (`for_each`).
    pub(crate) fn resource_value(&mut self, inst: InstId, ridx: usize, span: Span) -> Node {
        let Some(exp) = self.resource_expansion(inst, ridx) else {
            return Node::unknown(span);
        };
        let base = self.resource_address(inst, ridx, "");
        match exp.kind {
            ExpansionKind::Single | ExpansionKind::Unknown => reference(base, "", span),
            ExpansionKind::Count => seq(
                exp.instances
                    .iter()
                    .map(|s| reference(format!("{base}{}", s.key_text), "", span))
                    .collect(),
                span,
            ),
            ExpansionKind::ForEach => map(
                exp.instances
                    .iter()
                    .map(|s| {
                        let key = s
                            .key
                            .as_ref()
                            .and_then(|k| to_text(k).ok().flatten())
                            .unwrap_or_default();
                        entry(
                            key,
                            span,
                            reference(format!("{base}{}", s.key_text), "", span),
                        )
                    })
                    .collect(),
                span,
            ),
        }
    }
}
