//! Terraform JSON syntax (`.tf.json`), evaluated through an HCL text synthesized from it.
//!
//! The evaluator works on hcl-edit syntax trees, whose spans only a parse can set. So a
//! `.tf.json` file is translated into the HCL it stands for, following Terraform's JSON
//! syntax specification, and that text is parsed and evaluated like any `.tf` file:
//!
//! - top-level properties are block types; `resource`/`data` objects nest type and name
//!   labels, `variable`/`output`/`module` a name label; any level may be an array of objects;
//! - in resource and data bodies every property is an argument: JSON objects and arrays are
//!   object and tuple expressions (so a nested block written as an object is one map, and as
//!   an array of objects a list of maps — the shapes the adapters read as blocks), except
//!   `dynamic`, whose `content` is a block body again; the meta-arguments and blocks the
//!   evaluator leaves out anyway (`depends_on`, `provider`, `lifecycle`, `provisioner`,
//!   `connection`) and `//` comments are skipped;
//! - strings are templates (`"${var.x}-logs"`), except in literal places: a variable's
//!   `default` and `nullable`, a module's `source` and `version`; a variable's `type` is a
//!   string holding a type expression;
//! - `terraform`, `provider`, `moved`, `import`, `check` and `removed` are not evaluated
//!   (as for `.tf` files).
//!
//! Every copied token (strings, numbers, keys, brackets) is recorded in an [`OffsetMap`], and
//! the evaluator's output spans are mapped back into the JSON file after evaluation, so
//! findings point at the JSON values. A string that needs re-escaping for HCL (JSON escapes
//! inside an interpolation, `\/`) maps as a whole: spans inside it cover the whole string.

mod expr;

use std::sync::Arc;

use hcl_edit::structure::Body;
use trustmap_source::{Diagnostic, SourceFile, Span};
use trustmap_syntax::{Entry, Node, NodeKind};

use self::expr::{Mode, quote_literal};
use crate::offsets::OffsetMap;
use crate::value::dedup_entries;

/// A `.tf.json` file ready for evaluation.
pub(crate) struct Translated {
    /// The synthesized HCL text, under the JSON file's id and path (its spans are remapped
    /// with `offsets` after evaluation).
    pub(crate) file: Arc<SourceFile>,
    pub(crate) body: Body,
    pub(crate) offsets: OffsetMap,
}

/// What a block body's properties mean.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    /// `resource`, `data`, and a `dynamic` block's `content`.
    Resource,
    Variable,
    Output,
    Module,
    Locals,
}

/// Properties of resource bodies that configure Terraform, not the object (left out of
/// evaluated bodies anyway), and comments.
const SKIPPED: [&str; 6] = [
    "//",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// Translates a `.tf.json` file; problems are diagnostics located in the JSON file.
pub(crate) fn translate(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Translated> {
    let root = match trustmap_syntax::json::parse(file) {
        Ok(root) => root,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut s = Synth {
        file,
        out: String::with_capacity(file.text.len() + file.text.len() / 4),
        map: OffsetMap::default(),
        diags: Vec::new(),
    };
    if root.as_map().is_none() {
        s.invalid(
            &root,
            "a Terraform JSON file must hold one object of block types",
        );
    }
    for e in dedup_entries(root.as_map().unwrap_or(&[])) {
        s.top_level(e);
    }
    s.filler("\n");
    let Synth {
        out,
        map,
        diags: found,
        ..
    } = s;
    diags.extend(found);
    match hcl_edit::parser::parse_body(&out) {
        Ok(body) => Some(Translated {
            file: Arc::new(SourceFile::new(file.id, file.path.clone(), out)),
            body,
            offsets: map,
        }),
        Err(err) => {
            let at = err.location().offset();
            let span = map.span(file.span(at, at + 1));
            diags.push(
                Diagnostic::new(
                    "parse-error",
                    format!(
                        "Terraform JSON could not be read as configuration: {}",
                        err.message()
                    ),
                )
                .at(file, span),
            );
            None
        }
    }
}

/// The HCL text being written and where its tokens came from.
pub(super) struct Synth<'f> {
    pub(super) file: &'f SourceFile,
    out: String,
    map: OffsetMap,
    diags: Vec<Diagnostic>,
}

impl Synth<'_> {
    /// New text with no counterpart in the JSON (keywords, `=`, newlines).
    pub(super) fn filler(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Text copied byte for byte from `from`.
    pub(super) fn exact(&mut self, s: &str, from: Span) {
        self.map.push(self.out.len(), s.len(), from, true);
        self.out.push_str(s);
    }

    /// Text standing for the whole of `from`.
    pub(super) fn coarse(&mut self, s: &str, from: Span) {
        self.map.push(self.out.len(), s.len(), from, false);
        self.out.push_str(s);
    }

    /// Exact when the JSON has the same text there, else coarse.
    pub(super) fn token(&mut self, s: &str, from: Span) {
        if self.file.slice(from) == s {
            self.exact(s, from);
        } else {
            self.coarse(s, from);
        }
    }

    pub(super) fn invalid(&mut self, n: &Node, message: &str) {
        self.diags
            .push(Diagnostic::new("evaluation", message).at(self.file, n.span));
    }

    fn top_level(&mut self, e: &Entry) {
        match e.key.as_str() {
            kind @ ("resource" | "data") => {
                for by_type in self.objects(&e.value) {
                    for t in dedup_entries(by_type.as_map().unwrap_or(&[])) {
                        for by_name in self.objects(&t.value) {
                            for n in dedup_entries(by_name.as_map().unwrap_or(&[])) {
                                // Repeated blocks of one address: Terraform rejects them, the
                                // evaluator keeps the first.
                                if let Some(body) = self.objects(&n.value).first() {
                                    self.block(kind, Some(&t.key), n, body, BodyKind::Resource);
                                }
                            }
                        }
                    }
                }
            }
            kind @ ("variable" | "output" | "module") => {
                let body_kind = match kind {
                    "variable" => BodyKind::Variable,
                    "output" => BodyKind::Output,
                    _ => BodyKind::Module,
                };
                for by_name in self.objects(&e.value) {
                    for n in dedup_entries(by_name.as_map().unwrap_or(&[])) {
                        if let Some(body) = self.objects(&n.value).first() {
                            self.block(kind, None, n, body, body_kind);
                        }
                    }
                }
            }
            "locals" => {
                for body in self.objects(&e.value) {
                    self.filler("\nlocals ");
                    self.body(body, BodyKind::Locals);
                }
            }
            // `terraform`, `provider`, `moved`, `import`, `check`, `removed`, `//`.
            _ => {}
        }
    }

    /// The objects of a value that may be one object or an array of them.
    fn objects<'n>(&mut self, n: &'n Node) -> Vec<&'n Node> {
        match &n.kind {
            NodeKind::Map(_) => vec![n],
            NodeKind::Seq(items) => items.iter().filter(|i| i.as_map().is_some()).collect(),
            _ => {
                self.invalid(n, "expected a JSON object (or an array of objects) here");
                Vec::new()
            }
        }
    }

    /// `IDENT ["TYPE"] "NAME" { ... }`. The keyword and type label are filler, so the block's
    /// span starts at the name key in the JSON.
    fn block(&mut self, ident: &str, ty: Option<&str>, name: &Entry, body: &Node, kind: BodyKind) {
        let key = Node::string(name.key.clone(), name.key_span);
        if !is_label(&name.key) || ty.is_some_and(|t| !is_label(t)) {
            self.invalid(
                &key,
                "this block label cannot be evaluated; the block is skipped",
            );
            return;
        }
        self.filler("\n");
        self.filler(ident);
        self.filler(" ");
        if let Some(t) = ty {
            self.filler(&quote_literal(t));
            self.filler(" ");
        }
        self.token(&quote_literal(&name.key), name.key_span);
        self.filler(" ");
        self.body(body, kind);
    }

    fn body(&mut self, body: &Node, kind: BodyKind) {
        self.open(body);
        for e in dedup_entries(body.as_map().unwrap_or(&[])) {
            self.property(e, kind);
        }
        self.close(body);
    }

    fn open(&mut self, body: &Node) {
        let at = body.span.start;
        self.token(
            "{",
            Span {
                start: at,
                end: at + 1,
                ..body.span
            },
        );
    }

    fn close(&mut self, body: &Node) {
        self.filler("\n");
        let at = body.span.end.saturating_sub(1);
        self.token(
            "}",
            Span {
                start: at,
                end: at + 1,
                ..body.span
            },
        );
    }

    fn property(&mut self, e: &Entry, kind: BodyKind) {
        let key = e.key.as_str();
        match kind {
            BodyKind::Resource => match key {
                _ if SKIPPED.contains(&key) => {}
                "dynamic" => self.dynamic(&e.value),
                _ => self.attribute(e, Mode::Expr),
            },
            BodyKind::Variable => match key {
                "type" => match &e.value.kind {
                    NodeKind::String(s) => {
                        self.attribute_key(e);
                        self.expression(&e.value, s);
                    }
                    _ => self.invalid(&e.value, "a variable's type must be a string"),
                },
                "default" | "nullable" => self.attribute(e, Mode::Literal),
                _ => {}
            },
            BodyKind::Output => {
                if key == "value" {
                    self.attribute(e, Mode::Expr);
                }
            }
            BodyKind::Module => match key {
                "source" | "version" => self.attribute(e, Mode::Literal),
                "providers" | "depends_on" | "//" => {}
                _ => self.attribute(e, Mode::Expr),
            },
            BodyKind::Locals => {
                if key != "//" {
                    self.attribute(e, Mode::Expr);
                }
            }
        }
    }

    fn attribute(&mut self, e: &Entry, mode: Mode) {
        if self.attribute_key(e) {
            self.value(&e.value, mode);
        }
    }

    /// `\nNAME = `; false (and a diagnostic) when the name is not an identifier.
    fn attribute_key(&mut self, e: &Entry) -> bool {
        if !is_identifier(&e.key) {
            let key = Node::string(e.key.clone(), e.key_span);
            self.invalid(&key, "this is not a valid argument name; it is ignored");
            return false;
        }
        self.filler("\n");
        let raw = self.file.slice(e.key_span);
        let inner = if raw.len() >= 2 && raw.starts_with('"') {
            Span {
                start: e.key_span.start + 1,
                end: e.key_span.end - 1,
                ..e.key_span
            }
        } else {
            e.key_span
        };
        self.token(&e.key, inner);
        self.filler(" = ");
        true
    }

    /// `"dynamic": { "NAME": { "for_each": ..., "iterator": "it", "content": { ... } } }`.
    fn dynamic(&mut self, n: &Node) {
        for by_label in self.objects(n) {
            for label in dedup_entries(by_label.as_map().unwrap_or(&[])) {
                if !is_label(&label.key) {
                    continue;
                }
                for spec in self.objects(&label.value) {
                    self.filler("\ndynamic ");
                    self.token(&quote_literal(&label.key), label.key_span);
                    self.filler(" ");
                    self.open(spec);
                    for p in dedup_entries(spec.as_map().unwrap_or(&[])) {
                        match (p.key.as_str(), &p.value.kind) {
                            ("for_each", _) => self.attribute(p, Mode::Expr),
                            ("iterator", NodeKind::String(it)) if is_identifier(it) => {
                                self.attribute_key(p);
                                self.expression(&p.value, it);
                            }
                            ("content", _) => {
                                if let Some(body) = self.objects(&p.value).first() {
                                    self.filler("\ncontent ");
                                    self.body(body, BodyKind::Resource);
                                }
                            }
                            _ => {}
                        }
                    }
                    self.close(spec);
                }
            }
        }
    }
}

/// An HCL identifier: a letter or `_`, then letters, digits, `_` and `-`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A block label that can be written as an HCL string literal.
fn is_label(s: &str) -> bool {
    !s.contains("${") && !s.contains("%{") && !s.chars().any(char::is_control)
}
