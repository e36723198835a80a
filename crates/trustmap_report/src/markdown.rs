//! `--format markdown`: a pull-request comment.
//!
//! A heading with the counts, then the findings (only the new ones with `--baseline` or
//! `--diff-base`) grouped by severity, most severe first, each with a `path:line` link
//! relative to the scanned root; the fixed findings; attack paths; the capability scorecard,
//! with its change against the base revision in diff mode. Long groups fold into
//! `<details>`. The comment stays under GitHub's 65,536-character limit: findings that do
//! not fit are left out with a note saying how many.
//!
//! Text from the scanned repository goes into code spans or is escaped, so it cannot add
//! markup, links, HTML or @-mentions to the comment.

use std::fmt::Write as _;

use trustmap_engine::scorecard::CapabilityScore;
use trustmap_engine::{Report, ReportedFinding};
use trustmap_rules::Severity;

use crate::comparison::against;
use crate::region::region;
use crate::text::clean;

/// GitHub refuses comments longer than this many characters.
pub const COMMENT_LIMIT: usize = 65_536;
/// Groups longer than this are folded into `<details>`.
const OPEN_GROUP_MAX: usize = 10;
/// Fixed findings listed at most.
const FIXED_MAX: usize = 50;
/// Attack paths listed at most.
const PATHS_MAX: usize = 20;

/// Renders the comment; never longer than [`COMMENT_LIMIT`] characters.
pub fn render(report: &Report) -> String {
    render_within(report, COMMENT_LIMIT)
}

fn render_within(report: &Report, limit: usize) -> String {
    let active: Vec<&ReportedFinding> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let head = heading(report, &active);
    let tail = tail(report);
    // Room for the findings, keeping some for the truncation note and group closings.
    let budget = limit.saturating_sub(count(&head) + count(&tail) + 400);
    let mut body = String::new();
    let mut used = 0;
    let mut shown = 0;
    if !active.is_empty() {
        let title = if report.comparison.is_some() {
            "New findings"
        } else {
            "Findings"
        };
        let _ = writeln!(body, "#### {title}\n");
        'groups: for sev in Severity::ALL {
            let group: Vec<&&ReportedFinding> = active
                .iter()
                .filter(|f| f.finding.severity == sev)
                .collect();
            if group.is_empty() {
                continue;
            }
            let label = format!("{} ({})", capitalised(sev.as_str()), group.len());
            let folded = group.len() > OPEN_GROUP_MAX;
            let open = if folded {
                format!("<details><summary><b>{label}</b></summary>\n\n")
            } else {
                format!("**{label}**\n\n")
            };
            let close = if folded { "\n</details>\n\n" } else { "\n" };
            body.push_str(&open);
            used += count(&open) + count(close);
            for f in group {
                let item = item(report, f);
                if used + count(&item) > budget {
                    body.push_str(close);
                    break 'groups;
                }
                used += count(&item);
                body.push_str(&item);
                shown += 1;
            }
            body.push_str(close);
        }
        if shown < active.len() {
            let _ = writeln!(
                body,
                "_{} more findings not shown: the comment would exceed GitHub's size limit. \
                 See the full report (`--format json` or `sarif`)._\n",
                active.len() - shown
            );
        }
    }
    let mut out = head;
    out.push_str(&body);
    out.push_str(&tail);
    out
}

fn heading(report: &Report, active: &[&ReportedFinding]) -> String {
    let mut out = String::new();
    let noun = if report.comparison.is_some() {
        plural(active.len(), "new finding", "new findings")
    } else {
        plural(active.len(), "finding", "findings")
    };
    let mut title = format!("### trustmap: {noun}");
    if !report.attack_paths.is_empty() {
        let noun = if report.comparison.is_some() {
            plural(
                report.attack_paths.len(),
                "new attack path",
                "new attack paths",
            )
        } else {
            plural(report.attack_paths.len(), "attack path", "attack paths")
        };
        let _ = write!(title, ", {noun}");
    }
    if let Some(c) = &report.comparison {
        let _ = write!(title, ", {} fixed", c.fixed.len() + c.fixed_paths.len());
    }
    let _ = writeln!(out, "{title}\n");
    let mut parts = Vec::new();
    let by_sev: Vec<String> = Severity::ALL
        .into_iter()
        .filter_map(|s| {
            let n = active.iter().filter(|f| f.finding.severity == s).count();
            (n > 0).then(|| format!("{n} {}", s.as_str()))
        })
        .collect();
    if !by_sev.is_empty() {
        parts.push(by_sev.join(", "));
    }
    let suppressed = report.findings.len() - active.len();
    if suppressed > 0 {
        parts.push(format!("{suppressed} suppressed"));
    }
    if let Some(c) = &report.comparison {
        parts.push(format!(
            "compared with {}: {} unchanged not shown",
            escape(&against(c).replace('`', "")),
            c.unchanged
        ));
    }
    parts.push(plural(
        report.stats.files_scanned,
        "file scanned",
        "files scanned",
    ));
    if !report.diagnostics.is_empty() {
        parts.push(plural(
            report.diagnostics.len(),
            "input problem",
            "input problems",
        ));
    }
    if !report.incomplete.is_empty() {
        parts.push(format!(
            "**incomplete**: {} not analysed",
            plural(report.incomplete.len(), "part", "parts")
        ));
    }
    let _ = writeln!(out, "{}\n", parts.join(" · "));
    out
}

/// One finding as a list item.
fn item(report: &Report, f: &ReportedFinding) -> String {
    let meta = f.rule();
    let line = region(&report.sources, &f.location).start_line;
    format!(
        "- {} **{}** in [{}]({}#L{line}) {}<br>{}\n",
        code(meta.id),
        meta.name,
        code(&format!("{}:{line}", f.location.path)),
        link(&f.location.path),
        code(&f.finding.resource),
        prose(&f.finding.message)
    )
}

/// Attack paths, fixed findings and paths, and the scorecard.
fn tail(report: &Report) -> String {
    let mut out = attack_paths(report);
    if let Some(c) = &report.comparison
        && !c.fixed.is_empty()
    {
        let _ = writeln!(
            out,
            "<details><summary><b>Fixed ({})</b></summary>\n",
            c.fixed.len()
        );
        for k in c.fixed.iter().take(FIXED_MAX) {
            let _ = writeln!(
                out,
                "- {} **{}** in {} {}",
                code(&k.rule_id),
                escape(&k.rule_name),
                code(&k.path),
                code(&k.resource)
            );
        }
        if c.fixed.len() > FIXED_MAX {
            let _ = writeln!(out, "- _and {} more_", c.fixed.len() - FIXED_MAX);
        }
        out.push_str("\n</details>\n\n");
    }
    if let Some(c) = &report.comparison
        && !c.fixed_paths.is_empty()
    {
        let _ = writeln!(
            out,
            "<details><summary><b>Fixed attack paths ({})</b></summary>\n",
            c.fixed_paths.len()
        );
        for p in c.fixed_paths.iter().take(PATHS_MAX) {
            let _ = writeln!(out, "- {}", escape(&p.title));
        }
        if c.fixed_paths.len() > PATHS_MAX {
            let _ = writeln!(out, "- _and {} more_", c.fixed_paths.len() - PATHS_MAX);
        }
        out.push_str("\n</details>\n\n");
    }
    out.push_str(&scorecard(report));
    out
}

/// The attack paths (new ones in diff/baseline mode), worst first: title, where it starts,
/// and its hops.
fn attack_paths(report: &Report) -> String {
    let mut out = String::new();
    if report.attack_paths.is_empty() {
        return out;
    }
    let title = if report.comparison.is_some() {
        "New attack paths"
    } else {
        "Attack paths"
    };
    let _ = writeln!(out, "#### {title}\n");
    for p in report.attack_paths.iter().take(PATHS_MAX) {
        let at = p
            .steps
            .iter()
            .find_map(|s| s.location.as_ref())
            .map(|l| {
                format!(
                    " in [{}]({}#L{})",
                    code(&format!("{}:{}", l.path, l.start_line)),
                    link(&l.path),
                    l.start_line
                )
            })
            .unwrap_or_default();
        let hops: Vec<String> = p.steps.iter().map(|s| code(&s.label)).collect();
        let _ = writeln!(
            out,
            "- **{}** {}{at}<br>{}",
            p.severity().as_str(),
            escape(&p.path.title),
            hops.join(" → ")
        );
    }
    if report.attack_paths.len() > PATHS_MAX {
        let _ = writeln!(
            out,
            "- _and {} more (see `trustmap paths` or the JSON report)_",
            report.attack_paths.len() - PATHS_MAX
        );
    }
    out.push('\n');
    out
}

fn scorecard(report: &Report) -> String {
    let base = report
        .comparison
        .as_ref()
        .and_then(|c| c.base_scorecard.as_ref());
    let mut out = String::from("#### Capability scorecard\n\n");
    if base.is_some() {
        out.push_str("| capability | score | change | checks | failed | suppressed | unknown |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    } else {
        out.push_str("| capability | score | checks | failed | suppressed | unknown |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|\n");
    }
    for c in &report.scorecard.capabilities {
        let score = c.score.map_or("–".to_string(), |s| s.to_string());
        let change = base.map(|b| {
            let before = b
                .capabilities
                .iter()
                .find(|x| x.capability == c.capability)
                .and_then(|x| x.score);
            delta(before, c)
        });
        let mut row = format!("| {} | {score} |", c.title);
        if let Some(change) = change {
            let _ = write!(row, " {change} |");
        }
        let _ = writeln!(
            out,
            "{row} {} | {} | {} | {} |",
            c.checks,
            c.failed.total(),
            c.suppressed,
            c.unknown
        );
    }
    out
}

/// A score's change: `+5`, `−3`, `±0`, or `–` when either side has no score.
fn delta(before: Option<u32>, now: &CapabilityScore) -> String {
    match (before, now.score) {
        (Some(b), Some(n)) if n > b => format!("+{}", n - b),
        (Some(b), Some(n)) if n < b => format!("−{}", b - n),
        (Some(_), Some(_)) => "±0".to_string(),
        _ => "–".to_string(),
    }
}

/// A code span that holds any text: the fence is longer than any backtick run inside.
fn code(s: &str) -> String {
    let s = clean(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A message: its `code` spans stay code spans (inert), everything else is escaped.
fn prose(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        let closed = i + 1 < parts.len();
        if i % 2 == 1 && closed {
            out.push_str(&code(part));
        } else if i % 2 == 1 {
            // An unmatched backtick: shown as is.
            out.push_str("\\`");
            out.push_str(&escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// Markdown-escaped text: no emphasis, links, HTML, headings or @-mentions.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A relative link target: percent-encodes what would end or confuse the URL.
fn link(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '#' | '%' | '"' | '\'' | '`' | '[' | ']' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c if c.is_control() => out.push_str("%EF%BF%BD"),
            c => out.push(c),
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn count(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_cannot_add_markup() {
        assert_eq!(
            escape("<img src=x> @team *b* [l](u)"),
            "&lt;img src=x&gt; &#64;team \\*b\\* \\[l\\]\\(u\\)"
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(link("my dir/a(1).tf"), "my%20dir/a%281%29.tf");
        assert_eq!(
            prose("bucket `a*b` is <public>"),
            "bucket `a*b` is &lt;public&gt;"
        );
        assert_eq!(prose("odd `tick *x*"), "odd \\`tick \\*x\\*");
    }
}
