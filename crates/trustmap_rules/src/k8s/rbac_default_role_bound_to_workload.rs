//! The default ClusterRoles `edit` and `admin` bound to a workload's service account.

use trustmap_model::Model;
use trustmap_model::k8s::{Decision, RbacIndex, RoleBinding, SubjectRef, Workload};

use super::rbac_exposure::{bindings_of_cluster_roles, describe_workload};
use crate::{Related, Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// RoleBindings and ClusterRoleBindings that grant the default ClusterRole `edit` or
    /// `admin` (when the scan does not define its own role of that name) to a service
    /// account that a scanned workload runs as and mounts the token of. The message lists
    /// the powers the binding gives those pods: reading Secrets, creating pods, exec into
    /// pods, minting service account tokens, and for `admin` binding roles. A
    /// RoleBinding is high; a ClusterRoleBinding hands them over in every namespace and is
    /// critical. Bindings to people and groups are how these roles are meant to be used
    /// and are not reported.
    ///
    /// The per-line RBAC rules (`rbac-reads-secrets`, `rbac-pod-exec`…) check the rules
    /// written in the scan; the default roles have no line in the repository, so this rule
    /// reports their grant once, at the binding's `roleRef`.
    ///
    /// ## Why it matters
    ///
    /// `edit` reads every Secret of its namespace and creates pods that run as any
    /// service account there, so it holds the power of every identity of the namespace;
    /// `admin` adds managing RoleBindings. An application rarely needs either, and code
    /// execution in a pod that holds one takes over the namespace (the cluster, through a
    /// ClusterRoleBinding).
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: ci-runner-edit
    ///   namespace: builds
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: edit
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci-runner
    ///     namespace: builds
    /// ```
    ///
    /// ## Fix
    ///
    /// Bind a Role listing only the verbs and resources the workload uses.
    ///
    /// ```yaml
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: ci-runner
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Using RBAC Authorization", user-facing roles
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    pub(crate) RbacDefaultRoleBoundToWorkload {
        id: "K8S-036",
        name: "rbac-default-role-bound-to-workload",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            cwe: ["CWE-269"],
        },
    }
}

/// The default roles this rule reports.
const BROAD_ROLES: &[&str] = &["edit", "admin"];

/// The powers probed, as `(verb, group, resource, prose)`.
const POWERS: &[(&str, &str, &str, &str)] = &[
    ("get", "", "secrets", "read Secrets"),
    ("create", "", "pods", "create pods"),
    ("create", "", "pods/exec", "exec into pods"),
    (
        "create",
        "",
        "serviceaccounts/token",
        "mint service account tokens",
    ),
    (
        "create",
        "rbac.authorization.k8s.io",
        "rolebindings",
        "bind roles",
    ),
];

impl Rule for RbacDefaultRoleBoundToWorkload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let index = model.k8s.rbac();
        for binding in bindings_of_cluster_roles(model, out, BROAD_ROLES) {
            // A role of that name in the scan replaces the default: the per-line rules
            // check its rules.
            let name = &binding.role_ref.name;
            let redefined = model
                .k8s
                .roles
                .iter()
                .any(|r| r.cluster && name.is(|n| *n == r.object.name));
            if redefined || !report(model, &index, binding, out) {
                out.pass_at(binding.object.meta.span);
            }
        }
    }
}

/// Reports the binding when it gives a workload's service account powers of a default
/// role; whether it did.
fn report(model: &Model, index: &RbacIndex<'_>, binding: &RoleBinding, out: &mut Sink) -> bool {
    let mut holders: Vec<(SubjectRef, Vec<&Workload>)> = Vec::new();
    for subject in &binding.subjects {
        let Some(who) = SubjectRef::of(subject, binding) else {
            continue;
        };
        let workloads: Vec<&Workload> = index
            .workloads_of_binding(&who, binding)
            .into_iter()
            .filter(|w| !model.k8s.automounts_token(w).is_false())
            .collect();
        if !workloads.is_empty() && !who.is_anonymous() {
            holders.push((who, workloads));
        }
    }
    let Some((who, workloads)) = holders.first() else {
        return false;
    };
    let namespace = workloads[0].object.namespace.as_deref();
    let powers: Vec<String> = POWERS
        .iter()
        .filter(|(verb, group, resource, _)| {
            match index.can(who, verb, group, resource, namespace) {
                Decision::Allowed(grants) => {
                    grants.iter().any(|g| std::ptr::eq(g.binding, binding))
                }
                Decision::Denied | Decision::Unknown => false,
            }
        })
        .map(|p| p.3.to_string())
        .collect();
    if powers.is_empty() {
        return false;
    }
    let role = binding.role_ref.name.get().map_or("?", String::as_str);
    let (scope, severity) = match (&binding.object.namespace, binding.cluster) {
        (Some(ns), false) => (format!("namespace `{ns}`"), Severity::High),
        _ => ("every namespace".to_string(), Severity::Critical),
    };
    let all: Vec<&Workload> = holders
        .iter()
        .flat_map(|(_, w)| w.iter().copied())
        .collect();
    let names: Vec<String> = all.iter().map(|w| describe_workload(w)).collect();
    let message = format!(
        "binding grants the default ClusterRole `{role}` to {} in {scope}: {} {} with it and \
         can {}",
        who.describe(),
        names.join(", "),
        if names.len() == 1 { "runs" } else { "run" },
        prose_list(&powers),
    );
    let name = &binding.role_ref.name;
    let finding = out.report(&binding.object.meta, name.span, &name.via, message);
    finding.severity = severity;
    finding.related.extend(all.iter().map(|w| Related {
        span: w.pod.service_account_name.span,
        note: format!("{} runs as the bound service account", describe_workload(w)),
    }));
    true
}

/// `a`, `a and b`, `a, b and c`.
fn prose_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
