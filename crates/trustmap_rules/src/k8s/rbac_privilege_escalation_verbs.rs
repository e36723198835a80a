//! `escalate`, `bind` and `impersonate`: the verbs that step around RBAC itself.

use trustmap_model::Model;
use trustmap_model::Value;
use trustmap_model::k8s::PolicyRule;

use super::code_list;
use super::rbac_exposure::{Fault, Line, Power, check_role_rules, hits, requested};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles that allow `escalate` or `bind` on `roles` or
    /// `clusterroles`, or `impersonate` on `users`, `groups`, `serviceaccounts`, `uids` or
    /// `userextras` (directly or through `*`).
    ///
    /// How severe it is depends on who holds the role: low when nothing in the scan binds
    /// it, high when users or groups hold it, critical when a scanned workload's service
    /// account holds it (the message names the binding and the workloads). A rule with
    /// `resourceNames` is narrowed to the named roles or identities and not reported,
    /// except `impersonate` naming a `system:` identity (such as `system:masters` or
    /// `system:admin`), which is reported whatever else it names.
    ///
    /// ## Why it matters
    ///
    /// The API server refuses to let anyone grant permissions they do not hold, unless
    /// they have `escalate` (edit a role to add anything) or `bind` (bind any role,
    /// `cluster-admin` included). `impersonate` makes every request run as another user,
    /// group or service account: impersonating `system:masters` is cluster-admin. Any of
    /// the three turns a modest identity, or a stolen pod token, into a cluster owner.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: team-admin
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles", "clusterrolebindings"]
    ///     verbs: ["create", "bind", "escalate"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Give the subject the permissions it needs instead of the power to grant itself
    /// more. If it must create bindings, let it `bind` only named roles.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["rolebindings"]
    ///     verbs: ["create"]
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["bind"]
    ///     resourceNames: ["view"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", escalate
    ///   and bind verbs, impersonate verb
    pub(crate) RbacPrivilegeEscalationVerbs {
        id: "K8S-030",
        name: "rbac-privilege-escalation-verbs",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3"],
            trivy: ["AVD-KSV-0043", "AVD-KSV-0050"],
            cwe: ["CWE-269"],
        },
    }
}

const RBAC: &str = "rbac.authorization.k8s.io";
const AUTHN: &str = "authentication.k8s.io";

/// What can be impersonated, `(group, resource, cluster-scoped)`.
const IMPERSONATE: &[(&str, &str, bool)] = &[
    ("", "users", true),
    ("", "groups", true),
    ("", "serviceaccounts", false),
    (AUTHN, "uids", true),
    (AUTHN, "userextras/scopes", true),
];

impl Rule for RbacPrivilegeEscalationVerbs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        check_role_rules(model, out, Self::META.severity, false, |_, rule| line(rule));
    }
}

fn line(rule: &PolicyRule) -> Line<'_> {
    let roles = [(RBAC, "roles", false), (RBAC, "clusterroles", true)];
    let mut unknown = false;
    let mut found = Vec::new();
    for (verb, targets) in [
        ("escalate", &roles[..]),
        ("bind", &roles[..]),
        ("impersonate", IMPERSONATE),
    ] {
        match hits(rule, &[verb], targets) {
            Ok(h) if !h.is_empty() => found.push((verb, h)),
            Ok(_) => {}
            Err(()) => unknown = true,
        }
    }
    if let Some((_, first)) = found.first() {
        // `escalate` and `bind` on `clusterroles`, `impersonate` on `users`.
        let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
        for (verb, h) in &found {
            let on = requested(h);
            match groups.iter_mut().find(|(_, r)| *r == on) {
                Some((vs, _)) => vs.push(verb),
                None => groups.push((vec![verb], on)),
            }
        }
        let what: Vec<String> = groups
            .iter()
            .map(|(vs, on)| {
                let vs: Vec<String> = vs.iter().map(|v| (*v).to_string()).collect();
                format!("{} on {on}", code_list(&vs))
            })
            .collect();
        return Line::Fault(Fault {
            at: first[0].verb,
            what: format!("allows {}", what.join("; ")),
            power: Power::Escalation,
            cluster_only: found.iter().flat_map(|(_, h)| h).all(|h| h.cluster_scoped),
        });
    }
    if let Some(name) = impersonated_system_identity(rule) {
        return Line::Fault(Fault {
            at: name,
            what: format!(
                "allows impersonating `{}`",
                name.get().map_or("?", String::as_str)
            ),
            power: Power::Escalation,
            cluster_only: true,
        });
    }
    if unknown { Line::Unknown } else { Line::Clean }
}

/// A `resourceNames` entry naming a `system:` identity in a rule that can impersonate.
fn impersonated_system_identity(rule: &PolicyRule) -> Option<&Value<String>> {
    let can_impersonate = rule
        .verbs
        .iter()
        .any(|v| v.is(|v| v == "impersonate" || v == "*"));
    let on_identities = rule
        .resources
        .iter()
        .any(|r| r.is(|r| r == "*" || IMPERSONATE.iter().any(|(_, x, _)| *x == r)));
    (can_impersonate && on_identities)
        .then(|| {
            rule.resource_names
                .iter()
                .find(|n| n.is(|n| n.starts_with("system:")))
        })
        .flatten()
}
