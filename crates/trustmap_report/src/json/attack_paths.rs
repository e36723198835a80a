//! Attack paths and their fixes as JSON v1 DTOs.

use trustmap_engine::Report;
use trustmap_engine::graph::{ReportedPath, severity as rule_severity};

use super::v1;

pub(super) fn paths(report: &Report) -> Vec<v1::AttackPath> {
    report.attack_paths.iter().map(path).collect()
}

fn path(p: &ReportedPath) -> v1::AttackPath {
    // The source has no evidence of its own: it is located where the exposure is written.
    let mut last = p
        .steps
        .iter()
        .find_map(|s| s.location.as_ref())
        .map(|l| (l.path.clone(), l.start_line))
        .unwrap_or_default();
    let steps = p
        .steps
        .iter()
        .map(|s| {
            if let Some(l) = &s.location {
                last = (l.path.clone(), l.start_line);
            }
            v1::AttackPathStep {
                resource: s.resource.clone(),
                kind: s.kind.as_str().to_string(),
                label: s.label.clone(),
                path: last.0.clone(),
                start_line: last.1,
                relation: s.relation.map_or("source", |r| r.as_str()).to_string(),
                why: s.why.clone(),
                conditions: s.conditions.clone(),
            }
        })
        .collect();
    v1::AttackPath {
        severity: super::severity(rule_severity(p.path.severity)),
        score: p.path.score,
        title: p.path.title.clone(),
        steps,
        fingerprint: p.path.fingerprint.clone(),
        fix: p.fix.clone(),
    }
}

pub(super) fn fixes(report: &Report) -> Vec<v1::AttackPathFix> {
    report
        .fixes
        .iter()
        .map(|f| {
            let location = report
                .graph
                .edge(f.edge)
                .and_then(|(_, _, e)| e.span)
                .and_then(|s| trustmap_engine::Location::resolve(&report.sources, s));
            v1::AttackPathFix {
                advice: f.advice.clone(),
                breaks: u32::try_from(f.breaks).unwrap_or(u32::MAX),
                path: location.as_ref().map(|l| l.path.clone()),
                start_line: location.map(|l| l.start_line),
            }
        })
        .collect()
}
