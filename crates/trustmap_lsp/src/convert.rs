//! A scan report as LSP diagnostics, grouped by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Url,
};
use trustmap_engine::Report;
use trustmap_rules::Severity;
use trustmap_source::{SourceMap, Span};

/// Shown as the diagnostics' source in editors.
pub(crate) const SOURCE: &str = "trustmap";

/// Where each rule's documentation lives: the generated `docs/rules.md`, one anchor per rule.
pub(crate) fn rule_doc_url(rule_id: &str) -> Option<Url> {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    Url::parse(&format!(
        "{repo}/blob/main/docs/rules.md#{}",
        rule_id.to_ascii_lowercase()
    ))
    .ok()
}

/// Unsuppressed findings and located scan problems (parse errors) of a scan of `root`,
/// by absolute file path. Files without any are absent.
pub(crate) fn diagnostics(root: &Path, report: &Report) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.suppressed.is_none()) {
        let finding = &f.finding;
        let related: Vec<DiagnosticRelatedInformation> = f
            .related
            .iter()
            .filter_map(|(loc, note)| {
                let uri = Url::from_file_path(root.join(&loc.path)).ok()?;
                Some(DiagnosticRelatedInformation {
                    location: Location {
                        uri,
                        range: range(&report.sources, loc.span)?,
                    },
                    message: note.clone(),
                })
            })
            .collect();
        let Some(range) = range(&report.sources, finding.primary) else {
            continue;
        };
        out.entry(root.join(&f.location.path))
            .or_default()
            .push(Diagnostic {
                range,
                severity: Some(severity(finding.severity)),
                code: Some(NumberOrString::String(finding.rule.id.to_string())),
                code_description: rule_doc_url(finding.rule.id)
                    .map(|href| CodeDescription { href }),
                source: Some(SOURCE.to_string()),
                message: format!("{} ({})", finding.message, finding.rule.name),
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data: None,
            });
    }
    for (diag, loc) in &report.diagnostics {
        let Some(loc) = loc else { continue };
        let Some(range) = range(&report.sources, loc.span) else {
            continue;
        };
        out.entry(root.join(&loc.path))
            .or_default()
            .push(Diagnostic {
                range,
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(diag.code.to_string())),
                source: Some(SOURCE.to_string()),
                message: diag.message.clone(),
                ..Diagnostic::default()
            });
    }
    out
}

/// Critical and high block a merge by default (`--fail-on high`): errors. The rest warn,
/// inform or hint, so editors rank them as the report does.
fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

/// The span as a zero-based LSP range (columns counted in characters, which equals UTF-16
/// units outside the astral planes).
fn range(sources: &SourceMap, span: Span) -> Option<Range> {
    let file = sources.get(span.file)?;
    let pos = |offset: u32| {
        let lc = file.line_col(offset);
        Position::new(lc.line.saturating_sub(1), lc.col.saturating_sub(1))
    };
    Some(Range::new(pos(span.start), pos(span.end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_map_to_editor_levels() {
        assert_eq!(severity(Severity::Critical), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::High), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::Medium), DiagnosticSeverity::WARNING);
        assert_eq!(severity(Severity::Low), DiagnosticSeverity::INFORMATION);
        assert_eq!(severity(Severity::Info), DiagnosticSeverity::HINT);
    }

    #[test]
    fn rule_docs_link_to_the_rule_anchor() {
        let url = rule_doc_url("AWS-S3-001").unwrap();
        assert!(url.as_str().ends_with("/docs/rules.md#aws-s3-001"), "{url}");
    }
}
