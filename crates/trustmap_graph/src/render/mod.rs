//! Drawings and exports of the graph: Mermaid (`flowchart LR`), Graphviz DOT and a JSON
//! document with a schema (`schemas/graph.schema.json`); text and JSON of blast radii and the
//! access inventory ([`inventory`]).
//!
//! Every renderer draws a [`View`]: the whole graph, the part attack paths use, or what
//! flows through one node. Nodes and edges come out sorted by key, so the same scan draws
//! the same text; hops that lie on an attack path are highlighted.

pub mod dot;
pub mod inventory;
pub mod json;
pub mod mermaid;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashSet};

use trustmap_source::{SourceMap, Span};

use crate::graph::{EdgeId, Graph, NodeId};
use crate::paths::AttackPath;

/// The part of a graph to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    nodes: BTreeSet<NodeId>,
    edges: BTreeSet<EdgeId>,
    /// Edges on an attack path (drawn emphasised).
    hot: HashSet<EdgeId>,
}

impl View {
    /// Every node and edge.
    pub fn all(g: &Graph) -> Self {
        Self {
            nodes: g.nodes().map(|(id, _)| id).collect(),
            edges: g.edges().map(|(id, ..)| id).collect(),
            hot: HashSet::new(),
        }
    }

    /// Only the nodes and edges that some attack path uses.
    pub fn paths(paths: &[AttackPath]) -> Self {
        let mut view = Self {
            nodes: BTreeSet::new(),
            edges: BTreeSet::new(),
            hot: HashSet::new(),
        };
        for p in paths {
            view.nodes.extend(p.steps.iter().map(|s| s.node));
            view.edges.extend(p.edges());
        }
        view
    }

    /// What flows through `node`: everything that reaches it and everything it reaches,
    /// with the edges of those routes (not the side branches between them).
    pub fn focus(g: &Graph, node: NodeId) -> Self {
        let upstream = reach(g, node, true);
        let downstream = reach(g, node, false);
        let edges = g
            .edges()
            .filter(|(_, a, b, _)| {
                (upstream.contains(a) && upstream.contains(b))
                    || (downstream.contains(a) && downstream.contains(b))
            })
            .map(|(id, ..)| id)
            .collect();
        Self {
            nodes: upstream.union(&downstream).copied().collect(),
            edges,
            hot: HashSet::new(),
        }
    }

    /// The nodes and edges in both views.
    #[must_use]
    pub fn intersect(mut self, other: &View) -> Self {
        self.nodes.retain(|n| other.nodes.contains(n));
        self.edges.retain(|e| other.edges.contains(e));
        self
    }

    /// Marks the edges of these paths as attack-path hops.
    #[must_use]
    pub fn highlight(mut self, paths: &[AttackPath]) -> Self {
        self.hot.extend(paths.iter().flat_map(AttackPath::edges));
        self
    }

    pub fn contains_node(&self, id: NodeId) -> bool {
        self.nodes.contains(&id)
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    fn is_hot(&self, id: EdgeId) -> bool {
        self.hot.contains(&id)
    }

    /// The view's nodes sorted by key.
    fn sorted_nodes(&self, g: &Graph) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = self.nodes.iter().copied().collect();
        out.sort_by(|a, b| g.node(*a).key.cmp(&g.node(*b).key));
        out
    }

    /// The view's edges whose both ends are drawn, as `(id, from, to)` sorted by the ends'
    /// keys and the relation.
    fn sorted_edges(&self, g: &Graph) -> Vec<(EdgeId, NodeId, NodeId)> {
        let mut out: Vec<(EdgeId, NodeId, NodeId)> = self
            .edges
            .iter()
            .filter_map(|&id| g.edge(id).map(|(a, b, _)| (id, a, b)))
            .filter(|(_, a, b)| self.nodes.contains(a) && self.nodes.contains(b))
            .collect();
        out.sort_by(|x, y| {
            let key = |(id, a, b): &(EdgeId, NodeId, NodeId)| {
                (
                    g.node(*a).key.as_str(),
                    g.node(*b).key.as_str(),
                    g.edge(*id).map(|(_, _, e)| e.relation),
                )
            };
            key(x).cmp(&key(y))
        });
        out
    }
}

/// Every node that reaches `from` (`backwards`) or that `from` reaches, `from` included.
fn reach(g: &Graph, from: NodeId, backwards: bool) -> BTreeSet<NodeId> {
    let mut seen = BTreeSet::from([from]);
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        let next: Vec<NodeId> = if backwards {
            g.incoming(n).map(|(_, m, _)| m).collect()
        } else {
            g.outgoing(n).map(|(_, m, _)| m).collect()
        };
        for m in next {
            if seen.insert(m) {
                stack.push(m);
            }
        }
    }
    seen
}

/// A span as `path` and 1-based first line, when its file is in the scan.
pub fn locate(sources: &SourceMap, span: Option<Span>) -> Option<(String, u32)> {
    let span = span?;
    let file = sources.get(span.file)?;
    Some((file.path.clone(), file.line_col(span.start).line))
}

/// `path:line`, or an empty string for synthetic nodes.
fn location_text(sources: &SourceMap, span: Option<Span>) -> String {
    locate(sources, span)
        .map(|(p, l)| format!("{p}:{l}"))
        .unwrap_or_default()
}
