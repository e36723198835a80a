//! One scan assessed: scores per team, the gaps behind them, the files nobody owns.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use trustmap_engine::Report;

use crate::evidence::{self, Evidence, Source};
use crate::owners::{Ownership, UNOWNED};
use crate::score::{Tallies, TeamScores};

/// How many gaps an assessment keeps.
pub const MAX_GAPS: usize = 12;

/// What one scan says about each team's capabilities.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Assessment {
    /// The repository row first, then each team, unowned last.
    pub scores: Vec<TeamScores>,
    /// The failures that cost the most, worst first.
    pub gaps: Vec<Gap>,
    /// Files with evidence that no `[owners]` entry or CODEOWNERS rule assigns.
    pub unowned_files: Vec<String>,
    /// CODEOWNERS lines that could not be used.
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub tallies: Tallies,
}

/// A rule (or the attack paths) costing a team score in one capability.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Gap {
    pub team: String,
    pub capability: String,
    /// Rule id, or `attack-path`.
    pub rule: String,
    pub name: String,
    pub severity: String,
    /// Severity weight lost: what fixing every failure here would add to the pass weight.
    pub lost_weight: u64,
    pub failures: u32,
    /// Where, as `path:line`, with what is wrong (at most five).
    pub evidence: Vec<GapEvidence>,
    /// The practice that closes the gap: the rule documentation's `## Fix` section, or the
    /// change that breaks the attack path.
    pub fix: String,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct GapEvidence {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Assesses `report`; `read` returns a file of the same tree (for CODEOWNERS).
pub fn assess(report: &Report, read: &dyn Fn(&str) -> Option<String>) -> Assessment {
    let owners = Ownership::new(
        report.governance.owners.clone(),
        Ownership::find_codeowners(read),
    );
    let evidence = evidence::collect(report);
    assess_evidence(&evidence, &owners)
}

pub fn assess_evidence(evidence: &[Evidence], owners: &Ownership) -> Assessment {
    let tallies = Tallies::from_evidence(evidence, owners);
    let mut unowned: Vec<String> = evidence
        .iter()
        .filter_map(|e| e.path.as_ref())
        .filter(|p| owners.team_of(p).is_none())
        .cloned()
        .collect();
    unowned.sort();
    unowned.dedup();
    Assessment {
        scores: tallies.rows(),
        gaps: gaps(evidence, owners),
        unowned_files: unowned,
        warnings: owners.warnings().to_vec(),
        tallies,
    }
}

fn gaps(evidence: &[Evidence], owners: &Ownership) -> Vec<Gap> {
    let mut by: BTreeMap<(String, &'static str, String), Gap> = BTreeMap::new();
    for e in evidence.iter().filter(|e| !e.passed) {
        let team = e
            .path
            .as_deref()
            .and_then(|p| owners.team_of(p))
            .unwrap_or_else(|| UNOWNED.to_string());
        let (rule, name, fix) = match &e.source {
            Source::Rule { id, name, fix, .. } => (id.to_string(), name.to_string(), fix.clone()),
            Source::AttackPath { fix, .. } => (
                "attack-path".to_string(),
                "attack paths".to_string(),
                fix.clone().unwrap_or_default(),
            ),
        };
        let gap = by
            .entry((team.clone(), e.capability.as_str(), rule.clone()))
            .or_insert_with(|| Gap {
                team,
                capability: e.capability.as_str().to_string(),
                rule,
                name,
                severity: format!("{:?}", e.severity).to_lowercase(),
                lost_weight: 0,
                failures: 0,
                evidence: Vec::new(),
                fix,
            });
        gap.lost_weight += u64::from(e.severity.weight()) * u64::from(e.count);
        gap.failures += e.count;
        if gap.evidence.len() < 5 {
            gap.evidence.push(GapEvidence {
                path: e.path.clone().unwrap_or_default(),
                line: e.line,
                message: e.message.clone(),
            });
        }
    }
    let mut gaps: Vec<Gap> = by.into_values().collect();
    gaps.sort_by(|a, b| {
        b.lost_weight
            .cmp(&a.lost_weight)
            .then_with(|| a.team.cmp(&b.team))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    gaps.truncate(MAX_GAPS);
    gaps
}
