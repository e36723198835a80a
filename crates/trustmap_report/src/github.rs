//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff:
//!
//! ```text
//! ::error file=infra/main.tf,line=16,endLine=18,col=3,title=AWS-S3-001 s3-bucket-public-acl::message
//! ```
//!
//! Critical and high findings are `error`s, medium ones `warning`s, low and info `notice`s;
//! suppressed findings are left out; attack paths are annotated at their first located hop;
//! input errors are `warning`s. Values are escaped as
//! GitHub's toolkit does (`%`, `\r`, `\n`, and in properties also `:` and `,`), so text from
//! the scanned repository can neither end a command early nor start a new one.
//! Paths are relative to the scanned root: scan from the repository root for the
//! annotations to land on the right files.

use std::fmt::Write as _;

use trustmap_engine::Report;
use trustmap_rules::Severity;

use crate::region::region;

/// Renders one workflow command per unsuppressed finding and input error.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.suppressed.is_none()) {
        let meta = f.rule();
        let r = region(&report.sources, &f.location);
        let level = level(f.finding.severity);
        let message = format!(
            "{} [{}] {} (resource: {}; see `trustmap rules show {}`)",
            f.finding.severity.as_str(),
            meta.id,
            f.finding.message,
            f.finding.resource,
            meta.id
        );
        // Columns only mean something on a single line.
        let columns = if r.start_line == r.end_line {
            format!(",col={},endColumn={}", r.start_column, r.end_column)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},endLine={}{columns},title={}::{}",
            property(&f.location.path),
            r.start_line,
            r.end_line,
            property(&format!("{} {}", meta.id, meta.name)),
            data(&message)
        );
    }
    // An attack path is annotated where its first located hop is written.
    for p in &report.attack_paths {
        let Some(at) = p.steps.iter().find_map(|s| s.location.as_ref()) else {
            continue;
        };
        let hops: Vec<&str> = p.steps.iter().map(|s| s.label.as_str()).collect();
        let _ = writeln!(
            out,
            "::{} file={},line={},title={}::{}: {}",
            level(trustmap_engine::graph::severity(p.severity())),
            property(&at.path),
            at.start_line,
            property(&format!("attack path ({})", p.severity().as_str())),
            data(&p.path.title),
            data(&hops.join(" → "))
        );
    }
    for (d, loc) in &report.diagnostics {
        let mut props = Vec::new();
        if let Some(path) = d.path.as_deref().or(loc.as_ref().map(|l| l.path.as_str())) {
            props.push(format!("file={}", property(path)));
        }
        if let Some(l) = loc {
            props.push(format!("line={}", l.start_line));
        }
        props.push(format!(
            "title={}",
            property(&format!("trustmap: {}", d.code))
        ));
        let _ = writeln!(out, "::warning {}::{}", props.join(","), data(&d.message));
    }
    for part in &report.incomplete {
        let _ = writeln!(
            out,
            "::warning title={}::{}",
            property("trustmap: not analysed"),
            data(part)
        );
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// Escapes a command's message (GitHub's `escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property (GitHub's `escapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(data("a::b,c"), "a::b,c");
        assert_eq!(property("a::b,c%\n"), "a%3A%3Ab%2Cc%25%0A");
    }
}
