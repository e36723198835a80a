//! `seLinuxOptions` that pick a type other than the container types, or set a user or role.

use trustmap_model::Model;
use trustmap_model::k8s::{Container, Workload};
use trustmap_source::Span;

use super::pod_level::{report_overridden, sets};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers whose SELinux options (on the container, else the pod) set a `type`
    /// other than `container_t`, `container_init_t`, `container_kvm_t` or
    /// `container_engine_t`, or set a `user` or `role` at all.
    ///
    /// ## Why it matters
    ///
    /// On SELinux nodes the container types are what keep a container's processes away
    /// from the host's files and from other containers. A custom type such as `spc_t`
    /// ("super privileged container") or `unconfined_t`, or a custom user or role, lifts
    /// that confinement: code execution in the container then reaches what the node's own
    /// services can reach.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: backup
    /// spec:
    ///   securityContext:
    ///     seLinuxOptions:
    ///       type: spc_t
    ///   containers:
    ///     - name: backup
    ///       image: registry.example.com/backup:1.8.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Leave the type to the runtime, or set only a level (MCS categories) when pods must
    /// share files.
    ///
    /// ```yaml
    ///   securityContext:
    ///     seLinuxOptions:
    ///       level: "s0:c123,c456"
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "SELinux" (Baseline)
    pub(crate) ContainerSelinuxCustomOptions {
        id: "K8S-102",
        name: "container-selinux-custom-options",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0025"],
            cwe: ["CWE-693"],
        },
    }
}

/// SELinux types Pod Security baseline admits.
const ALLOWED_TYPES: &[&str] = &[
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

impl Rule for ContainerSelinuxCustomOptions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in model.k8s.workloads.iter().filter(|w| !w.pod.is_windows()) {
            let mut reported = Vec::new();
            for container in &workload.pod.containers {
                check_container(out, workload, container, &mut reported);
            }
            let pod = &workload.pod.security.se_linux;
            for (field, value) in [
                ("type", &pod.type_),
                ("user", &pod.user),
                ("role", &pod.role),
            ] {
                report_overridden(
                    out,
                    workload,
                    value,
                    &reported,
                    |v| v.as_deref().is_some_and(|v| !allowed(field, v)),
                    |pods, plural| {
                        let v = value.get().cloned().flatten().unwrap_or_default();
                        format!("{pods} {} SELinux {field} `{v}` at pod level", sets(plural))
                    },
                );
            }
        }
    }
}

/// Whether `value` is allowed for the SELinux `field` (`type`, `user`, `role`).
fn allowed(field: &str, value: &str) -> bool {
    value.is_empty() || (field == "type" && ALLOWED_TYPES.contains(&value))
}

/// Reports the container's custom SELinux options; their spans go to `reported`.
fn check_container(
    out: &mut Sink,
    workload: &Workload,
    container: &Container,
    reported: &mut Vec<Span>,
) {
    let se = &container.security.se_linux;
    let mut faults = Vec::new();
    let mut unknown = false;
    for (field, value) in [("type", &se.type_), ("user", &se.user), ("role", &se.role)] {
        match value.get() {
            None => unknown = true,
            Some(Some(v)) if !allowed(field, v) => faults.push((field, v, value)),
            Some(_) => {}
        }
    }
    for (field, v, value) in &faults {
        reported.push(value.span);
        out.report(
            &workload.object.meta,
            value.span,
            &value.via,
            format!(
                "container `{}` runs with SELinux {field} `{v}`, outside the container types",
                container.label()
            ),
        );
    }
    match (faults.is_empty(), unknown) {
        (true, false) => out.pass_at(container.span),
        (true, true) => out.unknown(),
        _ => {}
    }
}
