//! Mermaid `flowchart LR`: pastes into GitHub Markdown, GitLab and most wikis.
//!
//! Node ids are derived from node keys (`aws_iam_role.ci` → `n_aws_iam_role_ci`), so they
//! survive unrelated changes to the graph; keys that collide once sanitised get `_2`,
//! `_3`, ... in key order. Labels are always quoted, with Mermaid's entity codes for the
//! characters that would end or reinterpret them.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use trustmap_source::SourceMap;

use super::{View, location_text};
use crate::graph::{Graph, NodeId};
use crate::types::NodeKind;

/// The view as a Mermaid flowchart.
pub fn render(g: &Graph, view: &View, sources: &SourceMap) -> String {
    let nodes = view.sorted_nodes(g);
    let edges = view.sorted_edges(g);
    let ids = node_ids(g, &nodes);
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(
        out,
        "  %% trustmap resource graph: {} nodes, {} edges",
        nodes.len(),
        edges.len()
    );
    for &id in &nodes {
        let node = g.node(id);
        let place = location_text(sources, node.span);
        let label = if place.is_empty() {
            escape(&node.label)
        } else {
            format!("{}<br/>{}", escape(&node.label), escape(&place))
        };
        let (open, close) = shape(node.kind);
        let _ = writeln!(out, "  {}{open}\"{label}\"{close}", ids[&id]);
    }
    let mut hot = Vec::new();
    for (i, (edge, from, to)) in edges.iter().enumerate() {
        let Some((_, _, e)) = g.edge(*edge) else {
            continue;
        };
        // Conditional hops (a condition assumed to let the attacker through) are dashed.
        let arrow = if e.conditions.is_empty() {
            "-->"
        } else {
            "-.->"
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            ids[from],
            escape(e.relation.as_str()),
            ids[to]
        );
        if view.is_hot(*edge) {
            hot.push(i.to_string());
        }
    }
    out.push_str("  classDef untrusted fill:#fee4e2,stroke:#b42318,color:#7a271a\n");
    out.push_str("  classDef crown fill:#fef0c7,stroke:#b54708,stroke-width:2px\n");
    let class = |keep: &dyn Fn(NodeId) -> bool| -> Vec<&str> {
        nodes
            .iter()
            .filter(|&&n| keep(n))
            .map(|n| ids[n].as_str())
            .collect()
    };
    let untrusted = class(&|n| g.node(n).kind.is_untrusted_source());
    let crowns = class(&|n| g.node(n).crown.is_some());
    if !untrusted.is_empty() {
        let _ = writeln!(out, "  class {} untrusted", untrusted.join(","));
    }
    if !crowns.is_empty() {
        let _ = writeln!(out, "  class {} crown", crowns.join(","));
    }
    if !hot.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#b42318,stroke-width:3px",
            hot.join(",")
        );
    }
    out
}

/// Opening and closing brackets of each kind's shape.
fn shape(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Internet
        | NodeKind::AnyGithubRepo
        | NodeKind::ForkPullRequest
        | NodeKind::AnyAwsAccount => ("((", "))"),
        NodeKind::Endpoint => ("([", "])"),
        NodeKind::Workload => ("[", "]"),
        NodeKind::Identity => ("{{", "}}"),
        NodeKind::Data => ("[(", ")]"),
        NodeKind::Secret => ("[/", "/]"),
        NodeKind::Admin => ("[[", "]]"),
    }
}

/// One Mermaid id per node: `n_` and the key with every character outside `[A-Za-z0-9_]`
/// replaced by `_` (the prefix keeps ids off keywords such as `end`); collisions are
/// numbered in the order of `nodes`.
fn node_ids(g: &Graph, nodes: &[NodeId]) -> HashMap<NodeId, String> {
    let mut taken = HashSet::new();
    let mut out = HashMap::new();
    for &id in nodes {
        let base: String = std::iter::once("n_".to_string())
            .chain(g.node(id).key.chars().map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_string()
                } else {
                    "_".to_string()
                }
            }))
            .collect();
        let mut candidate = base.clone();
        let mut n = 2;
        while !taken.insert(candidate.clone()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        out.insert(id, candidate);
    }
    out
}

/// Text safe inside a quoted Mermaid label: `#` first (it starts entity codes), then the
/// characters that end a label (`"`, `|`), start Markdown (`` ` ``) or HTML (`<`, `>`,
/// `&`); line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
