//! Bindings that hand out `cluster-admin`.

use trustmap_model::Model;
use trustmap_model::k8s::{RbacIndex, RoleBinding, SubjectRef, Workload};

use super::rbac_exposure::{bindings_of_cluster_roles, describe_workload};
use crate::{Related, Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// RoleBindings and ClusterRoleBindings that grant the `cluster-admin` ClusterRole.
    ///
    /// A ClusterRoleBinding is critical; a RoleBinding to `cluster-admin` is admin of one
    /// namespace and high. The message names the subjects and the scanned workloads whose
    /// pods run as them (and mount their token): those pods are one container escape or
    /// one remote-code-execution bug away from the cluster. Bindings to anonymous and
    /// superuser groups are `rbac-binding-to-system-group`.
    ///
    /// ## Why it matters
    ///
    /// `cluster-admin` is every verb on every resource: whoever holds the subject's
    /// credentials reads all secrets, runs privileged pods on any node and rewrites RBAC
    /// itself. A CI service account or a controller bound to it turns any compromise of
    /// that pipeline or pod into a compromise of the whole cluster.
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
    /// namespaces it deploys to, and bind that instead.
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
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0111"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for RbacBindingToClusterAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let index = model.k8s.rbac();
        for binding in bindings_of_cluster_roles(model, out, &["cluster-admin"]) {
            report(model, &index, binding, out);
        }
    }
}

/// Reports one binding of `cluster-admin`, naming its subjects and their workloads.
fn report(model: &Model, index: &RbacIndex<'_>, binding: &RoleBinding, out: &mut Sink) {
    let name = &binding.role_ref.name;
    let mut who = Vec::new();
    let mut workloads: Vec<(&Workload, String)> = Vec::new();
    for subject in &binding.subjects {
        match SubjectRef::of(subject, binding) {
            Some(s) => {
                for w in index.workloads_of_binding(&s, binding) {
                    if !model.k8s.automounts_token(w).is_false()
                        && !workloads.iter().any(|(x, _)| std::ptr::eq(*x, w))
                    {
                        workloads.push((w, s.describe()));
                    }
                }
                who.push(s.describe());
            }
            None => who.push("a subject that cannot be read".to_string()),
        }
    }
    let who = if who.is_empty() {
        "no subject yet".to_string()
    } else {
        who.join(", ")
    };
    let (scope, severity) = match (&binding.object.namespace, binding.cluster) {
        (Some(ns), false) => (format!("namespace `{ns}`"), Severity::High),
        _ => ("the whole cluster".to_string(), Severity::Critical),
    };
    let mut message = format!("binding grants `cluster-admin` over {scope} to {who}");
    if !workloads.is_empty() {
        let names: Vec<String> = workloads
            .iter()
            .map(|(w, _)| describe_workload(w))
            .collect();
        message.push_str(&format!(
            "; {} {} with it",
            names.join(", "),
            if names.len() == 1 { "runs" } else { "run" }
        ));
    }
    let finding = out.report(&binding.object.meta, name.span, &name.via, message);
    finding.severity = severity;
    finding
        .related
        .extend(workloads.iter().map(|(w, s)| Related {
            span: w.pod.service_account_name.span,
            note: format!("{} runs as {s}", describe_workload(w)),
        }));
}
