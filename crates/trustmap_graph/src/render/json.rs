//! `trustmap graph --format json`: the graph as a versioned document whose schema is
//! committed in `schemas/graph.schema.json` (generated from these types; the `generated`
//! test of trustmap_report fails when it is stale and rewrites it with
//! `TRUSTMAP_UPDATE_SCHEMAS=1`).
//!
//! These types are separate from the graph's own so refactors of the graph cannot change
//! the output. Adding an optional field is compatible; renaming, removing or changing the
//! meaning of one needs a new `schema_version`.

use schemars::JsonSchema;
use serde::Serialize;
use trustmap_source::SourceMap;

use super::{View, locate};
use crate::graph::Graph;
use crate::paths::AttackPath;
use crate::types::Crown;

/// The version of this JSON contract (not of trustmap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub enum SchemaVersion {
    #[serde(rename = "1")]
    V1,
}

/// The resource graph of one scan (or the part of it that was asked for).
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[schemars(title = "trustmap resource graph")]
pub struct GraphDoc {
    /// The version of this JSON format; changes only when a field changes incompatibly.
    pub schema_version: SchemaVersion,
    /// Sorted by id.
    pub nodes: Vec<GraphNode>,
    /// Sorted by `from`, `to` and relation. Both ends are in `nodes`.
    pub edges: Vec<GraphEdge>,
    /// The attack paths whose every hop is in this document, worst first.
    pub attack_paths: Vec<GraphPath>,
}

/// One node.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct GraphNode {
    /// Stable and unique: the resource address prefixed by its technology where needed
    /// (`aws_iam_role.ci`, `ServiceAccount/shop/web`, `.github/workflows/d.yml#deploy`), or a
    /// synthetic name for untrusted sources and administrator crowns (`internet`).
    pub id: String,
    /// `internet`, `any-github-repo`, `fork-pull-request`, `any-aws-account` (untrusted
    /// sources); `endpoint`, `workload`, `identity`, `data`, `secret`, `admin`.
    pub kind: String,
    /// A short human label.
    pub label: String,
    /// The resource address as in findings; absent for synthetic nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The file that defines it, relative to the scanned root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based first line of its definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    /// Why an attacker wants it: `data`, `secret`, `admin` or `escalation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crown: Option<String>,
    /// For crowns: `low`, `medium` or `high`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<String>,
}

/// One typed edge with its evidence.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct GraphEdge {
    /// The id of the node it leaves.
    pub from: String,
    /// The id of the node it enters.
    pub to: String,
    /// `exposes`, `reaches`, `triggers`, `runs-as`, `can-assume`, `reads`, `writes`,
    /// `administers` or `escalates`.
    pub relation: String,
    /// What an attacker gains by this hop, in one sentence.
    pub why: String,
    /// Where the evidence is written (the trust statement, binding, annotation, grant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    /// Conditions that could not be decided statically and were assumed to hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// For access edges: the level and the actions, verbs or roles that grant it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<GraphAccess>,
    /// Some attack path uses this edge.
    pub on_attack_path: bool,
}

/// What an access edge grants.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct GraphAccess {
    /// `read`, `write` or `admin`.
    pub level: String,
    pub actions: Vec<String>,
}

/// An attack path, by node ids.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct GraphPath {
    /// `critical`, `high`, `medium` or `low`.
    pub severity: String,
    /// exposure × privilege × sensitivity, 1–27.
    pub score: u32,
    pub title: String,
    /// Stable across line edits.
    pub fingerprint: String,
    /// From the untrusted source to the crown.
    pub steps: Vec<GraphStep>,
}

/// One hop of a path.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct GraphStep {
    /// The node reached.
    pub node: String,
    /// The relation of the edge into it; absent for the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}

/// The view as a [`GraphDoc`].
pub fn to_doc(g: &Graph, view: &View, sources: &SourceMap, paths: &[AttackPath]) -> GraphDoc {
    let nodes = view
        .sorted_nodes(g)
        .into_iter()
        .map(|id| {
            let n = g.node(id);
            let (path, start_line) = locate(sources, n.span).unzip();
            GraphNode {
                id: n.key.clone(),
                kind: n.kind.as_str().to_string(),
                label: n.label.clone(),
                resource: n.resource.clone(),
                path,
                start_line,
                crown: n.crown.map(|c| c.as_str().to_string()),
                sensitivity: n.crown.map(|c| Crown::sensitivity(c).as_str().to_string()),
            }
        })
        .collect();
    let edges = view
        .sorted_edges(g)
        .into_iter()
        .filter_map(|(id, from, to)| {
            let (_, _, e) = g.edge(id)?;
            let (path, start_line) = locate(sources, e.span).unzip();
            Some(GraphEdge {
                from: g.node(from).key.clone(),
                to: g.node(to).key.clone(),
                relation: e.relation.as_str().to_string(),
                why: e.why.clone(),
                path,
                start_line,
                conditions: e.conditions.clone(),
                access: e.access.as_ref().map(|a| GraphAccess {
                    level: a.level.as_str().to_string(),
                    actions: a.actions.clone(),
                }),
                on_attack_path: view.is_hot(id),
            })
        })
        .collect();
    let attack_paths = paths
        .iter()
        .filter(|p| p.steps.iter().all(|s| view.contains_node(s.node)))
        .map(|p| GraphPath {
            severity: p.severity.as_str().to_string(),
            score: p.score,
            title: p.title.clone(),
            fingerprint: p.fingerprint.clone(),
            steps: p
                .steps
                .iter()
                .map(|s| GraphStep {
                    node: g.node(s.node).key.clone(),
                    relation: s
                        .edge
                        .and_then(|e| g.edge(e))
                        .map(|(_, _, e)| e.relation.as_str().to_string()),
                })
                .collect(),
        })
        .collect();
    GraphDoc {
        schema_version: SchemaVersion::V1,
        nodes,
        edges,
        attack_paths,
    }
}

/// The view as pretty-printed JSON, ending in a newline.
pub fn render(g: &Graph, view: &View, sources: &SourceMap, paths: &[AttackPath]) -> String {
    to_pretty(&to_doc(g, view, sources, paths))
}

/// The JSON schema of [`GraphDoc`], as committed in `schemas/graph.schema.json`.
pub fn schema() -> String {
    to_pretty(&schemars::schema_for!(GraphDoc))
}

pub(super) fn to_pretty<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        // Serialising these plain structs cannot fail; say so loudly if it ever does.
        format!("{{\"error\": \"cannot serialise the graph: {e}\"}}")
    });
    s.push('\n');
    s
}
