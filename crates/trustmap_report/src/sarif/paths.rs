//! Attack paths as SARIF results: one result per path, located at the target, with the
//! hops as a `codeFlows[].threadFlows[].locations` list (SARIF §3.36), so code-scanning
//! views can step through the path.

use std::collections::BTreeMap;

use serde::Serialize;
use trustmap_engine::Report;
use trustmap_engine::graph::{ReportedPath, severity as rule_severity};

use super::{
    Configuration, FINGERPRINT_KEY, Help, LogicalLocation, ReportingDescriptor, ResultProperties,
    RuleProperties, SarifLocation, SarifResult, Text, level, physical, problem_severity,
    security_severity,
};

/// The rule id every attack-path result carries.
pub(super) const RULE_ID: &str = "TM-PATH-001";

/// The descriptor of [`RULE_ID`].
pub(super) fn descriptor() -> ReportingDescriptor {
    let text = "An untrusted source (the internet, any GitHub repository, a fork's pull \
                request, any AWS account) reaches data, a secret or administrator rights \
                through a chain of exposures, identities and grants. Each hop is in the code \
                flow, with why it holds; breaking any hop breaks the path.";
    ReportingDescriptor {
        id: RULE_ID,
        name: "attack-path",
        short_description: Text {
            text: "Attack path from an untrusted source to a crown jewel".to_string(),
        },
        full_description: Text {
            text: text.to_string(),
        },
        help: Help {
            text: text.to_string(),
            markdown: text.to_string(),
        },
        default_configuration: Configuration {
            level: level(trustmap_rules::Severity::High),
        },
        properties: RuleProperties {
            security_severity: security_severity(trustmap_rules::Severity::High),
            problem_severity: problem_severity(trustmap_rules::Severity::High),
            tags: vec![
                "security".to_string(),
                "design".to_string(),
                "attack-path".to_string(),
            ],
        },
    }
}

pub(super) fn results(report: &Report, rule_index: usize) -> Vec<SarifResult> {
    report
        .attack_paths
        .iter()
        .filter_map(|p| result(report, p, rule_index))
        .collect()
}

fn result(report: &Report, p: &ReportedPath, rule_index: usize) -> Option<SarifResult> {
    let severity = rule_severity(p.path.severity);
    let located: Vec<_> = p
        .steps
        .iter()
        .filter_map(|s| Some((s, s.location.as_ref()?)))
        .collect();
    let (target, target_loc) = located.last()?;
    let mut primary = physical(&report.sources, target_loc, false);
    primary.logical_locations = vec![LogicalLocation {
        name: target.resource.clone(),
        fully_qualified_name: target.resource.clone(),
        kind: "resource",
    }];
    let hops = located
        .iter()
        .map(|(s, loc)| {
            let mut l = physical(&report.sources, loc, false);
            let text = match &s.why {
                Some(why) => format!("{} — {why}", s.label),
                None => s.label.clone(),
            };
            l.message = Some(Text { text });
            ThreadFlowLocation { location: l }
        })
        .collect();
    let mut message = p.path.title.clone();
    if let Some(fix) = &p.fix {
        message.push_str(". Fix: ");
        message.push_str(fix);
    }
    Some(SarifResult {
        rule_id: RULE_ID,
        rule_index: Some(rule_index),
        level: level(severity),
        message: Text { text: message },
        locations: vec![primary],
        related_locations: Vec::new(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, p.path.fingerprint.clone())]),
        code_flows: vec![CodeFlow {
            thread_flows: vec![ThreadFlow { locations: hops }],
        }],
        suppressions: Vec::new(),
        properties: ResultProperties {
            severity: severity.as_str(),
            capability: "design",
            resource: target.resource.clone(),
            commit: None,
        },
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CodeFlow {
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: SarifLocation,
}
