//! Properties of the path search on random graphs: every path is a real chain of edges
//! from an untrusted source to a crown, pairs and fingerprints are unique, reading is the
//! end of a chain, and removing the best fix's edge removes exactly the paths it claims.

use std::collections::HashSet;

use proptest::prelude::*;
use trustmap_graph::{
    Crown, Edge, Graph, Node, NodeId, NodeKind, Relation, Sensitivity, attack_paths, best_fixes,
};

const KINDS: [NodeKind; 8] = [
    NodeKind::Internet,
    NodeKind::AnyGithubRepo,
    NodeKind::Endpoint,
    NodeKind::Workload,
    NodeKind::Identity,
    NodeKind::Data,
    NodeKind::Secret,
    NodeKind::Admin,
];

const RELATIONS: [Relation; 8] = [
    Relation::Exposes,
    Relation::Reaches,
    Relation::Triggers,
    Relation::RunsAs,
    Relation::CanAssume,
    Relation::Reads,
    Relation::Writes,
    Relation::Escalates,
];

fn graph(kinds: &[usize], edges: &[(usize, usize, usize, bool)]) -> (Graph, Vec<NodeId>) {
    let mut g = Graph::new();
    let ids: Vec<NodeId> = kinds
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let kind = KINDS[k % KINDS.len()];
            let crown = match kind {
                NodeKind::Data => Some(Crown::Data {
                    sensitivity: Sensitivity::Medium,
                }),
                NodeKind::Secret => Some(Crown::Secret),
                NodeKind::Admin => Some(Crown::Admin),
                _ => None,
            };
            g.add_node(Node {
                kind,
                key: format!("n{i}"),
                label: format!("node {i}"),
                resource: Some(format!("r.n{i}")),
                span: None,
                crown,
            })
        })
        .collect();
    for &(a, b, r, conditional) in edges {
        let (a, b) = (ids[a % ids.len()], ids[b % ids.len()]);
        if a == b {
            continue;
        }
        let mut e = Edge::new(RELATIONS[r % RELATIONS.len()], "test", None);
        if conditional {
            e = e.with_conditions(vec!["assumed".to_string()]);
        }
        g.add_edge(a, b, e);
    }
    (g, ids)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn paths_are_real_chains_and_fixes_break_what_they_claim(
        kinds in prop::collection::vec(0usize..8, 2..24),
        edges in prop::collection::vec((0usize..24, 0usize..24, 0usize..8, any::<bool>()), 0..60),
    ) {
        let (g, _) = graph(&kinds, &edges);
        let paths = attack_paths(&g);
        let mut pairs = HashSet::new();
        let mut prints = HashSet::new();
        for p in &paths {
            prop_assert!(g.node(p.source()).kind.is_untrusted_source());
            prop_assert!(g.node(p.target()).crown.is_some());
            prop_assert!(p.steps[0].edge.is_none());
            let mut seen = HashSet::new();
            for w in p.steps.windows(2) {
                let (from, to) = (w[0].node, w[1].node);
                let edge = w[1].edge.expect("an edge into every later step");
                let (a, b, e) = g.edge(edge).expect("the edge exists");
                prop_assert_eq!((a, b), (from, to));
                // Reading a store is where a chain ends.
                prop_assert!(e.relation != Relation::Reads || to == p.target());
                prop_assert!(seen.insert(from));
            }
            prop_assert!(pairs.insert((p.source(), p.target())));
            prop_assert!(prints.insert(p.fingerprint.clone()));
            prop_assert!((1..=27).contains(&p.score));
        }
        // Worst first.
        prop_assert!(paths.windows(2).all(|w| w[0].score >= w[1].score));
        let fixes = best_fixes(&g, &paths);
        prop_assert_eq!(fixes.is_empty(), paths.is_empty());
        prop_assert!(fixes.windows(2).all(|w| w[0].breaks >= w[1].breaks));
        if let Some(best) = fixes.first() {
            let mut without = g.clone();
            without.remove_edge(best.edge);
            let after: HashSet<String> =
                attack_paths(&without).into_iter().map(|p| p.fingerprint).collect();
            let broken = paths.iter().filter(|p| !after.contains(&p.fingerprint)).count();
            prop_assert!(best.breaks >= 1);
            prop_assert_eq!(broken, best.breaks);
        }
    }
}

#[test]
fn the_shortest_unconditional_route_wins_and_reads_end_chains() {
    // internet → endpoint → workload → identity → bucket (read) → function (trigger)
    let (g, ids) = graph(
        &[0, 2, 3, 4, 5, 3, 4, 6],
        &[
            (0, 1, 0, false),
            (1, 2, 1, false),
            (2, 3, 3, false),
            (3, 4, 5, false),
            // The bucket triggers a function whose role reads a secret: only reachable if
            // the bucket can be written, which it cannot here.
            (4, 5, 2, false),
            (5, 6, 3, false),
            (6, 7, 5, false),
        ],
    );
    let paths = attack_paths(&g);
    let targets: Vec<NodeId> = paths.iter().map(|p| p.target()).collect();
    assert_eq!(targets, [ids[4]]);
    assert_eq!(paths[0].steps.len(), 5);
}

#[test]
fn writing_a_store_fires_its_triggers() {
    let (g, ids) = graph(
        &[0, 2, 3, 4, 5, 3, 4, 6],
        &[
            (0, 1, 0, false),
            (1, 2, 1, false),
            (2, 3, 3, false),
            (3, 4, 6, false),
            (4, 5, 2, false),
            (5, 6, 3, false),
            (6, 7, 5, false),
        ],
    );
    let targets: HashSet<NodeId> = attack_paths(&g).iter().map(|p| p.target()).collect();
    assert_eq!(targets, HashSet::from([ids[4], ids[7]]));
}
