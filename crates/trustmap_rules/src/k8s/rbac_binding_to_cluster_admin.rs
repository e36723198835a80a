//! Bindings that hand out `cluster-admin` or grant anything to anonymous or superuser groups.

use trustmap_model::Model;
use trustmap_model::k8s::{RoleBinding, Subject};

use crate::{Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// RoleBindings and ClusterRoleBindings that grant the `cluster-admin` ClusterRole, and
    /// bindings of any role to `system:anonymous`, `system:unauthenticated` (requests
    /// without credentials) or `system:masters` (the built-in superuser group). A
    /// RoleBinding to `cluster-admin` is admin of one namespace and reported as high; the
    /// rest are critical.
    ///
    /// ## Why it matters
    ///
    /// `cluster-admin` is every verb on every resource: whoever holds the subject's
    /// credentials reads all secrets, runs privileged pods on any node and rewrites RBAC
    /// itself. A CI service account or a controller bound to it turns any compromise of
    /// that pipeline or pod into a compromise of the whole cluster. Binding to the
    /// anonymous or unauthenticated subjects gives the role to anyone who can reach the API
    /// server, no credentials needed. A binding to `system:masters` adds nothing (the group
    /// bypasses RBAC) but shows that credentials in that group are in use, and a client
    /// certificate in it cannot be revoked short of replacing the cluster's CA.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: deployer-admin
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    ///
    /// ## Fix
    ///
    /// Write a Role with the verbs and resources the subject actually uses, in the
    /// namespaces it deploys to, and bind that instead. Never bind to anonymous or
    /// unauthenticated subjects.
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: deployer
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "patch", "update"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: deployer
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: deployer
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    pub(crate) RbacBindingToClusterAdmin {
        id: "K8S-011",
        name: "rbac-binding-to-cluster-admin",
        severity: Critical,
        capability: Identity,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            trivy: ["AVD-KSV-0111", "AVD-KSV-0122", "AVD-KSV-0123"],
            cwe: ["CWE-269"],
        },
    }
}

/// Subjects that stand for "anyone" or for the superuser group.
fn special_subject(kind: &str, name: &str) -> Option<&'static str> {
    match (kind, name) {
        ("User" | "Group", "system:anonymous") => Some("anonymous requests"),
        ("Group", "system:unauthenticated") => Some("every unauthenticated request"),
        ("Group", "system:masters") => Some("the superuser group"),
        _ => None,
    }
}

/// `service account `ci/deployer``, `group `devs``, `user `alice``.
fn describe(subject: &Subject, binding: &RoleBinding) -> String {
    let kind = subject.kind.get().map_or("subject", String::as_str);
    let name = subject.name.get().map_or("?", String::as_str);
    match kind {
        "ServiceAccount" => {
            let ns = subject
                .namespace
                .get()
                .cloned()
                .flatten()
                .or_else(|| binding.object.namespace.clone())
                .unwrap_or_else(|| "?".to_string());
            format!("service account `{ns}/{name}`")
        }
        "Group" => format!("group `{name}`"),
        "User" => format!("user `{name}`"),
        other => format!("{other} `{name}`"),
    }
}

impl Rule for RbacBindingToClusterAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for binding in &model.k8s.bindings {
            let meta = &binding.object.meta;
            let (kind, name) = (&binding.role_ref.kind, &binding.role_ref.name);
            let mut clean = true;
            let mut unknown = kind.is_unknown() || name.is_unknown();
            if kind.is(|k| k == "ClusterRole") && name.is(|n| n == "cluster-admin") {
                clean = false;
                let who: Vec<String> = binding
                    .subjects
                    .iter()
                    .map(|s| describe(s, binding))
                    .collect();
                let who = if who.is_empty() {
                    "no subject yet".to_string()
                } else {
                    who.join(", ")
                };
                let (scope, severity) = match &binding.object.namespace {
                    None => ("the whole cluster".to_string(), Severity::Critical),
                    Some(ns) => (format!("namespace `{ns}`"), Severity::High),
                };
                out.report(
                    meta,
                    name.span,
                    &name.via,
                    format!("binding grants `cluster-admin` over {scope} to {who}"),
                )
                .severity = severity;
            }
            let role = format!(
                "{} `{}`",
                kind.get().map_or("role", String::as_str),
                name.get().map_or("?", String::as_str)
            );
            for subject in &binding.subjects {
                let (Some(k), Some(n)) = (subject.kind.get(), subject.name.get()) else {
                    unknown = true;
                    continue;
                };
                if let Some(what) = special_subject(k, n) {
                    clean = false;
                    out.report(
                        meta,
                        subject.name.span,
                        &subject.name.via,
                        format!("binding grants {role} to `{n}` ({what})"),
                    );
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass(),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
