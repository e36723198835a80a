//! The Pod Security section of the text report: one line per workload saying whether its
//! pods would be admitted, then the failing controls under it.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use trustmap_engine::Report;
use trustmap_engine::pod_security::{LevelSource, Violation};

use crate::text::{clean, wrap};

/// The section, or nothing when the report has none.
pub(crate) fn text(report: &Report, width: usize, color: bool) -> String {
    let Some(section) = &report.pod_security else {
        return String::new();
    };
    let paint = |style: Style, s: &str| {
        if color {
            format!("{style}{s}{style:#}")
        } else {
            s.to_string()
        }
    };
    let bold = Style::new().effects(Effects::BOLD);
    let mut out = String::new();
    let title = match section.profile {
        Some(p) => format!(
            "Pod Security admission (--profile {}; a Namespace's enforce label wins)",
            p.as_str()
        ),
        None => "Pod Security admission (levels from Namespace enforce labels)".to_string(),
    };
    let _ = writeln!(
        out,
        "{}\n",
        paint(bold.effects(Effects::BOLD | Effects::UNDERLINE), &title)
    );
    if section.workloads.is_empty() {
        let _ = writeln!(out, "  no workloads in the scan\n");
        return out;
    }
    let rejected = AnsiColor::BrightRed.on_default().effects(Effects::BOLD);
    let admitted = AnsiColor::BrightGreen.on_default().effects(Effects::BOLD);
    let warned = AnsiColor::BrightYellow.on_default().effects(Effects::BOLD);
    let dim = Style::new().effects(Effects::DIMMED);
    for w in &section.workloads {
        let verdict = if w.admitted_with_warnings() {
            paint(warned, "warned  ")
        } else if w.admitted() {
            paint(admitted, "admitted")
        } else {
            paint(rejected, "rejected")
        };
        let source = match &w.level_from {
            LevelSource::Profile => "--profile".to_string(),
            LevelSource::NamespaceLabel { location } => format!(
                "namespace label, {}:{}",
                clean(&location.path),
                location.start_line
            ),
            LevelSource::Unenforced => "no enforce label".to_string(),
        };
        let _ = writeln!(
            out,
            "  {verdict}  {}  {}:{}  {} ({source})",
            paint(bold, &clean(&w.resource)),
            clean(&w.location.path),
            w.location.start_line,
            w.level.as_str(),
        );
        for v in &w.violations {
            violation(&mut out, v, "", width);
        }
        for a in &w.advisories {
            let _ = writeln!(
                out,
                "            {} {} ({}:{}): {}",
                a.mode.as_str(),
                a.level.as_str(),
                clean(&a.location.path),
                a.location.start_line,
                match a.violations.len() {
                    0 => "nothing more fails".to_string(),
                    1 => "1 more control fails".to_string(),
                    n => format!("{n} more controls fail"),
                }
            );
            for v in &a.violations {
                violation(&mut out, v, "  ", width);
            }
        }
    }
    let warned = section
        .workloads
        .iter()
        .filter(|w| w.admitted_with_warnings())
        .count();
    let with_warnings = match warned {
        0 => String::new(),
        n => format!(" ({n} with warnings)"),
    };
    let summary = format!(
        "{} of {} would be admitted{with_warnings}.",
        section.admitted(),
        if section.workloads.len() == 1 {
            "1 workload".to_string()
        } else {
            format!("{} workloads", section.workloads.len())
        }
    );
    let _ = writeln!(out, "\n  {}\n", paint(dim, &summary));
    out
}

/// One failing control, wrapped under its workload (`extra`: more indentation).
fn violation(out: &mut String, v: &Violation, extra: &str, width: usize) {
    let line = format!(
        "- {} [{}, {}] {}:{}: {}",
        v.control,
        v.control_level.as_str(),
        v.rule_id,
        clean(&v.location.path),
        v.location.start_line,
        clean(&v.message)
    );
    let room = width.saturating_sub(14 + extra.len());
    for (i, l) in wrap(&line, room).iter().enumerate() {
        let indent = if i == 0 {
            "            "
        } else {
            "              "
        };
        let _ = writeln!(out, "{indent}{extra}{l}");
    }
}
