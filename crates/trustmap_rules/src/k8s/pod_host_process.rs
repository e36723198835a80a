//! `windowsOptions.hostProcess: true`: Windows containers that run as host processes.

use trustmap_model::Model;

use super::pod_level::{report_overridden, sets};
use super::tally;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Windows containers that run as HostProcess containers
    /// (`securityContext.windowsOptions.hostProcess: true`, on the container or the pod).
    ///
    /// ## Why it matters
    ///
    /// A HostProcess container is not a container: it is a process on the Windows node,
    /// with the node's network and file system and, usually, a `SYSTEM` or administrator
    /// account. An attacker who reaches code execution in it owns the node and every
    /// credential the node holds, with nothing to escape from.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: win-metrics
    /// spec:
    ///   selector:
    ///     matchLabels: { app: win-metrics }
    ///   template:
    ///     metadata:
    ///       labels: { app: win-metrics }
    ///     spec:
    ///       os: { name: windows }
    ///       hostNetwork: true
    ///       securityContext:
    ///         windowsOptions:
    ///           hostProcess: true
    ///           runAsUserName: "NT AUTHORITY\\SYSTEM"
    ///       containers:
    ///         - name: exporter
    ///           image: registry.example.com/windows-exporter:0.25.1
    /// ```
    ///
    /// ## Fix
    ///
    /// Run the workload as an ordinary Windows container; keep node agents that really need
    /// the host in a dedicated namespace labelled `privileged`, reviewed on their own.
    ///
    /// ```yaml
    ///     spec:
    ///       os: { name: windows }
    ///       containers:
    ///         - name: exporter
    ///           image: registry.example.com/windows-exporter:0.25.1
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "HostProcess" (Baseline)
    pub(crate) PodHostProcess {
        id: "K8S-100",
        name: "pod-host-process",
        severity: Critical,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0103"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for PodHostProcess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let mut reported = Vec::new();
            for container in &workload.pod.containers {
                let host_process = &container.security.host_process;
                if !host_process.is_true() {
                    tally(out, container.span, host_process);
                    continue;
                }
                reported.push(host_process.span);
                out.report(
                    &workload.object.meta,
                    host_process.span,
                    &host_process.via,
                    format!(
                        "container `{}` runs as a Windows HostProcess on the node",
                        container.label()
                    ),
                );
            }
            report_overridden(
                out,
                workload,
                &workload.pod.security.host_process,
                &reported,
                |on| *on,
                |pods, plural| format!("{pods} {} `hostProcess: true` at pod level", sets(plural)),
            );
        }
    }
}
