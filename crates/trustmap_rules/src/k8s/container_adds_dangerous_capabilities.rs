//! `capabilities.add` with a capability that breaks container isolation.

use trustmap_model::Model;

use super::linux_containers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that add a Linux capability beyond the runtime's default set, which is
    /// the Pod Security baseline allow-list (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`,
    /// `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`,
    /// `SETPCAP`, `SETUID`, `SYS_CHROOT`), with or without the `CAP_` prefix. The message
    /// says when the capability is a known container escape: `ALL`, `SYS_ADMIN`,
    /// `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `SYS_RAWIO`, `SYS_BOOT`, `DAC_READ_SEARCH`,
    /// `BPF`, `PERFMON`, `MAC_ADMIN`, `MAC_OVERRIDE`. `NET_RAW` (spoofing on the pod
    /// network) is reported too.
    ///
    /// ## Why it matters
    ///
    /// Each of these is a documented way out of the container for an attacker who gets
    /// code execution in it: `SYS_ADMIN` mounts filesystems and manipulates cgroups (the
    /// classic release-agent escape), `SYS_MODULE` loads kernel code, `SYS_PTRACE` injects
    /// into other processes, `DAC_READ_SEARCH` opens host files by handle, `NET_ADMIN`
    /// rewrites the node's routing and firewall when the network is shared, and `BPF` and
    /// `PERFMON` read kernel memory. `ALL` grants them all.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: fuse-cache
    /// spec:
    ///   serviceName: fuse-cache
    ///   selector:
    ///     matchLabels: { app: fuse-cache }
    ///   template:
    ///     metadata:
    ///       labels: { app: fuse-cache }
    ///     spec:
    ///       containers:
    ///         - name: cache
    ///           image: registry.example.com/fuse-cache:1.0.7
    ///           securityContext:
    ///             capabilities:
    ///               add: ["SYS_ADMIN"]
    /// ```
    ///
    /// ## Fix
    ///
    /// Drop everything and add back only narrow capabilities the process proves it needs
    /// (`NET_BIND_SERVICE` to bind ports below 1024 is the usual one). Move work that needs
    /// a dangerous capability out of the application: use a CSI driver instead of mounting
    /// filesystems, a CNI plugin instead of changing routes.
    ///
    /// ```yaml
    ///       containers:
    ///         - name: cache
    ///           image: registry.example.com/fuse-cache:1.0.7
    ///           securityContext:
    ///             allowPrivilegeEscalation: false
    ///             capabilities:
    ///               drop: ["ALL"]
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Capabilities" (Baseline)
    /// - capabilities(7)
    pub(crate) ContainerAddsDangerousCapabilities {
        id: "K8S-008",
        name: "container-adds-dangerous-capabilities",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_39"],
            trivy: ["AVD-KSV-0005", "AVD-KSV-0022"],
            cwe: ["CWE-250"],
        },
    }
}

/// Capabilities that each give a container a documented way to the host.
pub(crate) const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

/// Capabilities the Pod Security baseline profile admits in `capabilities.add`.
pub(crate) const BASELINE_ALLOWED: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// `cap_sys_admin` → `SYS_ADMIN`.
pub(crate) fn normalize(capability: &str) -> String {
    let upper = capability.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_string)
}

impl Rule for ContainerAddsDangerousCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in linux_containers(model) {
            let mut clean = true;
            let mut unknown = false;
            for added in &container.security.capabilities_add {
                let Some(cap) = added.get() else {
                    unknown = true;
                    continue;
                };
                let cap = normalize(cap);
                if !BASELINE_ALLOWED.contains(&cap.as_str()) {
                    clean = false;
                    let why = if DANGEROUS.contains(&cap.as_str()) {
                        "a known way out of the container"
                    } else {
                        "beyond the runtime's default set"
                    };
                    out.report(
                        &workload.object.meta,
                        added.span,
                        &added.via,
                        format!(
                            "container `{}` adds the `{cap}` capability ({why})",
                            container.label()
                        ),
                    );
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass_at(container.span),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn capability_names_are_compared_without_prefix_or_case() {
        assert_eq!(normalize("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize("NET_ADMIN"), "NET_ADMIN");
    }
}
