//! The capability report: JSON (schema `schemas/capability.schema.json`) and text.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;
use trustmap_rules::Capability;

use crate::assess::Assessment;
use crate::history::{CommitRef, Trend};
use crate::score::{Cell, LOW_EVIDENCE, MEDIUM_EVIDENCE, TeamScores};

/// Version of the JSON contract; bumped on breaking changes only.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything `trustmap capability` reports.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CapabilityReport {
    pub schema_version: u32,
    pub tool_version: String,
    pub model: ScoringModel,
    pub repositories: Vec<RepositoryResult>,
    /// One row per team across every repository (present with two or more repositories).
    pub organisation: Option<Vec<TeamScores>>,
}

/// The constants of the scoring model (docs/capability-scoring.md).
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ScoringModel {
    /// Severity weights: critical, high, medium, low, info.
    pub weights: [u32; 5],
    /// Evidence weight under which confidence is `low`.
    pub low_evidence_below: u64,
    /// Evidence weight under which confidence is `medium` (else `high`).
    pub medium_evidence_below: u64,
}

impl Default for ScoringModel {
    fn default() -> Self {
        Self {
            weights: [10, 5, 2, 1, 1],
            low_evidence_below: LOW_EVIDENCE,
            medium_evidence_below: MEDIUM_EVIDENCE,
        }
    }
}

/// One repository: its current assessment and, with `--history`/`--since`, its trend.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RepositoryResult {
    /// Directory name.
    pub name: String,
    pub path: String,
    /// HEAD when the repository is a git work tree (the scan reads the files on disk).
    pub commit: Option<CommitRef>,
    #[serde(flatten)]
    pub assessment: Assessment,
    pub trend: Option<Trend>,
}

impl CapabilityReport {
    pub fn new(repositories: Vec<RepositoryResult>, tool_version: &str) -> Self {
        let organisation = (repositories.len() > 1).then(|| crate::org::roll_up(&repositories));
        Self {
            schema_version: SCHEMA_VERSION,
            tool_version: tool_version.to_string(),
            model: ScoringModel::default(),
            repositories,
            organisation,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            format!("{{\"error\": \"cannot serialise the capability report: {e}\"}}")
        });
        s.push('\n');
        s
    }

    /// The JSON schema of [`CapabilityReport`].
    pub fn schema() -> String {
        let schema = schemars::schema_for!(CapabilityReport);
        let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for r in &self.repositories {
            let at = r.commit.as_ref().map_or(String::new(), |c| {
                format!(" at {} ({})", short(&c.id), &c.date[..10.min(c.date.len())])
            });
            let _ = writeln!(out, "Capability check: {}{at}\n", r.name);
            matrix(&mut out, &r.assessment.scores);
            if let Some(t) = &r.trend {
                trend(&mut out, t);
            }
            if !r.assessment.gaps.is_empty() {
                let _ = writeln!(out, "\nTop gaps");
                for g in r.assessment.gaps.iter().take(5) {
                    let _ = writeln!(
                        out,
                        "  {:<14} {:<9} {} {} ({} failure{}, weight {})",
                        g.team,
                        g.capability,
                        g.rule,
                        g.name,
                        g.failures,
                        if g.failures == 1 { "" } else { "s" },
                        g.lost_weight
                    );
                    if let Some(e) = g.evidence.first() {
                        let line = e.line.map_or(String::new(), |l| format!(":{l}"));
                        let _ = writeln!(out, "      at {}{line}: {}", e.path, e.message);
                    }
                    if let Some(fix) = g
                        .fix
                        .lines()
                        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("```"))
                    {
                        let _ = writeln!(out, "      fix: {}", fix.trim());
                    }
                }
            }
            if !r.assessment.unowned_files.is_empty() {
                let _ = writeln!(
                    out,
                    "\nUnowned ({} file{}): {}",
                    r.assessment.unowned_files.len(),
                    if r.assessment.unowned_files.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    r.assessment.unowned_files.join(", ")
                );
            }
            for w in &r.assessment.warnings {
                let _ = writeln!(out, "warning: CODEOWNERS {w}");
            }
            out.push('\n');
        }
        if let Some(org) = &self.organisation {
            let _ = writeln!(out, "All repositories ({})\n", self.repositories.len());
            matrix(&mut out, org);
            out.push('\n');
        }
        out.push_str(
            "score = 100 × passed weight / evaluated weight (critical 10, high 5, medium 2, \
             low 1); n = evaluations; see docs/capability-scoring.md\n",
        );
        out
    }
}

fn short(id: &str) -> &str {
    &id[..12.min(id.len())]
}

fn cell_text(c: &Cell) -> String {
    match c.score {
        None => "—".to_string(),
        Some(s) => format!("{s:>3} n={} {}", c.evaluations, c.confidence.as_str()),
    }
}

fn matrix(out: &mut String, rows: &[TeamScores]) {
    let width = rows
        .iter()
        .map(|r| r.team.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut line = format!("  {:<width$}", "team");
    for c in Capability::ALL {
        let _ = write!(line, "  {:<18}", c.as_str());
    }
    let _ = writeln!(out, "{}", line.trim_end());
    for r in rows {
        let mut line = format!("  {:<width$}", r.team);
        for c in &r.capabilities {
            let _ = write!(line, "  {:<18}", cell_text(c));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn trend(out: &mut String, t: &crate::history::Trend) {
    let _ = writeln!(
        out,
        "\nTrend over {} commits ({} scanned)",
        t.points.len(),
        t.commits_scanned
    );
    for cap in Capability::ALL {
        let values: Vec<String> = t
            .points
            .iter()
            .map(|p| {
                p.scores
                    .first()
                    .and_then(|r| r.cell(cap).score)
                    .map_or("—".to_string(), |s| s.to_string())
            })
            .collect();
        let _ = writeln!(out, "  {:<9} {}", cap.as_str(), values.join(" → "));
    }
    let moved: Vec<_> = t.movers.iter().filter(|m| m.delta != 0).take(5).collect();
    if !moved.is_empty() {
        let _ = writeln!(out, "\nCommits that moved it most");
        for m in moved {
            let _ = writeln!(
                out,
                "  {:+4} {:<9} {:<14} {} {}{} {}",
                m.delta,
                m.capability,
                m.team,
                short(&m.commit.id),
                &m.commit.date[..10.min(m.commit.date.len())],
                if m.exact { "" } else { " (interval end)" },
                m.commit.summary
            );
        }
    }
}
