//! `trustmap paths [PATH]`: only the attack paths of a scan.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use trustmap_graph::Severity;

use crate::args::ColorChoice;
use crate::cmd_input::InputArgs;

/// Show only attack paths: untrusted sources reaching data, secrets or administrator
///
/// An attack path chains hops from an untrusted source (the internet, any GitHub repository,
/// a fork's pull request, any AWS account) to a crown jewel (a data store, a secret,
/// administrator or an escalation). Each hop shows its evidence and location; paths come
/// worst first, with the fixes that break the most of them.
///
/// Severity is exposure × privilege × data sensitivity. JSON and SARIF are the same formats
/// as `scan`'s, with the findings left out (SARIF results carry the paths as code flows).
///
/// Exit codes: 0 no path at or above --fail-on, 1 some, 2 usage or fatal error, or a partial
/// scan without --allow-partial.
///
/// Examples:
///   trustmap paths
///   trustmap paths infra/ k8s/ --fail-on high
///   trustmap paths --format sarif -o paths.sarif
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct PathsArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = PathsFormat::Text)]
    pub(crate) format: PathsFormat,

    /// Write to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit with 1 when a path is at or above this severity (critical, high, medium, low).
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub(crate) fail_on: Severity,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PathsFormat {
    Text,
    Json,
    Sarif,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    match s.to_ascii_lowercase().as_str() {
        "critical" => Ok(Severity::Critical),
        "high" => Ok(Severity::High),
        "medium" => Ok(Severity::Medium),
        // Paths have no `info` band: every path is at least low.
        "low" | "info" => Ok(Severity::Low),
        _ => Err(format!(
            "unknown severity `{s}` (expected critical, high, medium or low)"
        )),
    }
}

pub(crate) fn run(args: &PathsArgs) -> Result<ExitCode> {
    let mut report = args.input.scan()?;
    report.findings.clear();
    let version = env!("CARGO_PKG_VERSION");
    let rendered = match args.format {
        PathsFormat::Json => trustmap_report::json::render(&report, version, true),
        PathsFormat::Sarif => trustmap_report::sarif::render(&report, version),
        PathsFormat::Text => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            trustmap_report::text::attack_paths(
                &report,
                &trustmap_report::text::TextOptions {
                    color: crate::use_color(args.color, to_terminal),
                    show_suppressed: false,
                    width: crate::terminal_width(),
                },
            )
        }
    };
    crate::output::emit(args.output.as_deref(), &rendered)?;
    if let Some(code) = args.input.partial_exit(&report) {
        return Ok(code);
    }
    let failing = report
        .attack_paths
        .iter()
        .any(|p| p.severity() >= args.fail_on);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_parse() {
        assert_eq!(parse_severity("HIGH"), Ok(Severity::High));
        assert_eq!(parse_severity("info"), Ok(Severity::Low));
        assert!(
            parse_severity("urgent")
                .unwrap_err()
                .contains("expected critical")
        );
    }
}
