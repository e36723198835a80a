//! Plan resources located in the configuration that produced them.
//!
//! A plan belongs to the root module in its own directory, else to the nearest root module
//! above it, else — when the scan has exactly one root module — to that one. Each plan
//! resource is matched to the evaluated resource with the same address (or, when the
//! evaluator could not expand `count`/`for_each` the same way, the same configuration block);
//! the plan's values are kept and every value takes the span and hops of the source value at
//! the same place, so findings point at the `.tf` lines. Values the configuration does not
//! write (provider defaults, computed attributes) point at the resource block. A resource in
//! both is reported once; evaluated instances of a block the plan expanded differently are
//! dropped; evaluated resources the plan does not mention at all are kept (a targeted plan
//! leaves them out).

use std::collections::{HashMap, HashSet};

use trustmap_syntax::{Entry, Node, NodeKind};

use super::{Plan, config_address};
use crate::TfResource;
use crate::value::respan;

/// Merges plans into the evaluated resources. `roots[i]` is the root module directory that
/// produced `resources[i]`; resources added from plans are tagged with their plan's root.
pub(crate) fn merge(plans: Vec<Plan>, resources: &mut Vec<TfResource>, roots: &mut Vec<String>) {
    for plan in plans {
        let distinct: HashSet<&str> = roots.iter().map(String::as_str).collect();
        let root = pick_root(&plan.dir, &distinct).map(str::to_string);
        let mut by_address: HashMap<&str, usize> = HashMap::new();
        let mut by_config: HashMap<String, usize> = HashMap::new();
        if let Some(root) = &root {
            for (i, r) in resources.iter().enumerate() {
                if &roots[i] == root {
                    by_address.entry(r.address.as_str()).or_insert(i);
                    by_config.entry(config_address(&r.address)).or_insert(i);
                }
            }
        }
        let plan_addresses: HashSet<&str> =
            plan.resources.iter().map(|r| r.address.as_str()).collect();
        let plan_configs: HashSet<String> = plan
            .resources
            .iter()
            .map(|r| config_address(&r.address))
            .collect();
        // Evaluated instances of a block the plan expanded into other instances.
        let stale: HashSet<usize> = by_address
            .iter()
            .filter(|(a, _)| {
                !plan_addresses.contains(*a) && plan_configs.contains(&config_address(a))
            })
            .map(|(_, &i)| i)
            .collect();
        let mut replaced: Vec<(usize, TfResource)> = Vec::new();
        let mut added: Vec<TfResource> = Vec::new();
        for pr in plan.resources {
            let exact = by_address.get(pr.address.as_str()).copied();
            let source = exact.or_else(|| by_config.get(&config_address(&pr.address)).copied());
            match (exact, source) {
                (Some(i), _) => replaced.push((i, located(pr, &resources[i]))),
                (None, Some(i)) => added.push(located(pr, &resources[i])),
                (None, None) => added.push(pr),
            }
        }
        for (i, r) in replaced {
            resources[i] = r;
        }
        let tag = root.unwrap_or_else(|| plan.dir.clone());
        let keep: Vec<bool> = (0..resources.len()).map(|i| !stale.contains(&i)).collect();
        let mut k = keep.iter();
        resources.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        roots.retain(|_| *k.next().unwrap_or(&true));
        for r in added {
            resources.push(r);
            roots.push(tag.clone());
        }
    }
}

/// The root module a plan in `dir` belongs to.
fn pick_root<'r>(dir: &str, roots: &HashSet<&'r str>) -> Option<&'r str> {
    let mut d = dir;
    loop {
        if let Some(r) = roots.get(d) {
            return Some(r);
        }
        if d.is_empty() {
            break;
        }
        d = d.rfind('/').map_or("", |i| &d[..i]);
    }
    if roots.len() == 1 {
        return roots.iter().next().copied();
    }
    None
}

/// A plan resource located at its configuration.
fn located(pr: TfResource, source: &TfResource) -> TfResource {
    TfResource {
        body: overlay(pr.body, &source.body),
        span: source.span,
        via: source.via.clone(),
        ..pr
    }
}

/// The plan's value `p` with the spans and hops of the source value `e` at the same place.
fn overlay(p: Node, e: &Node) -> Node {
    let Node { kind, .. } = p;
    let kind = match (kind, &e.kind) {
        (NodeKind::Map(entries), NodeKind::Map(_)) => NodeKind::Map(
            entries
                .into_iter()
                .map(|pe| match e.entry(&pe.key) {
                    Some(se) => Entry {
                        value: overlay(pe.value, &se.value),
                        key_span: se.key_span,
                        key: pe.key,
                    },
                    None => Entry {
                        value: respan(pe.value, e.span),
                        key_span: e.span,
                        key: pe.key,
                    },
                })
                .collect(),
        ),
        (NodeKind::Seq(items), NodeKind::Seq(sources)) => NodeKind::Seq(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match sources.get(i) {
                    Some(s) => overlay(item, s),
                    None => respan(item, e.span),
                })
                .collect(),
        ),
        // One nested block written as an object (JSON syntax): the plan lists it.
        (NodeKind::Seq(items), NodeKind::Map(_)) => NodeKind::Seq(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    if i == 0 {
                        overlay(item, e)
                    } else {
                        respan(item, e.span)
                    }
                })
                .collect(),
        ),
        (NodeKind::Json { text, tree }, NodeKind::Json { tree: source, .. }) => NodeKind::Json {
            text,
            tree: Box::new(overlay(*tree, source)),
        },
        // Known only after apply: the source's reference says to what (adapters join on it).
        (NodeKind::Unknown, NodeKind::Ref { .. } | NodeKind::Template(_) | NodeKind::Unknown) => {
            return e.clone();
        }
        (other, _) => respan(Node::new(other, e.span), e.span).kind,
    };
    Node {
        kind,
        span: e.span,
        via: e.via.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_find_their_root_module() {
        let roots: HashSet<&str> = ["infra", "envs/prod", ""].into_iter().collect();
        assert_eq!(pick_root("infra", &roots), Some("infra"));
        assert_eq!(pick_root("infra/plans", &roots), Some("infra"));
        assert_eq!(pick_root("other", &roots), Some(""));
        let roots: HashSet<&str> = ["infra", "envs/prod"].into_iter().collect();
        assert_eq!(pick_root("other", &roots), None);
        let roots: HashSet<&str> = ["infra"].into_iter().collect();
        assert_eq!(pick_root("", &roots), Some("infra"));
    }
}
