//! `privileged: true` on a compose service.

use trustmap_model::Model;

use super::services;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Compose services that run privileged (`privileged: true`).
    ///
    /// ## Why it matters
    ///
    /// A privileged container gets every Linux capability and every host device, and runs
    /// without the seccomp, AppArmor and SELinux confinement Docker otherwise applies. Code
    /// execution in it (a vulnerable dependency, an exposed debug endpoint) is one `mount` of
    /// the host's disk away from root on the host: the attacker reads the other containers'
    /// volumes and secrets and the Docker daemon's credentials.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: registry.example.com/worker:1.8.2
    ///     privileged: true
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `privileged: true`. Grant the one capability or device the process needs
    /// instead, after dropping the rest:
    ///
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: registry.example.com/worker:1.8.2
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    ///     devices: ["/dev/fuse:/dev/fuse"]
    /// ```
    ///
    /// ## References
    ///
    /// - Compose Specification: `privileged`, `cap_add`, `devices`
    pub(crate) ComposeServicePrivileged {
        id: "CMP-001",
        name: "compose-service-privileged",
        severity: Critical,
        capability: Design,
        languages: [Compose],
        equivalents: {
            kics: ["ae5b6871-7f45-42e0-bb4c-ab300c4d2026"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for ComposeServicePrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let p = &s.privileged;
            if p.is_true() {
                out.report(
                    &s.meta,
                    p.span,
                    &p.via,
                    format!("service `{}` runs privileged", s.label()),
                );
            } else if p.is_unknown() {
                out.unknown();
            } else {
                out.pass_at(s.meta.span);
            }
        }
    }
}
