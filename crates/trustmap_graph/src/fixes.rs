//! "The one fix that breaks the most paths": the edge whose removal makes the most
//! reported paths disappear, with advice on the change in code that removes it.
//!
//! Candidates are the edges on reported paths, ranked by how many paths use them (an
//! upper bound on what removing them breaks); the best [`CANDIDATES`] are then checked
//! exactly by searching again without the edge, because another route may survive.

use std::collections::{HashMap, HashSet};

use crate::graph::{EdgeId, Graph};
use crate::paths::{AttackPath, attack_paths};
use crate::types::{NodeKind, Relation};

/// How many candidate edges are checked exactly.
const CANDIDATES: usize = 8;

/// A change that breaks paths.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// The edge to remove.
    pub edge: EdgeId,
    /// How many of the reported paths disappear without it (checked, not estimated).
    pub breaks: usize,
    /// What to change, in one sentence.
    pub advice: String,
}

/// The fixes that break the most paths, best first (ties: the fix nearest the source,
/// then the edge id, so the order is stable). Empty when there is no path.
pub fn best_fixes(g: &Graph, paths: &[AttackPath]) -> Vec<Fix> {
    let mut uses: HashMap<EdgeId, usize> = HashMap::new();
    let mut position: HashMap<EdgeId, usize> = HashMap::new();
    for p in paths {
        for (i, e) in p.edges().enumerate() {
            *uses.entry(e).or_default() += 1;
            let pos = position.entry(e).or_insert(i);
            *pos = (*pos).min(i);
        }
    }
    let mut ranked: Vec<(EdgeId, usize)> = uses.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(position[&a.0].cmp(&position[&b.0]))
            .then(a.0.cmp(&b.0))
    });
    let before: HashSet<&str> = paths.iter().map(|p| p.fingerprint.as_str()).collect();
    let mut fixes: Vec<(Fix, usize)> = ranked
        .into_iter()
        .take(CANDIDATES)
        .filter_map(|(edge, _)| {
            let mut without = g.clone();
            without.remove_edge(edge)?;
            let after: HashSet<String> = attack_paths(&without)
                .into_iter()
                .map(|p| p.fingerprint)
                .collect();
            let breaks = before.iter().filter(|f| !after.contains(**f)).count();
            (breaks > 0).then(|| {
                (
                    Fix {
                        edge,
                        breaks,
                        advice: advice(g, edge),
                    },
                    position[&edge],
                )
            })
        })
        .collect();
    fixes.sort_by(|a, b| {
        b.0.breaks
            .cmp(&a.0.breaks)
            .then(a.1.cmp(&b.1))
            .then(a.0.edge.cmp(&b.0.edge))
    });
    fixes.into_iter().map(|(f, _)| f).collect()
}

/// The change in code that removes an edge.
pub fn advice(g: &Graph, edge: EdgeId) -> String {
    let Some((from, to, e)) = g.edge(edge) else {
        return String::new();
    };
    let (from, to) = (g.node(from), g.node(to));
    let actions = e
        .access
        .as_ref()
        .filter(|a| !a.actions.is_empty())
        .map(|a| format!(" (now: {})", a.actions.join(", ")))
        .unwrap_or_default();
    match (e.relation, from.kind) {
        // Google workload identity federation (graph `build/gcp_run.rs`).
        (Relation::CanAssume, NodeKind::AnyGithubRepo)
            if to.key.starts_with("gcp-service-account:") =>
        {
            format!(
                "Add an `attribute_condition` naming your repository (`assertion.repository == 'OWNER/REPO'`) to the workload identity provider, or grant `roles/iam.workloadIdentityUser` on {} only to that repository's `principalSet://…/attribute.repository/OWNER/REPO`",
                to.label
            )
        }
        (Relation::CanAssume, NodeKind::AnyGithubRepo) => format!(
            "Add a `token.actions.githubusercontent.com:sub` condition to {}'s trust policy naming your repository and branch or environment",
            to.label
        ),
        (Relation::CanAssume, NodeKind::AnyAwsAccount) => format!(
            "Replace the `*` principal in {}'s trust policy with the accounts or roles that need it",
            to.label
        ),
        (Relation::CanAssume, _) => format!(
            "Stop {} from assuming {}: narrow the trust policy or the workload-identity mapping",
            from.label, to.label
        ),
        (Relation::Exposes, NodeKind::ForkPullRequest) => format!(
            "Do not run a fork's code in {} with credentials: use `pull_request` instead of `pull_request_target`, or drop the checkout of the pull request head",
            to.label
        ),
        (Relation::Exposes, _) => exposure_advice(to),
        (Relation::Reaches, _) => format!(
            "Authenticate requests before {} acts on them, or stop routing {} to it",
            to.label, from.label
        ),
        (Relation::Triggers, _) => format!(
            "Restrict who can write to {} or validate the events that invoke {}",
            from.label, to.label
        ),
        (Relation::RunsAs, _) => format!(
            "Give {} its own least-privilege identity instead of {}",
            from.label, to.label
        ),
        (Relation::Escalates, _) => format!(
            "Remove the escalation-capable grant from {}{actions}, or bound it with a permissions boundary",
            from.label
        ),
        (Relation::Reads | Relation::Writes | Relation::Administers, k)
            if k.is_untrusted_source() =>
        {
            format!("Make {} private: remove the public grant", to.label)
        }
        (Relation::Reads | Relation::Writes | Relation::Administers, _) => format!(
            "Scope {}'s access to {} to the actions and resources it needs{actions}",
            from.label, to.label
        ),
    }
}

/// How to close an exposure, in the terms of the technology that opens it.
fn exposure_advice(to: &crate::Node) -> String {
    let key = to.key.as_str();
    let what = &to.label;
    if key.starts_with("Ingress/") {
        format!(
            "Put authentication in front of {what} (the ingress controller's external auth or an identity-aware proxy), or stop publishing it"
        )
    } else if key.starts_with("Service/") {
        format!(
            "Make {what} internal: type ClusterIP, or `loadBalancerSourceRanges` limited to your own networks"
        )
    } else if key.starts_with("aws_lambda_function_url") || key.ends_with("#url") {
        format!("Set `authorization_type = \"AWS_IAM\"` on the {what}")
    } else if what.starts_with("EC2 instance") {
        format!(
            "Take {what} off the internet: drop its public IP, or limit its security group's ingress to your own networks (a load balancer or VPN in front)"
        )
    } else if to.kind == crate::NodeKind::Endpoint {
        format!("Require an authorizer (JWT, Lambda or AWS_IAM) on {what}")
    } else {
        format!(
            "Stop exposing {what} to untrusted callers: require authentication or narrow the permission"
        )
    }
}
