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
    /// How it was suppressed (inline comment, configuration, a peer's comment), if it was.
    pub suppressed: Option<crate::Suppression>,
    /// Stable across unrelated edits, line shifts and file moves (see [`fingerprint`]).
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

/// A finding's identity across commits: its rule, severity, resource address and the text at
/// fault with whitespace collapsed and whole-line comments dropped. Never the line numbers; and never the file's path, except
/// as part of an address, where it is replaced by a placeholder (path-identified findings such
/// as secrets or Dockerfile checks are then identified by their content), so moving a file
/// keeps its findings' fingerprints. Repeats get an occurrence index afterwards
/// ([`distinguish_repeats`]).
pub(crate) fn fingerprint(finding: &Finding, path: &str, text: &str) -> String {
    let identity = if path.is_empty() {
        finding.resource.clone()
    } else {
        finding.resource.replace(path, "\u{0}file")
    };
    // Whole-line comments (`#`, `//`) inside a multi-line span are not what is at fault:
    // adding one, or a suppression directive, keeps the fingerprint.
    let normalized: String = text
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with('#') || t.starts_with("//"))
        })
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    digest(&[
        finding.rule.id,
        finding.severity.as_str(),
        &identity,
        &normalized,
    ])
}

/// Two findings with the same fingerprint (the same text at fault twice in one resource, or
/// two files with the same content) stay distinct: the second one in report order gets
/// occurrence index 1 mixed in, the third 2, and so on. Inserting a repeat therefore shows as
/// one new fingerprint, whichever copy is the new one.
pub(crate) fn distinguish_repeats(findings: &mut [ReportedFinding]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        if *n > 0 {
            f.fingerprint = digest(&[&f.fingerprint, &n.to_string()]);
        }
        *n += 1;
    }
}

/// 128 bits of SHA-256 over the parts, each terminated by a NUL byte, in hexadecimal.
fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
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

/// Passed evaluations of one rule in one file, for per-team capability scores. Passes a rule
/// recorded without a location (`Sink::pass`) have `path: None`: repository-level evidence.
#[derive(Clone, Debug)]
pub struct Passes {
    pub rule: &'static RuleMeta,
    pub path: Option<String>,
    pub count: u32,
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
    /// `--profile` or Namespaces labelled with a Pod Security level: admission per workload.
    pub pod_security: Option<crate::PodSecurity>,
    /// Set by `--baseline` and `--diff-base`: what the findings were compared with; only
    /// new findings are then left in [`Report::findings`].
    pub comparison: Option<crate::baseline::Comparison>,
    /// Owners of the scanned files and whether inline suppressions were refused.
    pub governance: crate::config::Governance,
    /// The resource graph of the scan (see `trustmap_graph`).
    pub graph: trustmap_graph::Graph,
    /// Attack paths, worst first, each hop located.
    pub attack_paths: Vec<crate::graph::ReportedPath>,
    /// The changes that break the most attack paths, best first.
    pub fixes: Vec<trustmap_graph::Fix>,
    /// Passed evaluations per rule and file (see [`Passes`]); with the findings, the
    /// evidence of `trustmap capability`.
    pub passes: Vec<Passes>,
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

/// Passed evaluations grouped by rule and file, in rule and path order.
pub(crate) fn passes(outcomes: &[trustmap_rules::RuleOutcome], sources: &SourceMap) -> Vec<Passes> {
    let mut by: std::collections::BTreeMap<(&'static str, Option<String>), Passes> =
        std::collections::BTreeMap::new();
    for o in outcomes {
        let mut add = |path: Option<String>, n: u32| {
            if n > 0 {
                by.entry((o.rule.id, path.clone()))
                    .or_insert(Passes {
                        rule: o.rule,
                        path,
                        count: 0,
                    })
                    .count += n;
            }
        };
        let mut located = 0u32;
        for span in &o.passed_at {
            if let Some(file) = sources.get(span.file) {
                located += 1;
                add(Some(file.path.clone()), 1);
            }
        }
        add(None, o.passed.saturating_sub(located));
    }
    by.into_values().collect()
}
