//! `trustmap blast-radius IDENTITY [PATH]`: what a compromised identity reaches.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use trustmap_graph::NodeKind;
use trustmap_graph::render::inventory;

use crate::cmd_input::{InputArgs, ReportOutput, resolve};

/// Show what a compromised identity reaches
///
/// Lists every data store, secret and administrator role on a path from the identity, with
/// the access level and each hop's evidence, most access first.
///
/// IDENTITY is a node id or resource address (`aws_iam_role.ci`, `ServiceAccount/shop/web`),
/// an ARN (`arn:aws:iam::111122223333:role/ci`) or a name (`ci`). A workload (function, pod,
/// CI job) works too: its blast radius is that of what it runs as.
///
/// Examples:
///   trustmap blast-radius aws_iam_role.ci_artifacts infra/
///   trustmap blast-radius arn:aws:iam::111122223333:role/orders-api
///   trustmap blast-radius ServiceAccount/shop/storefront --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct BlastArgs {
    /// The identity: id, resource address, ARN, or name.
    #[arg(value_name = "IDENTITY")]
    pub(crate) identity: String,

    #[command(flatten)]
    pub(crate) input: InputArgs,

    #[command(flatten)]
    pub(crate) out: ReportOutput,
}

pub(crate) fn run(args: &BlastArgs) -> Result<ExitCode> {
    let report = args.input.scan()?;
    let g = &report.graph;
    let who = resolve(g, &report, &args.identity, "identity or workload", |k| {
        matches!(k, NodeKind::Identity | NodeKind::Workload)
    })?;
    let blast = trustmap_graph::blast_radius(g, who);
    let doc = inventory::blast_doc(g, &report.sources, &blast);
    args.out.emit(
        &args.input,
        &report,
        || inventory::blast_text(&doc),
        || inventory::blast_json(&doc),
    )
}
