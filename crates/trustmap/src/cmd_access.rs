//! `trustmap access [PATH]`: the access inventory.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use trustmap_graph::render::inventory;

use crate::cmd_blast::ReportFormat;
use crate::cmd_input::InputArgs;

/// List who can read, write or administer each data store and secret
///
/// For each grant: the identity, the actions, where the grant is written, and, when an
/// untrusted source reaches that identity, the path by which it does (marked EXPOSED).
///
/// Examples:
///   trustmap access infra/
///   trustmap access --format json | jq '.[] | select(.writers != [])'
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct AccessArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,

    /// Write to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

pub(crate) fn run(args: &AccessArgs) -> Result<ExitCode> {
    let report = args.input.scan()?;
    let g = &report.graph;
    let entries = inventory::access_doc(g, &report.sources, &trustmap_graph::access_inventory(g));
    let text = match args.format {
        ReportFormat::Text => inventory::access_text(&entries),
        ReportFormat::Json => inventory::access_json(&entries),
    };
    crate::output::emit(args.output.as_deref(), &text)?;
    Ok(args
        .input
        .partial_exit(&report)
        .unwrap_or(ExitCode::SUCCESS))
}
