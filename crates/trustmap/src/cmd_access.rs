//! `trustmap access [PATH]`: the access inventory.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use trustmap_graph::render::inventory;

use crate::cmd_input::{InputArgs, ReportOutput};

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

    #[command(flatten)]
    pub(crate) out: ReportOutput,
}

pub(crate) fn run(args: &AccessArgs) -> Result<ExitCode> {
    let report = args.input.scan()?;
    let g = &report.graph;
    let entries = inventory::access_doc(g, &report.sources, &trustmap_graph::access_inventory(g));
    args.out.emit(
        &args.input,
        &report,
        || inventory::access_text(&entries),
        || inventory::access_json(&entries),
    )
}
