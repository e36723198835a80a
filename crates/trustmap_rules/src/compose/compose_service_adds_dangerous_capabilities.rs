//! `cap_add` with a capability that opens a way to the host.

use trustmap_model::Model;

use super::services;
use crate::k8s::container_adds_dangerous_capabilities::{DANGEROUS, normalize};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Compose services whose `cap_add` grants a capability with a documented way out of the
    /// container: `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `SYS_RAWIO`,
    /// `SYS_BOOT`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `MAC_ADMIN`, `MAC_OVERRIDE` (with or
    /// without the `CAP_` prefix, any case). The same list as the Kubernetes rule.
    ///
    /// ## Why it matters
    ///
    /// These capabilities are most of what `privileged: true` gives: `SYS_ADMIN` mounts
    /// filesystems and escapes through cgroup release agents, `SYS_MODULE` loads kernel
    /// code, `SYS_PTRACE` injects into other processes, `DAC_READ_SEARCH` opens host files by
    /// handle, `NET_ADMIN` rewrites the host's firewall and routes when the network is shared.
    /// A compromise of the service becomes a compromise of the host.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: registry.example.com/backup:5.0.3
    ///     cap_add: [SYS_ADMIN]
    /// ```
    ///
    /// ## Fix
    ///
    /// Drop every capability and add back only harmless ones the process needs; do the
    /// privileged work (mounting, network setup) on the host or in a separate, reviewed job:
    ///
    /// ```yaml
    /// services:
    ///   backup:
    ///     image: registry.example.com/backup:5.0.3
    ///     cap_drop: [ALL]
    ///     cap_add: [CHOWN]
    /// ```
    ///
    /// ## References
    ///
    /// - capabilities(7); Compose Specification: `cap_add`, `cap_drop`
    pub(crate) ComposeServiceAddsDangerousCapabilities {
        id: "CMP-006",
        name: "compose-service-adds-dangerous-capabilities",
        severity: High,
        capability: Design,
        languages: [Compose],
        equivalents: {
            kics: ["ce76b7d0-9e77-464d-b86f-c5c48e03e22d"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for ComposeServiceAddsDangerousCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let (mut found, mut unknown) = (false, false);
            for added in &s.cap_add {
                let Some(cap) = added.get() else {
                    unknown = true;
                    continue;
                };
                let cap = normalize(cap);
                if DANGEROUS.contains(&cap.as_str()) {
                    found = true;
                    out.report(
                        &s.meta,
                        added.span,
                        &added.via,
                        format!("service `{}` adds the `{cap}` capability", s.label()),
                    );
                }
            }
            match (found, unknown) {
                (false, false) => out.pass_at(s.meta.span),
                (false, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
