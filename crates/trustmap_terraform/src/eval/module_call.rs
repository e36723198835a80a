//! `module` blocks: resolving local sources and instantiating child modules.

use std::rc::Rc;

use hcl_edit::Span as _;
use trustmap_source::{Via, ViaKind};

use super::instances::Expansion;
use super::{Evaluator, Memo};
use crate::config::span_in;
use crate::discovery::{Source, resolve_source};
use crate::limits::{COST_MODULE_INSTANCE, MAX_MODULE_DEPTH};
use crate::scope::{InstId, Scope};

/// What a module call produced.
pub(crate) enum CallState {
    /// Remote or missing source, or too deep: no instances (diagnosed once).
    Unavailable,
    Expanded {
        expansion: Rc<Expansion>,
        /// One child instance per expansion instance, in the same order.
        children: Vec<InstId>,
    },
}

impl<'a> Evaluator<'a> {
    /// The child instances of call `cidx` of `inst` (memoized). `None` while being created.
    pub(crate) fn call_children(&mut self, inst: InstId, cidx: usize) -> Option<Rc<CallState>> {
        match self.instances[inst].calls.get(cidx) {
            Some(Some(Memo::Done(s))) => return Some(Rc::clone(s)),
            Some(Some(Memo::Pending)) | None => return None,
            Some(None) => {}
        }
        self.instances[inst].calls[cidx] = Some(Memo::Pending);
        let state = Rc::new(self.instantiate_call(inst, cidx));
        self.instances[inst].calls[cidx] = Some(Memo::Done(Rc::clone(&state)));
        Some(state)
    }

    fn instantiate_call(&mut self, inst: InstId, cidx: usize) -> CallState {
        let module = self.instances[inst].module;
        let call = &module.calls[cidx];
        let block_span = span_in(call.file, call.block.span(), call.file.span(0, 0));
        let Some(source) = call.source else {
            self.diag(
                "evaluation",
                format!("module \"{}\": source must be a literal string", call.name),
                block_span,
            );
            return CallState::Unavailable;
        };
        let key = match self.instances[inst].module_key.as_str() {
            "" => call.name.to_string(),
            parent => format!("{parent}.{}", call.name),
        };
        let root_dir = self.instances[inst].root_dir.clone();
        let resolved = resolve_source(&module.dir, source);
        let downloaded = resolved == Source::Remote;
        let target = match resolved {
            Source::Local(dir) => dir,
            Source::Remote => match self.manifests.dir(&root_dir, &key) {
                Some(dir) => dir.to_string(),
                None => {
                    let why = if self.manifests.has(&root_dir) {
                        format!(
                            "module source {source:?} is not listed in .terraform/modules/modules.json \
                             (run `terraform init` again); its resources are not scanned"
                        )
                    } else {
                        format!(
                            "module source {source:?} is not local and was not downloaded \
                             (no .terraform/modules/modules.json in the scan); its resources are not scanned"
                        )
                    };
                    self.diag("unsupported", why, block_span);
                    return CallState::Unavailable;
                }
            },
            Source::OutsideScan => {
                self.diag(
                    "evaluation",
                    format!("module source {source:?} is outside the scanned directory; its resources are not scanned"),
                    block_span,
                );
                return CallState::Unavailable;
            }
        };
        let set = self.set;
        let Some(child_module) = set.modules.get(&target) else {
            self.diag(
                "evaluation",
                if downloaded {
                    format!(
                        "module \"{}\": source {source:?} was downloaded to {target}, which has no Terraform files in the scan",
                        call.name
                    )
                } else {
                    format!(
                        "module \"{}\": local source {source:?} has no Terraform files in the scan",
                        call.name
                    )
                },
                block_span,
            );
            return CallState::Unavailable;
        };
        let depth = self.instances[inst].module_depth + 1;
        if depth > MAX_MODULE_DEPTH {
            self.diag(
                "evaluation",
                format!(
                    "module \"{}\": modules nested more than {MAX_MODULE_DEPTH} deep (recursive module?); not scanned",
                    call.name
                ),
                block_span,
            );
            return CallState::Unavailable;
        }
        let what = format!("{}module.{}", self.instances[inst].prefix, call.name);
        let expansion = self
            .memo_scope(|ev| {
                let mut sc = Scope::new(inst, call.file);
                ev.expand(&mut sc, &call.block.body, &what, block_span)
            })
            .unwrap_or_else(Expansion::single);
        let hop = Via {
            kind: ViaKind::ModuleCall {
                name: call.name.to_string(),
            },
            span: block_span,
        };
        let mut call_via = vec![hop];
        call_via.extend(self.instances[inst].call_via.iter().cloned());
        let mut children = Vec::with_capacity(expansion.instances.len());
        for spec in &expansion.instances {
            if !self.charge(COST_MODULE_INSTANCE) {
                break;
            }
            let prefix = format!("{what}{}.", spec.key_text);
            let child = self.push_instance(
                child_module,
                prefix,
                call_via.clone(),
                depth,
                root_dir.clone(),
            );
            self.instances[child].module_key.clone_from(&key);
            let inputs = self.module_inputs(inst, cidx, child, &spec.bindings);
            self.instances[child].inputs = inputs;
            children.push(child);
        }
        CallState::Expanded {
            expansion: Rc::new(expansion),
            children,
        }
    }
}
