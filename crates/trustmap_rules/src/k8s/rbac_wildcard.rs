//! `*` in a Role's verbs, resources or API groups.

use trustmap_model::Model;
use trustmap_model::Value;
use trustmap_model::k8s::PolicyRule;

use super::rbac_exposure::{Fault, Line, Power, check_role_rules};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles with `*` in `verbs`, `resources` or `apiGroups`.
    ///
    /// One finding per rule line, at its first `*`. How severe it is depends on who holds
    /// the role: low when nothing in the scan binds it, high when users or groups hold it,
    /// and when a workload's service account holds it high, or critical for `*` verbs on
    /// `*` resources (which include `escalate`, `bind` and `impersonate`). The message names
    /// the binding and the workloads. A line with `*` verbs on `*` resources holds every
    /// power the other RBAC rules look for; it is reported here only, once.
    ///
    /// ## Why it matters
    ///
    /// A wildcard grants everything that exists now and everything added later: `*` verbs
    /// include `escalate`, `bind` and `impersonate`, `*` resources include `secrets`,
    /// `pods/exec` and every custom resource an operator installs next year. An attacker who
    /// steals the token of a subject bound to such a role gets far more than the workload
    /// ever used, often enough to grant themselves `cluster-admin`.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: app-operator
    /// rules:
    ///   - apiGroups: ["*"]
    ///     resources: ["*"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// ## Fix
    ///
    /// List the API groups, resources and verbs the subject uses (the API server's audit
    /// log shows them).
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments", "deployments/scale"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", avoiding
    ///   wildcards
    pub(crate) RbacWildcard {
        id: "K8S-012",
        name: "rbac-wildcard",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_49"],
            trivy: ["AVD-KSV-0044", "AVD-KSV-0045", "AVD-KSV-0046", "AVD-KSV-0112"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        check_role_rules(model, out, Self::META.severity, true, |_, rule| {
            wildcards(rule)
        });
    }
}

/// The `*` items of one rule line, as one fault.
fn wildcards(rule: &PolicyRule) -> Line<'_> {
    fn star(items: &[Value<String>]) -> Option<&Value<String>> {
        items.iter().find(|v| v.is(|s| s == "*"))
    }
    let fields = [
        (star(&rule.verbs), "every verb"),
        (star(&rule.resources), "every resource"),
        (star(&rule.api_groups), "every API group"),
    ];
    let found: Vec<&str> = fields
        .iter()
        .filter(|(s, _)| s.is_some())
        .map(|(_, what)| *what)
        .collect();
    let Some(at) = fields.iter().find_map(|(s, _)| *s) else {
        let unknown = [&rule.api_groups, &rule.resources, &rule.verbs]
            .iter()
            .any(|items| items.iter().any(Value::is_unknown));
        return if unknown { Line::Unknown } else { Line::Clean };
    };
    let what = match found.as_slice() {
        [one] => format!("covers {one} (`*`)"),
        [a, b] => format!("covers {a} and {b} (`*`)"),
        _ => {
            "covers every verb, resource and API group (`*`): cluster-admin where bound".to_string()
        }
    };
    let everything = fields[0].0.is_some() && fields[1].0.is_some();
    Line::Fault(Fault {
        at,
        what,
        power: if everything {
            Power::Escalation
        } else {
            Power::Ordinary
        },
        cluster_only: false,
    })
}
