//! The graph container: a petgraph `StableDiGraph` plus indices by key and by name, so
//! joins and look-ups are hash-map hits, never scans.

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use crate::types::{Edge, Node, NodeKind, Relation};

/// A node's handle; valid for the graph that returned it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct NodeId(pub(crate) u32);

/// An edge's handle; valid for the graph that returned it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct EdgeId(pub(crate) u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
    fn ix(self) -> NodeIndex {
        NodeIndex::new(self.index())
    }
    fn of(ix: NodeIndex) -> Self {
        Self(u32::try_from(ix.index()).unwrap_or(u32::MAX))
    }
}

impl EdgeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
    fn ix(self) -> EdgeIndex {
        EdgeIndex::new(self.index())
    }
    fn of(ix: EdgeIndex) -> Self {
        Self(u32::try_from(ix.index()).unwrap_or(u32::MAX))
    }
}

/// The resource graph of one scan.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    inner: StableDiGraph<Node, Edge>,
    by_key: HashMap<String, NodeId>,
    /// Lower-cased names a user may type for a node: key, resource address, label, ARN,
    /// resource name.
    by_name: HashMap<String, Vec<NodeId>>,
    /// One edge per (from, to, relation): a hash look-up, whatever the nodes' degrees.
    by_ends: HashMap<(NodeId, NodeId, Relation), EdgeId>,
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a node, or returns the node that already has this key (the first one wins, so
    /// a synthetic node is created once however many edges need it).
    pub fn add_node(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.by_key.get(&node.key) {
            return id;
        }
        let key = node.key.clone();
        let names: Vec<String> = [Some(&node.key), node.resource.as_ref(), Some(&node.label)]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect();
        let id = NodeId::of(self.inner.add_node(node));
        self.by_key.insert(key, id);
        for n in names {
            self.alias(id, &n);
        }
        id
    }

    /// Adds another name `find` answers to (an ARN, a resource name).
    pub fn alias(&mut self, id: NodeId, name: &str) {
        let ids = self.by_name.entry(name.to_lowercase()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// Adds an edge unless the same relation already links the two nodes (the first
    /// evidence is kept: builders add the most specific first).
    pub fn add_edge(&mut self, from: NodeId, to: NodeId, edge: Edge) -> EdgeId {
        let key = (from, to, edge.relation);
        if let Some(&id) = self.by_ends.get(&key) {
            return id;
        }
        let id = EdgeId::of(self.inner.add_edge(from.ix(), to.ix(), edge));
        self.by_ends.insert(key, id);
        id
    }

    /// Removes an edge (what-if analysis of a fix). Returns it when it existed.
    pub fn remove_edge(&mut self, id: EdgeId) -> Option<Edge> {
        let (a, b) = self.inner.edge_endpoints(id.ix())?;
        let edge = self.inner.remove_edge(id.ix())?;
        self.by_ends
            .remove(&(NodeId::of(a), NodeId::of(b), edge.relation));
        Some(edge)
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.inner[id.ix()]
    }

    /// The edge and its ends, when it exists.
    pub fn edge(&self, id: EdgeId) -> Option<(NodeId, NodeId, &Edge)> {
        let (a, b) = self.inner.edge_endpoints(id.ix())?;
        Some((NodeId::of(a), NodeId::of(b), &self.inner[id.ix()]))
    }

    pub fn by_key(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }

    /// Every node, in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.inner
            .node_indices()
            .map(|ix| (NodeId::of(ix), &self.inner[ix]))
    }

    /// Every edge as `(id, from, to, edge)`, in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = (EdgeId, NodeId, NodeId, &Edge)> {
        (&self.inner).edge_references().map(|e| {
            (
                EdgeId::of(e.id()),
                NodeId::of(e.source()),
                NodeId::of(e.target()),
                e.weight(),
            )
        })
    }

    /// Edges leaving `id` as `(edge, target, weight)`.
    pub fn outgoing(&self, id: NodeId) -> impl Iterator<Item = (EdgeId, NodeId, &Edge)> {
        self.inner
            .edges_directed(id.ix(), Direction::Outgoing)
            .map(|e| (EdgeId::of(e.id()), NodeId::of(e.target()), e.weight()))
    }

    /// Edges entering `id` as `(edge, source, weight)`.
    pub fn incoming(&self, id: NodeId) -> impl Iterator<Item = (EdgeId, NodeId, &Edge)> {
        self.inner
            .edges_directed(id.ix(), Direction::Incoming)
            .map(|e| (EdgeId::of(e.id()), NodeId::of(e.source()), e.weight()))
    }

    pub fn node_count(&self) -> usize {
        self.inner.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.inner.edge_count()
    }

    /// Upper bound of node indices (for dense per-node tables).
    pub(crate) fn node_bound(&self) -> usize {
        NodeIndexable::node_bound(&self.inner)
    }

    /// Nodes a user means by `query`: an exact key, resource address, label, ARN or name
    /// (case-insensitive); failing that, every node whose key ends with `.query`, `/query`
    /// or `#query` (so `ci` finds `aws_iam_role.ci`). Sorted by key.
    pub fn find(&self, query: &str) -> Vec<NodeId> {
        let q = query.trim().to_lowercase();
        let mut out = self.by_name.get(&q).cloned().unwrap_or_default();
        // An ARN names a role, user or data store by the name inside it.
        if out.is_empty() && q.starts_with("arn:") {
            let name = crate::joins::aws_role_name(&q)
                .or_else(|| arn_user_name(&q))
                .or_else(|| crate::joins::aws_resource_name(&q));
            if let Some(ids) = name.and_then(|n| self.by_name.get(&n)) {
                let resource = q.splitn(6, ':').nth(5).unwrap_or("");
                let wanted = |k: NodeKind| {
                    if resource.starts_with("role/") || resource.starts_with("user/") {
                        k == NodeKind::Identity
                    } else if resource.starts_with("function:") {
                        k == NodeKind::Workload
                    } else {
                        matches!(k, NodeKind::Data | NodeKind::Secret)
                    }
                };
                out = ids
                    .iter()
                    .copied()
                    .filter(|&id| wanted(self.node(id).kind))
                    .collect();
            }
        }
        if out.is_empty() && !q.is_empty() {
            out = self
                .nodes()
                .filter(|(_, n)| {
                    let k = n.key.to_lowercase();
                    k.strip_suffix(&q)
                        .is_some_and(|rest| rest.ends_with(['.', '/', '#', ':']))
                })
                .map(|(id, _)| id)
                .collect();
        }
        out.sort_by(|a, b| self.node(*a).key.cmp(&self.node(*b).key));
        out.dedup();
        out
    }
}

/// `arn:aws:iam::123456789012:user/path/bob` → `bob`.
fn arn_user_name(arn: &str) -> Option<String> {
    let resource = arn.splitn(6, ':').nth(5)?;
    resource
        .strip_prefix("user/")
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_string)
}
