//! CloudFormation and SAM templates, evaluated into one spanned resource per logical id.
//!
//! The input is a parsed YAML or JSON document ([`trustmap_syntax::Node`]): YAML short forms
//! (`!Ref`, `!Sub`, ...) arrive as tagged nodes, long forms (`Fn::Sub`) as one-key maps, and
//! both mean the same. Evaluation resolves what a template decides by itself — parameters
//! (their `Default` or a `--parameter` override), pseudo parameters, mappings, conditions and
//! the intrinsic functions — and leaves everything else unknown: a reference to another
//! resource becomes a [`NodeKind::Ref`](trustmap_syntax::NodeKind::Ref) carrying its logical
//! id, so adapters can join resources; anything only AWS knows (an account id, an imported
//! value) becomes [`NodeKind::Unknown`](trustmap_syntax::NodeKind::Unknown).
//!
//! Every value keeps the span where it is written; a value that came through a parameter or
//! a mapping keeps the use site as its span and records the definition as a [`Via`] hop.
//!
//! Templates with `Transform: AWS::Serverless-2016-10-31` are SAM: `Globals` are merged into
//! the serverless resources first, and the [`sam`] transform then adds the resources SAM would
//! generate (a function's implicit execution role, its function URL, the implicit APIs).
//!
//! Bad templates never panic: problems become `parse-error`, `evaluation` or `unsupported`
//! diagnostics with locations, and evaluation is bounded in depth and in output size.

mod conditions;
mod eval;
mod globals;
mod intrinsic;
mod limits;
mod params;
pub mod sam;
mod sub;

use std::collections::HashSet;

use trustmap_source::{Diagnostic, FileId, SourceFile, Span, Via};
use trustmap_syntax::{Node, NodeKind};

pub use limits::{MAX_CONDITION_DEPTH, MAX_OUTPUT_BYTES, MAX_OUTPUT_NODES};

/// Diagnostic codes this crate emits.
pub mod codes {
    /// Something in the template cannot be evaluated as written (an undefined reference, a
    /// malformed intrinsic function, a budget exceeded); the value becomes unknown.
    pub const EVALUATION: &str = "evaluation";
    /// Valid, but not understood by trustmap (an unknown SAM policy template, a macro).
    pub const UNSUPPORTED: &str = "unsupported";
}

/// The SAM transform's name, as written in `Transform`.
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// Inputs that do not come from the template.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--parameter Name=Value`: overrides the parameter's `Default` in every template that
    /// declares it. A pseudo parameter (`AWS::Region=eu-west-1`) can be set the same way.
    pub parameters: Vec<(String, String)>,
}

/// One evaluated template.
#[derive(Clone, Debug)]
pub struct Template {
    pub file: FileId,
    /// Path relative to the scan root.
    pub path: String,
    /// The whole document.
    pub span: Span,
    /// `Transform: AWS::Serverless-2016-10-31`.
    pub sam: bool,
    /// Deployed resources in template order, SAM-generated ones right after the resource
    /// that generated them. Resources whose `Condition` is false are left out.
    pub resources: Vec<Resource>,
    pub diagnostics: Vec<Diagnostic>,
    /// Maximal unknown subtrees in the evaluated properties (each counts once).
    pub unknown_values: usize,
}

impl Template {
    /// The resource with a logical id.
    pub fn resource(&self, logical_id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.logical_id == logical_id)
    }
}

/// One evaluated resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub logical_id: String,
    /// `AWS::S3::Bucket`, `AWS::Serverless::Function`, `Custom::Thing`, ...
    pub rtype: String,
    /// The evaluated `Properties`, always a map (empty and spanned at the resource when
    /// omitted), or unknown when the whole map is decided by an unknown condition.
    pub properties: Node,
    /// From the logical id to the end of its mapping. SAM-generated resources are spanned
    /// at the text that asked for them (the function, its `FunctionUrlConfig`, an event).
    pub span: Span,
    /// The logical id as written.
    pub id_span: Span,
    /// The resource-level `Condition`, when it has one (never known-false here).
    pub condition: Option<ResourceCondition>,
    /// For SAM-generated resources: the SAM resource that generated it.
    pub via: Vec<Via>,
}

/// A resource-level `Condition: Name` and what it evaluated to.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceCondition {
    pub name: String,
    pub span: Span,
    /// `None` when the condition depends on something unknown: the resource is kept.
    pub value: Option<bool>,
}

/// True when a parsed document is a CloudFormation or SAM template: it has
/// `AWSTemplateFormatVersion`, or a `Resources` map with an entry whose `Type` is `AWS::...`
/// or `Custom::...`. A Kubernetes object (`apiVersion` + `kind`) never is.
pub fn is_template(doc: &Node) -> bool {
    let doc = doc.untagged();
    if doc.as_map().is_none() || (doc.get("apiVersion").is_some() && doc.get("kind").is_some()) {
        return false;
    }
    if doc.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    doc.get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|entries| {
            entries.iter().any(|e| {
                e.value
                    .get("Type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
            })
        })
}

/// Evaluates one template document. Never panics; never fails as a whole: what cannot be
/// read becomes a diagnostic and the rest is evaluated.
pub fn evaluate(file: &SourceFile, doc: &Node, opts: &Options) -> Template {
    let doc = doc.untagged();
    let mut t = Template {
        file: file.id,
        path: file.path.clone(),
        span: doc.span,
        sam: false,
        resources: Vec::new(),
        diagnostics: Vec::new(),
        unknown_values: 0,
    };
    if doc.as_map().is_none() {
        t.diagnostics.push(
            Diagnostic::new(codes::EVALUATION, "template is not a mapping").at(file, doc.span),
        );
        return t;
    }
    t.sam = is_sam(doc);
    let resources = match doc.get("Resources") {
        Some(r) => match r.as_map() {
            Some(entries) => entries,
            None => {
                t.diagnostics.push(
                    Diagnostic::new(codes::EVALUATION, "`Resources` is not a mapping")
                        .at(file, r.span),
                );
                &[]
            }
        },
        None => {
            t.diagnostics.push(
                Diagnostic::new(codes::EVALUATION, "template has no `Resources` section")
                    .at(file, doc.span),
            );
            &[]
        }
    };
    let mut ids: HashSet<String> = resources.iter().map(|e| e.key.clone()).collect();
    if t.sam {
        ids.extend(sam::implicit_ids(resources));
    }
    let mut ev = eval::Eval::new(file, doc, opts, ids, t.sam);
    let globals = if t.sam { doc.get("Globals") } else { None };
    for macro_name in other_transforms(doc) {
        ev.diagnose(
            codes::UNSUPPORTED,
            format!(
                "transform `{}` is not expanded; what it generates is not checked",
                macro_name.0
            ),
            macro_name.1,
        );
    }
    for entry in resources {
        if entry.key.starts_with("Fn::ForEach::") {
            ev.diagnose(
                codes::UNSUPPORTED,
                format!(
                    "`{}` is not expanded; the resources it generates are not checked",
                    entry.key
                ),
                entry.key_span,
            );
            continue;
        }
        if let Some(r) = resource(&mut ev, entry, globals) {
            t.resources.push(r);
        }
    }
    if t.sam {
        sam::transform(&mut ev, globals, &mut t.resources);
    }
    t.unknown_values = t
        .resources
        .iter()
        .map(|r| count_unknowns(&r.properties))
        .sum();
    t.diagnostics.extend(ev.finish());
    t
}

/// Transforms other than SAM's (macros, `AWS::LanguageExtensions`, `AWS::Include`), with
/// where each is named.
fn other_transforms(doc: &Node) -> Vec<(String, trustmap_source::Span)> {
    doc.get("Transform")
        .map(|t| {
            t.one_or_many()
                .into_iter()
                .filter_map(|n| {
                    let name = n
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| n.get("Name").and_then(Node::as_str).map(str::to_string))?;
                    (name != SAM_TRANSFORM).then_some((name, n.span))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `Transform: AWS::Serverless-2016-10-31`, alone or in a list.
fn is_sam(doc: &Node) -> bool {
    doc.get("Transform").is_some_and(|t| {
        t.one_or_many()
            .iter()
            .any(|n| n.as_str() == Some(SAM_TRANSFORM))
    })
}

fn resource(
    ev: &mut eval::Eval<'_>,
    entry: &trustmap_syntax::Entry,
    globals: Option<&Node>,
) -> Option<Resource> {
    let span = entry.key_span.to(entry.value.span);
    let body = &entry.value;
    if body.as_map().is_none() {
        ev.diagnose(
            codes::EVALUATION,
            format!("resource `{}` is not a mapping", entry.key),
            body.span,
        );
        return None;
    }
    let Some(rtype) = body.get("Type").and_then(Node::as_str) else {
        ev.diagnose(
            codes::EVALUATION,
            format!("resource `{}` has no `Type`", entry.key),
            body.get("Type").map_or(entry.key_span, |t| t.span),
        );
        return None;
    };
    let condition = match body.get("Condition") {
        None => None,
        Some(c) => match c.as_str() {
            Some(name) => Some(ResourceCondition {
                name: name.to_string(),
                span: c.span,
                value: ev.condition(name, c.span),
            }),
            None => {
                ev.diagnose(
                    codes::EVALUATION,
                    "a resource `Condition` must name a condition",
                    c.span,
                );
                Some(ResourceCondition {
                    name: String::new(),
                    span: c.span,
                    value: None,
                })
            }
        },
    };
    if condition.as_ref().is_some_and(|c| c.value == Some(false)) {
        return None;
    }
    let raw = body.get("Properties");
    let merged = globals
        .and_then(|g| globals::section_for(g, rtype))
        .map(|g| globals::merge(g, raw, span));
    let properties = match merged.as_ref().or(raw) {
        None => empty_map(span),
        Some(p) => match ev.value(p, 0) {
            None => empty_map(span),
            Some(n) if n.as_map().is_some() || n.is_unknown() => n,
            Some(n) => {
                ev.diagnose(
                    codes::EVALUATION,
                    format!("`Properties` of `{}` is not a mapping", entry.key),
                    n.span,
                );
                Node::unknown(n.span)
            }
        },
    };
    Some(Resource {
        logical_id: entry.key.clone(),
        rtype: rtype.to_string(),
        properties,
        span,
        id_span: entry.key_span,
        condition,
        via: Vec::new(),
    })
}

fn empty_map(span: Span) -> Node {
    Node::new(NodeKind::Map(Vec::new()), span)
}

/// Maximal unknown subtrees.
fn count_unknowns(n: &Node) -> usize {
    match &n.kind {
        NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => 1,
        NodeKind::Seq(items) => items.iter().map(count_unknowns).sum(),
        NodeKind::Map(entries) => entries.iter().map(|e| count_unknowns(&e.value)).sum(),
        NodeKind::Tagged { value, .. } => count_unknowns(value),
        NodeKind::Json { tree, .. } => count_unknowns(tree),
        _ => 0,
    }
}
