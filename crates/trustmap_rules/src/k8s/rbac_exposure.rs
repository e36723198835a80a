//! What the RBAC rules share: finding the dangerous grants in a Role's rule lines, and
//! how far the role reaches through its bindings, which sets each finding's severity.
//!
//! A dangerous rule in a role that nothing binds is low (dangerous the day someone binds
//! it); bound to users or groups it has the rule's severity; bound to a service account
//! that a scanned workload runs as (and mounts the token of) it is high, critical for
//! escalation-class powers; granted to anonymous requests it is critical. One finding per
//! role rule line, with the strongest binding context, naming the binding and workloads.

use trustmap_model::k8s::access::{Request, resource_matches, rule_matches};
use trustmap_model::k8s::{
    Holder, K8s, PolicyRule, RbacIndex, Role, RoleBinding, SubjectRef, Workload,
};
use trustmap_model::{Model, Value};

use super::{code_list, rule_of};
use crate::{Related, Severity, Sink};

/// How much a power is worth to an attacker holding a workload's token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Power {
    /// High when a workload holds it.
    Ordinary,
    /// Leads to cluster-admin or every identity in scope: critical when a workload holds it.
    Escalation,
}

/// One request a rule line allows, and the items that allow it.
pub(super) struct Hit<'r> {
    pub(super) verb: &'r Value<String>,
    pub(super) resource: &'r Value<String>,
    /// The requested resource (`pods/exec`), for messages.
    pub(super) requested: &'static str,
    /// The resource is cluster-scoped: only ClusterRoleBindings grant it.
    pub(super) cluster_scoped: bool,
}

/// The requests of `verbs` × `targets` (`(group, resource, cluster_scoped)`) that `rule`
/// allows for a request naming no object, one hit per resource. `Err(())` when none is
/// certainly allowed but an unknown item might allow one.
pub(super) fn hits<'r>(
    rule: &'r PolicyRule,
    verbs: &[&str],
    targets: &[(&str, &'static str, bool)],
) -> Result<Vec<Hit<'r>>, ()> {
    let mut out: Vec<Hit<'r>> = Vec::new();
    let mut unknown = false;
    for &(group, resource, cluster_scoped) in targets {
        if out.iter().any(|h| h.requested == resource) {
            continue;
        }
        for &verb in verbs {
            let req = Request {
                verb,
                group,
                resource,
                name: None,
                namespace: None,
            };
            match rule_matches(rule, &req) {
                Some(true) => {
                    let item = |list: &'r [Value<String>], pred: &dyn Fn(&str) -> bool| {
                        list.iter().find(|v| v.is(|s| pred(s)))
                    };
                    if let (Some(v), Some(r)) = (
                        item(&rule.verbs, &|v| v == verb || v == "*"),
                        item(&rule.resources, &|r| resource_matches(r, resource)),
                    ) {
                        out.push(Hit {
                            verb: v,
                            resource: r,
                            requested: resource,
                            cluster_scoped,
                        });
                        break;
                    }
                }
                Some(false) => {}
                None => unknown = true,
            }
        }
    }
    if out.is_empty() && unknown {
        Err(())
    } else {
        Ok(out)
    }
}

/// The resources of hits, as prose: `` `pods` and `deployments` ``.
pub(super) fn requested(hits: &[Hit<'_>]) -> String {
    let names: Vec<String> = hits.iter().map(|h| h.requested.to_string()).collect();
    code_list(&names)
}

/// The verbs of hits, as prose.
pub(super) fn verbs(hits: &[Hit<'_>]) -> String {
    let mut names: Vec<String> = Vec::new();
    for h in hits {
        if let Some(v) = h.verb.get()
            && !names.contains(v)
        {
            names.push(v.clone());
        }
    }
    code_list(&names)
}

/// What one rule line of a role grants that the rule reports.
pub(super) struct Fault<'r> {
    /// The item to point at.
    pub(super) at: &'r Value<String>,
    /// What the line allows, after "rule of Role `x` ".
    pub(super) what: String,
    pub(super) power: Power,
    /// Only ClusterRoleBindings grant it (cluster-scoped resources, non-resource URLs).
    pub(super) cluster_only: bool,
}

/// The outcome of checking one rule line.
pub(super) enum Line<'r> {
    Fault(Fault<'r>),
    Clean,
    Unknown,
}

/// A line with `*` verbs on `*` resources: every power at once, reported once by
/// `rbac-wildcard` rather than once per power.
pub(super) fn grants_everything(rule: &PolicyRule) -> bool {
    let star = |items: &[Value<String>]| items.iter().any(|v| v.is(|s| s == "*"));
    star(&rule.verbs) && star(&rule.resources)
}

/// Runs a per-line check over the rules of every scanned Role and ClusterRole (except
/// aggregated ClusterRoles, whose written rules the controller replaces: the rules they
/// hold are checked in the roles they aggregate) and reports each fault with its role's
/// strongest binding context. Lines that grant everything are left to `rbac-wildcard`
/// (`all_powers`: false) so that one line does not yield one finding per power.
pub(super) fn check_role_rules(
    model: &Model,
    out: &mut Sink,
    base: Severity,
    all_powers: bool,
    check: impl for<'r> Fn(&'r Role, &'r PolicyRule) -> Line<'r>,
) {
    let index = model.k8s.rbac();
    for role in model.k8s.roles.iter().filter(|r| !r.is_aggregated()) {
        let mut clean = true;
        let mut unknown = false;
        // Computed once per role (and per `cluster_only`), when a line is at fault.
        let mut reaches: [Option<Reach<'_>>; 2] = [None, None];
        for rule in &role.rules {
            if !all_powers && grants_everything(rule) {
                // Not clean, and reported by `rbac-wildcard`.
                clean = false;
                continue;
            }
            match check(role, rule) {
                Line::Fault(fault) => {
                    clean = false;
                    let reach = reaches[usize::from(fault.cluster_only)].get_or_insert_with(|| {
                        Reach::of(&model.k8s, &index, role, fault.cluster_only)
                    });
                    report(out, role, &fault, reach, base);
                }
                Line::Clean => {}
                Line::Unknown => unknown = true,
            }
        }
        match (clean, unknown) {
            (true, false) => out.pass_at(role.object.meta.span),
            (true, true) => out.unknown(),
            _ => {}
        }
    }
}

/// The bindings whose `roleRef` is a ClusterRole named in `names`; every other binding is
/// tallied (unknown when its `roleRef` cannot be read, else passed).
pub(super) fn bindings_of_cluster_roles<'m>(
    model: &'m Model,
    out: &mut Sink,
    names: &[&str],
) -> Vec<&'m RoleBinding> {
    let mut found = Vec::new();
    for binding in &model.k8s.bindings {
        let (kind, name) = (&binding.role_ref.kind, &binding.role_ref.name);
        if kind.is(|k| k == "ClusterRole") && name.is(|n| names.contains(&n.as_str())) {
            found.push(binding);
        } else if kind.is_unknown() || name.is_unknown() {
            out.unknown();
        } else {
            out.pass_at(binding.object.meta.span);
        }
    }
    found
}

/// [`check_role_rules`] for one power: every line that allows one of `verbs` on one of
/// `targets` (see [`hits`]) is a fault that `fault` describes from the line's hits. The
/// per-power RBAC rules are this call plus their message.
pub(super) fn check_power(
    model: &Model,
    out: &mut Sink,
    base: Severity,
    verbs: &[&str],
    targets: &[(&str, &'static str, bool)],
    fault: impl for<'r> Fn(&'r Role, &'r PolicyRule, Vec<Hit<'r>>) -> Fault<'r>,
) {
    check_role_rules(model, out, base, false, |role, rule| {
        match hits(rule, verbs, targets) {
            Err(()) => Line::Unknown,
            Ok(h) if h.is_empty() => Line::Clean,
            Ok(h) => Line::Fault(fault(role, rule, h)),
        }
    });
}

fn report(out: &mut Sink, role: &Role, fault: &Fault<'_>, reach: &Reach<'_>, base: Severity) {
    let message = format!("{} {}; {}", rule_of(role), fault.what, reach.describe());
    let finding = out.report(&role.object.meta, fault.at.span, &fault.at.via, message);
    finding.severity = reach.severity(base, fault.power);
    finding.related.extend(reach.related());
}

/// How far a role reaches: its strongest holder.
pub(super) enum Reach<'a> {
    /// Nothing in the scan grants it; `namespaced_only` when RoleBindings do, but the
    /// power is cluster-scoped so they grant nothing of it.
    Unbound { namespaced_only: bool },
    /// Users, groups or service accounts no scanned workload runs as.
    Bound(Holding<'a>),
    /// Service accounts (or their groups) that scanned workloads run as and mount.
    Workloads(Holding<'a>, Vec<&'a Workload>),
    /// `system:anonymous` or `system:unauthenticated`.
    Anonymous(Holding<'a>),
}

/// The holder a finding names, and how many other bindings also grant the role.
pub(super) struct Holding<'a> {
    holder: Holder<'a>,
    who: Option<SubjectRef>,
    other_bindings: usize,
}

impl<'a> Reach<'a> {
    /// The strongest reach of `role` (first in binding order among equals).
    pub(super) fn of(k8s: &'a K8s, index: &RbacIndex<'a>, role: &Role, cluster_only: bool) -> Self {
        let all = index.holders_of(role);
        let holders: Vec<Holder<'a>> = all
            .iter()
            .copied()
            .filter(|h| !cluster_only || h.binding.cluster)
            .collect();
        let mut bindings: Vec<*const _> = holders
            .iter()
            .map(|h| std::ptr::from_ref(h.binding))
            .collect();
        bindings.dedup();
        let others = bindings.len().saturating_sub(1);
        let mut best: Option<(u8, Reach<'a>)> = None;
        for holder in holders {
            let who = holder.who();
            let holding = |who| Holding {
                holder,
                who,
                other_bindings: others,
            };
            let (rank, reach) = match &who {
                Some(w) if w.is_anonymous() => (3, Reach::Anonymous(holding(who.clone()))),
                Some(w) => {
                    let workloads: Vec<&Workload> = index
                        .workloads_of_binding(w, holder.binding)
                        .into_iter()
                        .filter(|wl| !k8s.automounts_token(wl).is_false())
                        .collect();
                    if workloads.is_empty() {
                        (1, Reach::Bound(holding(who.clone())))
                    } else {
                        (2, Reach::Workloads(holding(who.clone()), workloads))
                    }
                }
                None => (1, Reach::Bound(holding(None))),
            };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, reach));
            }
        }
        best.map_or(
            Reach::Unbound {
                namespaced_only: !all.is_empty(),
            },
            |(_, r)| r,
        )
    }

    pub(super) fn severity(&self, base: Severity, power: Power) -> Severity {
        match (self, power) {
            (Reach::Unbound { .. }, _) => Severity::Low,
            (Reach::Bound(_), _) => base,
            (Reach::Workloads(..), Power::Ordinary) => base.max(Severity::High),
            (Reach::Workloads(..), Power::Escalation) | (Reach::Anonymous(_), _) => {
                Severity::Critical
            }
        }
    }

    /// The context clause of a message.
    pub(super) fn describe(&self) -> String {
        match self {
            Reach::Unbound {
                namespaced_only: false,
            } => "no binding in the scan grants it yet (dangerous the day one does)".to_string(),
            Reach::Unbound {
                namespaced_only: true,
            } => "only RoleBindings grant it, and they cannot grant cluster-scoped resources \
                  (dangerous the day a ClusterRoleBinding does)"
                .to_string(),
            Reach::Bound(h) => format!("granted to {}", h.describe()),
            Reach::Workloads(h, workloads) => {
                let names: Vec<String> = workloads.iter().map(|w| describe_workload(w)).collect();
                let verb = if names.len() == 1 { "runs" } else { "run" };
                format!(
                    "{} {verb} with it: granted to {}",
                    join_prose(&names),
                    h.describe()
                )
            }
            Reach::Anonymous(h) => format!(
                "anyone who can reach the API server holds it: granted to {}",
                h.describe()
            ),
        }
    }

    /// Secondary locations: the subject entry that receives the role, the aggregation,
    /// the workloads.
    pub(super) fn related(&self) -> Vec<Related> {
        let (h, workloads) = match self {
            Reach::Unbound { .. } => return Vec::new(),
            Reach::Bound(h) | Reach::Anonymous(h) => (h, &[][..]),
            Reach::Workloads(h, w) => (h, w.as_slice()),
        };
        let binding = h.holder.binding;
        let mut out = vec![Related {
            span: h.holder.subject.span,
            note: format!("granted by {}", binding.object.describe()),
        }];
        if h.holder.aggregated {
            out.push(Related {
                span: binding.role_ref.span,
                note: format!(
                    "through ClusterRole `{}`, which aggregates the role",
                    binding.role_ref.name.get().map_or("?", String::as_str)
                ),
            });
        }
        let who = h
            .who
            .as_ref()
            .map_or_else(|| "the subject".to_string(), SubjectRef::describe);
        out.extend(workloads.iter().map(|w| Related {
            span: w.pod.service_account_name.span,
            note: format!("{} runs as {who}", describe_workload(w)),
        }));
        out
    }
}

impl Holding<'_> {
    /// `service account `shop/web` by RoleBinding `web` in namespace `shop``.
    fn describe(&self) -> String {
        let who = self
            .who
            .as_ref()
            .map_or_else(|| "a subject".to_string(), SubjectRef::describe);
        let b = self.holder.binding;
        let mut s = format!(
            "{who} by {} {}",
            b.object.describe(),
            self.holder.scope.describe()
        );
        if self.holder.aggregated {
            s.push_str(&format!(
                " (through aggregated ClusterRole `{}`)",
                b.role_ref.name.get().map_or("?", String::as_str)
            ));
        }
        match self.other_bindings {
            0 => {}
            1 => s.push_str(" and 1 more binding"),
            n => s.push_str(&format!(" and {n} more bindings")),
        }
        s
    }
}

/// `Deployment `shop/web``.
pub(super) fn describe_workload(w: &Workload) -> String {
    match &w.object.namespace {
        Some(ns) => format!("{} `{ns}/{}`", w.object.kind, w.object.name),
        None => w.object.describe(),
    }
}

/// `a`, `a and b`, `a, b and 2 more`.
fn join_prose(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}
