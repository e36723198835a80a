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
    /// For secrets found with `--history`: the first commit that introduced the secret.
    pub commit: Option<Commit>,
}

/// A git commit, as shown with history findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// Full hexadecimal id.
    pub id: String,
    pub author: String,
    pub email: String,
    /// Author date, RFC 3339 in UTC.
    pub date: String,
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

/// The text of `primary` for the fingerprint, with every secret range in it replaced by the
/// secret's own short fingerprint: stable for the same secret, and no secret in the input.
pub(crate) fn fingerprint_text(
    file: &trustmap_source::SourceFile,
    primary: Span,
    redact: &[Span],
) -> String {
    let text = file.slice(primary);
    if redact.is_empty() {
        return text.to_string();
    }
    let mut out = String::new();
    let mut pos = primary.start as usize;
    let end = primary.end as usize;
    let mut ranges: Vec<&Span> = redact.iter().filter(|r| r.file == primary.file).collect();
    ranges.sort_by_key(|r| r.start);
    for r in ranges {
        let (s, e) = (r.start as usize, r.end as usize);
        if s >= pos && s <= end {
            out.push_str(file.text.get(pos..s).unwrap_or(""));
            let secret = file.text.get(s..e).unwrap_or("");
            let digest = Sha256::digest(secret.as_bytes());
            out.push_str(
                &digest[..8]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>(),
            );
            pos = e.max(pos);
        }
    }
    if pos < end {
        out.push_str(file.text.get(pos..end).unwrap_or(""));
    }
    out
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
    /// Terraform and CloudFormation values that could not be evaluated statically.
    pub unknown_values: usize,
    pub rules_run: usize,
    /// Git history (`--history`): commits walked and distinct blobs scanned.
    pub commits_scanned: usize,
    pub blobs_scanned: usize,
    /// Helm charts rendered, and their templates (partials and `NOTES.txt` not counted):
    /// all of them, and those that rendered.
    pub helm_charts: usize,
    pub helm_templates: usize,
    pub helm_templates_rendered: usize,
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
    /// `--show-secrets`: outputs show secret values instead of masking them.
    pub reveal_secrets: bool,
    /// Parts of the input that were not analysed (a Helm template that did not render, a
    /// dependency that is not vendored), one line each. Non-empty means the scan is
    /// partial: outputs say so and the CLI exits 2 unless `--allow-partial`.
    pub incomplete: Vec<String>,
}

impl Report {
    /// Byte ranges of secret values per file, sorted and merged: every renderer masks them
    /// wherever it shows source text (unless [`Report::reveal_secrets`]). Taken from every
    /// finding, suppressed or not, so a frame drawn for one finding never shows a secret
    /// another finding found.
    pub fn redactions(
        &self,
    ) -> std::collections::HashMap<trustmap_source::FileId, Vec<(u32, u32)>> {
        let mut out: std::collections::HashMap<trustmap_source::FileId, Vec<(u32, u32)>> =
            std::collections::HashMap::new();
        if self.reveal_secrets {
            return out;
        }
        for f in &self.findings {
            for s in &f.finding.redact {
                if s.end > s.start {
                    out.entry(s.file).or_default().push((s.start, s.end));
                }
            }
        }
        for v in out.values_mut() {
            v.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(v.len());
            for &(s, e) in v.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *v = merged;
        }
        out
    }
}

/// Masks the secret bytes of `text` (which starts at byte `offset` of its file): every
/// character inside a range becomes `*` repeated to its UTF-8 length, so byte offsets and
/// line breaks stay where they were. The first 4 characters of a range of 16 or more bytes
/// are kept, as in messages.
pub fn mask(text: &str, offset: usize, ranges: &[(u32, u32)]) -> String {
    let end = offset + text.len();
    let mut out = String::with_capacity(text.len());
    let mut pos = offset;
    for &(s, e) in ranges {
        let (s, e) = (s as usize, e as usize);
        if e <= offset || s >= end {
            continue;
        }
        let keep = if e - s >= 16 { 4 } else { 0 };
        let mut s_in = s.max(offset).max(pos);
        while s_in > pos && !text.is_char_boundary(s_in - offset) {
            s_in -= 1;
        }
        if pos < s_in {
            out.push_str(&text[pos - offset..s_in - offset]);
            pos = s_in;
        }
        for (i, (bi, c)) in text[pos - offset..]
            .char_indices()
            .take_while(|(bi, _)| pos + bi < e.min(end))
            .enumerate()
        {
            let abs = pos + bi;
            if c == '\n' || c == '\r' || (abs - s < keep && i < keep) {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        pos = e.min(end).max(pos);
        while pos < end && !text.is_char_boundary(pos - offset) {
            pos += 1;
        }
    }
    if pos < end {
        out.push_str(&text[pos - offset..]);
    }
    out
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
