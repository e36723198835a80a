//! Comparing a scan with an earlier state — a baseline file or a git revision — by
//! fingerprint: only findings and attack paths whose fingerprint the earlier state lacks stay
//! in the report, and the earlier ones that are gone are listed as fixed.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::report::{Report, ReportedFinding};
use crate::scorecard::Scorecard;

/// A finding as the earlier state knew it: enough to name it when it is fixed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KnownFinding {
    pub fingerprint: String,
    pub rule_id: String,
    pub rule_name: String,
    pub path: String,
    pub resource: String,
}

impl KnownFinding {
    pub fn of(f: &ReportedFinding) -> Self {
        Self {
            fingerprint: f.fingerprint.clone(),
            rule_id: f.finding.rule.id.to_string(),
            rule_name: f.finding.rule.name.to_string(),
            path: f.location.path.clone(),
            resource: f.finding.resource.clone(),
        }
    }
}

/// An attack path as the earlier state knew it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KnownPath {
    pub fingerprint: String,
    pub title: String,
}

/// Everything an earlier state is compared by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    pub findings: Vec<KnownFinding>,
    pub attack_paths: Vec<KnownPath>,
}

impl Known {
    pub fn of(report: &Report) -> Self {
        let mut attack_paths: Vec<KnownPath> = report
            .attack_paths
            .iter()
            .map(|p| KnownPath {
                fingerprint: p.path.fingerprint.clone(),
                title: p.path.title.clone(),
            })
            .collect();
        attack_paths.sort_by(|a, b| (&a.title, &a.fingerprint).cmp(&(&b.title, &b.fingerprint)));
        attack_paths.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Self {
            findings: known_findings(report),
            attack_paths,
        }
    }
}

/// Every finding of `report` (suppressed ones too: accepting a finding into a baseline and
/// suppressing it are independent), sorted by path, rule, resource and fingerprint so a
/// baseline file changes only where the findings do.
pub fn known_findings(report: &Report) -> Vec<KnownFinding> {
    let mut out: Vec<KnownFinding> = report.findings.iter().map(KnownFinding::of).collect();
    out.sort_by(|a, b| {
        (&a.path, &a.rule_id, &a.resource, &a.fingerprint).cmp(&(
            &b.path,
            &b.rule_id,
            &b.resource,
            &b.fingerprint,
        ))
    });
    out.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    out
}

/// What the report was compared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Against {
    /// `scan --baseline FILE`.
    Baseline { path: String },
    /// `scan --diff-base REF`: the revision as given and the commit it resolved to.
    Revision { rev: String, commit: String },
}

/// The outcome of a comparison, kept in [`Report::comparison`].
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub against: Against,
    /// Findings not in the earlier state (those left in [`Report::findings`]).
    pub new: usize,
    /// Findings also in the earlier state (removed from the report).
    pub unchanged: usize,
    /// Findings of the earlier state that are gone, in [`known_findings`] order.
    pub fixed: Vec<KnownFinding>,
    /// Attack paths not in the earlier state (those left in [`Report::attack_paths`]), those
    /// also there (removed from the report), and the earlier ones that are gone.
    pub new_paths: usize,
    pub unchanged_paths: usize,
    pub fixed_paths: Vec<KnownPath>,
    /// The earlier state's scorecard, when it was scanned (diff mode).
    pub base_scorecard: Option<Scorecard>,
}

/// Keeps in `report` only the findings and attack paths whose fingerprint `base` lacks, and
/// records the comparison. The scorecard stays the whole repository's.
pub fn compare(
    report: &mut Report,
    base: &Known,
    against: Against,
    base_scorecard: Option<Scorecard>,
) {
    let (new, unchanged, fixed) = split(
        &mut report.findings,
        |f| f.fingerprint.as_str(),
        &base.findings,
        |k| k.fingerprint.as_str(),
    );
    let (new_paths, unchanged_paths, fixed_paths) = split(
        &mut report.attack_paths,
        |p| p.path.fingerprint.as_str(),
        &base.attack_paths,
        |k| k.fingerprint.as_str(),
    );
    report.comparison = Some(Comparison {
        against,
        new,
        unchanged,
        fixed,
        new_paths,
        unchanged_paths,
        fixed_paths,
        base_scorecard,
    });
}

/// Drops from `now` what `before` has; returns the counts kept and dropped, and what of
/// `before` is gone (in its order).
fn split<T, K: Clone>(
    now: &mut Vec<T>,
    now_key: impl Fn(&T) -> &str,
    before: &[K],
    before_key: impl Fn(&K) -> &str,
) -> (usize, usize, Vec<K>) {
    let had: HashSet<&str> = before.iter().map(&before_key).collect();
    let has: HashSet<String> = now.iter().map(|x| now_key(x).to_string()).collect();
    let total = now.len();
    now.retain(|x| !had.contains(now_key(x)));
    let mut seen = HashSet::new();
    let gone = before
        .iter()
        .filter(|k| !has.contains(before_key(k)) && seen.insert(before_key(k).to_string()))
        .cloned()
        .collect();
    (now.len(), total - now.len(), gone)
}
