//! `pods/exec` and `pods/attach`: a shell in the namespace's pods.

use trustmap_model::Model;

use super::rbac_exposure::{Fault, Power, check_power, requested};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of Roles and ClusterRoles that allow `create` on `pods/exec` or
    /// `pods/attach`, or `get` on them (which older clients use over WebSockets), directly
    /// or through `*`.
    ///
    /// How severe it is depends on who holds the role: low when nothing in the scan binds
    /// it, medium when users or groups hold it, high when a scanned workload's service
    /// account holds it (the message names the binding and the workloads). A rule with
    /// `resourceNames` is narrowed to the named pods and not reported.
    ///
    /// ## Why it matters
    ///
    /// Exec runs a command in any container of the namespace: the attacker gets that
    /// pod's service account token, its mounted Secrets, its network position and its
    /// data, and from there every permission of every service account a pod of the
    /// namespace runs as. It is lateral movement as an API call.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/exec"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep exec for break-glass human roles, bound for a limited time; give workloads
    /// and day-to-day roles read access to logs instead.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    pub(crate) RbacPodExec {
        id: "K8S-032",
        name: "rbac-pod-exec",
        severity: Medium,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV2_K8S_2"],
            trivy: ["AVD-KSV-0053"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for RbacPodExec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let targets = [("", "pods/exec", false), ("", "pods/attach", false)];
        let verbs = ["create", "get"];
        check_power(
            model,
            out,
            Self::META.severity,
            &verbs,
            &targets,
            |_, _, h| Fault {
                at: h[0].resource,
                what: format!("can run commands in pods through {}", requested(&h)),
                power: Power::Ordinary,
                cluster_only: false,
            },
        );
    }
}
