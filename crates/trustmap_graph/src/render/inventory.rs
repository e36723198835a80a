//! Text and JSON for `trustmap blast-radius` (what one identity reaches) and `trustmap access`
//! (who can read, write or administer each data store and secret, and through which path).

use std::fmt::Write;

use schemars::JsonSchema;
use serde::Serialize;
use trustmap_source::SourceMap;

use super::locate;
use crate::graph::{Graph, NodeId};
use crate::inventory::{Accessor, BlastRadius, DataAccess};
use crate::paths::Step;

/// A node in these outputs.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct NodeRef {
    /// The node id (as in `trustmap graph --format json`).
    pub id: String,
    pub kind: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
}

/// One hop: the node reached and the evidence of the edge into it.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Hop {
    pub node: String,
    /// Absent for the first node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Where the edge's evidence is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
}

/// `trustmap blast-radius --format json`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BlastDoc {
    pub identity: NodeRef,
    /// Most access first.
    pub reached: Vec<BlastEntry>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct BlastEntry {
    pub target: NodeRef,
    /// `read`, `write` or `admin`.
    pub access: String,
    /// From the identity to the target.
    pub path: Vec<Hop>,
}

/// `trustmap access --format json`: one entry per data store and secret.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AccessEntry {
    pub data: NodeRef,
    pub readers: Vec<AccessorEntry>,
    pub writers: Vec<AccessorEntry>,
    pub admins: Vec<AccessorEntry>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct AccessorEntry {
    pub who: NodeRef,
    /// The grant: relation, actions and where it is written.
    pub grant: Hop,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// When an untrusted source reaches `who`: that path, ending at `who`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposed_by: Option<Vec<Hop>>,
}

fn node_ref(g: &Graph, sources: &SourceMap, id: NodeId) -> NodeRef {
    let n = g.node(id);
    let (path, start_line) = locate(sources, n.span).unzip();
    NodeRef {
        id: n.key.clone(),
        kind: n.kind.as_str().to_string(),
        label: n.label.clone(),
        path,
        start_line,
    }
}

fn hops(g: &Graph, sources: &SourceMap, steps: &[Step]) -> Vec<Hop> {
    steps
        .iter()
        .map(|s| {
            let edge = s.edge.and_then(|e| g.edge(e)).map(|(_, _, e)| e);
            let (path, start_line) = locate(sources, edge.and_then(|e| e.span)).unzip();
            Hop {
                node: g.node(s.node).key.clone(),
                relation: edge.map(|e| e.relation.as_str().to_string()),
                why: edge.map(|e| e.why.clone()),
                path,
                start_line,
            }
        })
        .collect()
}

pub fn blast_doc(g: &Graph, sources: &SourceMap, blast: &BlastRadius) -> BlastDoc {
    BlastDoc {
        identity: node_ref(g, sources, blast.identity),
        reached: blast
            .reached
            .iter()
            .map(|r| BlastEntry {
                target: node_ref(g, sources, r.node),
                access: r.access.as_str().to_string(),
                path: hops(g, sources, &r.path),
            })
            .collect(),
    }
}

fn accessor(g: &Graph, sources: &SourceMap, a: &Accessor) -> AccessorEntry {
    let edge = g.edge(a.edge).map(|(_, _, e)| e);
    let (path, start_line) = locate(sources, edge.and_then(|e| e.span)).unzip();
    AccessorEntry {
        who: node_ref(g, sources, a.who),
        grant: Hop {
            node: g
                .edge(a.edge)
                .map(|(_, to, _)| g.node(to).key.clone())
                .unwrap_or_default(),
            relation: edge.map(|e| e.relation.as_str().to_string()),
            why: edge.map(|e| e.why.clone()),
            path,
            start_line,
        },
        actions: edge
            .and_then(|e| e.access.as_ref())
            .map(|a| a.actions.clone())
            .unwrap_or_default(),
        exposed_by: a.exposed_by.as_ref().map(|p| hops(g, sources, p)),
    }
}

pub fn access_doc(g: &Graph, sources: &SourceMap, inventory: &[DataAccess]) -> Vec<AccessEntry> {
    inventory
        .iter()
        .map(|d| AccessEntry {
            data: node_ref(g, sources, d.data),
            readers: d.readers.iter().map(|a| accessor(g, sources, a)).collect(),
            writers: d.writers.iter().map(|a| accessor(g, sources, a)).collect(),
            admins: d.admins.iter().map(|a| accessor(g, sources, a)).collect(),
        })
        .collect()
}

fn at(path: Option<&String>, line: Option<u32>) -> String {
    match (path, line) {
        (Some(p), Some(l)) => format!("{p}:{l}"),
        (Some(p), None) => p.clone(),
        _ => String::new(),
    }
}

fn node_line(n: &NodeRef) -> String {
    let place = at(n.path.as_ref(), n.start_line);
    if place.is_empty() {
        format!("{} ({})", n.id, n.kind)
    } else {
        format!("{} ({}, {place})", n.id, n.kind)
    }
}

/// Hops after the first, one per line: `--relation--> node   path:line`.
fn write_hops(out: &mut String, indent: &str, hops: &[Hop]) {
    for h in hops.iter().skip(1) {
        let place = at(h.path.as_ref(), h.start_line);
        let relation = h.relation.as_deref().unwrap_or("?");
        let _ = write!(out, "{indent}--{relation}--> {}", h.node);
        if !place.is_empty() {
            let _ = write!(out, "   {place}");
        }
        out.push('\n');
    }
}

/// The blast radius as pretty-printed JSON, ending in a newline.
pub fn blast_json(doc: &BlastDoc) -> String {
    super::json::to_pretty(doc)
}

/// The access inventory as pretty-printed JSON, ending in a newline.
pub fn access_json(entries: &[AccessEntry]) -> String {
    super::json::to_pretty(&entries)
}

/// The JSON schema of [`BlastDoc`], as committed in `schemas/blast-radius.schema.json`.
pub fn blast_schema() -> String {
    super::json::to_pretty(&schemars::schema_for!(BlastDoc))
}

/// The JSON schema of the access inventory (an array of [`AccessEntry`]), as committed in
/// `schemas/access.schema.json`.
pub fn access_schema() -> String {
    super::json::to_pretty(&schemars::schema_for!(Vec<AccessEntry>))
}

/// The blast radius for people.
pub fn blast_text(doc: &BlastDoc) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Blast radius of {}", node_line(&doc.identity));
    if doc.reached.is_empty() {
        out.push_str(
            "\nIt reaches no data store, secret or administrator role in the scanned files.\n",
        );
        return out;
    }
    let count = |level: &str| doc.reached.iter().filter(|r| r.access == level).count();
    let _ = writeln!(
        out,
        "An attacker who compromises it reaches {} crown{}: {} admin, {} write, {} read.",
        doc.reached.len(),
        if doc.reached.len() == 1 { "" } else { "s" },
        count("admin"),
        count("write"),
        count("read")
    );
    for r in &doc.reached {
        let _ = writeln!(out, "\n{:<6} {}", r.access, node_line(&r.target));
        let _ = writeln!(
            out,
            "       {}",
            r.path.first().map_or("", |h| h.node.as_str())
        );
        write_hops(&mut out, "         ", &r.path);
    }
    out
}

/// The access inventory for people.
pub fn access_text(entries: &[AccessEntry]) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        out.push_str("No data store or secret in the scanned files.\n");
        return out;
    }
    let exposed = entries
        .iter()
        .filter(|e| {
            [&e.readers, &e.writers, &e.admins]
                .iter()
                .any(|l| l.iter().any(|a| a.exposed_by.is_some()))
        })
        .count();
    let _ = writeln!(
        out,
        "Access inventory: {} data store{} and secret{}, {exposed} reachable from an untrusted source.",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        if entries.len() == 1 { "" } else { "s" },
    );
    for e in entries {
        let _ = writeln!(out, "\n{}", node_line(&e.data));
        let mut any = false;
        for (level, list) in [
            ("read", &e.readers),
            ("write", &e.writers),
            ("admin", &e.admins),
        ] {
            for a in list.iter() {
                any = true;
                let grant = at(a.grant.path.as_ref(), a.grant.start_line);
                let actions = if a.actions.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", a.actions.join(", "))
                };
                let _ = write!(out, "  {level:<6} {}{actions}", a.who.id);
                if !grant.is_empty() {
                    let _ = write!(out, "   granted at {grant}");
                }
                out.push('\n');
                if let Some(path) = &a.exposed_by {
                    let chain: Vec<&str> = path.iter().map(|h| h.node.as_str()).collect();
                    let _ = writeln!(out, "         EXPOSED: {}", chain.join(" -> "));
                }
            }
        }
        if !any {
            out.push_str("  nobody in the scanned files has access\n");
        }
    }
    out
}
