//! What one identity reaches (blast radius) and, for each data store and secret, who can
//! read, write or administer it (access inventory).

use crate::graph::{EdgeId, Graph, NodeId};
use crate::paths::{Search, Step};
use crate::types::{AccessLevel, Crown, NodeKind};

/// Everything a compromised identity (or workload) reaches.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BlastRadius {
    pub identity: NodeId,
    /// Crowns reached, most access first, then by key.
    pub reached: Vec<Reached>,
}

/// One crown in a blast radius.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reached {
    pub node: NodeId,
    pub access: AccessLevel,
    /// From the identity to the crown.
    pub path: Vec<Step>,
}

/// What `identity` reaches if its credentials are stolen: every crown on a path from it,
/// with the access the last hop grants (administrator crowns count as admin).
pub fn blast_radius(g: &Graph, identity: NodeId) -> BlastRadius {
    let search = Search::run(g, identity);
    let mut reached: Vec<Reached> = g
        .nodes()
        .filter(|(id, n)| *id != identity && n.crown.is_some())
        .filter_map(|(id, n)| {
            let path = search.path_to(id)?;
            let access = match n.crown {
                Some(Crown::Admin | Crown::Escalation) => AccessLevel::Admin,
                _ => last_access(g, &path),
            };
            Some(Reached {
                node: id,
                access,
                path,
            })
        })
        .collect();
    reached.sort_by(|a, b| {
        b.access
            .cmp(&a.access)
            .then_with(|| g.node(a.node).key.cmp(&g.node(b.node).key))
    });
    BlastRadius { identity, reached }
}

fn last_access(g: &Graph, path: &[Step]) -> AccessLevel {
    path.last()
        .and_then(|s| s.edge)
        .and_then(|e| g.edge(e))
        .map_or(AccessLevel::Read, |(_, _, e)| {
            e.access.as_ref().map_or_else(
                || match e.relation {
                    crate::Relation::Writes => AccessLevel::Write,
                    crate::Relation::Administers | crate::Relation::Escalates => AccessLevel::Admin,
                    _ => AccessLevel::Read,
                },
                |a| a.level,
            )
        })
}

/// Who can reach one data store or secret.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DataAccess {
    pub data: NodeId,
    pub readers: Vec<Accessor>,
    pub writers: Vec<Accessor>,
    pub admins: Vec<Accessor>,
}

/// One principal with direct access to a data store.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Accessor {
    /// The identity (or untrusted source, for public data) holding the grant.
    pub who: NodeId,
    /// The grant.
    pub edge: EdgeId,
    /// When an untrusted source reaches `who`: the shortest such path, ending at `who`.
    pub exposed_by: Option<Vec<Step>>,
}

/// For every data store and secret in the graph, sorted by key: its readers, writers and
/// administrators, each with the grant and, when there is one, the path by which an
/// untrusted source gets there.
pub fn access_inventory(g: &Graph) -> Vec<DataAccess> {
    let searches: Vec<Search> = g
        .nodes()
        .filter(|(_, n)| n.kind.is_untrusted_source())
        .map(|(id, _)| Search::run(g, id))
        .collect();
    let exposure = |who: NodeId| -> Option<Vec<Step>> {
        if g.node(who).kind.is_untrusted_source() {
            return Some(vec![Step {
                node: who,
                edge: None,
            }]);
        }
        searches
            .iter()
            .filter_map(|s| s.path_to(who))
            .min_by_key(Vec::len)
    };
    let mut out: Vec<DataAccess> = g
        .nodes()
        .filter(|(_, n)| matches!(n.kind, NodeKind::Data | NodeKind::Secret))
        .map(|(data, _)| {
            let mut entry = DataAccess {
                data,
                readers: Vec::new(),
                writers: Vec::new(),
                admins: Vec::new(),
            };
            for (edge, who, e) in g.incoming(data) {
                if !e.relation.is_access() {
                    continue;
                }
                let level = e.access.as_ref().map_or(
                    match e.relation {
                        crate::Relation::Reads => AccessLevel::Read,
                        crate::Relation::Writes => AccessLevel::Write,
                        _ => AccessLevel::Admin,
                    },
                    |a| a.level,
                );
                let accessor = Accessor {
                    who,
                    edge,
                    exposed_by: exposure(who),
                };
                match level {
                    AccessLevel::Read => entry.readers.push(accessor),
                    AccessLevel::Write => entry.writers.push(accessor),
                    AccessLevel::Admin => entry.admins.push(accessor),
                }
            }
            for list in [&mut entry.readers, &mut entry.writers, &mut entry.admins] {
                list.sort_by(|a, b| g.node(a.who).key.cmp(&g.node(b.who).key));
            }
            entry
        })
        .collect();
    out.sort_by(|a, b| g.node(a.data).key.cmp(&g.node(b.data).key));
    out
}
