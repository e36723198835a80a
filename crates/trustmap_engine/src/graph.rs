//! The resource graph and its attack paths, resolved for the report: every hop located at
//! a file and line, the fix that breaks the most paths, and the paths' weight in the
//! `design` capability of the scorecard.

use std::panic::{AssertUnwindSafe, catch_unwind};

use trustmap_graph::{
    AttackPath, Fix, Graph, NodeId, NodeKind, Relation, Severity as PathSeverity, advice,
    attack_paths, best_fixes, build,
};
use trustmap_model::Model;
use trustmap_rules::{Capability, Severity};
use trustmap_source::{SourceMap, Span};

use crate::report::Location;
use crate::scorecard::Failure;

/// One attack path as outputs show it.
#[derive(Clone, Debug)]
pub struct ReportedPath {
    pub path: AttackPath,
    pub steps: Vec<ReportedStep>,
    /// The change that breaks this path: the best overall fix when it does, else the
    /// advice for the path's first hop after the source.
    pub fix: Option<String>,
}

impl ReportedPath {
    pub fn severity(&self) -> PathSeverity {
        self.path.severity
    }
}

/// One hop, located.
#[derive(Clone, Debug)]
pub struct ReportedStep {
    pub node: NodeId,
    pub kind: NodeKind,
    /// The model address, or the synthetic node's key (`internet`, `github:any-repo`).
    pub resource: String,
    pub label: String,
    /// The relation of the edge into this node (`None` for the source).
    pub relation: Option<Relation>,
    pub why: Option<String>,
    pub conditions: Vec<String>,
    /// Where the hop's evidence is written (the edge's span, else the node's).
    pub location: Option<Location>,
}

/// Everything the graph adds to a report.
#[derive(Clone, Debug, Default)]
pub struct AttackGraph {
    pub graph: Graph,
    pub paths: Vec<ReportedPath>,
    /// Best first; empty when there is no path.
    pub fixes: Vec<Fix>,
}

impl AttackGraph {
    /// Each path is a failed `design` check with its severity.
    pub(crate) fn failures(&self) -> Vec<Failure> {
        self.paths
            .iter()
            .map(|p| Failure {
                capability: Capability::Design,
                severity: severity(p.path.severity),
                suppressed: false,
            })
            .collect()
    }
}

/// The rules' severity scale for a path's severity.
pub fn severity(s: PathSeverity) -> Severity {
    match s {
        PathSeverity::Critical => Severity::Critical,
        PathSeverity::High => Severity::High,
        PathSeverity::Medium => Severity::Medium,
        PathSeverity::Low => Severity::Low,
    }
}

/// Builds the graph, finds the paths and the fixes. A panic in the graph code costs the
/// paths, never the scan.
pub(crate) fn run(model: &Model, sources: &SourceMap) -> AttackGraph {
    catch_unwind(AssertUnwindSafe(|| analyse(model, sources))).unwrap_or_default()
}

fn analyse(model: &Model, sources: &SourceMap) -> AttackGraph {
    let graph = build(model);
    let paths = attack_paths(&graph);
    let fixes = best_fixes(&graph, &paths);
    let locate = |span: Option<Span>| span.and_then(|s| Location::resolve(sources, s));
    let reported = paths
        .into_iter()
        .map(|path| {
            let steps = path
                .steps
                .iter()
                .map(|s| {
                    let node = graph.node(s.node);
                    let edge = s.edge.and_then(|e| graph.edge(e)).map(|(_, _, e)| e);
                    ReportedStep {
                        node: s.node,
                        kind: node.kind,
                        resource: node.resource.clone().unwrap_or_else(|| node.key.clone()),
                        label: node.label.clone(),
                        relation: edge.map(|e| e.relation),
                        why: edge.map(|e| e.why.clone()),
                        conditions: edge.map(|e| e.conditions.clone()).unwrap_or_default(),
                        location: locate(edge.and_then(|e| e.span)).or_else(|| locate(node.span)),
                    }
                })
                .collect();
            let fix = fixes
                .iter()
                .find(|f| path.edges().any(|e| e == f.edge))
                .map(|f| f.advice.clone())
                .or_else(|| {
                    path.steps
                        .get(1)
                        .and_then(|s| s.edge)
                        .map(|e| advice(&graph, e))
                });
            ReportedPath { path, steps, fix }
        })
        .collect();
    AttackGraph {
        graph,
        paths: reported,
        fixes,
    }
}
