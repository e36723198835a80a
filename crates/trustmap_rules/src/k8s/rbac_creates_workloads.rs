//! `create` on pods and the controllers that make pods: run as any service account.

use trustmap_model::Model;

use super::rbac_exposure::{Fault, Power, check_power, requested};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles that allow `create` on `pods`, `deployments`,
    /// `daemonsets`, `statefulsets`, `replicasets`, `jobs`, `cronjobs` or
    /// `replicationcontrollers` (directly or through `*`).
    ///
    /// How severe it is depends on who holds the role: low when nothing in the scan binds
    /// it, medium when users or groups hold it, high when a scanned workload's service
    /// account holds it (the message names the binding and the workloads). A rule with
    /// `resourceNames` never matches `create` (the new object's name is not known when the
    /// request is authorised), so it is not reported.
    ///
    /// ## Why it matters
    ///
    /// Whoever can create a pod chooses what it runs and as whom: any service account of
    /// the namespace (and so every permission bound to any of them), any Secret or
    /// ConfigMap mounted as a volume, and, unless an admission policy stops it, a
    /// privileged container or a `hostPath` mount that owns the node. A workload that can
    /// create workloads is one remote-code-execution bug away from all of that.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: job-runner
    ///   namespace: batch
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["jobs"]
    ///     verbs: ["create", "get", "list"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Let a controller (a CronJob, an operator with its own narrow identity) create the
    /// pods, and give the application only what it reads. Where a subject must create
    /// workloads, enforce the `restricted` Pod Security Standard on its namespace and
    /// keep powerful service accounts out of that namespace.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["jobs"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", workload
    ///   creation
    pub(crate) RbacCreatesWorkloads {
        id: "K8S-031",
        name: "rbac-creates-workloads",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0048"],
            cwe: ["CWE-269"],
        },
    }
}

/// Workload kinds, `(group, resource, cluster-scoped)`.
const WORKLOADS: &[(&str, &str, bool)] = &[
    ("", "pods", false),
    ("apps", "deployments", false),
    ("apps", "daemonsets", false),
    ("apps", "statefulsets", false),
    ("apps", "replicasets", false),
    ("extensions", "deployments", false),
    ("extensions", "daemonsets", false),
    ("extensions", "replicasets", false),
    ("batch", "jobs", false),
    ("batch", "cronjobs", false),
    ("", "replicationcontrollers", false),
];

impl Rule for RbacCreatesWorkloads {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        check_power(
            model,
            out,
            Self::META.severity,
            &["create"],
            WORKLOADS,
            |_, _, h| Fault {
                at: h[0].verb,
                what: format!("can create {}", requested(&h)),
                power: Power::Ordinary,
                cluster_only: false,
            },
        );
    }
}
