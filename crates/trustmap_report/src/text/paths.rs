//! The "Attack paths" section: each path worst first, every hop with its relation, where
//! it is written and why it holds, then the fix that breaks the most paths.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use trustmap_engine::Report;
use trustmap_engine::graph::{ReportedPath, severity as rule_severity};

use super::{Paint, clean, fit, severity_style, wrap};

/// The section, or nothing when there is no path.
pub(super) fn section(report: &Report, width: usize, p: Paint) -> String {
    let paths = &report.attack_paths;
    if paths.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        p.paint(
            Style::new().effects(Effects::BOLD | Effects::UNDERLINE),
            &format!("Attack paths ({}, worst first)", paths.len())
        )
    );
    for (i, path) in paths.iter().enumerate() {
        one(&mut out, i + 1, path, width, p);
    }
    if let Some(best) = report.fixes.first() {
        let location = report
            .graph
            .edge(best.edge)
            .and_then(|(_, _, e)| e.span)
            .and_then(|s| trustmap_engine::Location::resolve(&report.sources, s))
            .map(|l| format!(" ({}:{})", l.path, l.start_line))
            .unwrap_or_default();
        let text = format!(
            "Best fix: {}{location} — breaks {} of {} paths.",
            best.advice,
            best.breaks,
            paths.len()
        );
        for (i, l) in wrap(&clean(&text), width.saturating_sub(2))
            .iter()
            .enumerate()
        {
            let style = AnsiColor::BrightGreen.on_default().effects(Effects::BOLD);
            let line = if i == 0 { p.paint(style, l) } else { l.clone() };
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
    out
}

fn one(out: &mut String, n: usize, path: &ReportedPath, width: usize, p: Paint) {
    let severity = rule_severity(path.path.severity);
    let lead = format!(
        "{n}. {} ({}/27) ",
        severity.as_str().to_uppercase(),
        path.path.score
    );
    let title = wrap(
        &clean(&path.path.title),
        width.saturating_sub(2 + lead.len()),
    );
    for (i, line) in title.iter().enumerate() {
        if i == 0 {
            let painted = format!(
                "{n}. {} ({}/27) ",
                p.paint(severity_style(severity), &severity.as_str().to_uppercase()),
                path.path.score
            );
            let _ = writeln!(out, "  {painted}{line}");
        } else {
            let _ = writeln!(out, "  {}{line}", " ".repeat(lead.len()));
        }
    }
    for step in &path.steps {
        let at = step
            .location
            .as_ref()
            .map(|l| format!("  {}:{}", l.path, l.start_line))
            .unwrap_or_default();
        let node = match step.relation {
            None => format!("     {}{at}", clean(&step.label)),
            Some(r) => format!(
                "       {} {}{at}",
                p.paint(
                    Style::new().effects(Effects::DIMMED),
                    &format!("─{}→", r.as_str())
                ),
                clean(&step.label)
            ),
        };
        let _ = writeln!(out, "{}", fit(&node, width));
        let mut notes: Vec<String> = step.why.iter().cloned().collect();
        notes.extend(step.conditions.iter().map(|c| format!("assuming: {c}")));
        for note in notes {
            for l in wrap(&clean(&note), width.saturating_sub(12)) {
                let _ = writeln!(
                    out,
                    "           {}",
                    p.paint(Style::new().effects(Effects::DIMMED), &l)
                );
            }
        }
    }
    if let Some(fix) = &path.fix {
        for (i, l) in wrap(&clean(&format!("fix: {fix}")), width.saturating_sub(5))
            .iter()
            .enumerate()
        {
            let _ = writeln!(out, "{}{l}", if i == 0 { "     " } else { "          " });
        }
    }
    out.push('\n');
}
