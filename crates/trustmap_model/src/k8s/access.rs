//! RBAC evaluated with its bindings: who (service account, user, group) can do what, where.
//!
//! Build an [`RbacIndex`] with [`K8s::rbac`], then ask it:
//!
//! - [`RbacIndex::grants_of`]: every rule a subject holds, with the binding and scope;
//! - [`RbacIndex::can`] / [`RbacIndex::can_request`] / [`RbacIndex::can_url`]: whether a
//!   request would be allowed ([`Decision`]);
//! - [`RbacIndex::holders_of`] / [`RbacIndex::bindings_of`]: who receives a Role's rules;
//! - [`RbacIndex::workloads_of`]: the workloads whose pods run as (or in a group of) a subject.
//!
//! Semantics are the Kubernetes RBAC authorizer's:
//!
//! - a RoleBinding grants a Role of its own namespace, or a ClusterRole's rules *only in the
//!   binding's namespace* (and never its `nonResourceURLs`); a ClusterRoleBinding grants a
//!   ClusterRole everywhere; a ClusterRoleBinding to a Role is invalid and grants nothing;
//! - a ServiceAccount subject without `namespace` is in the binding's namespace; a `User`
//!   named `system:serviceaccount:<ns>:<name>` is that service account;
//! - a service account is also in the groups `system:serviceaccounts`,
//!   `system:serviceaccounts:<ns>` and `system:authenticated`; a user is in
//!   `system:authenticated`, except `system:anonymous`, which is in `system:unauthenticated`;
//! - an aggregated ClusterRole (`aggregationRule`) holds the rules of every scanned
//!   ClusterRole its selectors match (transitively); since the cluster may hold more
//!   matching roles than the scan, what it grants beyond them is unknown;
//! - `cluster-admin`, `admin`, `edit` and `view` have their documented power when the scan
//!   does not define them (see [`super::well_known`]), plus the scanned ClusterRoles
//!   labelled to aggregate into them;
//! - a roleRef to any other role the scan does not define grants something *unknown*
//!   ([`Permission::Unknown`]), never nothing;
//! - rules match verbs, API groups and resources with `*` wildcards, subresources
//!   (`pods/exec`, and `*/exec` for any resource's), `resourceNames` (a rule naming objects
//!   never matches a request without a name, such as `create` or `list`), and
//!   `nonResourceURLs` (exact, or a prefix ending in `*`).
//!
//! Objects built by different Kustomize overlays are different deployments of the same
//! manifests: a binding resolves to roles and workloads built by its own overlay, or
//! written as plain manifests or Helm charts, never to another overlay's copy.
//!
//! Not modelled: the `system:masters` group bypasses RBAC entirely (it is reported by the
//! rules, not evaluated here); the `escalate`/`bind` checks the API server applies when
//! RBAC objects are written; webhook and node authorizers.

use std::collections::HashMap;

use trustmap_source::FileId;

use super::well_known::{AGGREGATE_LABEL_PREFIX, WellKnownRole, WellKnownRule};
use super::{K8s, KeyValue, LabelSelector, PolicyRule, Role, RoleBinding, Subject, Workload};
use crate::{Language, ResourceMeta, Value};

/// A subject asked about.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
pub enum SubjectRef {
    ServiceAccount { namespace: String, name: String },
    User(String),
    Group(String),
}

impl SubjectRef {
    /// The subject one entry of a binding's `subjects` names; `None` when its kind, name or
    /// (service account) namespace cannot be read, or the kind is not one RBAC knows.
    pub fn of(subject: &Subject, binding: &RoleBinding) -> Option<SubjectRef> {
        let name = subject.name.get()?.clone();
        match subject.kind.get()?.as_str() {
            "ServiceAccount" => {
                let namespace = match subject.namespace.get()? {
                    Some(ns) => ns.clone(),
                    None => binding.object.namespace.clone()?,
                };
                Some(SubjectRef::ServiceAccount { namespace, name })
            }
            "User" => Some(
                match name
                    .strip_prefix("system:serviceaccount:")
                    .and_then(|rest| rest.split_once(':'))
                {
                    Some((ns, sa)) if !ns.is_empty() && !sa.is_empty() => {
                        SubjectRef::ServiceAccount {
                            namespace: ns.to_string(),
                            name: sa.to_string(),
                        }
                    }
                    _ => SubjectRef::User(name),
                },
            ),
            "Group" => Some(SubjectRef::Group(name)),
            _ => None,
        }
    }

    /// The groups the API server puts this subject in, besides what it is.
    pub fn implied_groups(&self) -> Vec<String> {
        match self {
            SubjectRef::ServiceAccount { namespace, .. } => vec![
                "system:serviceaccounts".to_string(),
                format!("system:serviceaccounts:{namespace}"),
                "system:authenticated".to_string(),
            ],
            SubjectRef::User(name) if name == "system:anonymous" => {
                vec!["system:unauthenticated".to_string()]
            }
            SubjectRef::User(_) => vec!["system:authenticated".to_string()],
            SubjectRef::Group(g) if g.starts_with("system:serviceaccounts:") => vec![
                "system:serviceaccounts".to_string(),
                "system:authenticated".to_string(),
            ],
            SubjectRef::Group(g) if g == "system:serviceaccounts" => {
                vec!["system:authenticated".to_string()]
            }
            SubjectRef::Group(_) => Vec::new(),
        }
    }

    /// Whether a binding entry naming `entry` grants its role to this subject.
    pub fn receives_from(&self, entry: &SubjectRef) -> bool {
        self == entry || matches!(entry, SubjectRef::Group(g) if self.implied_groups().contains(g))
    }

    /// `service account `ns/name``, `user `alice``, `group `devs``.
    pub fn describe(&self) -> String {
        match self {
            SubjectRef::ServiceAccount { namespace, name } => {
                format!("service account `{namespace}/{name}`")
            }
            SubjectRef::User(name) => format!("user `{name}`"),
            SubjectRef::Group(name) => format!("group `{name}`"),
        }
    }

    /// `system:anonymous` or `system:unauthenticated`: anyone who can reach the API server.
    pub fn is_anonymous(&self) -> bool {
        matches!(self, SubjectRef::User(n) if n == "system:anonymous")
            || matches!(self, SubjectRef::Group(n) if n == "system:unauthenticated")
    }
}

/// Where a grant applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub enum Scope<'a> {
    /// Requests in this namespace only (a RoleBinding).
    Namespace(&'a str),
    /// Every namespace, cluster-scoped objects and non-resource URLs (a ClusterRoleBinding).
    Cluster,
}

impl Scope<'_> {
    /// Whether a request in `namespace` (`None`: cluster-scoped) falls in this scope.
    pub fn covers(&self, namespace: Option<&str>) -> bool {
        match self {
            Scope::Cluster => true,
            Scope::Namespace(ns) => namespace == Some(*ns),
        }
    }

    /// `in namespace `x`` or `cluster-wide`, for messages.
    pub fn describe(&self) -> String {
        match self {
            Scope::Namespace(ns) => format!("in namespace `{ns}`"),
            Scope::Cluster => "cluster-wide".to_string(),
        }
    }
}

/// What a grant gives.
#[derive(Clone, Copy, Debug, serde::Serialize, schemars::JsonSchema)]
pub enum Permission<'a> {
    /// A rule written in the scan. `role` holds it: the bound role, or for an aggregated
    /// ClusterRole the role whose labels its selectors match.
    Rule {
        role: &'a Role,
        rule: &'a PolicyRule,
    },
    /// A rule of a default ClusterRole the scan does not define.
    WellKnown {
        role: &'static WellKnownRole,
        rule: &'static WellKnownRule,
    },
    /// The bound role is not in the scan (or its reference cannot be read), or it is an
    /// aggregated ClusterRole that may hold rules of roles outside the scan.
    Unknown,
}

/// One rule a subject holds through one binding.
#[derive(Clone, Copy, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Grant<'a> {
    pub binding: &'a RoleBinding,
    /// The binding's subject entry that names the subject (or one of its groups).
    pub subject: &'a Subject,
    pub scope: Scope<'a>,
    pub permission: Permission<'a>,
}

impl<'a> Grant<'a> {
    /// The scanned rule granted, with its span (none for default roles and unknown grants).
    pub fn rule(&self) -> Option<&'a PolicyRule> {
        match self.permission {
            Permission::Rule { rule, .. } => Some(rule),
            _ => None,
        }
    }

    /// Whether the grant applies to a request in `namespace`.
    pub fn covers(&self, namespace: Option<&str>) -> bool {
        self.scope.covers(namespace)
    }
}

/// A resource request, as the authorizer sees it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Request<'r> {
    pub verb: &'r str,
    /// `""` is the core group.
    pub group: &'r str,
    /// `pods`, or with a subresource `pods/exec`.
    pub resource: &'r str,
    /// The object's name; `None` for `create`, `list`, `watch` and `deletecollection`.
    pub name: Option<&'r str>,
    /// `None` for cluster-scoped objects.
    pub namespace: Option<&'r str>,
}

/// The answer to "can this subject do that?".
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub enum Decision<'a> {
    /// Allowed by these grants (all of them, not only the first).
    Allowed(Vec<Grant<'a>>),
    Denied,
    /// A role, subject or rule that could allow it cannot be read, or is not in the scan.
    Unknown,
}

impl Decision<'_> {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

/// One subject entry that receives a role's rules, with how.
#[derive(Clone, Copy, Debug)]
pub struct Holder<'a> {
    pub binding: &'a RoleBinding,
    pub subject: &'a Subject,
    pub scope: Scope<'a>,
    /// The role's rules reach the binding through an aggregated ClusterRole (the one the
    /// binding's `roleRef` names).
    pub aggregated: bool,
}

impl Holder<'_> {
    /// The subject, when its entry can be read.
    pub fn who(&self) -> Option<SubjectRef> {
        SubjectRef::of(self.subject, self.binding)
    }
}

/// What a binding's `roleRef` resolves to.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// A scanned role (index into `K8s::roles`); `aggregated` when reached through an
    /// aggregated ClusterRole.
    Scanned {
        role: usize,
        aggregated: bool,
    },
    WellKnown(&'static WellKnownRole),
    Unknown,
}

/// RBAC of the scan, indexed for questions about subjects and roles.
pub struct RbacIndex<'a> {
    k8s: &'a K8s,
    /// Per binding (same order as `K8s::bindings`): what it grants.
    targets: Vec<Vec<Target>>,
    /// Per role (same order as `K8s::roles`): the bindings granting its rules.
    bound_by: Vec<Vec<(usize, bool)>>,
    /// Role address in memory → its index, for [`RbacIndex::bindings_of`].
    role_index: HashMap<usize, usize>,
    /// Workloads (indices into `K8s::workloads`) by namespace, then by service account.
    workloads_by_ns: HashMap<&'a str, HashMap<&'a str, Vec<usize>>>,
}

impl K8s {
    /// The scan's RBAC, indexed: linear in roles, bindings and workloads, plus one pass
    /// over the ClusterRoles per aggregated ClusterRole.
    pub fn rbac(&self) -> RbacIndex<'_> {
        RbacIndex::new(self)
    }
}

/// The deployment unit of an object: the top-level kustomization that built it, or `None`
/// for plain manifests and Helm output.
fn unit(meta: &ResourceMeta) -> Option<FileId> {
    (meta.language == Language::Kustomize)
        .then(|| meta.via.last().map(|v| v.span.file))
        .flatten()
}

/// Whether objects of units `a` (the referring one) and `b` can refer to each other.
fn same_deployment(a: Option<FileId>, b: Option<FileId>) -> bool {
    a.is_none() || b.is_none() || a == b
}

impl<'a> RbacIndex<'a> {
    fn new(k8s: &'a K8s) -> Self {
        let mut by_name: HashMap<(bool, Option<&str>, &str), Vec<usize>> = HashMap::new();
        for (i, r) in k8s.roles.iter().enumerate() {
            let ns = if r.cluster {
                None
            } else {
                r.object.namespace.as_deref()
            };
            by_name
                .entry((r.cluster, ns, r.object.name.as_str()))
                .or_default()
                .push(i);
        }
        let aggregates = Aggregates::new(k8s);
        let targets: Vec<Vec<Target>> = k8s
            .bindings
            .iter()
            .map(|b| resolve(k8s, b, &by_name, &aggregates))
            .collect();
        let mut bound_by = vec![Vec::new(); k8s.roles.len()];
        for (b, ts) in targets.iter().enumerate() {
            for t in ts {
                if let Target::Scanned { role, aggregated } = *t {
                    bound_by[role].push((b, aggregated));
                }
            }
        }
        let role_index = k8s
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| (std::ptr::from_ref(r) as usize, i))
            .collect();
        let mut workloads_by_ns: HashMap<&str, HashMap<&str, Vec<usize>>> = HashMap::new();
        for (i, w) in k8s.workloads.iter().enumerate() {
            if let Some(sa) = w.pod.service_account_name.get() {
                workloads_by_ns
                    .entry(w.object.namespace.as_deref().unwrap_or("default"))
                    .or_default()
                    .entry(sa.as_str())
                    .or_default()
                    .push(i);
            }
        }
        Self {
            k8s,
            targets,
            bound_by,
            role_index,
            workloads_by_ns,
        }
    }

    /// Every rule `subject` holds, directly or through its groups, in binding order.
    pub fn grants_of(&self, subject: &SubjectRef) -> Vec<Grant<'a>> {
        let mut out = Vec::new();
        for (b, binding) in self.k8s.bindings.iter().enumerate() {
            for entry in &binding.subjects {
                if SubjectRef::of(entry, binding).is_some_and(|e| subject.receives_from(&e)) {
                    self.push_grants(b, entry, &mut out);
                }
            }
        }
        out
    }

    /// Whether `subject` may `verb` `resource` (optionally `resource/subresource`) of API
    /// `group` in `namespace` (`None`: a cluster-scoped resource), for a request that names
    /// no object (see [`RbacIndex::can_request`] for one that does).
    pub fn can(
        &self,
        subject: &SubjectRef,
        verb: &str,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
    ) -> Decision<'a> {
        self.can_request(
            subject,
            &Request {
                verb,
                group,
                resource,
                name: None,
                namespace,
            },
        )
    }

    /// Whether `subject` may make the resource request `req`.
    pub fn can_request(&self, subject: &SubjectRef, req: &Request<'_>) -> Decision<'a> {
        self.decide(subject, req.namespace, |p| permission_matches(p, req))
    }

    /// Whether `subject` may `verb` the non-resource URL `path` (`/metrics`, `/healthz`):
    /// only ClusterRoleBindings grant these.
    pub fn can_url(&self, subject: &SubjectRef, verb: &str, path: &str) -> Decision<'a> {
        self.decide(subject, None, |p| {
            let (verbs, urls): (Vec<Option<&str>>, Vec<Option<&str>>) = match p {
                Permission::Rule { rule, .. } => (
                    items(&rule.verbs).collect(),
                    items(&rule.non_resource_urls).collect(),
                ),
                Permission::WellKnown { rule, .. } => (
                    rule.verbs.iter().map(|v| Some(*v)).collect(),
                    rule.non_resource_urls.iter().map(|v| Some(*v)).collect(),
                ),
                Permission::Unknown => return None,
            };
            all([
                any(&verbs, |v| v == verb || v == "*"),
                any(&urls, |u| url_matches(u, path)),
            ])
        })
    }

    fn decide(
        &self,
        subject: &SubjectRef,
        namespace: Option<&str>,
        matches: impl Fn(&Permission<'a>) -> Option<bool>,
    ) -> Decision<'a> {
        let mut allowed = Vec::new();
        let mut unknown = false;
        for (b, binding) in self.k8s.bindings.iter().enumerate() {
            for entry in &binding.subjects {
                let receives = match SubjectRef::of(entry, binding) {
                    Some(e) => subject.receives_from(&e),
                    // An entry that cannot be read may name anyone.
                    None => {
                        let mut grants = Vec::new();
                        self.push_grants(b, entry, &mut grants);
                        unknown |= grants
                            .iter()
                            .any(|g| g.covers(namespace) && matches(&g.permission) != Some(false));
                        false
                    }
                };
                if !receives {
                    continue;
                }
                let mut grants = Vec::new();
                self.push_grants(b, entry, &mut grants);
                for g in grants.into_iter().filter(|g| g.covers(namespace)) {
                    match matches(&g.permission) {
                        Some(true) => allowed.push(g),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
            }
        }
        if !allowed.is_empty() {
            Decision::Allowed(allowed)
        } else if unknown {
            Decision::Unknown
        } else {
            Decision::Denied
        }
    }

    fn push_grants(&self, b: usize, entry: &'a Subject, out: &mut Vec<Grant<'a>>) {
        let binding = &self.k8s.bindings[b];
        let scope = scope_of(binding);
        for t in &self.targets[b] {
            let grant = |permission| Grant {
                binding,
                subject: entry,
                scope,
                permission,
            };
            match *t {
                Target::Scanned { role, .. } => {
                    let role = &self.k8s.roles[role];
                    out.extend(
                        role.rules
                            .iter()
                            .map(|rule| grant(Permission::Rule { role, rule })),
                    );
                }
                Target::WellKnown(role) => {
                    out.extend(
                        role.rules()
                            .map(|rule| grant(Permission::WellKnown { role, rule })),
                    );
                }
                Target::Unknown => out.push(grant(Permission::Unknown)),
            }
        }
    }

    /// Every subject entry that receives `role`'s rules (directly or through an aggregated
    /// ClusterRole), in binding order. Empty for a role nothing binds.
    pub fn holders_of(&self, role: &Role) -> Vec<Holder<'a>> {
        let Some(&i) = self.role_index.get(&(std::ptr::from_ref(role) as usize)) else {
            return Vec::new();
        };
        self.bound_by[i]
            .iter()
            .flat_map(|&(b, aggregated)| {
                let binding = &self.k8s.bindings[b];
                binding.subjects.iter().map(move |subject| Holder {
                    binding,
                    subject,
                    scope: scope_of(binding),
                    aggregated,
                })
            })
            .collect()
    }

    /// The bindings that grant `role`'s rules (directly or through an aggregated ClusterRole).
    /// `role` must be one of the scan's roles (`K8s::roles`).
    pub fn bindings_of(&self, role: &Role) -> Vec<&'a RoleBinding> {
        let Some(&i) = self.role_index.get(&(std::ptr::from_ref(role) as usize)) else {
            return Vec::new();
        };
        let mut out: Vec<&'a RoleBinding> = Vec::new();
        for &(b, _) in &self.bound_by[i] {
            let binding = &self.k8s.bindings[b];
            if !out.iter().any(|x| std::ptr::eq(*x, binding)) {
                out.push(binding);
            }
        }
        out
    }

    /// The workloads whose pods hold `subject`'s permissions: those running as the service
    /// account (matched by namespace and `serviceAccountName`, so the `default` account that
    /// every namespace has counts without a manifest), or as any service account of a
    /// group (`system:serviceaccounts:<ns>`, `system:serviceaccounts`,
    /// `system:authenticated`). Whether the pods mount the token is left to the caller
    /// ([`K8s::automounts_token`]).
    pub fn workloads_of(&self, subject: &SubjectRef) -> Vec<&'a Workload> {
        self.workloads_of_in(subject, None)
    }

    /// Like [`RbacIndex::workloads_of`], for a subject named by `binding` (only workloads of
    /// the same deployment: see the module docs on Kustomize overlays).
    pub fn workloads_of_binding(
        &self,
        subject: &SubjectRef,
        binding: &RoleBinding,
    ) -> Vec<&'a Workload> {
        self.workloads_of_in(subject, unit(&binding.object.meta))
    }

    fn workloads_of_in(&self, subject: &SubjectRef, from: Option<FileId>) -> Vec<&'a Workload> {
        let mut found: Vec<usize> = match subject {
            SubjectRef::ServiceAccount { namespace, name } => self
                .workloads_by_ns
                .get(namespace.as_str())
                .and_then(|by_sa| by_sa.get(name.as_str()))
                .cloned()
                .unwrap_or_default(),
            SubjectRef::Group(g)
                if g == "system:serviceaccounts" || g == "system:authenticated" =>
            {
                (0..self.k8s.workloads.len()).collect()
            }
            SubjectRef::Group(g) => g
                .strip_prefix("system:serviceaccounts:")
                .and_then(|ns| self.workloads_by_ns.get(ns))
                .map(|by_sa| by_sa.values().flatten().copied().collect())
                .unwrap_or_default(),
            SubjectRef::User(_) => Vec::new(),
        };
        found.sort_unstable();
        found
            .into_iter()
            .map(|i| &self.k8s.workloads[i])
            .filter(|w| same_deployment(from, unit(&w.object.meta)))
            .collect()
    }
}

fn scope_of(binding: &RoleBinding) -> Scope<'_> {
    match (&binding.object.namespace, binding.cluster) {
        (Some(ns), false) => Scope::Namespace(ns),
        _ => Scope::Cluster,
    }
}

/// What a binding's `roleRef` grants.
fn resolve(
    k8s: &K8s,
    binding: &RoleBinding,
    by_name: &HashMap<(bool, Option<&str>, &str), Vec<usize>>,
    aggregates: &Aggregates,
) -> Vec<Target> {
    let (Some(kind), Some(name)) = (binding.role_ref.kind.get(), binding.role_ref.name.get())
    else {
        return vec![Target::Unknown];
    };
    let from = unit(&binding.object.meta);
    let key = match kind.as_str() {
        "Role" if !binding.cluster => (false, binding.object.namespace.as_deref(), name.as_str()),
        "ClusterRole" => (true, None, name.as_str()),
        // A ClusterRoleBinding cannot grant a Role; any other kind is rejected.
        _ => return Vec::new(),
    };
    let found = by_name.get(&key).map_or(&[][..], Vec::as_slice);
    let exact: Vec<usize> = found
        .iter()
        .copied()
        .filter(|&i| from.is_some() && unit(&k8s.roles[i].object.meta) == from)
        .collect();
    let candidates: Vec<usize> = if exact.is_empty() {
        found
            .iter()
            .copied()
            .filter(|&i| same_deployment(from, unit(&k8s.roles[i].object.meta)))
            .collect()
    } else {
        exact
    };
    if candidates.is_empty() {
        if let Some(role) = WellKnownRole::named(name).filter(|_| key.0) {
            let mut out = vec![Target::WellKnown(role)];
            out.extend(aggregates.members_of_default(k8s, role, from).map(|role| {
                Target::Scanned {
                    role,
                    aggregated: true,
                }
            }));
            return out;
        }
        return vec![Target::Unknown];
    }
    let mut out = Vec::new();
    for i in candidates {
        if k8s.roles[i].is_aggregated() {
            out.extend(
                aggregates
                    .members_of(k8s, i)
                    .into_iter()
                    .map(|role| Target::Scanned {
                        role,
                        aggregated: true,
                    }),
            );
            out.push(Target::Unknown);
        } else {
            out.push(Target::Scanned {
                role: i,
                aggregated: false,
            });
        }
    }
    out
}

/// ClusterRoles, for aggregation.
struct Aggregates {
    cluster_roles: Vec<usize>,
}

impl Aggregates {
    fn new(k8s: &K8s) -> Self {
        Self {
            cluster_roles: (0..k8s.roles.len())
                .filter(|&i| k8s.roles[i].cluster)
                .collect(),
        }
    }

    /// The non-aggregated ClusterRoles whose rules the aggregated role `root` holds,
    /// following aggregated roles it selects.
    fn members_of(&self, k8s: &K8s, root: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut seen = vec![root];
        let mut stack = vec![root];
        while let Some(agg) = stack.pop() {
            let Some(rule) = &k8s.roles[agg].aggregation else {
                continue;
            };
            let from = unit(&k8s.roles[agg].object.meta);
            for &c in &self.cluster_roles {
                let role = &k8s.roles[c];
                if seen.contains(&c)
                    || !same_deployment(from, unit(&role.object.meta))
                    || !rule
                        .selectors
                        .iter()
                        .any(|s| selector_matches(s, &role.object.labels) == Some(true))
                {
                    continue;
                }
                seen.push(c);
                if role.is_aggregated() {
                    stack.push(c);
                } else {
                    out.push(c);
                }
            }
        }
        out
    }

    /// Scanned ClusterRoles labelled to aggregate into the default role `role`.
    fn members_of_default<'s>(
        &'s self,
        k8s: &'s K8s,
        role: &'static WellKnownRole,
        from: Option<FileId>,
    ) -> impl Iterator<Item = usize> + 's {
        self.cluster_roles.iter().copied().filter(move |&c| {
            let r = &k8s.roles[c];
            !r.is_aggregated()
                && same_deployment(from, unit(&r.object.meta))
                && r.object.labels.iter().any(|kv| {
                    kv.key
                        .strip_prefix(AGGREGATE_LABEL_PREFIX)
                        .is_some_and(|to| role.aggregates.contains(&to))
                        && kv.value.is(|v| v == "true")
                })
        })
    }
}

/// Whether `labels` satisfy the selector; `None` when a value it depends on is unknown.
pub fn selector_matches(selector: &LabelSelector, labels: &[KeyValue]) -> Option<bool> {
    let label = |key: &str| labels.iter().find(|kv| kv.key == key);
    let mut results = Vec::new();
    for want in &selector.match_labels {
        results.push(match (label(&want.key), want.value.get()) {
            (None, _) => Some(false),
            (Some(have), Some(w)) => have.value.get().map(|h| h == w),
            (Some(_), None) => None,
        });
    }
    for req in &selector.match_expressions {
        let (Some(key), Some(op)) = (req.key.get(), req.operator.get()) else {
            results.push(None);
            continue;
        };
        let have = label(key);
        let in_values = || -> Option<bool> {
            let v = have?.value.get()?;
            let values: Vec<Option<&str>> = items(&req.values).collect();
            any(&values, |x| x == v)
        };
        results.push(match op.as_str() {
            "Exists" => Some(have.is_some()),
            "DoesNotExist" => Some(have.is_none()),
            "In" if have.is_none() => Some(false),
            "In" => in_values(),
            "NotIn" if have.is_none() => Some(true),
            "NotIn" => in_values().map(|b| !b),
            _ => None,
        });
    }
    all(results)
}

/// A list's items, `None` for each unknown one.
fn items(list: &[Value<String>]) -> impl Iterator<Item = Option<&str>> {
    list.iter().map(|v| v.get().map(String::as_str))
}

/// True when a known item satisfies `pred`; unknown when none does but some are unknown.
fn any(list: &[Option<&str>], pred: impl Fn(&str) -> bool) -> Option<bool> {
    if list.iter().flatten().any(|s| pred(s)) {
        Some(true)
    } else if list.iter().any(Option::is_none) {
        None
    } else {
        Some(false)
    }
}

/// False when any is false; unknown when none is false but some are unknown.
fn all(results: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for r in results {
        match r {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

/// Whether a rule's resource entry `pattern` covers `requested` (`pods` or `pods/exec`).
pub fn resource_matches(pattern: &str, requested: &str) -> bool {
    if pattern == "*" || pattern == requested {
        return true;
    }
    match (pattern.strip_prefix("*/"), requested.split_once('/')) {
        (Some(sub), Some((_, requested_sub))) => sub == requested_sub,
        _ => false,
    }
}

fn url_matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

/// Whether a permission allows `req`, ignoring scope; `None` when it cannot be known.
fn permission_matches(p: &Permission<'_>, req: &Request<'_>) -> Option<bool> {
    match p {
        Permission::Rule { rule, .. } => rule_matches(rule, req),
        Permission::WellKnown { rule, .. } => {
            let known = |l: &[&'static str]| l.iter().map(|s| Some(*s)).collect::<Vec<_>>();
            matches_lists(
                &known(rule.verbs),
                &known(rule.api_groups),
                &known(rule.resources),
                &[],
                req,
            )
        }
        Permission::Unknown => None,
    }
}

/// Whether a scanned rule allows the resource request `req`; `None` when an item that
/// decides it is unknown.
pub fn rule_matches(rule: &PolicyRule, req: &Request<'_>) -> Option<bool> {
    fn list(l: &[Value<String>]) -> Vec<Option<&str>> {
        items(l).collect()
    }
    matches_lists(
        &list(&rule.verbs),
        &list(&rule.api_groups),
        &list(&rule.resources),
        &list(&rule.resource_names),
        req,
    )
}

fn matches_lists(
    verbs: &[Option<&str>],
    groups: &[Option<&str>],
    resources: &[Option<&str>],
    names: &[Option<&str>],
    req: &Request<'_>,
) -> Option<bool> {
    let names = if names.is_empty() {
        Some(true)
    } else {
        match req.name {
            None => Some(false),
            Some(n) => any(names, |x| x == n),
        }
    };
    all([
        any(verbs, |v| v == req.verb || v == "*"),
        any(groups, |g| g == req.group || g == "*"),
        any(resources, |r| resource_matches(r, req.resource)),
        names,
    ])
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
