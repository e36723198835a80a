//! Joins between AWS resources, declared in one place.
//!
//! A part names its parent either by reference (`bucket = aws_s3_bucket.b.id`, evaluated to a
//! `Ref` carrying the address), by name (`bucket = "logs"`) or by ARN
//! (`role = "arn:aws:iam::123456789012:role/ci"`). [`TARGETS`] lists, for each kind of parent,
//! the resource types that define it and the argument holding its name; [`Index::link`]
//! resolves any of the three forms to the parent's position in its model list.

use std::collections::HashMap;

use trustmap_model::aws::Link;
use trustmap_model::aws::policy::host_of_url;
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::{Mode, TfResource};

use super::read;

/// What a reference can point at; each is one list of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Bucket,
    Role,
    User,
    Group,
    ManagedPolicy,
    SecurityGroup,
    LaunchTemplate,
    Function,
    OidcProvider,
}

/// `(target, mode, resource type, argument that holds the name)`, in model-list order: the
/// position of a resource among the rows of its target is its index in the model list.
pub(crate) const TARGETS: &[(Target, Mode, &str, Option<&str>)] = &[
    (
        Target::Bucket,
        Mode::Managed,
        "aws_s3_bucket",
        Some("bucket"),
    ),
    (Target::Role, Mode::Managed, "aws_iam_role", Some("name")),
    (Target::User, Mode::Managed, "aws_iam_user", Some("name")),
    (Target::Group, Mode::Managed, "aws_iam_group", Some("name")),
    (
        Target::ManagedPolicy,
        Mode::Managed,
        "aws_iam_policy",
        Some("name"),
    ),
    (
        Target::SecurityGroup,
        Mode::Managed,
        "aws_security_group",
        None,
    ),
    (
        Target::LaunchTemplate,
        Mode::Managed,
        "aws_launch_template",
        Some("name"),
    ),
    (
        Target::LaunchTemplate,
        Mode::Managed,
        "aws_launch_configuration",
        Some("name"),
    ),
    (
        Target::Function,
        Mode::Managed,
        "aws_lambda_function",
        Some("function_name"),
    ),
    (
        Target::OidcProvider,
        Mode::Managed,
        "aws_iam_openid_connect_provider",
        Some("url"),
    ),
    (
        Target::OidcProvider,
        Mode::Data,
        "aws_iam_openid_connect_provider",
        Some("url"),
    ),
];

/// Resources grouped by type, plus the lookups that resolve links.
pub(crate) struct Index<'a> {
    by_type: HashMap<(Mode, String), Vec<&'a TfResource>>,
    by_address: HashMap<&'a str, &'a TfResource>,
    positions: HashMap<(Target, &'a str), usize>,
    names: HashMap<(Target, String), usize>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(resources: &'a [TfResource]) -> Self {
        let mut by_type: HashMap<(Mode, String), Vec<&TfResource>> = HashMap::new();
        let mut by_address = HashMap::new();
        for r in resources {
            by_type
                .entry((r.mode, r.rtype.clone()))
                .or_default()
                .push(r);
            by_address.entry(r.address.as_str()).or_insert(r);
        }
        let mut index = Self {
            by_type,
            by_address,
            positions: HashMap::new(),
            names: HashMap::new(),
        };
        let mut next: HashMap<Target, usize> = HashMap::new();
        for &(target, mode, rtype, name_arg) in TARGETS {
            let rows = index.of(mode, rtype).to_vec();
            for r in rows {
                let pos = next.entry(target).or_insert(0);
                index.positions.insert((target, r.address.as_str()), *pos);
                if let Some(name) = name_arg
                    .and_then(|a| read::attr(&r.body, a))
                    .and_then(Node::as_str)
                {
                    index
                        .names
                        .entry((target, name_key(target, name)))
                        .or_insert(*pos);
                }
                *pos += 1;
            }
        }
        index
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
    pub(crate) fn position(&self, target: Target, address: &str) -> Option<usize> {
        self.positions.get(&(target, address)).copied()
    }

    /// Resolves an argument that names a `target` by reference, name or ARN.
    pub(crate) fn link(&self, target: Target, n: &Node) -> Link {
        let (text, found) = match &n.kind {
            NodeKind::Ref { address, .. } => {
                (Some(address.clone()), self.position(target, address))
            }
            _ => match n.scalar_text() {
                Some(s) => {
                    let found = name_in(target, &s)
                        .and_then(|name| self.names.get(&(target, name_key(target, name))))
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

    /// [`Index::link`] on an argument of `body`; unknown when the argument is omitted.
    pub(crate) fn link_at(
        &self,
        target: Target,
        body: &Node,
        key: &str,
        at: trustmap_source::Span,
    ) -> Link {
        read::attr(body, key).map_or_else(|| Link::unknown(at), |n| self.link(target, n))
    }
}

/// The name a literal denotes for a target: the literal itself, or the name inside an ARN.
fn name_in(target: Target, s: &str) -> Option<&str> {
    if !s.starts_with("arn:") {
        return Some(s);
    }
    // arn:partition:service:region:account:resource
    let mut parts = s.splitn(6, ':');
    let account = parts.nth(4)?;
    let resource = parts.next()?;
    // AWS-managed policies are never defined in the scan.
    if account == "aws" {
        return None;
    }
    let after = |prefix: &str| resource.strip_prefix(prefix);
    match target {
        Target::Bucket => Some(resource.split('/').next().unwrap_or(resource)),
        Target::Role => after("role/").and_then(|r| r.rsplit('/').next()),
        Target::User => after("user/").and_then(|r| r.rsplit('/').next()),
        Target::Group => after("group/").and_then(|r| r.rsplit('/').next()),
        Target::ManagedPolicy => after("policy/").and_then(|r| r.rsplit('/').next()),
        Target::Function => after("function:").map(|r| r.split(':').next().unwrap_or(r)),
        Target::OidcProvider => after("oidc-provider/"),
        Target::SecurityGroup | Target::LaunchTemplate => None,
    }
}

/// Names are compared as AWS compares them: OIDC providers by issuer host.
fn name_key(target: Target, name: &str) -> String {
    match target {
        Target::OidcProvider => host_of_url(name),
        _ => name.to_string(),
    }
}
