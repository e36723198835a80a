//! Where an expression is evaluated: which module instance, which file, which local names.

use trustmap_source::SourceFile;
use trustmap_syntax::Node;

/// Index of a module instance in the evaluator's arena.
pub(crate) type InstId = usize;

/// Evaluation context of one expression.
pub(crate) struct Scope<'a> {
    /// Module instance whose `var.`, `local.`, resources and module calls are visible.
    pub(crate) inst: InstId,
    /// File the expression is written in (its spans point into it).
    pub(crate) file: &'a SourceFile,
    /// Names bound by `count`, `for_each`, `for` expressions, `dynamic` iterators and template
    /// `for` directives, innermost last.
    bindings: Vec<Binding>,
    /// A `templatefile()` template: only its bindings are in scope (no `var.`, `local.`, …).
    pub(crate) isolated: bool,
}

#[derive(Clone)]
pub(crate) struct Binding {
    pub(crate) name: String,
    pub(crate) value: Node,
    /// Terraform-level references (`count`, `each`) get use-site spans and a via hop;
    /// expression-local names (`for` variables, iterators) keep their values' own spans.
    pub(crate) is_meta: bool,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(inst: InstId, file: &'a SourceFile) -> Self {
        Self {
            inst,
            file,
            bindings: Vec::new(),
            isolated: false,
        }
    }

    pub(crate) fn with_bindings(
        inst: InstId,
        file: &'a SourceFile,
        bindings: Vec<Binding>,
    ) -> Self {
        Self {
            inst,
            file,
            bindings,
            isolated: false,
        }
    }

    /// The scope of a `templatefile()` template: `bindings` (its `vars`) and nothing else.
    pub(crate) fn template(inst: InstId, file: &'a SourceFile, bindings: Vec<Binding>) -> Self {
        Self {
            inst,
            file,
            bindings,
            isolated: true,
        }
    }

    pub(crate) fn bind(&mut self, name: impl Into<String>, value: Node) {
        self.bindings.push(Binding {
            name: name.into(),
            value,
            is_meta: false,
        });
    }

    pub(crate) fn unbind(&mut self, n: usize) {
        let keep = self.bindings.len().saturating_sub(n);
        self.bindings.truncate(keep);
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<&Binding> {
        self.bindings.iter().rev().find(|b| b.name == name)
    }
}

impl Binding {
    pub(crate) fn meta(name: impl Into<String>, value: Node) -> Self {
        Self {
            name: name.into(),
            value,
            is_meta: true,
        }
    }

    /// An expression-local name (it keeps its value's own spans).
    pub(crate) fn local(name: impl Into<String>, value: Node) -> Self {
        Self {
            name: name.into(),
            value,
            is_meta: false,
        }
    }
}
