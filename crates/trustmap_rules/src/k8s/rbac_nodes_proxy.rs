//! `nodes/proxy`: the kubelet API of every node.

use trustmap_model::Model;

use super::rbac_exposure::{Fault, Power, check_power, verbs};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Rules of ClusterRoles (and Roles) that allow any verb on `nodes/proxy`, directly or
    /// through `*`.
    ///
    /// `nodes/proxy` is cluster-scoped, so only ClusterRoleBindings grant it: a role that
    /// only RoleBindings grant is low, like one nothing binds. Bound to users or groups it
    /// is high, to a scanned workload's service account critical (the message names the
    /// binding and the workloads). A rule with `resourceNames` is narrowed to the named
    /// nodes and not reported.
    ///
    /// ## Why it matters
    ///
    /// The API server proxies `nodes/proxy` requests to the kubelet with its own
    /// credentials, and the kubelet runs commands in any container on the node (`/exec`,
    /// `/run`), whatever the RBAC of the pods' namespaces. Even `get` is enough, since
    /// exec can be opened over a WebSocket GET. Those requests bypass admission control
    /// and most audit logging. A monitoring agent holding it is a path to every pod of the
    /// cluster.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: node-metrics
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "nodes/proxy"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Read metrics from `nodes/metrics` and `nodes/stats` (or the metrics API), not
    /// through the proxy.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "nodes/metrics", "nodes/stats"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes documentation: "Role Based Access Control Good Practices", nodes/proxy
    pub(crate) RbacNodesProxy {
        id: "K8S-033",
        name: "rbac-nodes-proxy",
        severity: High,
        capability: Identity,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV2_K8S_2"],
            trivy: ["AVD-KSV-0047"],
            cwe: ["CWE-269"],
        },
    }
}

/// Every verb the kubelet proxy serves.
const VERBS: &[&str] = &[
    "get", "create", "update", "patch", "delete", "list", "watch",
];

impl Rule for RbacNodesProxy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let targets = [("", "nodes/proxy", true)];
        check_power(
            model,
            out,
            Self::META.severity,
            VERBS,
            &targets,
            |_, _, h| Fault {
                at: h[0].resource,
                what: format!(
                    "allows {} on `nodes/proxy`, the kubelet API of every node",
                    verbs(&h)
                ),
                power: Power::Escalation,
                cluster_only: true,
            },
        );
    }
}
