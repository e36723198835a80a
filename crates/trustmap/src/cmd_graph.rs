//! `trustmap graph [PATH] --format mermaid|dot|json [--focus NODE] [--only-paths]`: draws
//! the resource graph, or the part of it that matters.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use trustmap_graph::AttackPath;
use trustmap_graph::render::{self, View};

use crate::cmd_input::{InputArgs, resolve};

/// Draw the resource graph as Mermaid, Graphviz DOT or JSON
///
/// Nodes are untrusted sources, endpoints, workloads, identities and data, linked by typed
/// edges (exposes, reaches, runs-as, can-assume, reads, writes, ...). Hops on attack paths are
/// highlighted; conditional hops are dashed.
///
/// Examples:
///   trustmap graph infra/ > graph.mmd                  Mermaid, for Markdown
///   trustmap graph --format dot | dot -Tsvg > g.svg    Graphviz
///   trustmap graph --only-paths --focus aws_iam_role.ci
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct GraphArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Mermaid)]
    pub(crate) format: GraphFormat,

    /// Only what flows through this node: what reaches it and what it reaches. A node id
    /// (`aws_iam_role.ci`, `ServiceAccount/shop/web`), resource address, ARN or name.
    #[arg(long, value_name = "NODE")]
    pub(crate) focus: Option<String>,

    /// Only the nodes and edges of attack paths.
    #[arg(long)]
    pub(crate) only_paths: bool,

    /// Write to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GraphFormat {
    /// Mermaid `flowchart LR` (GitHub and GitLab render it in Markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// JSON (schemas/graph.schema.json).
    Json,
}

pub(crate) fn run(args: &GraphArgs) -> Result<ExitCode> {
    let report = args.input.scan()?;
    let g = &report.graph;
    let paths: Vec<AttackPath> = report.attack_paths.iter().map(|p| p.path.clone()).collect();
    let paths = &paths;
    let mut view = View::all(g);
    if let Some(query) = &args.focus {
        let node = resolve(g, &report, query, "node", |_| true)?;
        view = View::focus(g, node);
    }
    if args.only_paths {
        view = view.intersect(&View::paths(paths));
    }
    let view = view.highlight(paths);
    let text = match args.format {
        GraphFormat::Mermaid => render::mermaid::render(g, &view, &report.sources),
        GraphFormat::Dot => render::dot::render(g, &view, &report.sources),
        GraphFormat::Json => render::json::render(g, &view, &report.sources, paths),
    };
    crate::output::emit(args.output.as_deref(), &text)?;
    Ok(args
        .input
        .partial_exit(&report)
        .unwrap_or(ExitCode::SUCCESS))
}
