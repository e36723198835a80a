//! Graphviz DOT (`dot -Tsvg graph.dot > graph.svg`).
//!
//! Node ids are the node keys, quoted; every string is escaped for a DOT quoted string
//! (`\\`, `\"`, line breaks as `\n`), so a label cannot end its string or smuggle in
//! Graphviz escapes such as `\N`.

use std::fmt::Write;

use trustmap_source::SourceMap;

use super::{View, location_text};
use crate::graph::Graph;
use crate::types::NodeKind;

/// The view as a DOT digraph.
pub fn render(g: &Graph, view: &View, sources: &SourceMap) -> String {
    let nodes = view.sorted_nodes(g);
    let edges = view.sorted_edges(g);
    let mut out = String::from("digraph trustmap {\n");
    out.push_str("  rankdir=LR;\n");
    out.push_str(
        "  node [fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=\"#ffffff\"];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for &id in &nodes {
        let node = g.node(id);
        let place = location_text(sources, node.span);
        let label = if place.is_empty() {
            node.label.clone()
        } else {
            format!("{}\n{place}", node.label)
        };
        let fill = if node.kind.is_untrusted_source() {
            "#fee4e2"
        } else if node.crown.is_some() {
            "#fef0c7"
        } else {
            "#ffffff"
        };
        let _ = writeln!(
            out,
            "  {} [label={}, shape={}, fillcolor=\"{fill}\", tooltip={}];",
            quote(&node.key),
            quote(&label),
            shape(node.kind),
            quote(node.kind.as_str()),
        );
    }
    for (edge, from, to) in edges {
        let Some((_, _, e)) = g.edge(edge) else {
            continue;
        };
        let mut attrs = format!(
            "label={}, tooltip={}",
            quote(e.relation.as_str()),
            quote(&e.why)
        );
        if !e.conditions.is_empty() {
            attrs.push_str(", style=dashed");
        }
        if view.is_hot(edge) {
            attrs.push_str(", color=\"#b42318\", penwidth=2");
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{attrs}];",
            quote(&g.node(from).key),
            quote(&g.node(to).key)
        );
    }
    out.push_str("}\n");
    out
}

fn shape(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Internet
        | NodeKind::AnyGithubRepo
        | NodeKind::ForkPullRequest
        | NodeKind::AnyAwsAccount => "doublecircle",
        NodeKind::Endpoint => "oval",
        NodeKind::Workload => "box",
        NodeKind::Identity => "hexagon",
        NodeKind::Data => "cylinder",
        NodeKind::Secret => "note",
        NodeKind::Admin => "doubleoctagon",
    }
}

/// A DOT quoted string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
