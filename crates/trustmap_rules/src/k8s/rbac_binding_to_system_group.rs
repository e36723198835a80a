//! Bindings to the groups that stand for "anyone" or for the superuser.

use trustmap_model::Model;
use trustmap_model::k8s::SubjectRef;

use crate::{Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// RoleBindings and ClusterRoleBindings that grant any role to `system:anonymous` or
    /// `system:unauthenticated` (requests without credentials; critical), to
    /// `system:authenticated` (every identity the cluster accepts, every pod's service
    /// account included; high), or that name `system:masters` (the built-in superuser
    /// group; critical). Written as `User` or `Group` alike.
    ///
    /// ## Why it matters
    ///
    /// Binding to the anonymous or unauthenticated subjects gives the role to anyone who
    /// can reach the API server, no credentials needed. `system:authenticated` is far
    /// broader than it reads: on managed clusters it can include any account of the cloud
    /// provider, and it always includes the token of every pod, so the least trusted
    /// workload of the cluster holds the role. A binding to `system:masters` adds nothing
    /// (the group bypasses RBAC) but shows that credentials in that group are in use, and
    /// a client certificate in it cannot be revoked short of replacing the cluster's CA.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: public-status
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: status-reader
    /// subjects:
    ///   - kind: Group
    ///     name: system:unauthenticated
    /// ```
    ///
    /// ## Fix
    ///
    /// Bind the role to the groups or service accounts that need it; serve public status
    /// through an Ingress to the application, not through the API server.
    ///
    /// ```yaml
    /// subjects:
    ///   - kind: Group
    ///     name: sre
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    pub(crate) RbacBindingToSystemGroup {
        id: "K8S-035",
        name: "rbac-binding-to-system-group",
        severity: Critical,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0122", "AVD-KSV-0123", "AVD-KSV-01011"],
            cwe: ["CWE-284"],
        },
    }
}

/// The special subjects: what they stand for and the finding's severity.
fn special(name: &str) -> Option<(&'static str, Severity)> {
    match name {
        "system:anonymous" => Some(("anonymous requests", Severity::Critical)),
        "system:unauthenticated" => Some(("every unauthenticated request", Severity::Critical)),
        "system:authenticated" => Some((
            "every authenticated identity, every pod's service account included",
            Severity::High,
        )),
        "system:masters" => Some((
            "the superuser group, which bypasses RBAC",
            Severity::Critical,
        )),
        _ => None,
    }
}

impl Rule for RbacBindingToSystemGroup {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for binding in &model.k8s.bindings {
            let (kind, name) = (&binding.role_ref.kind, &binding.role_ref.name);
            let role = format!(
                "{} `{}`",
                kind.get().map_or("role", String::as_str),
                name.get().map_or("?", String::as_str)
            );
            let mut clean = true;
            let mut unknown = false;
            for subject in &binding.subjects {
                let name = match SubjectRef::of(subject, binding) {
                    Some(SubjectRef::User(n) | SubjectRef::Group(n)) => n,
                    Some(SubjectRef::ServiceAccount { .. }) => continue,
                    None => {
                        unknown = true;
                        continue;
                    }
                };
                if let Some((what, severity)) = special(&name) {
                    clean = false;
                    let scope = match &binding.object.namespace {
                        Some(ns) if !binding.cluster => format!(" in namespace `{ns}`"),
                        _ => " cluster-wide".to_string(),
                    };
                    out.report(
                        &binding.object.meta,
                        subject.name.span,
                        &subject.name.via,
                        format!("binding grants {role}{scope} to `{name}` ({what})"),
                    )
                    .severity = severity;
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass_at(binding.object.meta.span),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
