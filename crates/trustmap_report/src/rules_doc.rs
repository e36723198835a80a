//! `trustmap rules list`, `trustmap rules show ID` and the generated `docs/rules.md`, all from
//! the rules' own metadata and doc comments.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use trustmap_rules::{RuleMeta, Severity};

use crate::doc;
use crate::json::{self, to_pretty, v1};

/// How to regenerate `docs/rules.md`; written into its first line.
pub const REGENERATE_DOCS: &str =
    "TRUSTMAP_UPDATE_DOCS=1 cargo test -p trustmap_report --test generated";

/// A table of the rules: id, severity, capability, name and summary, one rule a line.
pub fn list_text(rules: &[&'static RuleMeta], color: bool) -> String {
    let rules = sorted(rules);
    let w_id = col_width(&rules, "ID", |r| r.id.len());
    let w_sev = col_width(&rules, "SEVERITY", |r| r.severity.as_str().len());
    let w_cap = col_width(&rules, "CAPABILITY", |r| r.capability.as_str().len());
    let w_name = col_width(&rules, "NAME", |r| r.name.len());
    let bold = Style::new().effects(Effects::BOLD);
    let mut out = String::new();
    let header = format!(
        "{:<w_id$}  {:<w_sev$}  {:<w_cap$}  {:<w_name$}  SUMMARY",
        "ID", "SEVERITY", "CAPABILITY", "NAME"
    );
    let _ = writeln!(out, "{}", paint(color, bold, &header));
    for r in &rules {
        let _ = writeln!(
            out,
            "{}  {}  {:<w_cap$}  {:<w_name$}  {}",
            paint(color, bold, &format!("{:<w_id$}", r.id)),
            paint(
                color,
                severity_style(r.severity),
                &format!("{:<w_sev$}", r.severity.as_str())
            ),
            r.capability.as_str(),
            r.name,
            doc::summary(r)
        );
    }
    let _ = writeln!(
        out,
        "\n{} (`trustmap rules show ID` explains one)",
        match rules.len() {
            1 => "1 rule".to_string(),
            n => format!("{n} rules"),
        }
    );
    out
}

/// The rules as a JSON array of `{id, name, severity, capability, languages, summary,
/// equivalents, doc}` (schema: `schemas/rules.schema.json`).
pub fn list_json(rules: &[&'static RuleMeta]) -> String {
    to_pretty(&v1::RuleList(
        sorted(rules).into_iter().map(json::rule).collect(),
    ))
}

/// One rule's full documentation for a terminal: a header with its metadata, then the doc.
pub fn show(rule: &'static RuleMeta, color: bool) -> String {
    let bold = Style::new().effects(Effects::BOLD);
    let dim = Style::new().effects(Effects::DIMMED);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        paint(
            color,
            bold.effects(Effects::BOLD | Effects::UNDERLINE),
            rule.id
        ),
        paint(color, bold, rule.name)
    );
    let field = |out: &mut String, name: &str, value: &str| {
        let _ = writeln!(
            out,
            "  {}{value}",
            paint(color, dim, &format!("{name:<13}"))
        );
    };
    field(
        &mut out,
        "severity",
        &paint(color, severity_style(rule.severity), rule.severity.as_str()),
    );
    field(
        &mut out,
        "capability",
        &format!("{} ({})", rule.capability.as_str(), rule.capability.title()),
    );
    field(&mut out, "languages", &languages(rule).join(", "));
    let eq = equivalents_line(rule, |id| id.to_string());
    field(
        &mut out,
        "equivalents",
        if eq.is_empty() { "none known" } else { &eq },
    );
    out.push('\n');

    let md = doc::markdown(rule);
    let mut in_code = false;
    for line in md.lines() {
        if doc::is_fence(line) {
            in_code = !in_code;
            continue;
        }
        if in_code {
            let _ = writeln!(
                out,
                "    {}",
                paint(color, AnsiColor::Cyan.on_default(), line)
            );
        } else if let Some(h) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            let _ = writeln!(
                out,
                "{}",
                paint(color, bold.effects(Effects::BOLD | Effects::UNDERLINE), h)
            );
        } else if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// `docs/rules.md`: a table of every rule, then each rule's documentation.
pub fn markdown_index(rules: &[&'static RuleMeta]) -> String {
    let rules = sorted(rules);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated from the rules' doc comments; do not edit. Regenerate with `{REGENERATE_DOCS}`. -->\n"
    );
    out.push_str("# Rules\n\n");
    out.push_str(
        "Every rule trustmap runs, generated from the rules' own metadata and doc comments. \
         `trustmap rules show ID` prints the same text in a terminal. Each rule is evidence for \
         one capability:\n\n",
    );
    for c in trustmap_rules::Capability::ALL {
        let n = rules.iter().filter(|r| r.capability == c).count();
        let _ = writeln!(out, "- `{}`: {} ({n})", c.as_str(), c.title());
    }
    out.push('\n');
    if rules.is_empty() {
        out.push_str("No rules are registered yet.\n");
        return out;
    }
    out.push_str("| ID | Name | Severity | Capability | Languages | Summary |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for r in &rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} | {} |",
            r.id,
            anchor(r),
            r.name,
            r.severity.as_str(),
            r.capability.as_str(),
            languages(r).join(", "),
            table_cell(&doc::summary(r))
        );
    }
    for r in &rules {
        let _ = write!(
            out,
            "\n<a id=\"{}\"></a>\n\n## {}: `{}`\n\n",
            anchor(r),
            r.id,
            r.name
        );
        let _ = writeln!(out, "- **Severity:** {}", r.severity.as_str());
        let _ = writeln!(
            out,
            "- **Capability:** `{}` ({})",
            r.capability.as_str(),
            r.capability.title()
        );
        let _ = writeln!(out, "- **Languages:** {}", languages(r).join(", "));
        let eq = equivalents_line(r, |id| format!("`{id}`"));
        if !eq.is_empty() {
            let _ = writeln!(out, "- **Equivalents:** {eq}");
        }
        out.push('\n');
        // The rule's own `##` sections sit one level below its heading here.
        // Headings get a blank line after them, as markdown linters want.
        let md = doc::markdown(r);
        let mut lines = md.lines().peekable();
        let mut in_code = false;
        while let Some(line) = lines.next() {
            if doc::is_fence(line) {
                in_code = !in_code;
            }
            let heading = !in_code && line.starts_with("##");
            if heading {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
            if heading && lines.peek().is_some_and(|next| !next.is_empty()) {
                out.push('\n');
            }
        }
    }
    out
}

fn sorted(rules: &[&'static RuleMeta]) -> Vec<&'static RuleMeta> {
    let mut v = rules.to_vec();
    v.sort_by_key(|r| r.id);
    v.dedup_by_key(|r| r.id);
    v
}

fn col_width(rules: &[&RuleMeta], header: &str, f: impl Fn(&RuleMeta) -> usize) -> usize {
    rules
        .iter()
        .map(|r| f(r))
        .chain([header.len()])
        .max()
        .unwrap_or(0)
}

fn languages(r: &RuleMeta) -> Vec<&'static str> {
    r.languages.iter().map(|l| l.as_str()).collect()
}

fn equivalents_line(r: &RuleMeta, fmt: impl Fn(&str) -> String) -> String {
    json::equivalents(r)
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(tool, ids)| {
            let ids: Vec<String> = ids.iter().map(|i| fmt(i)).collect();
            format!("{tool} {}", ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn anchor(r: &RuleMeta) -> String {
    r.id.to_ascii_lowercase()
}

fn table_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical | Severity::High => {
            AnsiColor::BrightRed.on_default().effects(Effects::BOLD)
        }
        Severity::Medium => AnsiColor::BrightYellow.on_default().effects(Effects::BOLD),
        Severity::Low => AnsiColor::BrightBlue.on_default(),
        Severity::Info => AnsiColor::BrightGreen.on_default(),
    }
}

fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}
