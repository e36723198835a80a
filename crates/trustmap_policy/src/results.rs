//! Evaluating the custom rules over one scan and turning their results into findings.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;
use trustmap_model::{Language, Model, ResourceMeta};
use trustmap_rules::{RuleOutcome, Severity, Sink};
use trustmap_source::{Diagnostic, FileId, SourceFile, SourceMap, Span};

use crate::input;
use crate::load::PolicySet;
use crate::locate::Locator;
use crate::metadata::CustomRule;

/// What the custom rules produced: one outcome per rule, and a diagnostic per rule that
/// failed at run time (the scan goes on without its results).
#[derive(Debug, Default)]
pub struct Evaluation {
    pub outcomes: Vec<RuleOutcome>,
    pub diagnostics: Vec<Diagnostic>,
}

impl PolicySet {
    /// Runs every custom rule over `model`. A result without a resolvable location points at
    /// its rule in the policy file, which is added to `sources` so every output can show it.
    pub fn evaluate(&self, model: &Model, sources: &mut SourceMap) -> Evaluation {
        let mut out = Evaluation::default();
        if self.rules().is_empty() {
            return out;
        }
        let doc = input::document(model, sources);
        let locator = Locator::new(&doc, sources);
        let mut engine = self.engine();
        engine.set_input(regorus::Value::from(doc));
        let mut policy_files = PolicyFiles::default();
        for rule in self.rules() {
            let mut sink = Sink::new(rule.meta);
            let mut reported = 0usize;
            for kind in &rule.kinds {
                let value = match engine.eval_rule(format!("{}.{kind}", rule.package)) {
                    Ok(v) => v,
                    Err(e) => {
                        let (place, message) = crate::load::place_and_message(&e);
                        let place = place.map_or_else(String::new, |p| format!(" at {p}"));
                        out.diagnostics
                            .push(error(rule, format!("`{kind}` failed{place}: {message}")));
                        continue;
                    }
                };
                let items = match serde_json::to_value(&value) {
                    Ok(Json::Array(items)) => items,
                    Ok(Json::Null) => Vec::new(),
                    Ok(other) => vec![other],
                    Err(e) => {
                        out.diagnostics.push(error(rule, format!("`{kind}`: {e}")));
                        continue;
                    }
                };
                for item in items {
                    let r = match Outcome::parse(&item, kind) {
                        Ok(r) => r,
                        Err(msg) => {
                            out.diagnostics
                                .push(error(rule, format!("`{kind}`: {msg}")));
                            continue;
                        }
                    };
                    let place = r.place(rule, kind, &locator, &mut policy_files, sources);
                    sink.report(&place, place_primary(&r, &locator, &place), &[], r.message)
                        .severity = r.severity.unwrap_or(default_severity(rule, kind));
                    reported += 1;
                }
            }
            if reported == 0 {
                // A policy judges the whole scan: its pass has no location.
                sink.pass_unlocated();
            }
            out.outcomes.push(sink.finish());
        }
        out
    }
}

fn error(rule: &CustomRule, message: String) -> Diagnostic {
    Diagnostic::new(
        "policy-error",
        format!("policy {} ({}): {message}", rule.meta.id, rule.package),
    )
    .with_path(rule.path.clone())
}

/// `deny` and `violation` results take the rule's severity; `warn` results are low.
fn default_severity(rule: &CustomRule, kind: &str) -> Severity {
    if kind == "warn" {
        Severity::Low
    } else {
        rule.meta.severity
    }
}

/// One result: a message string, or `{msg, severity?, resource?, location?}`.
struct Outcome {
    message: String,
    severity: Option<Severity>,
    resource: Option<Json>,
    location: Option<Json>,
}

impl Outcome {
    fn parse(item: &Json, kind: &str) -> Result<Self, String> {
        match item {
            Json::String(s) => Ok(Self {
                message: s.clone(),
                severity: None,
                resource: None,
                location: None,
            }),
            Json::Object(o) => {
                let message = o
                    .get("msg")
                    .or_else(|| o.get("message"))
                    .and_then(Json::as_str)
                    .ok_or_else(|| format!("a result object needs a string `msg`, got {item}"))?
                    .to_string();
                let severity = match o.get("severity") {
                    None | Some(Json::Null) => None,
                    Some(Json::String(s)) => Some(
                        Severity::parse(&s.to_lowercase())
                            .ok_or_else(|| format!("unknown severity `{s}` in {kind} result"))?,
                    ),
                    Some(other) => return Err(format!("`severity` must be a string, got {other}")),
                };
                Ok(Self {
                    message,
                    severity,
                    resource: o.get("resource").cloned(),
                    location: o.get("location").cloned(),
                })
            }
            other => Err(format!(
                "a result must be a string or an object, got {other}"
            )),
        }
    }

    /// The resource a finding is about: the named model object, else the address as given,
    /// else the rule itself in its policy file.
    fn place(
        &self,
        rule: &CustomRule,
        kind: &str,
        locator: &Locator,
        files: &mut PolicyFiles,
        sources: &mut SourceMap,
    ) -> ResourceMeta {
        if let Some(found) = self.resource.as_ref().and_then(|r| locator.resource(r)) {
            return ResourceMeta {
                address: found.address.clone(),
                language: found.language,
                span: found.span,
                via: Vec::new(),
            };
        }
        let location = self.location.as_ref().and_then(|l| locator.span(l));
        let address = match &self.resource {
            Some(Json::String(s)) => s.clone(),
            _ => rule
                .package
                .strip_prefix("data.")
                .unwrap_or(&rule.package)
                .to_string(),
        };
        ResourceMeta {
            address,
            language: Language::Text,
            span: location.unwrap_or_else(|| files.rule_span(rule, kind, sources)),
            via: Vec::new(),
        }
    }
}

/// The line a finding points at: the result's `location`, else its resource.
fn place_primary(r: &Outcome, locator: &Locator, place: &ResourceMeta) -> Span {
    r.location
        .as_ref()
        .and_then(|l| locator.span(l))
        .unwrap_or(place.span)
}

/// Policy files added to the scan's sources (once each) for findings without a location.
#[derive(Default)]
struct PolicyFiles {
    ids: HashMap<String, FileId>,
}

impl PolicyFiles {
    fn rule_span(&mut self, rule: &CustomRule, kind: &str, sources: &mut SourceMap) -> Span {
        let id = *self.ids.entry(rule.path.clone()).or_insert_with(|| {
            let id = sources.next_id();
            sources.push(Arc::new(SourceFile::new(
                id,
                rule.path.clone(),
                rule.text.clone(),
            )));
            id
        });
        let Some(file) = sources.get(id) else {
            return Span::default();
        };
        // The first line that opens a `kind` rule; the package line otherwise.
        let head = |l: &str| {
            l.strip_prefix(kind)
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        };
        let line = (1..=file.line_count())
            .find(|n| file.line_text(*n).is_some_and(head))
            .or_else(|| {
                (1..=file.line_count()).find(|n| {
                    file.line_text(*n)
                        .is_some_and(|l| l.starts_with("package "))
                })
            })
            .unwrap_or(1);
        file.line_range(line)
            .map_or_else(|| file.span(0, 0), |r| file.span(r.start, r.end))
    }
}
