//! The Pod Security section: for each workload, whether the API server would admit its
//! pods under the Pod Security Standards level that applies to it, and which controls fail.
//!
//! The level of a workload is its Namespace's `pod-security.kubernetes.io/enforce` label
//! when the scan has that Namespace (that label is what the admission controller applies),
//! else `--profile`; workloads with neither are left out. Admission ignores trustmap's
//! suppression comments, so suppressed findings still count here. The section runs the Pod
//! Security rules itself, so `--rule`/`--skip-rule` never make a verdict look cleaner.
//!
//! The Namespace's `warn` and `audit` labels add advisories: the controls of a stricter
//! level that an admitted pod breaks (admitted with warnings, or noted in the audit log). A
//! namespace with only those labels enforces `privileged`. An `<mode>-version` label that
//! pins an older version of the standard drops the controls added after it.

use std::collections::HashMap;

use trustmap_model::Model;
pub use trustmap_model::k8s::PssLevel;
use trustmap_model::k8s::{KeyValue, Namespace, Workload};
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
    /// The Namespace's `warn` and `audit` levels, with the controls they add that fail.
    pub advisories: Vec<Advisory>,
}

impl Admission {
    pub fn admitted(&self) -> bool {
        self.violations.is_empty()
    }

    /// Admitted, but the API server returns warnings for it (its `warn` level fails).
    pub fn admitted_with_warnings(&self) -> bool {
        self.admitted()
            && self
                .advisories
                .iter()
                .any(|a| a.mode == AdvisoryMode::Warn && !a.violations.is_empty())
    }
}

/// A `pod-security.kubernetes.io/warn` or `audit` label of the workload's Namespace.
#[derive(Clone, Debug)]
pub struct Advisory {
    pub mode: AdvisoryMode,
    pub level: PssLevel,
    /// The label.
    pub location: Location,
    /// Failing controls of `level` that the enforced level does not already report.
    pub violations: Vec<Violation>,
}

/// What the API server does with a pod that breaks an advisory level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdvisoryMode {
    /// Admits it and returns a warning to the client.
    Warn,
    /// Admits it and annotates the audit event.
    Audit,
}

impl AdvisoryMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AdvisoryMode::Warn => "warn",
            AdvisoryMode::Audit => "audit",
        }
    }
}

/// Where a workload's level comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LevelSource {
    /// `--profile`.
    Profile,
    /// The `pod-security.kubernetes.io/enforce` label of its Namespace, at `location`.
    NamespaceLabel { location: Location },
    /// No enforce label and no `--profile`, in a Namespace with `warn` or `audit` labels:
    /// admission enforces `privileged`.
    Unenforced,
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
    let namespace_of = |w: &Workload| {
        w.object
            .namespace
            .as_deref()
            .and_then(|ns| namespaces.get(ns).copied())
    };
    let levels: Vec<Option<(PssLevel, LevelSource)>> = model
        .k8s
        .workloads
        .iter()
        .map(|w| {
            let ns = namespace_of(w);
            match ns.and_then(Namespace::pss_enforce) {
                Some((level, kv)) => {
                    let location = Location::resolve(sources, kv.key_span)?;
                    Some((level, LevelSource::NamespaceLabel { location }))
                }
                None => profile.map(|p| (p, LevelSource::Profile)).or_else(|| {
                    ns.is_some_and(|ns| !advisory_labels(ns).is_empty())
                        .then_some((PssLevel::Privileged, LevelSource::Unenforced))
                }),
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
        let ns = namespace_of(workload);
        let failing = findings.get(&workload.object.meta.address);
        let enforce_version = ns.and_then(|ns| ns.pss_version("enforce"));
        let violations = failing_controls(failing, level, enforce_version, &[], sources);
        let advisories = ns
            .map(advisory_labels)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(mode, advisory_level, kv)| {
                let version = ns.and_then(|ns| ns.pss_version(mode.as_str()));
                let violations =
                    failing_controls(failing, advisory_level, version, &violations, sources);
                Some(Advisory {
                    mode,
                    level: advisory_level,
                    location: Location::resolve(sources, kv.key_span)?,
                    violations,
                })
            })
            .collect();
        workloads.push(Admission {
            resource: workload.object.meta.address.clone(),
            location,
            level,
            level_from,
            violations,
            advisories,
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

/// The `warn` and `audit` labels of `ns` that name a level.
fn advisory_labels(ns: &Namespace) -> Vec<(AdvisoryMode, PssLevel, &KeyValue)> {
    [AdvisoryMode::Warn, AdvisoryMode::Audit]
        .into_iter()
        .filter_map(|mode| {
            let (level, kv) = ns.pss_mode(mode.as_str())?;
            Some((mode, level, kv))
        })
        .collect()
}

/// The controls of `level` (in the standard's version `v1.<minor>`, `None`: latest) that
/// the workload's `findings` break, except those already in `known`, in source order.
fn failing_controls(
    findings: Option<&Vec<(&'static pss::Control, Finding)>>,
    level: PssLevel,
    minor: Option<u32>,
    known: &[Violation],
    sources: &SourceMap,
) -> Vec<Violation> {
    let mut violations: Vec<Violation> = findings
        .into_iter()
        .flatten()
        .filter(|(control, _)| level != PssLevel::Privileged && control.level <= level)
        .filter(|(control, _)| pss::in_version(control, minor))
        .filter_map(|(control, f)| {
            Some(Violation {
                control: control.name,
                control_level: control.level,
                rule_id: control.rule_id,
                message: f.message.clone(),
                location: Location::resolve(sources, f.primary)?,
            })
        })
        .filter(|v| {
            !known.iter().any(|k| {
                k.rule_id == v.rule_id && k.location == v.location && k.message == v.message
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
    violations
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
