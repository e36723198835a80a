//! `procMount: Unmasked`.

use trustmap_model::Model;

use super::linux_containers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers with a `securityContext.procMount` other than `Default` (in practice
    /// `Unmasked`).
    ///
    /// ## Why it matters
    ///
    /// The runtime masks and makes read-only the parts of `/proc` that expose the host
    /// kernel (`/proc/sys`, `/proc/sysrq-trigger`, `/proc/kcore`, ...). An unmasked `/proc`
    /// hands an attacker in the container kernel tunables, memory views and triggers that
    /// lead straight to the node.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///     - name: buildkit
    ///       image: registry.example.com/buildkit:0.16.0
    ///       securityContext:
    ///         procMount: Unmasked
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `procMount` (or set `Default`). Nested container builds that need an
    /// unmasked `/proc` belong in a dedicated, `privileged`-labelled namespace.
    ///
    /// ```yaml
    ///       securityContext:
    ///         procMount: Default
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "/proc Mount Type" (Baseline)
    pub(crate) ContainerUnmaskedProcMount {
        id: "K8S-103",
        name: "container-unmasked-proc-mount",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0027"],
            cwe: ["CWE-668"],
        },
    }
}

impl Rule for ContainerUnmaskedProcMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in linux_containers(model) {
            let mount = &container.security.proc_mount;
            match mount.get() {
                None => out.unknown(),
                Some(Some(m)) if m != "Default" => {
                    out.report(
                        &workload.object.meta,
                        mount.span,
                        &mount.via,
                        format!(
                            "container `{}` mounts `/proc` with `procMount: {m}`",
                            container.label()
                        ),
                    );
                }
                Some(_) => out.pass_at(container.span),
            }
        }
    }
}
