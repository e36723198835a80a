//! Containers whose root filesystem is writable.

use trustmap_model::Model;

use super::{linux_containers, tally};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers that do not set `securityContext.readOnlyRootFilesystem: true` (it
    /// defaults to `false`).
    ///
    /// ## Why it matters
    ///
    /// A writable root filesystem lets an attacker who gets code execution download tools,
    /// drop a web shell next to the application, or replace the application's own files so
    /// the change survives until the pod is replaced. With a read-only root, the image's
    /// files cannot be changed and every write has to go to a volume you declared.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: catalog
    /// spec:
    ///   selector:
    ///     matchLabels: { app: catalog }
    ///   template:
    ///     metadata:
    ///       labels: { app: catalog }
    ///     spec:
    ///       containers:
    ///         - name: catalog
    ///           image: registry.example.com/catalog:8.0.1
    /// ```
    ///
    /// ## Fix
    ///
    /// Make the root read-only and give the application an `emptyDir` for the paths it
    /// really writes (temporary files, caches).
    ///
    /// ```yaml
    ///       containers:
    ///         - name: catalog
    ///           image: registry.example.com/catalog:8.0.1
    ///           securityContext:
    ///             readOnlyRootFilesystem: true
    ///           volumeMounts:
    ///             - { name: tmp, mountPath: /tmp }
    ///       volumes:
    ///         - name: tmp
    ///           emptyDir: { sizeLimit: 128Mi }
    /// ```
    pub(crate) ContainerWithoutReadOnlyRootFilesystem {
        id: "K8S-018",
        name: "container-without-read-only-root-filesystem",
        severity: Low,
        capability: Iac,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_22"],
            trivy: ["AVD-KSV-0014"],
            cwe: ["CWE-732"],
        },
    }
}

impl Rule for ContainerWithoutReadOnlyRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in linux_containers(model) {
            let read_only = &container.security.read_only_root_filesystem;
            if read_only.is_false() {
                let why = if read_only.is_default() {
                    "`readOnlyRootFilesystem` defaults to `false`"
                } else {
                    "`readOnlyRootFilesystem: false`"
                };
                out.report(
                    &workload.object.meta,
                    read_only.span,
                    &read_only.via,
                    format!(
                        "container `{}` can write to its root filesystem ({why})",
                        container.label()
                    ),
                );
            } else {
                tally(out, container.span, read_only);
            }
        }
    }
}
