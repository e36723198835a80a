//! The evaluator: module instances, memoized locals/resources/outputs, emission.
//!
//! Everything is evaluated lazily and memoized per module instance, so each local, resource
//! instance, output and module call is evaluated at most once, in any order, and cycles are
//! detected (a value being evaluated that is needed again evaluates to unknown).

mod access;
mod body;
mod expr;
mod files;
mod instances;
mod module_call;
mod ops;
mod resources;
mod template;
mod template_json;
mod traversal;
mod types;
mod variables;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use rayon::prelude::*;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use trustmap_source::{Diagnostic, FileId, SourceFile, Span, Via};
use trustmap_syntax::Node;

use crate::config::{ModuleConfig, span_in};
use crate::discovery::ModuleSet;
use crate::limits::{MAX_MEMO_DEPTH, WORK_BUDGET};
use crate::manifest::{self, Manifest, Manifests};
use crate::offsets;
use crate::parse::{self, FileKind, ParsedFile, ParsedVars};
use crate::plan::{self, Plan};
use crate::scope::{InstId, Scope};
use crate::value::count_unknown;
use crate::{Mode, TfOptions, TfOutput, TfResource, tfjson};

use self::module_call::CallState;
use self::resources::ResourceState;

/// A memoized evaluation: absent (not started), in progress, or done.
pub(crate) enum Memo<T> {
    Pending,
    Done(T),
}

/// The value of an input variable in one module instance.
pub(crate) struct InputValue {
    /// Spanned where the value was written (tfvars, default, module-call argument).
    pub(crate) value: Node,
    /// Hops after the `Variable` hop (the module call, a `--var` note).
    pub(crate) hops: Vec<Via>,
}

/// One instance of a module: the root, or one `count`/`for_each` instance of a module call.
pub(crate) struct Instance<'a> {
    pub(crate) module: &'a ModuleConfig<'a>,
    /// Address prefix: `""` or `module.a["x"].module.b.`.
    pub(crate) prefix: String,
    /// Module calls leading here, innermost first.
    pub(crate) call_via: Vec<Via>,
    pub(crate) module_depth: usize,
    /// Directory of the root module this instance belongs to.
    pub(crate) root_dir: String,
    /// Module call names from the root joined by `.` (`""` for the root): the key of this
    /// module in `.terraform/modules/modules.json`.
    pub(crate) module_key: String,
    pub(crate) inputs: HashMap<String, InputValue>,
    pub(crate) locals: HashMap<&'a str, Memo<Node>>,
    pub(crate) outputs: HashMap<&'a str, Memo<Node>>,
    pub(crate) resources: Vec<ResourceState>,
    pub(crate) calls: Vec<Option<Memo<Rc<CallState>>>>,
}

/// Which resource instance an address refers to.
#[derive(Clone, Copy)]
pub(crate) struct RefTarget {
    pub(crate) inst: InstId,
    pub(crate) res: usize,
    pub(crate) index: usize,
    pub(crate) mode: Mode,
}

pub(crate) struct Evaluator<'a> {
    pub(crate) set: &'a ModuleSet<'a>,
    /// Auto-loaded variable files by directory, in precedence order.
    pub(crate) auto_vars: HashMap<String, Vec<&'a ParsedVars>>,
    pub(crate) var_files: &'a [ParsedVars],
    /// Where `terraform init` downloaded non-local modules, by root module.
    pub(crate) manifests: &'a Manifests,
    pub(crate) cli_vars: &'a [(String, String)],
    pub(crate) files: HashMap<FileId, &'a SourceFile>,
    pub(crate) instances: Vec<Instance<'a>>,
    pub(crate) registry: HashMap<String, RefTarget>,
    pub(crate) diags: Vec<Diagnostic>,
    depth: usize,
    memo_depth: usize,
    work: u64,
    budget_reported: bool,
    reported_functions: HashSet<(FileId, String)>,
    /// Files of the scan that `file()` and `templatefile()` may read, by relative path.
    pub(crate) scan_files: HashMap<&'a str, &'a SourceFile>,
}

/// Entry point: parse, discover, evaluate every root, emit resources.
pub(crate) fn run(files: &[Arc<SourceFile>], opts: &TfOptions) -> TfOutput {
    let mut diags = Vec::new();
    let mut parsed = Vec::new();
    let mut auto_vars = Vec::new();
    let mut manifests = Manifests::default();
    let mut plans = Vec::new();
    // Parsing is the expensive, independent part: one file per task, results in input order.
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>)> = files.par_iter().map(parse_one).collect();
    for (p, d) in results {
        diags.extend(d);
        match p {
            Some(Parsed::Tf(pf)) => parsed.push(pf),
            Some(Parsed::Vars(v)) => auto_vars.push(v),
            Some(Parsed::Manifest(m)) => manifests.add(m),
            Some(Parsed::Plan(p)) => plans.push(p),
            None => {}
        }
    }
    let var_files: Vec<ParsedVars> = opts
        .var_files
        .iter()
        .filter_map(|f| parse::parse_vars(f, &mut diags))
        .collect();
    let set = ModuleSet::build(&parsed);
    let mut ev = Evaluator::new(&set, &auto_vars, &var_files, &opts.vars, &manifests);
    // The Terraform files themselves are readable too (`file("main.tf")`).
    ev.scan_files = files
        .iter()
        .chain(&opts.files)
        .map(|f| (f.path.as_str(), &**f))
        .collect();
    let mut resources = Vec::new();
    let mut resource_roots = Vec::new();
    for root in &set.roots {
        if let Some(module) = set.modules.get(root) {
            let id = ev.new_root(module);
            ev.emit(id, &mut resources);
            resource_roots.resize(resources.len(), root.clone());
        }
    }
    // Spans computed in HCL synthesized from `.tf.json` files move back into the JSON.
    let maps: offsets::Maps<'_> = parsed
        .iter()
        .filter_map(|p| Some((p.file.id, p.offsets.as_ref()?)))
        .collect();
    let mut eval_diags = ev.diags;
    offsets::remap_output(&maps, &mut resources, &mut eval_diags);
    diags.extend(eval_diags);
    plan::merge(plans, &mut resources, &mut resource_roots);
    let unknown_values = resources.iter().map(|r| count_unknown(&r.body)).sum();
    TfOutput {
        resources,
        diagnostics: dedup_diagnostics(diags),
        unknown_values,
    }
}

enum Parsed {
    Tf(ParsedFile),
    Vars(ParsedVars),
    Manifest(Manifest),
    Plan(Plan),
}

fn parse_one(file: &Arc<SourceFile>) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let parsed = match parse::file_kind(&file.path) {
        FileKind::Tf => parse::parse_hcl(file, &mut diags).map(|body| {
            Parsed::Tf(ParsedFile {
                file: Arc::clone(file),
                body,
                offsets: None,
            })
        }),
        FileKind::TfJson => tfjson::translate(file, &mut diags).map(|t| {
            Parsed::Tf(ParsedFile {
                file: t.file,
                body: t.body,
                offsets: Some(t.offsets),
            })
        }),
        FileKind::ModulesManifest => manifest::parse(file, &mut diags).map(Parsed::Manifest),
        FileKind::Json => plan::read(file, &mut diags).map(Parsed::Plan),
        FileKind::Tfvars | FileKind::TfvarsJson if is_auto_loaded(&file.path) => {
            parse::parse_vars(file, &mut diags).map(Parsed::Vars)
        }
        _ => None,
    };
    (parsed, diags)
}

/// `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars`, `*.auto.tfvars.json`.
fn is_auto_loaded(path: &str) -> bool {
    let name = parse::file_name(path);
    matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// Precedence rank of an auto-loaded file (lower applies first).
fn auto_rank(path: &str) -> (u8, &str) {
    let name = parse::file_name(path);
    match name {
        "terraform.tfvars" => (0, name),
        "terraform.tfvars.json" => (1, name),
        _ => (2, name),
    }
}

fn dedup_diagnostics(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diags
        .into_iter()
        .filter(|d| seen.insert((d.code, d.message.clone(), d.path.clone(), d.span)))
        .collect()
}

impl<'a> Evaluator<'a> {
    fn new(
        set: &'a ModuleSet<'a>,
        auto: &'a [ParsedVars],
        var_files: &'a [ParsedVars],
        cli_vars: &'a [(String, String)],
        manifests: &'a Manifests,
    ) -> Self {
        let mut files: HashMap<FileId, &'a SourceFile> = HashMap::new();
        for m in set.modules.values() {
            for r in &m.resources {
                files.insert(r.file.id, r.file);
            }
            for v in m.variables.values() {
                files.insert(v.file.id, v.file);
            }
            for l in m.locals.values() {
                files.insert(l.file.id, l.file);
            }
            for o in m.outputs.values() {
                files.insert(o.file.id, o.file);
            }
            for c in &m.calls {
                files.insert(c.file.id, c.file);
            }
        }
        let mut auto_vars: HashMap<String, Vec<&'a ParsedVars>> = HashMap::new();
        for v in auto.iter().chain(var_files) {
            files.insert(v.file.id, &v.file);
        }
        for v in auto {
            auto_vars
                .entry(parse::dir_of(&v.file.path).to_string())
                .or_default()
                .push(v);
        }
        for list in auto_vars.values_mut() {
            list.sort_by(|a, b| auto_rank(&a.file.path).cmp(&auto_rank(&b.file.path)));
        }
        Evaluator {
            set,
            auto_vars,
            var_files,
            manifests,
            cli_vars,
            files,
            instances: Vec::new(),
            registry: HashMap::new(),
            diags: Vec::new(),
            depth: 0,
            memo_depth: 0,
            work: 0,
            budget_reported: false,
            reported_functions: HashSet::new(),
            scan_files: HashMap::new(),
        }
    }

    /// Adds a module instance to the arena (inputs filled in by the caller).
    pub(crate) fn push_instance(
        &mut self,
        module: &'a ModuleConfig<'a>,
        prefix: String,
        call_via: Vec<Via>,
        module_depth: usize,
        root_dir: String,
    ) -> InstId {
        let id = self.instances.len();
        self.instances.push(Instance {
            module,
            prefix,
            call_via,
            module_depth,
            root_dir,
            module_key: String::new(),
            inputs: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            resources: (0..module.resources.len())
                .map(|_| ResourceState::default())
                .collect(),
            calls: (0..module.calls.len()).map(|_| None).collect(),
        });
        id
    }

    fn new_root(&mut self, module: &'a ModuleConfig<'a>) -> InstId {
        let id = self.push_instance(module, String::new(), Vec::new(), 0, module.dir.clone());
        let inputs = self.root_inputs(id);
        self.instances[id].inputs = inputs;
        id
    }

    /// Emits every resource instance of `inst` and, recursively, of its module calls.
    fn emit(&mut self, inst: InstId, out: &mut Vec<TfResource>) {
        let module = self.instances[inst].module;
        for (ridx, decl) in module.resources.iter().enumerate() {
            let Some(exp) = self.resource_expansion(inst, ridx) else {
                continue;
            };
            for (i, spec) in exp.instances.iter().enumerate() {
                let body = self.resource_body(inst, ridx, i);
                out.push(TfResource {
                    mode: decl.mode,
                    rtype: decl.rtype.to_string(),
                    name: decl.name.to_string(),
                    address: self.resource_address(inst, ridx, &spec.key_text),
                    body,
                    span: span_in(decl.file, decl.block.span(), decl.file.span(0, 0)),
                    via: self.instances[inst].call_via.clone(),
                });
            }
        }
        for cidx in 0..module.calls.len() {
            if let Some(state) = self.call_children(inst, cidx)
                && let CallState::Expanded { children, .. } = &*state
            {
                for &child in children {
                    self.emit(child, out);
                }
            }
        }
    }

    /// Span of an expression in the scope's file.
    pub(crate) fn span_of(scope: &Scope<'_>, expr: &Expression) -> Span {
        span_in(scope.file, expr.span(), scope.file.span(0, 0))
    }

    /// Runs `f` as a new memoized evaluation: the expression depth starts again from zero,
    /// and the number of nested memoized evaluations is bounded. `None` when too deep.
    pub(crate) fn memo_scope<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.memo_depth >= MAX_MEMO_DEPTH {
            return None;
        }
        let saved = self.depth;
        self.depth = 0;
        self.memo_depth += 1;
        let out = f(self);
        self.memo_depth -= 1;
        self.depth = saved;
        Some(out)
    }

    /// Charges work units; `false` once the budget of this evaluation is spent.
    pub(crate) fn charge(&mut self, units: u64) -> bool {
        self.work = self.work.saturating_add(units);
        if self.work <= WORK_BUDGET {
            return true;
        }
        if !self.budget_reported {
            self.budget_reported = true;
            self.diags.push(Diagnostic::new(
                "evaluation",
                "Terraform evaluation budget exhausted (the configuration expands to too many values); \
                 the remaining values are unknown",
            ));
        }
        false
    }

    /// Pushes a diagnostic located at `span`.
    pub(crate) fn diag(&mut self, code: &'static str, message: impl Into<String>, span: Span) {
        let d = Diagnostic::new(code, message);
        let d = match self.files.get(&span.file) {
            Some(f) => d.at(f, span),
            None => d,
        };
        self.diags.push(d);
    }

    /// Reports an unsupported function once per (file, name).
    pub(crate) fn report_function(&mut self, name: &str, span: Span) {
        if self
            .reported_functions
            .insert((span.file, name.to_string()))
        {
            self.diag(
                "evaluation",
                format!(
                    "function `{name}` is not supported by the evaluator; its result is unknown"
                ),
                span,
            );
        }
    }

    /// Evaluates an expression; an error becomes an `evaluation` diagnostic and an unknown.
    pub(crate) fn eval_or_unknown(&mut self, scope: &mut Scope<'a>, expr: &Expression) -> Node {
        match self.eval(scope, expr) {
            Ok(n) => n,
            Err(e) => {
                self.diag("evaluation", e.message, e.span);
                Node::unknown(Self::span_of(scope, expr))
            }
        }
    }
}
