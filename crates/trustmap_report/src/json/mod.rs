//! `--format json`: the report as versioned DTOs ([`v1`]).

mod attack_paths;
mod pod_security;
pub mod v1;

use std::collections::BTreeMap;

use serde::Serialize;
use trustmap_engine::{Report, ReportedFinding};
use trustmap_rules::{Capability, RuleMeta, Severity};

use crate::doc;
use crate::region::region;

/// Renders the report as pretty-printed JSON (ending in a newline).
///
/// Suppressed findings are always included, with `suppressed: true` and their reason, so
/// scripts see the accepted risk too; `_show_suppressed` exists for symmetry with the text
/// format and does not change the output.
pub fn render(report: &Report, version: &str, _show_suppressed: bool) -> String {
    to_pretty(&to_dto(report, version))
}

/// The report as [`v1::Report`].
pub fn to_dto(report: &Report, version: &str) -> v1::Report {
    v1::Report {
        schema_version: v1::SchemaVersion::V1,
        version: version.to_string(),
        findings: report.findings.iter().map(|f| finding(report, f)).collect(),
        attack_paths: attack_paths::paths(report),
        attack_path_fixes: attack_paths::fixes(report),
        scorecard: scorecard(&report.scorecard),
        errors: report
            .diagnostics
            .iter()
            .map(|(d, loc)| v1::Error {
                code: d.code.to_string(),
                message: d.message.clone(),
                path: d
                    .path
                    .clone()
                    .or_else(|| loc.as_ref().map(|l| l.path.clone())),
                line: loc.as_ref().map(|l| l.start_line),
            })
            .collect(),
        incomplete: report.incomplete.clone(),
        inline_suppressions_disabled: crate::suppression::refusal_dto(report),
        baseline: crate::comparison::to_dto(report),
        stats: stats(&report.stats),
        pod_security: report.pod_security.as_ref().map(pod_security::to_dto),
    }
}

/// The JSON schema of [`v1::Report`], as committed in `schemas/report.schema.json`.
pub fn report_schema() -> String {
    to_pretty(&schemars::schema_for!(v1::Report))
}

/// The JSON schema of `trustmap.toml`, as committed in `schemas/trustmap-config.schema.json`.
pub fn config_schema() -> String {
    to_pretty(&schemars::schema_for!(trustmap_engine::config::ConfigFile))
}

/// The JSON schema of the rule list (`trustmap rules list --format json`), as committed in
/// `schemas/rules.schema.json`.
pub fn rules_schema() -> String {
    to_pretty(&schemars::schema_for!(v1::RuleList))
}

pub(crate) fn to_pretty<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report DTOs always serialize");
    s.push('\n');
    s
}

fn finding(report: &Report, f: &ReportedFinding) -> v1::Finding {
    let meta = f.rule();
    let r = region(&report.sources, &f.location);
    v1::Finding {
        rule_id: meta.id.to_string(),
        rule_name: meta.name.to_string(),
        severity: severity(f.finding.severity),
        capability: capability(meta.capability),
        message: f.finding.message.clone(),
        path: f.location.path.clone(),
        start_line: r.start_line,
        end_line: r.end_line,
        start_column: r.start_column,
        end_column: r.end_column,
        resource: f.finding.resource.clone(),
        fingerprint: f.fingerprint.clone(),
        suppressed: f.suppressed.is_some(),
        suppression_reason: f.suppressed.as_ref().and_then(|s| s.reason.clone()),
        suppression: f.suppressed.as_ref().map(crate::suppression::to_dto),
        owner: report.governance.owners.get(&f.location.path).cloned(),
        related: f
            .related
            .iter()
            .map(|(loc, note)| v1::Related {
                path: loc.path.clone(),
                start_line: loc.start_line,
                end_line: loc.end_line,
                note: note.clone(),
            })
            .collect(),
        equivalents: equivalents(meta),
        fix: doc::fix_short(meta),
        commit: f.commit.as_ref().map(|c| v1::Commit {
            id: c.id.clone(),
            author: c.author.clone(),
            email: c.email.clone(),
            date: c.date.clone(),
        }),
    }
}

pub(crate) fn severity(s: Severity) -> v1::Severity {
    match s {
        Severity::Critical => v1::Severity::Critical,
        Severity::High => v1::Severity::High,
        Severity::Medium => v1::Severity::Medium,
        Severity::Low => v1::Severity::Low,
        Severity::Info => v1::Severity::Info,
    }
}

pub(crate) fn capability(c: Capability) -> v1::Capability {
    match c {
        Capability::Identity => v1::Capability::Identity,
        Capability::Failure => v1::Capability::Failure,
        Capability::Iac => v1::Capability::Iac,
        Capability::Design => v1::Capability::Design,
    }
}

pub(crate) fn equivalents(meta: &RuleMeta) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (tool, ids) in meta.equivalents {
        out.entry((*tool).to_string())
            .or_default()
            .extend(ids.iter().map(|s| (*s).to_string()));
    }
    out
}

pub(crate) fn scorecard(s: &trustmap_engine::Scorecard) -> v1::Scorecard {
    v1::Scorecard {
        capabilities: s
            .capabilities
            .iter()
            .map(|c| v1::CapabilityScore {
                capability: capability(c.capability),
                title: c.title.to_string(),
                score: c.score,
                checks: c.checks,
                passed: c.passed,
                failed: v1::FailuresBySeverity {
                    critical: c.failed.critical,
                    high: c.failed.high,
                    medium: c.failed.medium,
                    low: c.failed.low,
                    info: c.failed.info,
                },
                suppressed: c.suppressed,
                unknown: c.unknown,
            })
            .collect(),
    }
}

fn stats(s: &trustmap_engine::Stats) -> v1::Stats {
    let n = |v: usize| v as u64;
    v1::Stats {
        files_scanned: n(s.files_scanned),
        files_skipped: n(s.files_skipped),
        terraform_resources: n(s.terraform_resources),
        kubernetes_objects: n(s.kubernetes_objects),
        dockerfiles: n(s.dockerfiles),
        workflows: n(s.workflows),
        unknown_values: n(s.unknown_values),
        rules_run: n(s.rules_run),
        commits_scanned: (s.commits_scanned > 0).then(|| n(s.commits_scanned)),
        blobs_scanned: (s.commits_scanned > 0).then(|| n(s.blobs_scanned)),
        helm_charts: (s.helm_charts > 0).then(|| n(s.helm_charts)),
        helm_templates: (s.helm_charts > 0).then(|| n(s.helm_templates)),
        helm_templates_rendered: (s.helm_charts > 0).then(|| n(s.helm_templates_rendered)),
    }
}

/// A rule as a [`v1::Rule`].
pub(crate) fn rule(meta: &RuleMeta) -> v1::Rule {
    v1::Rule {
        id: meta.id.to_string(),
        name: meta.name.to_string(),
        severity: severity(meta.severity),
        capability: capability(meta.capability),
        languages: meta
            .languages
            .iter()
            .map(|l| l.as_str().to_string())
            .collect(),
        summary: doc::summary(meta),
        equivalents: equivalents(meta),
        doc: doc::markdown(meta),
    }
}
