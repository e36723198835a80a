//! Scans a tiny repository written into a temporary directory and exposes its graph.

#![allow(dead_code, unreachable_pub)]

use trustmap_engine::{NoProgress, Report, Settings, scan};
use trustmap_graph::Graph;

/// Writes `files` (path, content) into a temporary directory and scans it.
pub fn scan_files(files: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().expect("tmp");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    scan(&Settings::new(vec![dir.path().to_path_buf()]), &NoProgress).expect("scan")
}

/// Every edge as `from -relation-> to`, sorted.
pub fn edges(g: &Graph) -> Vec<String> {
    let mut out: Vec<String> = g
        .edges()
        .map(|(_, a, b, e)| {
            format!(
                "{} -{}-> {}",
                g.node(a).key,
                e.relation.as_str(),
                g.node(b).key
            )
        })
        .collect();
    out.sort();
    out
}

/// Whether the graph has `from -relation-> to` (by keys).
pub fn has_edge(g: &Graph, from: &str, relation: &str, to: &str) -> bool {
    edges(g).contains(&format!("{from} -{relation}-> {to}"))
}

/// Each path as `source > ... > target` of node keys.
pub fn paths(r: &Report) -> Vec<String> {
    r.attack_paths
        .iter()
        .map(|p| {
            p.steps
                .iter()
                .map(|s| s.resource.as_str())
                .collect::<Vec<_>>()
                .join(" > ")
        })
        .collect()
}
