//! The finished scan: findings with resolved locations, diagnostics, scorecard, statistics.

use sha2::{Digest, Sha256};
use trustmap_rules::{Finding, RuleMeta};
use trustmap_source::{Diagnostic, SourceMap, Span};

use crate::scorecard::Scorecard;

/// A location resolved to a path and 1-based lines/columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub span: Span,
    pub start_line: u32,
    pub start_col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Location {
    pub fn resolve(sources: &SourceMap, span: Span) -> Option<Self> {
        let file = sources.get(span.file)?;
        let start = file.line_col(span.start);
        let (start_line, end_line) = file.lines_of(span);
        let end = file.line_col(span.end);
        Some(Self {
            path: file.path.clone(),
            span,
            start_line,
            start_col: start.col,
            end_line,
            end_col: if end.line == end_line {
                end.col
            } else {
                start.col
            },
        })
    }
}

/// A finding plus everything an output format needs.
#[derive(Clone, Debug)]
pub struct ReportedFinding {
    pub finding: Finding,
    pub location: Location,
    /// First line of the resource the finding is about.
    pub resource_line: u32,
    pub related: Vec<(Location, String)>,
    /// `Some(reason)` when an inline directive silenced it.
    pub suppressed: Option<String>,
    /// Stable across unrelated edits: rule, path, resource and the text at fault, not line numbers.
    pub fingerprint: String,
}

impl ReportedFinding {
    pub fn rule(&self) -> &'static RuleMeta {
        self.finding.rule
    }
}

pub(crate) fn fingerprint(rule: &str, path: &str, resource: &str, text: &str) -> String {
    let normalized: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut h = Sha256::new();
    for part in [rule, path, resource, normalized.as_str()] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Counts that tell how complete the scan was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files_scanned: usize,
    pub files_skipped: usize,
    pub terraform_resources: usize,
    pub kubernetes_objects: usize,
    pub dockerfiles: usize,
    pub workflows: usize,
    /// Terraform values that could not be evaluated statically.
    pub unknown_values: usize,
    pub rules_run: usize,
}

/// Everything one scan produced. Output formats render this; the engine never prints.
#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    /// Sorted by path, line, column, rule id.
    pub findings: Vec<ReportedFinding>,
    pub diagnostics: Vec<(Diagnostic, Option<Location>)>,
    pub scorecard: Scorecard,
    pub stats: Stats,
    /// Rules that ran, in id order.
    pub rules: Vec<&'static RuleMeta>,
}

impl Report {
    /// Unsuppressed findings at or above `threshold`.
    pub fn failing(&self, threshold: trustmap_rules::Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.finding.severity >= threshold)
            .count()
    }
}
