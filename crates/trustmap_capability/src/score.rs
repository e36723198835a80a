//! The scoring model (docs/capability-scoring.md): severity-weighted evaluations per team
//! and capability, normalised to 0–100, with the evidence behind each score.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use trustmap_rules::{Capability, Severity};

use crate::evidence::{Evidence, Source};
use crate::owners::{Ownership, UNOWNED};

/// Below this evidence weight a score is "low" evidence; below [`MEDIUM_EVIDENCE`], "medium".
pub const LOW_EVIDENCE: u64 = 20;
pub const MEDIUM_EVIDENCE: u64 = 100;

/// The team name of the whole-repository row (every evaluation, owned or not).
pub const REPOSITORY: &str = "(repository)";

/// How much evidence a score rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Nothing evaluated: no score.
    None,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn of(evidence_weight: u64) -> Self {
        match evidence_weight {
            0 => Self::None,
            w if w < LOW_EVIDENCE => Self::Low,
            w if w < MEDIUM_EVIDENCE => Self::Medium,
            _ => Self::High,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// Passes and failures of one capability, counted and weighted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Tally {
    pub passed: u32,
    pub failed: u32,
    pub pass_weight: u64,
    pub fail_weight: u64,
}

impl Tally {
    pub fn add(&mut self, passed: bool, severity: Severity, count: u32) {
        let w = u64::from(severity.weight()) * u64::from(count);
        if passed {
            self.passed += count;
            self.pass_weight += w;
        } else {
            self.failed += count;
            self.fail_weight += w;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.pass_weight += other.pass_weight;
        self.fail_weight += other.fail_weight;
    }

    /// Evaluations weighted by severity: the evidence the score rests on.
    pub fn evidence_weight(&self) -> u64 {
        self.pass_weight + self.fail_weight
    }

    /// `round(100 × pass weight / evidence weight)`, `None` without evidence.
    pub fn score(&self) -> Option<u32> {
        let total = self.evidence_weight();
        #[allow(clippy::cast_possible_truncation)]
        (total > 0).then(|| ((self.pass_weight * 200 + total) / (2 * total)) as u32)
    }
}

/// One team × capability cell.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Cell {
    pub capability: String,
    /// 0–100; `null` when nothing was evaluated.
    pub score: Option<u32>,
    /// Evaluations (passes + failures) behind the score.
    pub evaluations: u32,
    /// The same, weighted by severity.
    pub evidence_weight: u64,
    pub confidence: Confidence,
    #[serde(flatten)]
    pub tally: Tally,
}

impl Cell {
    pub fn new(capability: Capability, tally: Tally) -> Self {
        Self {
            capability: capability.as_str().to_string(),
            score: tally.score(),
            evaluations: tally.passed + tally.failed,
            evidence_weight: tally.evidence_weight(),
            confidence: Confidence::of(tally.evidence_weight()),
            tally,
        }
    }
}

/// The four cells of one team (or of the whole repository).
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct TeamScores {
    pub team: String,
    /// Identity, failure, iac, design, in that order.
    pub capabilities: Vec<Cell>,
}

impl TeamScores {
    pub fn new(team: &str, tallies: &[Tally; 4]) -> Self {
        Self {
            team: team.to_string(),
            capabilities: Capability::ALL
                .iter()
                .zip(tallies)
                .map(|(c, t)| Cell::new(*c, *t))
                .collect(),
        }
    }

    pub fn cell(&self, capability: Capability) -> &Cell {
        &self.capabilities[index(capability)]
    }
}

pub(crate) fn index(c: Capability) -> usize {
    Capability::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// Tallies per team (plus the repository row), before they become cells.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    pub repository: [Tally; 4],
    pub teams: BTreeMap<String, [Tally; 4]>,
}

impl Tallies {
    /// Credits each evaluation to the team owning its file. A rule whose passes are not all
    /// located cannot be split between teams without bias (its located failures would count
    /// against a team, its passes for nobody), so it counts for the repository only: a rule
    /// that does not locate its passes by design (a custom policy, see
    /// [`Source::Rule::locates_passes`]), or one that recorded a pass without a location in
    /// this scan. Every built-in rule locates its passes (`tests/locating_rules.rs`). Attack
    /// paths are credited to the file of their first located hop.
    pub fn from_evidence(evidence: &[Evidence], owners: &Ownership) -> Self {
        let unlocated: std::collections::HashSet<&str> = evidence
            .iter()
            .filter_map(|e| match &e.source {
                Source::Rule {
                    id, locates_passes, ..
                } if !locates_passes || (e.passed && e.path.is_none()) => Some(*id),
                _ => None,
            })
            .collect();
        let mut t = Tallies::default();
        for e in evidence {
            let i = index(e.capability);
            t.repository[i].add(e.passed, e.severity, e.count);
            if let Source::Rule { id, .. } = &e.source
                && unlocated.contains(id)
            {
                continue;
            }
            if let Some(path) = &e.path {
                let team = owners.team_of(path).unwrap_or_else(|| UNOWNED.to_string());
                t.teams.entry(team).or_default()[i].add(e.passed, e.severity, e.count);
            }
        }
        t
    }

    pub fn merge(&mut self, other: &Tallies) {
        for (a, b) in self.repository.iter_mut().zip(&other.repository) {
            a.merge(b);
        }
        for (team, tallies) in &other.teams {
            let mine = self.teams.entry(team.clone()).or_default();
            for (a, b) in mine.iter_mut().zip(tallies) {
                a.merge(b);
            }
        }
    }

    /// The repository row, then teams by name with the unowned row last.
    pub fn rows(&self) -> Vec<TeamScores> {
        let mut rows = vec![TeamScores::new(REPOSITORY, &self.repository)];
        let mut teams: Vec<_> = self.teams.iter().collect();
        teams.sort_by_key(|(name, _)| (name.as_str() == UNOWNED, name.as_str()));
        rows.extend(teams.into_iter().map(|(n, t)| TeamScores::new(n, t)));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_rounds_half_up_and_is_none_without_evidence() {
        let mut t = Tally::default();
        assert_eq!(t.score(), None);
        t.add(true, Severity::Low, 1);
        t.add(false, Severity::Low, 1);
        assert_eq!(t.score(), Some(50));
        // 2 / 3 = 66.67 → 67
        t.add(true, Severity::Low, 1);
        assert_eq!(t.score(), Some(67));
        // 1 / 8 = 12.5 → 13
        let mut u = Tally::default();
        u.add(true, Severity::Low, 1);
        u.add(false, Severity::Low, 7);
        assert_eq!(u.score(), Some(13));
    }

    #[test]
    fn confidence_thresholds() {
        assert_eq!(Confidence::of(0), Confidence::None);
        assert_eq!(Confidence::of(19), Confidence::Low);
        assert_eq!(Confidence::of(20), Confidence::Medium);
        assert_eq!(Confidence::of(100), Confidence::High);
    }
}
