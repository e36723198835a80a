//! How every format shows a comparison with a baseline file or a git revision
//! (`--baseline`, `--diff-base`): what it was compared with, new/unchanged/fixed counts and
//! the fixed findings.

use std::fmt::Write as _;

use trustmap_engine::Report;
use trustmap_engine::baseline::{Against, Comparison};

use crate::json::v1;

/// The `baseline` object of the JSON report.
pub(crate) fn to_dto(report: &Report) -> Option<v1::Baseline> {
    let c = report.comparison.as_ref()?;
    Some(v1::Baseline {
        against: match &c.against {
            Against::Baseline { path } => v1::BaselineSource::File { path: path.clone() },
            Against::Revision { rev, commit } => v1::BaselineSource::Revision {
                rev: rev.clone(),
                commit: commit.clone(),
            },
        },
        new: c.new as u64,
        unchanged: c.unchanged as u64,
        fixed: c
            .fixed
            .iter()
            .map(|k| v1::FixedFinding {
                fingerprint: k.fingerprint.clone(),
                rule_id: k.rule_id.clone(),
                rule_name: k.rule_name.clone(),
                path: k.path.clone(),
                resource: k.resource.clone(),
            })
            .collect(),
        new_attack_paths: c.new_paths as u64,
        unchanged_attack_paths: c.unchanged_paths as u64,
        fixed_attack_paths: c
            .fixed_paths
            .iter()
            .map(|p| v1::FixedAttackPath {
                fingerprint: p.fingerprint.clone(),
                title: p.title.clone(),
            })
            .collect(),
        base_scorecard: c.base_scorecard.as_ref().map(crate::json::scorecard),
    })
}

/// What the scan was compared with, for people: "baseline `FILE`", "`main` (abc1234)".
pub(crate) fn against(c: &Comparison) -> String {
    match &c.against {
        Against::Baseline { path } => format!("the baseline `{path}`"),
        Against::Revision { rev, commit } => {
            format!("`{rev}` ({})", commit.get(..12).unwrap_or(commit))
        }
    }
}

/// The text format's block: one summary line and the fixed findings. Empty without a
/// comparison.
pub(crate) fn text(report: &Report) -> String {
    let Some(c) = &report.comparison else {
        return String::new();
    };
    let mut out = format!(
        "Compared with {}: {} new, {} unchanged (not shown), {} fixed\n",
        crate::text::clean(&against(c)),
        c.new,
        c.unchanged,
        c.fixed.len()
    );
    if c.new_paths + c.unchanged_paths + c.fixed_paths.len() > 0 {
        let _ = writeln!(
            out,
            "Attack paths: {} new, {} unchanged (not shown), {} fixed",
            c.new_paths,
            c.unchanged_paths,
            c.fixed_paths.len()
        );
    }
    for k in &c.fixed {
        let _ = writeln!(
            out,
            "  fixed: {} {} {}",
            k.rule_name,
            crate::text::clean(&k.path),
            crate::text::clean(&k.resource)
        );
    }
    for p in &c.fixed_paths {
        let _ = writeln!(out, "  fixed path: {}", crate::text::clean(&p.title));
    }
    out.push('\n');
    out
}
