//! A scan's evaluations as capability evidence: rule passes and failures, and attack paths.

use trustmap_engine::Report;
use trustmap_rules::{Capability, Severity};

/// Where an evaluation comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Rule {
        id: &'static str,
        name: &'static str,
        /// The rule documentation's `## Fix` section.
        fix: String,
        /// Whether the rule records every pass with a location, so that its evaluations can be
        /// split between teams: every built-in rule does; a custom policy records one pass for
        /// the whole scan, with no location.
        locates_passes: bool,
    },
    /// An attack path: a failed `design` evaluation with its title and fix.
    AttackPath { title: String, fix: Option<String> },
}

/// One or more evaluations with the same outcome, rule and file.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub capability: Capability,
    pub severity: Severity,
    pub passed: bool,
    pub count: u32,
    /// The file it is written in; `None` for passes recorded without a location.
    pub path: Option<String>,
    pub line: Option<u32>,
    pub source: Source,
    /// For failures: what is wrong, one sentence.
    pub message: String,
}

/// Every evaluation of `report`: located and unlocated passes, unsuppressed findings (a
/// suppressed one is accepted risk, neither pass nor fail, as in the scan's scorecard) and
/// attack paths, located at their first hop with a location.
pub fn collect(report: &Report) -> Vec<Evidence> {
    let mut out = Vec::new();
    for p in &report.passes {
        out.push(Evidence {
            capability: p.rule.capability,
            severity: p.rule.severity,
            passed: true,
            count: p.count,
            path: p.path.clone(),
            line: None,
            source: rule_source(p.rule),
            message: String::new(),
        });
    }
    for f in report.findings.iter().filter(|f| f.suppressed.is_none()) {
        let rule = f.finding.rule;
        out.push(Evidence {
            capability: rule.capability,
            severity: f.finding.severity,
            passed: false,
            count: 1,
            path: Some(f.location.path.clone()),
            line: Some(f.location.start_line),
            source: rule_source(rule),
            message: f.finding.message.clone(),
        });
    }
    for p in &report.attack_paths {
        let at = p.steps.iter().find_map(|s| s.location.as_ref());
        out.push(Evidence {
            capability: Capability::Design,
            severity: trustmap_engine::graph::severity(p.severity()),
            passed: false,
            count: 1,
            path: at.map(|l| l.path.clone()),
            line: at.map(|l| l.start_line),
            source: Source::AttackPath {
                title: p.path.title.clone(),
                fix: p.fix.clone(),
            },
            message: p.path.title.clone(),
        });
    }
    out
}

fn rule_source(rule: &'static trustmap_rules::RuleMeta) -> Source {
    Source::Rule {
        id: rule.id,
        name: rule.name,
        fix: rule.section("Fix").unwrap_or_default(),
        locates_passes: trustmap_rules::find_rule(rule.id)
            .is_some_and(|r| r.meta().id == rule.id && r.meta().name == rule.name),
    }
}
