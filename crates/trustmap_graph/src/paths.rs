//! Attack-path search: from every untrusted source to every crown it reaches, the best
//! path per (source, crown) pair, scored, de-duplicated and sorted worst first.
//!
//! The search is one Dijkstra per untrusted source (there are at most four synthetic
//! sources), so it is `O(S · (V + E) log V)`: it never enumerates simple paths. Each step
//! costs 2, a step whose conditions were assumed to hold costs 3, so an unconditional path
//! is preferred to an equally long conditional one.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

use sha2::{Digest, Sha256};

use crate::graph::{EdgeId, Graph, NodeId};
use crate::types::{AccessLevel, Crown, NodeKind, Relation};

/// How bad a path is (see [`score`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The band of a score of [`score`] (1..=27).
    pub fn of_score(score: u32) -> Self {
        match score {
            18.. => Severity::Critical,
            9..=17 => Severity::High,
            4..=8 => Severity::Medium,
            _ => Severity::Low,
        }
    }
}

/// One hop of a path: the node reached and the edge that reached it (`None` for the
/// source).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Step {
    pub node: NodeId,
    pub edge: Option<EdgeId>,
}

/// A chain of edges from an untrusted source to a crown.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AttackPath {
    pub severity: Severity,
    /// exposure × privilege × sensitivity, 1..=27 (see the crate docs).
    pub score: u32,
    pub title: String,
    pub steps: Vec<Step>,
    /// Stable across line edits and instance keys: the hops' node keys (instance keys
    /// removed) and relations, hashed.
    pub fingerprint: String,
}

impl AttackPath {
    pub fn source(&self) -> NodeId {
        self.steps[0].node
    }

    pub fn target(&self) -> NodeId {
        self.steps[self.steps.len() - 1].node
    }

    /// The edges of the path, in order.
    pub fn edges(&self) -> impl Iterator<Item = EdgeId> + '_ {
        self.steps.iter().filter_map(|s| s.edge)
    }
}

/// Every attack path of the graph, worst first, one per (source, crown) pair and one per
/// shape (paths that differ only by instance keys are collapsed).
pub fn attack_paths(g: &Graph) -> Vec<AttackPath> {
    let mut out = Vec::new();
    for (source, node) in g.nodes() {
        if node.kind.is_untrusted_source() {
            out.extend(paths_from(g, source));
        }
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.steps.len().cmp(&b.steps.len()))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let mut seen = HashSet::new();
    out.retain(|p| seen.insert(p.fingerprint.clone()));
    out
}

/// Search state: a node, and whether the path may go on from it. A data store entered
/// by reading it is an end: reading a bucket does not fire its triggers, writing does.
const GOES_ON: usize = 0;
const ENDS: usize = 1;

fn paths_from(g: &Graph, source: NodeId) -> Vec<AttackPath> {
    let search = Search::run(g, source);
    let mut out = Vec::new();
    for (target, node) in g.nodes() {
        if target == source || node.crown.is_none() {
            continue;
        }
        let best = search
            .all_paths_to(target)
            .map(|steps| finish(g, steps))
            .max_by(|a, b| {
                a.score
                    .cmp(&b.score)
                    .then(b.steps.len().cmp(&a.steps.len()))
            });
        out.extend(best);
    }
    out
}

type Parent = Option<(EdgeId, NodeId, usize)>;

/// The shortest paths from one start node to every node (per search state).
pub(crate) struct Search {
    start: NodeId,
    dist: Vec<[u32; 2]>,
    parent: Vec<[Parent; 2]>,
}

impl Search {
    pub(crate) fn run(g: &Graph, start: NodeId) -> Self {
        let bound = g.node_bound();
        let mut dist = vec![[u32::MAX; 2]; bound];
        let mut parent: Vec<[Parent; 2]> = vec![[None; 2]; bound];
        let mut heap = BinaryHeap::new();
        dist[start.index()][GOES_ON] = 0;
        heap.push(Reverse((0u32, start, GOES_ON)));
        while let Some(Reverse((d, node, state))) = heap.pop() {
            if d > dist[node.index()][state] || state == ENDS {
                continue;
            }
            // A crown that is total control ends the path: nothing is worth more.
            if node != start && matches!(g.node(node).crown, Some(Crown::Admin | Crown::Escalation))
            {
                continue;
            }
            for (edge, next, e) in g.outgoing(node) {
                if next == start {
                    continue;
                }
                let next_state = if e.relation == Relation::Reads {
                    ENDS
                } else {
                    GOES_ON
                };
                let cost = d + if e.conditions.is_empty() { 2 } else { 3 };
                if cost < dist[next.index()][next_state] {
                    dist[next.index()][next_state] = cost;
                    parent[next.index()][next_state] = Some((edge, node, state));
                    heap.push(Reverse((cost, next, next_state)));
                }
            }
        }
        Self {
            start,
            dist,
            parent,
        }
    }

    /// The shortest path to `target` in each state that reaches it (at most two).
    pub(crate) fn all_paths_to(&self, target: NodeId) -> impl Iterator<Item = Vec<Step>> + '_ {
        [GOES_ON, ENDS]
            .into_iter()
            .filter(move |&s| {
                self.dist
                    .get(target.index())
                    .is_some_and(|d| d[s] != u32::MAX)
            })
            .map(move |s| self.steps_to(target, s))
    }

    /// The shortest path to `target`, whatever the state.
    pub(crate) fn path_to(&self, target: NodeId) -> Option<Vec<Step>> {
        let d = self.dist.get(target.index())?;
        let state = if d[GOES_ON] <= d[ENDS] { GOES_ON } else { ENDS };
        (d[state] != u32::MAX).then(|| self.steps_to(target, state))
    }

    fn steps_to(&self, target: NodeId, state: usize) -> Vec<Step> {
        let mut steps = Vec::new();
        let (mut node, mut state) = (target, state);
        while let Some((edge, prev, prev_state)) = self.parent[node.index()][state] {
            steps.push(Step {
                node,
                edge: Some(edge),
            });
            node = prev;
            state = prev_state;
        }
        debug_assert_eq!(node, self.start);
        steps.push(Step {
            node: self.start,
            edge: None,
        });
        steps.reverse();
        steps
    }
}

/// Scores, titles and fingerprints a chain of steps.
pub(crate) fn finish(g: &Graph, steps: Vec<Step>) -> AttackPath {
    let score = score(g, &steps);
    AttackPath {
        severity: Severity::of_score(score),
        score,
        title: title(g, &steps),
        fingerprint: fingerprint(g, &steps),
        steps,
    }
}

/// `exposure × privilege × sensitivity`, each 1..=3:
///
/// - exposure: 3 for anyone on the internet, any GitHub repository or a fork's pull
///   request; 2 for any AWS account (the attacker needs an account of their own); one less
///   when some hop holds only because an undecided condition was assumed to let it through.
/// - privilege: 3 for administrator or escalation, or write/admin access to the data;
///   2 for read access.
/// - sensitivity: 3 for secrets, databases, keys and administrator crowns; 2 for object
///   storage; 1 for queues, topics and logs.
pub fn score(g: &Graph, steps: &[Step]) -> u32 {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return 0;
    };
    let mut exposure = match g.node(first.node).kind {
        NodeKind::AnyAwsAccount => 2,
        k if k.is_untrusted_source() => 3,
        _ => 1,
    };
    let conditional = steps
        .iter()
        .filter_map(|s| s.edge)
        .filter_map(|e| g.edge(e))
        .any(|(_, _, e)| !e.conditions.is_empty());
    if conditional {
        exposure = (exposure - 1).max(1);
    }
    let crown = g.node(last.node).crown;
    let last_edge = last.edge.and_then(|e| g.edge(e)).map(|(_, _, e)| e);
    let privilege = match crown {
        Some(Crown::Admin | Crown::Escalation) => 3,
        _ => match last_edge.map(|e| (e.relation, e.access.as_ref().map(|a| a.level))) {
            Some((_, Some(AccessLevel::Admin | AccessLevel::Write))) => 3,
            Some((Relation::Writes | Relation::Administers | Relation::Escalates, None)) => 3,
            _ => 2,
        },
    };
    let sensitivity = match crown.map(Crown::sensitivity) {
        Some(crate::types::Sensitivity::High) => 3,
        Some(crate::types::Sensitivity::Medium) => 2,
        _ => 1,
    };
    exposure * privilege * sensitivity
}

fn title(g: &Graph, steps: &[Step]) -> String {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return String::new();
    };
    let source = &g.node(first.node).label;
    let target = g.node(last.node);
    let relation = last
        .edge
        .and_then(|e| g.edge(e))
        .map(|(_, _, e)| (e.relation, e.access.as_ref().map(|a| a.level)));
    let verb = match (target.crown, relation) {
        (Some(Crown::Admin), _) => "can become",
        (Some(Crown::Escalation), _) => "can escalate to",
        (_, Some((_, Some(AccessLevel::Admin)) | (Relation::Administers, None))) => {
            "can administer"
        }
        (_, Some((_, Some(AccessLevel::Write)) | (Relation::Writes, None))) => "can write",
        _ => "can read",
    };
    // The identity whose grant is used: the last identity on the path.
    let through = steps[..steps.len() - 1]
        .iter()
        .rev()
        .map(|s| g.node(s.node))
        .find(|n| n.kind == NodeKind::Identity);
    match through {
        Some(id) => format!("{source} {verb} {} as {}", target.label, id.label),
        None => format!("{source} {verb} {}", target.label),
    }
}

fn fingerprint(g: &Graph, steps: &[Step]) -> String {
    let mut h = Sha256::new();
    for s in steps {
        h.update(strip_instance_keys(&g.node(s.node).key).as_bytes());
        h.update([0]);
        if let Some((_, _, e)) = s.edge.and_then(|e| g.edge(e)) {
            h.update(e.relation.as_str().as_bytes());
        }
        h.update([1]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `aws_s3_bucket.b["x"]` → `aws_s3_bucket.b`, `module.m[0].aws_iam_role.r[2]` →
/// `module.m.aws_iam_role.r`: `count`/`for_each` copies of one resource are one shape.
pub fn strip_instance_keys(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut depth = 0usize;
    let mut in_string = false;
    for c in key.chars() {
        match c {
            '"' if depth > 0 => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_keys_are_stripped() {
        assert_eq!(
            strip_instance_keys(r#"aws_s3_bucket.b["x]"]"#),
            "aws_s3_bucket.b"
        );
        assert_eq!(
            strip_instance_keys("module.m[0].aws_iam_role.r[2]"),
            "module.m.aws_iam_role.r"
        );
        assert_eq!(
            strip_instance_keys("Deployment/ns/web"),
            "Deployment/ns/web"
        );
    }

    #[test]
    fn severity_bands() {
        assert_eq!(Severity::of_score(27), Severity::Critical);
        assert_eq!(Severity::of_score(18), Severity::Critical);
        assert_eq!(Severity::of_score(12), Severity::High);
        assert_eq!(Severity::of_score(4), Severity::Medium);
        assert_eq!(Severity::of_score(2), Severity::Low);
    }
}
