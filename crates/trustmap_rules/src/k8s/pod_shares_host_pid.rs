//! `hostPID: true`.

use trustmap_model::Model;

use super::check_host_namespace;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pods that share the node's process ID namespace (`hostPID: true`).
    ///
    /// ## Why it matters
    ///
    /// The pod's containers see every process on the node: their command lines and
    /// environment (where tokens and passwords often sit), and, as root or with
    /// `SYS_PTRACE`, their memory. An attacker in such a container reads other pods'
    /// secrets straight out of `/proc`, and with a privileged container enters the host's
    /// namespaces with `nsenter` for a shell on the node.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: process-monitor
    /// spec:
    ///   selector:
    ///     matchLabels: { app: process-monitor }
    ///   template:
    ///     metadata:
    ///       labels: { app: process-monitor }
    ///     spec:
    ///       hostPID: true
    ///       containers:
    ///         - name: monitor
    ///           image: registry.example.com/process-monitor:0.8.3
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `hostPID` (it defaults to `false`). A container that must watch processes
    /// should watch its own pod's: `shareProcessNamespace: true` shares the namespace among
    /// the pod's containers only. Node-level monitoring belongs to a separately reviewed
    /// agent, not to an application workload.
    ///
    /// ```yaml
    ///     spec:
    ///       shareProcessNamespace: true
    ///       containers:
    ///         - name: monitor
    ///           image: registry.example.com/process-monitor:0.8.3
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Host Namespaces" (Baseline)
    pub(crate) PodSharesHostPid {
        id: "K8S-004",
        name: "pod-shares-host-pid",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_17"],
            trivy: ["AVD-KSV-0010"],
            cwe: ["CWE-653"],
        },
    }
}

impl Rule for PodSharesHostPid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        check_host_namespace(model, out, |pod| &pod.host_pid, "PID namespace");
    }
}
