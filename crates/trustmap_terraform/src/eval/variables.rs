//! Input variables: root values from tfvars and options, module inputs from call arguments.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::structure::Attribute;
use trustmap_source::{SourceFile, Via, ViaKind};
use trustmap_syntax::Node;

use super::{Evaluator, InputValue};
use crate::config::{VariableDecl, span_in};
use crate::parse::{ParsedVars, VarsContent};
use crate::scope::{Binding, InstId, Scope};
use crate::value::respan;

/// Arguments of a `module` block that are not input variables.
const CALL_META: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Where a root variable's value was assigned.
enum Assigned<'a> {
    Hcl(&'a SourceFile, &'a Attribute),
    Json(&'a Node),
    Cli(&'a str),
}

impl<'a> Evaluator<'a> {
    /// Values of the root module's variables, by Terraform's precedence: default <
    /// `terraform.tfvars` < `terraform.tfvars.json` < `*.auto.tfvars` (lexical) <
    /// `--var-file` (in order) < `--var`.
    pub(crate) fn root_inputs(&mut self, inst: InstId) -> HashMap<String, InputValue> {
        let module = self.instances[inst].module;
        let mut files: Vec<&'a ParsedVars> =
            self.auto_vars.get(&module.dir).cloned().unwrap_or_default();
        files.extend(self.var_files.iter());
        let mut assigned: HashMap<&'a str, Assigned<'a>> = HashMap::new();
        for pv in files {
            match &pv.content {
                VarsContent::Hcl(body) => {
                    for attr in body.attributes() {
                        assigned.insert(attr.key.as_str(), Assigned::Hcl(&pv.file, attr));
                    }
                }
                VarsContent::Json(node) => {
                    for e in node.as_map().unwrap_or(&[]) {
                        assigned.insert(e.key.as_str(), Assigned::Json(&e.value));
                    }
                }
            }
        }
        for (name, raw) in self.cli_vars {
            assigned.insert(name.as_str(), Assigned::Cli(raw.as_str()));
        }
        let mut inputs = HashMap::with_capacity(module.variables.len());
        for (&name, decl) in &module.variables {
            let decl_span = span_in(decl.file, decl.block.span(), decl.file.span(0, 0));
            let (value, hops) = match assigned.get(name) {
                Some(Assigned::Hcl(file, attr)) => {
                    let v = self
                        .memo_scope(|ev| {
                            let mut sc = Scope::new(inst, file);
                            ev.eval_or_unknown(&mut sc, &attr.value)
                        })
                        .unwrap_or_else(|| Node::unknown(decl_span));
                    (v, Vec::new())
                }
                Some(Assigned::Json(node)) => ((*node).clone(), Vec::new()),
                Some(Assigned::Cli(raw)) => {
                    let note = Via {
                        kind: ViaKind::Other {
                            note: format!("set by --var {name}=…"),
                        },
                        span: decl_span,
                    };
                    (self.cli_value(inst, decl, raw), vec![note])
                }
                None => (self.default_value(inst, decl), Vec::new()),
            };
            let value = self.finish_input(inst, decl, value);
            inputs.insert(name.to_string(), InputValue { value, hops });
        }
        inputs
    }

    /// Values of a child module's variables from the call's arguments (evaluated in the
    /// caller's scope, with the call instance's `count`/`each`), else their defaults.
    pub(crate) fn module_inputs(
        &mut self,
        caller: InstId,
        cidx: usize,
        child: InstId,
        bindings: &[Binding],
    ) -> HashMap<String, InputValue> {
        let caller_module = self.instances[caller].module;
        let call = &caller_module.calls[cidx];
        let child_module = self.instances[child].module;
        let block_span = span_in(call.file, call.block.span(), call.file.span(0, 0));
        let hop = Via {
            kind: ViaKind::ModuleCall {
                name: call.name.to_string(),
            },
            span: block_span,
        };
        let mut args: HashMap<&str, Node> = HashMap::new();
        self.memo_scope(|ev| {
            let mut sc = Scope::with_bindings(caller, call.file, bindings.to_vec());
            for a in call.block.body.attributes() {
                let key = a.key.as_str();
                if CALL_META.contains(&key) || !child_module.variables.contains_key(key) {
                    continue;
                }
                let v = ev.eval_or_unknown(&mut sc, &a.value);
                args.insert(key, v);
            }
        });
        let mut inputs = HashMap::with_capacity(child_module.variables.len());
        for (&name, decl) in &child_module.variables {
            let (value, hops) = match args.remove(name) {
                Some(v) => (v, vec![hop.clone()]),
                None => (self.default_value(child, decl), Vec::new()),
            };
            let value = self.finish_input(child, decl, value);
            inputs.insert(name.to_string(), InputValue { value, hops });
        }
        inputs
    }

    /// The variable's default, or unknown when it has none (a required variable with no value).
    fn default_value(&mut self, inst: InstId, decl: &VariableDecl<'a>) -> Node {
        let decl_span = span_in(decl.file, decl.block.span(), decl.file.span(0, 0));
        match decl.default {
            Some(attr) => self
                .memo_scope(|ev| {
                    let mut sc = Scope::new(inst, decl.file);
                    ev.eval_or_unknown(&mut sc, &attr.value)
                })
                .unwrap_or_else(|| Node::unknown(decl_span)),
            None => Node::unknown(decl_span),
        }
    }

    /// `nullable = false` and the declared `type`.
    fn finish_input(&mut self, inst: InstId, decl: &VariableDecl<'a>, value: Node) -> Node {
        let value = if value.is_null() && decl.non_nullable && decl.default.is_some() {
            self.default_value(inst, decl)
        } else {
            value
        };
        let value = match decl.ty {
            Some(ty) => {
                let mut sc = Scope::new(inst, decl.file);
                self.convert_type(&mut sc, value, ty)
            }
            None => value,
        };
        self.bounded(value, "variable value")
    }

    /// A `--var` value: an HCL expression when it parses to a known value, else the raw
    /// string (so `--var region=us-east-1` is the string, `--var 'ids=["a"]'` a list).
    /// Every node is spanned at the variable's declaration.
    fn cli_value(&mut self, inst: InstId, decl: &VariableDecl<'a>, raw: &str) -> Node {
        let decl_span = span_in(decl.file, decl.block.span(), decl.file.span(0, 0));
        if let Ok(expr) = hcl_edit::parser::parse_expr(raw) {
            let mut sc = Scope::new(inst, decl.file);
            if let Ok(v) = self.eval(&mut sc, &expr)
                && !v.contains_unknown()
            {
                return respan(v, decl_span);
            }
        }
        Node::string(raw, decl_span)
    }
}
