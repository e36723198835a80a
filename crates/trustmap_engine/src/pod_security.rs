//! The Pod Security section: for each workload, whether the API server would admit its
//! pods under the Pod Security Standards level that applies to it, and which controls fail.
//!
//! The level of a workload is its Namespace's `pod-security.kubernetes.io/enforce` label
//! when the scan has that Namespace (that label is what the admission controller applies),
//! else `--profile`; workloads with neither are left out. Admission ignores trustmap's
//! suppression comments, so suppressed findings still count here. The section runs the Pod
//! Security rules itself, so `--rule`/`--skip-rule` never make a verdict look cleaner.

use std::collections::HashMap;

use trustmap_model::Model;
use trustmap_model::k8s::Namespace;
pub use trustmap_model::k8s::PssLevel;
use trustmap_rules::{Finding, Sink, find_rule, pss};
use trustmap_source::SourceMap;

use crate::{Location, Settings};

/// The section, present when `--profile` was given or a scanned Namespace sets a level.
#[derive(Clone, Debug)]
pub struct PodSecurity {
    /// `--profile`, when given.
    pub profile: Option<PssLevel>,
    /// Every workload with a level, in source order.
    pub workloads: Vec<Admission>,
}

impl PodSecurity {
    /// Workloads whose pods would be admitted.
    pub fn admitted(&self) -> usize {
        self.workloads.iter().filter(|w| w.admitted()).count()
    }
}

/// One workload's verdict.
#[derive(Clone, Debug)]
pub struct Admission {
    /// `Kind/namespace/name`.
    pub resource: String,
    /// The workload's document.
    pub location: Location,
    pub level: PssLevel,
    pub level_from: LevelSource,
    /// Failing controls, in source order.
    pub violations: Vec<Violation>,
}

impl Admission {
    pub fn admitted(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Where a workload's level comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LevelSource {
    /// `--profile`.
    Profile,
    /// The `pod-security.kubernetes.io/enforce` label of its Namespace, at `location`.
    NamespaceLabel { location: Location },
}

/// One failing control.
#[derive(Clone, Debug)]
pub struct Violation {
    /// The control as the Kubernetes documentation names it.
    pub control: &'static str,
    /// The profile that introduces it.
    pub control_level: PssLevel,
    pub rule_id: &'static str,
    pub message: String,
    pub location: Location,
}

impl Settings {
    /// `--profile level`: the report gets a Pod Security section for that level, and the
    /// Pod Security rules of stricter levels do not run (restricted includes baseline).
    pub fn set_profile(&mut self, level: PssLevel) {
        self.profile = Some(level);
        self.rules.retain(|r| pss::runs_under(r.meta().id, level));
    }
}

/// Builds the section, or `None` when no workload has a level.
pub(crate) fn evaluate(
    profile: Option<PssLevel>,
    model: &Model,
    sources: &SourceMap,
) -> Option<PodSecurity> {
    let namespaces: HashMap<&str, &Namespace> = model
        .k8s
        .namespaces
        .iter()
        .map(|ns| (ns.object.name.as_str(), ns))
        .collect();
    let levels: Vec<Option<(PssLevel, LevelSource)>> = model
        .k8s
        .workloads
        .iter()
        .map(|w| {
            let labelled = w
                .object
                .namespace
                .as_deref()
                .and_then(|ns| namespaces.get(ns))
                .and_then(|ns| ns.pss_enforce());
            match labelled {
                Some((level, kv)) => {
                    let location = Location::resolve(sources, kv.key_span)?;
                    Some((level, LevelSource::NamespaceLabel { location }))
                }
                None => profile.map(|p| (p, LevelSource::Profile)),
            }
        })
        .collect();
    if profile.is_none() && levels.iter().all(Option::is_none) {
        return None;
    }
    let findings = pss_findings(model);
    let mut workloads = Vec::new();
    for (workload, level) in model.k8s.workloads.iter().zip(levels) {
        let Some((level, level_from)) = level else {
            continue;
        };
        let Some(location) = Location::resolve(sources, workload.object.meta.span) else {
            continue;
        };
        let mut violations: Vec<Violation> = findings
            .get(&workload.object.meta.address)
            .into_iter()
            .flatten()
            .filter(|(control, _)| level != PssLevel::Privileged && control.level <= level)
            .filter_map(|(control, f)| {
                Some(Violation {
                    control: control.name,
                    control_level: control.level,
                    rule_id: control.rule_id,
                    message: f.message.clone(),
                    location: Location::resolve(sources, f.primary)?,
                })
            })
            .collect();
        violations.sort_by(|a, b| {
            (a.location.start_line, a.location.start_col, a.rule_id).cmp(&(
                b.location.start_line,
                b.location.start_col,
                b.rule_id,
            ))
        });
        workloads.push(Admission {
            resource: workload.object.meta.address.clone(),
            location,
            level,
            level_from,
            violations,
        });
    }
    workloads.sort_by(|a, b| {
        (&a.location.path, a.location.start_line, &a.resource).cmp(&(
            &b.location.path,
            b.location.start_line,
            &b.resource,
        ))
    });
    // Kustomize may build one base into the same address twice; one verdict is enough.
    workloads.dedup_by(|a, b| a.resource == b.resource && a.location == b.location);
    Some(PodSecurity { profile, workloads })
}

/// The findings of every Pod Security rule, by resource address.
fn pss_findings(model: &Model) -> HashMap<String, Vec<(&'static pss::Control, Finding)>> {
    let mut out: HashMap<String, Vec<_>> = HashMap::new();
    for control in pss::CONTROLS {
        let Some(rule) = find_rule(control.rule_id) else {
            continue;
        };
        // A rule that panics is reported by the main rule pass; here it only adds nothing.
        let Ok(outcome) = crate::guarded(control.rule_id, None, || {
            let mut sink = Sink::new(rule.meta());
            rule.check(model, &mut sink);
            sink.finish()
        }) else {
            continue;
        };
        for f in outcome.findings {
            out.entry(f.resource.clone())
                .or_default()
                .push((control, f));
        }
    }
    out
}
