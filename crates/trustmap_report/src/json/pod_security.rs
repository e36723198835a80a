//! The Pod Security section as [`v1::PodSecurity`].

use trustmap_engine::PodSecurity;
use trustmap_engine::pod_security::{LevelSource, Violation};
use trustmap_model::k8s::PssLevel;

use super::v1;

pub(super) fn to_dto(section: &PodSecurity) -> v1::PodSecurity {
    v1::PodSecurity {
        profile: section.profile.map(level),
        evaluated: section.workloads.len() as u64,
        admitted: section.admitted() as u64,
        workloads: section
            .workloads
            .iter()
            .map(|w| {
                let (level_source, source_location) = match &w.level_from {
                    LevelSource::Profile => (v1::PssLevelSource::Profile, None),
                    LevelSource::NamespaceLabel { location } => {
                        (v1::PssLevelSource::NamespaceLabel, Some(location))
                    }
                    LevelSource::Unenforced => (v1::PssLevelSource::Unenforced, None),
                };
                v1::PodSecurityWorkload {
                    resource: w.resource.clone(),
                    path: w.location.path.clone(),
                    start_line: w.location.start_line,
                    level: level(w.level),
                    level_source,
                    level_source_path: source_location.map(|l| l.path.clone()),
                    level_source_line: source_location.map(|l| l.start_line),
                    admitted: w.admitted(),
                    violations: violations(&w.violations),
                    admitted_with_warnings: w.admitted_with_warnings(),
                    advisories: w
                        .advisories
                        .iter()
                        .map(|a| v1::PodSecurityAdvisory {
                            mode: a.mode.as_str().to_string(),
                            level: level(a.level),
                            path: a.location.path.clone(),
                            line: a.location.start_line,
                            violations: violations(&a.violations),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

fn violations(list: &[Violation]) -> Vec<v1::PodSecurityViolation> {
    list.iter()
        .map(|v| v1::PodSecurityViolation {
            control: v.control.to_string(),
            control_level: level(v.control_level),
            rule_id: v.rule_id.to_string(),
            message: v.message.clone(),
            path: v.location.path.clone(),
            start_line: v.location.start_line,
            end_line: v.location.end_line,
        })
        .collect()
}

fn level(l: PssLevel) -> v1::PssLevel {
    match l {
        PssLevel::Privileged => v1::PssLevel::Privileged,
        PssLevel::Baseline => v1::PssLevel::Baseline,
        PssLevel::Restricted => v1::PssLevel::Restricted,
    }
}
