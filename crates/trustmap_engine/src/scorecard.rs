//! The capability scorecard: findings rolled up into the four capabilities.
//!
//! Every rule is evidence for one capability. For each capability, each evaluated target
//! (a rule applied to one resource) is a *check*: it passes, or it fails with the rule's
//! severity. Checks are weighted by severity (critical 10, high 5, medium 2, low/info 1), and
//!
//! ```text
//! score = round(100 × Σ weight(passed checks) / Σ weight(all checks))
//! ```
//!
//! so one critical failure costs as much as ten low ones. Suppressed findings (with a reason)
//! are accepted risk: counted apart, neither pass nor fail. Targets a rule could not decide
//! because a value was unknown are counted as `unknown` and left out of the score, so a partial
//! evaluation never looks clean. A capability with no checks has no score (`null`).

use serde::Serialize;
use trustmap_rules::{Capability, RuleOutcome, Severity};

/// Scores for the four capabilities.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Scorecard {
    pub capabilities: Vec<CapabilityScore>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CapabilityScore {
    pub capability: Capability,
    pub title: &'static str,
    /// Checks evaluated: passed + failed.
    pub checks: u32,
    pub passed: u32,
    pub failed: FailuresBySeverity,
    pub suppressed: u32,
    pub unknown: u32,
    /// 0–100, or `None` when nothing was evaluated.
    pub score: Option<u32>,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct FailuresBySeverity {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
    pub info: u32,
}

impl FailuresBySeverity {
    fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// One finding's contribution: its rule's capability, severity and whether it was suppressed.
pub(crate) struct Failure {
    pub capability: Capability,
    pub severity: Severity,
    pub suppressed: bool,
}

pub(crate) fn compute(outcomes: &[RuleOutcome], failures: &[Failure]) -> Scorecard {
    let capabilities = Capability::ALL
        .into_iter()
        .map(|cap| {
            let mut passed = 0u32;
            let mut unknown = 0u32;
            let mut pass_weight = 0u64;
            for o in outcomes.iter().filter(|o| o.rule.capability == cap) {
                passed += o.passed;
                unknown += o.unknown;
                pass_weight += u64::from(o.passed) * u64::from(o.rule.severity.weight());
            }
            let mut failed = FailuresBySeverity::default();
            let mut suppressed = 0u32;
            let mut fail_weight = 0u64;
            for f in failures.iter().filter(|f| f.capability == cap) {
                if f.suppressed {
                    suppressed += 1;
                } else {
                    failed.add(f.severity);
                    fail_weight += u64::from(f.severity.weight());
                }
            }
            let total = pass_weight + fail_weight;
            #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
            let score =
                (total > 0).then(|| ((pass_weight as f64 * 100.0) / total as f64).round() as u32);
            CapabilityScore {
                capability: cap,
                title: cap.title(),
                checks: passed + failed.total(),
                passed,
                failed,
                suppressed,
                unknown,
                score,
            }
        })
        .collect();
    Scorecard { capabilities }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_rules::{Rule, declare_rule};

    declare_rule! {
        /// ## What it finds
        /// Test rule.
        pub(crate) HighIdentity { id: "T-001", name: "high-identity", severity: High, capability: Identity,
            languages: [Terraform], equivalents: {} }
    }
    declare_rule! {
        /// ## What it finds
        /// Test rule.
        pub(crate) LowIdentity { id: "T-002", name: "low-identity", severity: Low, capability: Identity,
            languages: [Terraform], equivalents: {} }
    }
    impl Rule for HighIdentity {
        fn meta(&self) -> &'static trustmap_rules::RuleMeta {
            &Self::META
        }
        fn check(&self, _: &trustmap_model::Model, _: &mut trustmap_rules::Sink) {}
    }

    fn outcome(meta: &'static trustmap_rules::RuleMeta, passed: u32, unknown: u32) -> RuleOutcome {
        RuleOutcome {
            rule: meta,
            findings: Vec::new(),
            passed,
            passed_at: Vec::new(),
            unknown,
        }
    }

    #[test]
    fn score_weights_checks_by_severity() {
        // 3 high passes (15) + 4 low passes (4); 1 high failure (5) + 1 low failure (1).
        let _ = (HighIdentity, LowIdentity);
        let outcomes = [
            outcome(&HighIdentity::META, 3, 2),
            outcome(&LowIdentity::META, 4, 0),
        ];
        let failures = [
            Failure {
                capability: Capability::Identity,
                severity: Severity::High,
                suppressed: false,
            },
            Failure {
                capability: Capability::Identity,
                severity: Severity::Low,
                suppressed: false,
            },
            Failure {
                capability: Capability::Identity,
                severity: Severity::Critical,
                suppressed: true,
            },
        ];
        let card = compute(&outcomes, &failures);
        let id = &card.capabilities[0];
        assert_eq!(id.capability, Capability::Identity);
        assert_eq!(id.checks, 9);
        assert_eq!(id.passed, 7);
        assert_eq!(
            (id.failed.high, id.failed.low, id.failed.critical),
            (1, 1, 0)
        );
        assert_eq!(id.suppressed, 1);
        assert_eq!(id.unknown, 2);
        // 100 × 19 / 25 = 76
        assert_eq!(id.score, Some(76));
        // Nothing evaluated: no score rather than a perfect one.
        assert_eq!(card.capabilities[1].score, None);
        assert_eq!(card.capabilities[1].checks, 0);
    }
}
