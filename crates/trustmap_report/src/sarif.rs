//! `--format sarif`: SARIF 2.1.0 for code scanning, from our own minimal serde structs.
//!
//! One run; `tool.driver.rules` lists every rule that ran, described from the same metadata
//! as the docs. Results carry our stable fingerprint under `partialFingerprints`
//! (`trustmapFingerprint/v1`; GitHub computes its own `primaryLocationLineHash`), suppressed
//! findings are kept with an `inSource` suppression, and input problems become
//! `toolExecutionNotifications`. Columns are Unicode code points (`columnKind`).

use std::collections::BTreeMap;

use serde::Serialize;
use trustmap_engine::{Location, Report, ReportedFinding};
use trustmap_rules::{RuleMeta, Severity};
use trustmap_source::{Diagnostic, SourceMap};

use crate::doc;
use crate::json::to_pretty;
use crate::region::region;

mod paths;

/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "trustmapFingerprint/v1";

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// Longest region snippet we embed; longer regions go without one.
const MAX_SNIPPET_BYTES: usize = 4096;

/// Renders the report as a SARIF 2.1.0 log (pretty-printed, ending in a newline).
pub fn render(report: &Report, version: &str) -> String {
    to_pretty(&log(report, version))
}

fn log(report: &Report, version: &str) -> Log {
    let rules = rules_of(report);
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let redactions = report.redactions();
    let mut results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let mut r = result(&report.sources, f, index.get(f.rule().id).copied());
            mask_snippet(&mut r, f, &redactions);
            r
        })
        .collect();
    let mut descriptors: Vec<ReportingDescriptor> = rules.iter().map(|r| descriptor(r)).collect();
    // Attack paths: one result each, with the hops as a code flow.
    if !report.attack_paths.is_empty() {
        results.extend(paths::results(report, descriptors.len()));
        descriptors.push(paths::descriptor());
    }
    let mut notifications: Vec<Notification> = report
        .diagnostics
        .iter()
        .map(|(d, loc)| notification(&report.sources, d, loc.as_ref()))
        .collect();
    if let Some(text) = crate::suppression::refusal_sentence(report) {
        notifications.push(Notification {
            level: "note",
            message: Text { text },
            descriptor: Descriptor {
                id: "inline-suppressions-disabled",
            },
            locations: Vec::new(),
        });
    }
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "trustmap",
                    version: version.to_string(),
                    semantic_version: is_semver(version).then(|| version.to_string()),
                    information_uri: Some(crate::INFORMATION_URI).filter(|u| !u.is_empty()),
                    rules: descriptors,
                },
            },
            invocations: vec![Invocation {
                // A partial scan (a chart that did not render) is not a successful one.
                execution_successful: report.incomplete.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// The rules that ran, plus any rule with a finding that is not among them, by id.
fn rules_of(report: &Report) -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = report.rules.clone();
    rules.extend(report.findings.iter().map(ReportedFinding::rule));
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    rules
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// GitHub's `security-severity`: a CVSS-like score that sorts alerts into its own levels.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `problem.severity` for non-security views.
fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "recommendation",
    }
}

fn descriptor(meta: &'static RuleMeta) -> ReportingDescriptor {
    let md = doc::markdown(meta);
    let mut tags = vec!["security".to_string(), meta.capability.as_str().to_string()];
    tags.extend(meta.languages.iter().map(|l| l.as_str().to_string()));
    tags.extend(
        meta.equivalent("cwe")
            .iter()
            .map(|c| format!("external/cwe/{}", c.to_ascii_lowercase())),
    );
    let what = doc::what_it_finds(meta);
    ReportingDescriptor {
        id: meta.id,
        name: meta.name,
        short_description: Text {
            text: doc::summary(meta),
        },
        full_description: Text {
            text: if what.is_empty() {
                doc::summary(meta)
            } else {
                what
            },
        },
        help: Help {
            text: md.clone(),
            markdown: md,
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(meta.severity),
            problem_severity: problem_severity(meta.severity),
            tags,
        },
    }
}

fn result(sources: &SourceMap, f: &ReportedFinding, rule_index: Option<usize>) -> SarifResult {
    let meta = f.rule();
    let mut location = physical(sources, &f.location, true);
    location.logical_locations = vec![LogicalLocation {
        name: f.finding.resource.clone(),
        fully_qualified_name: f.finding.resource.clone(),
        kind: "resource",
    }];
    let related_locations = f
        .related
        .iter()
        .enumerate()
        .map(|(i, (loc, note))| {
            let mut l = physical(sources, loc, false);
            l.id = Some(i);
            l.message = Some(Text { text: note.clone() });
            l
        })
        .collect();
    SarifResult {
        rule_id: meta.id,
        rule_index,
        level: level(f.finding.severity),
        message: Text {
            text: f.finding.message.clone(),
        },
        locations: vec![location],
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.clone())]),
        code_flows: Vec::new(),
        suppressions: f.suppressed.iter().map(suppression).collect(),
        properties: ResultProperties {
            severity: f.finding.severity.as_str(),
            capability: meta.capability.as_str(),
            resource: f.finding.resource.clone(),
            commit: f.commit.as_ref().map(|c| CommitProperty {
                id: c.id.clone(),
                author: c.author.clone(),
                email: c.email.clone(),
                date: c.date.clone(),
            }),
        },
    }
}

/// Masks secret bytes in the result's region snippet (see `Report::redactions`).
fn mask_snippet(
    r: &mut SarifResult,
    f: &ReportedFinding,
    redactions: &std::collections::HashMap<trustmap_source::FileId, Vec<(u32, u32)>>,
) {
    let Some(ranges) = redactions.get(&f.location.span.file) else {
        return;
    };
    for loc in &mut r.locations {
        if let Some(snippet) = loc
            .physical_location
            .as_mut()
            .and_then(|p| p.region.as_mut())
            .and_then(|g| g.snippet.as_mut())
        {
            snippet.text = trustmap_engine::report::mask(
                &snippet.text,
                f.location.span.start as usize,
                ranges,
            );
        }
    }
}

fn physical(sources: &SourceMap, loc: &Location, with_snippet: bool) -> SarifLocation {
    let r = region(sources, loc);
    let snippet = with_snippet
        .then(|| {
            let file = sources.get(loc.span.file).filter(|f| f.path == loc.path)?;
            let text = file.slice(loc.span);
            (!text.is_empty() && text.len() <= MAX_SNIPPET_BYTES).then(|| Snippet {
                text: text.to_string(),
            })
        })
        .flatten();
    SarifLocation {
        id: None,
        physical_location: Some(PhysicalLocation {
            artifact_location: artifact(&loc.path),
            region: Some(Region {
                start_line: r.start_line,
                start_column: Some(r.start_column),
                end_line: Some(r.end_line),
                end_column: Some(r.end_column),
                snippet,
            }),
        }),
        logical_locations: Vec::new(),
        message: None,
    }
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: uri_path(path),
        uri_base_id: SRCROOT,
    }
}

/// Percent-encodes a relative `/`-separated path into a URI reference.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn notification(sources: &SourceMap, d: &Diagnostic, loc: Option<&Location>) -> Notification {
    let level = match d.code {
        "parse-error" | "io-error" | "internal-error" => "error",
        "binary-file" | "file-too-large" => "note",
        _ => "warning",
    };
    let locations = match (loc, &d.path) {
        (Some(l), _) => vec![physical(sources, l, false)],
        (None, Some(path)) => vec![SarifLocation {
            id: None,
            physical_location: Some(PhysicalLocation {
                artifact_location: artifact(path),
                region: None,
            }),
            logical_locations: Vec::new(),
            message: None,
        }],
        (None, None) => Vec::new(),
    };
    Notification {
        level,
        message: Text {
            text: d.message.clone(),
        },
        descriptor: Descriptor { id: d.code },
        locations,
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    semantic_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: Descriptor,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// Attack paths: the hops from the untrusted source to the target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<paths::CodeFlow>,
    /// Empty means "not suppressed" (SARIF §3.27.23), absent would mean "unknown".
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    severity: &'static str,
    capability: &'static str,
    resource: String,
    /// History findings (`--history`): the commit that introduced the secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<CommitProperty>,
}

#[derive(Serialize)]
struct CommitProperty {
    id: String,
    author: String,
    email: String,
    date: String,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
    /// Where the comment or configuration entry is.
    location: SarifLocation,
    properties: SuppressionProperties,
}

#[derive(Serialize)]
struct SuppressionProperties {
    /// `inline`, `config`, or the peer whose comment was honoured (`checkov`, ...).
    mechanism: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

/// `inSource` for comments, `external` for `trustmap.toml` entries (SARIF §3.35.2).
fn suppression(s: &trustmap_engine::Suppression) -> Suppression {
    Suppression {
        kind: crate::suppression::sarif_kind(s),
        status: "accepted",
        justification: s.reason.clone(),
        location: SarifLocation {
            id: None,
            physical_location: Some(PhysicalLocation {
                artifact_location: artifact(&s.path),
                region: Some(Region {
                    start_line: s.line,
                    start_column: None,
                    end_line: None,
                    end_column: None,
                    snippet: None,
                }),
            }),
            logical_locations: Vec::new(),
            message: None,
        },
        properties: SuppressionProperties {
            mechanism: s.source.as_str(),
            until: s.until.map(|d| d.to_string()),
        },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet>,
}

#[derive(Serialize)]
struct Snippet {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("infra/main.tf"), "infra/main.tf");
        assert_eq!(uri_path("a b/ü#1.tf"), "a%20b/%C3%BC%231.tf");
    }

    #[test]
    fn semver_detection() {
        assert!(is_semver("0.1.0"));
        assert!(is_semver("1.2.3-rc.1+abc"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("dev"));
    }
}
