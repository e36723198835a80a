//! Joins between Terraform resources, for the clouds that declare their join tables with it
//! (Google Cloud and Azure; the AWS adapter keeps its own `aws::join`, written first).
//!
//! A part names its parent by reference (`bucket = google_storage_bucket.b.name`, evaluated
//! to a `Ref` carrying the address), by name (`bucket = "logs"`) or by a provider ID
//! (`storage_account_id = "/subscriptions/…/storageAccounts/logs"`). Each adapter declares a
//! table of `(target, mode, resource type, argument holding the name)` rows in model-list
//! order and a [`JoinTarget::key`] that reduces a literal to the name it denotes;
//! [`Index::link`] resolves any of the three forms to the parent's position in its list.

use std::collections::HashMap;
use std::hash::Hash;

use trustmap_model::Link;
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::{Mode, TfResource};

use crate::terraform_read::attr;

/// One kind of join target; each is one list of the model.
pub(crate) trait JoinTarget: Copy + Eq + Hash {
    /// The key a literal denotes for this target (a name, or the name inside an ID); `None`
    /// when the literal can never name a resource of the scan.
    fn key(self, literal: &str) -> Option<String>;
}

/// A join table row: `(target, mode, resource type, argument that holds the name)`.
pub(crate) type Row<T> = (T, Mode, &'static str, Option<&'static str>);

/// Resources grouped by type, plus the lookups that resolve links.
pub(crate) struct Index<'a, T> {
    by_type: HashMap<(Mode, String), Vec<&'a TfResource>>,
    by_address: HashMap<&'a str, &'a TfResource>,
    positions: HashMap<(T, &'a str), usize>,
    names: HashMap<(T, String), usize>,
}

impl<'a, T: JoinTarget> Index<'a, T> {
    /// Indexes `resources`; positions follow the order of `rows`, then input order.
    pub(crate) fn new(resources: &'a [TfResource], rows: &[Row<T>]) -> Self {
        let mut by_type: HashMap<(Mode, String), Vec<&TfResource>> = HashMap::new();
        let mut by_address = HashMap::new();
        for r in resources {
            by_type
                .entry((r.mode, r.rtype.clone()))
                .or_default()
                .push(r);
            by_address.entry(r.address.as_str()).or_insert(r);
        }
        let mut positions = HashMap::new();
        let mut names = HashMap::new();
        let mut next: HashMap<T, usize> = HashMap::new();
        for &(target, mode, rtype, name_arg) in rows {
            for r in by_type
                .get(&(mode, rtype.to_string()))
                .map_or(&[][..], Vec::as_slice)
            {
                let pos = next.entry(target).or_insert(0);
                positions.insert((target, r.address.as_str()), *pos);
                let name = name_arg
                    .and_then(|a| attr(&r.body, a))
                    .and_then(Node::as_str)
                    .and_then(|n| target.key(n));
                if let Some(key) = name {
                    names.entry((target, key)).or_insert(*pos);
                }
                *pos += 1;
            }
        }
        Self {
            by_type,
            by_address,
            positions,
            names,
        }
    }

    /// Every resource (or data source) of a type, in input order.
    pub(crate) fn of(&self, mode: Mode, rtype: &str) -> &[&'a TfResource] {
        self.by_type
            .get(&(mode, rtype.to_string()))
            .map_or(&[][..], Vec::as_slice)
    }

    pub(crate) fn managed(&self, rtype: &str) -> &[&'a TfResource] {
        self.of(Mode::Managed, rtype)
    }

    /// The resource or data source at an address.
    pub(crate) fn resource(&self, address: &str) -> Option<&'a TfResource> {
        self.by_address.get(address).copied()
    }

    /// The position of a resource in its target's model list.
    pub(crate) fn position(&self, target: T, address: &str) -> Option<usize> {
        self.positions.get(&(target, address)).copied()
    }

    /// Resolves an argument that names a `target` by reference, name or ID.
    pub(crate) fn link(&self, target: T, n: &Node) -> Link {
        let (text, found) = match &n.kind {
            NodeKind::Ref { address, .. } => {
                (Some(address.clone()), self.position(target, address))
            }
            // `serviceAccount:${google_service_account.sa.email}`: a reference that is a whole
            // segment of the string names the target.
            NodeKind::Template(_) => template_link(n, |address| self.position(target, address)),
            _ => match n.scalar_text() {
                Some(s) => {
                    let found = target
                        .key(&s)
                        .and_then(|k| self.names.get(&(target, k)))
                        .copied();
                    (Some(s), found)
                }
                None => (None, None),
            },
        };
        Link {
            text,
            span: n.span,
            via: n.via.clone(),
            target: found,
        }
    }

    /// [`Index::link`] on the first of `keys` that `body` sets; unknown when none is.
    pub(crate) fn link_any(&self, target: T, body: &Node, keys: &[&str], at: Span) -> Link {
        crate::terraform_read::attr_any(body, keys)
            .map_or_else(|| Link::unknown(at), |n| self.link(target, n))
    }
}

/// The target a partly-known string names: the first reference that is a whole `/`- or
/// `:`-separated segment (`${aws_sqs_queue.q.arn}/*`, `serviceAccount:${...email}`) and
/// resolves through `position`. Shared by the generic and the AWS join indexes.
pub(crate) fn template_link(
    n: &Node,
    position: impl Fn(&str) -> Option<usize>,
) -> (Option<String>, Option<usize>) {
    crate::terraform_read::template(n)
        .and_then(|t| {
            t.segment_references()
                .find_map(|(address, _)| Some((address.to_string(), position(address)?)))
        })
        .map_or((None, None), |(address, found)| {
            (Some(address), Some(found))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::FileId;

    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum T {
        Thing,
    }

    impl JoinTarget for T {
        fn key(self, literal: &str) -> Option<String> {
            Some(literal.rsplit('/').next().unwrap_or(literal).to_string())
        }
    }

    fn res(address: &str, name: &str) -> TfResource {
        let span = Span::new(FileId(0), 0, 1);
        let body = Node::new(
            NodeKind::Map(vec![trustmap_syntax::Entry {
                key: "name".into(),
                key_span: span,
                value: Node::string(name, span),
            }]),
            span,
        );
        let (rtype, rname) = address.split_once('.').expect("type.name");
        TfResource {
            mode: Mode::Managed,
            rtype: rtype.into(),
            name: rname.into(),
            address: address.into(),
            body,
            span,
            via: Vec::new(),
        }
    }

    #[test]
    fn links_by_reference_name_and_id() {
        let rs = vec![res("t_thing.a", "alpha"), res("t_thing.b", "beta")];
        let index = Index::new(&rs, &[(T::Thing, Mode::Managed, "t_thing", Some("name"))]);
        let span = Span::new(FileId(0), 0, 1);
        let by_ref = Node::new(
            NodeKind::Ref {
                address: "t_thing.b".into(),
                attribute: "id".into(),
            },
            span,
        );
        assert_eq!(index.link(T::Thing, &by_ref).target, Some(1));
        assert_eq!(
            index.link(T::Thing, &Node::string("alpha", span)).target,
            Some(0)
        );
        assert_eq!(
            index
                .link(T::Thing, &Node::string("/x/y/things/beta", span))
                .target,
            Some(1)
        );
        assert_eq!(
            index.link(T::Thing, &Node::string("gamma", span)).target,
            None
        );
        assert_eq!(
            index.link(T::Thing, &Node::unknown(span)).label(),
            "unknown"
        );
    }

    #[test]
    fn links_by_a_reference_that_is_a_whole_segment_of_a_template() {
        use trustmap_syntax::Part;
        let rs = vec![res("t_thing.a", "alpha"), res("t_thing.b", "beta")];
        let index = Index::new(&rs, &[(T::Thing, Mode::Managed, "t_thing", Some("name"))]);
        let span = Span::new(FileId(0), 0, 1);
        let template = |before: &str| {
            Node::new(
                NodeKind::Template(vec![
                    Part::Text(before.into()),
                    Part::Ref {
                        address: "t_thing.b".into(),
                        attribute: "email".into(),
                    },
                ]),
                span,
            )
        };
        let named = index.link(T::Thing, &template("serviceAccount:"));
        assert_eq!((named.target, named.label()), (Some(1), "t_thing.b"));
        assert_eq!(index.link(T::Thing, &template("x-")).target, None);
    }
}
