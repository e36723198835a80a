//! Pod sysctls outside the set Kubernetes considers namespaced and safe.

use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pods that set a sysctl (`spec.securityContext.sysctls`) outside Kubernetes' safe
    /// set: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
    /// `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_syncookies`,
    /// `net.ipv4.ping_group_range`, `net.ipv4.ip_local_reserved_ports`,
    /// `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    /// `net.ipv4.tcp_keepalive_intvl` and `net.ipv4.tcp_keepalive_probes`.
    ///
    /// ## Why it matters
    ///
    /// Safe sysctls are isolated per pod. The others either change the whole node's kernel
    /// or can starve its neighbours (`kernel.msgmax`, `vm.*`, `net.core.*`): a workload
    /// that may set them can weaken or take down every pod on the node, and a cluster that
    /// allows them (`--allowed-unsafe-sysctls`) lets any such pod do so.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: vm.overcommit_memory
    ///         value: "1"
    ///   containers:
    ///     - name: redis
    ///       image: registry.example.com/redis:7.4.1
    /// ```
    ///
    /// ## Fix
    ///
    /// Tune the node instead (node image or a privileged node-setup DaemonSet in its own
    /// namespace) and keep only safe sysctls on pods.
    ///
    /// ```yaml
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.ip_local_port_range
    ///         value: "1024 65000"
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Sysctls" (Baseline)
    /// - Kubernetes, "Using sysctls in a Kubernetes Cluster"
    pub(crate) PodUnsafeSysctl {
        id: "K8S-105",
        name: "pod-unsafe-sysctl",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0026"],
            cwe: ["CWE-668"],
        },
    }
}

/// The sysctls Pod Security baseline admits (the current version of the standard).
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

impl Rule for PodUnsafeSysctl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let (mut clean, mut unknown) = (true, false);
            for sysctl in &workload.pod.sysctls {
                match sysctl.name.get() {
                    None => unknown = true,
                    // Sysctls may be written with `/` separators; Kubernetes treats both alike.
                    Some(name) if !SAFE.contains(&name.replace('/', ".").as_str()) => {
                        clean = false;
                        out.report(
                            &workload.object.meta,
                            sysctl.name.span,
                            &sysctl.name.via,
                            format!(
                                "{} sets the unsafe sysctl `{name}`",
                                workload.object.describe()
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass_at(workload.object.meta.span),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
