//! Volumes of a type the restricted Pod Security profile does not admit.

use trustmap_model::Model;
use trustmap_model::k8s::VolumeSource;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pod volumes of a type outside the restricted profile's list: `configMap`, `csi`,
    /// `downwardAPI`, `emptyDir`, `ephemeral`, `persistentVolumeClaim`, `projected` and
    /// `secret`. In practice: `nfs`, `iscsi`, `rbd`, `cephfs`, `gitRepo`, cloud disks named
    /// directly (`awsElasticBlockStore`, `gcePersistentDisk`, `azureDisk`), ... (`hostPath`
    /// is left to `pod-mounts-host-path`, which the baseline profile already requires.)
    ///
    /// ## Why it matters
    ///
    /// These volume types connect the pod straight to storage with the node's credentials
    /// and bypass the PersistentVolume layer where administrators decide who gets which
    /// storage. A pod that names an NFS export or a cloud disk reaches data no claim gave
    /// it, and `gitRepo` runs `git` on the node with attacker-chosen input.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: reports
    /// spec:
    ///   containers:
    ///     - name: reports
    ///       image: registry.example.com/reports:3.2.0
    ///       volumeMounts:
    ///         - { name: archive, mountPath: /archive }
    ///   volumes:
    ///     - name: archive
    ///       nfs:
    ///         server: filer.internal.example.com
    ///         path: /exports/finance
    /// ```
    ///
    /// ## Fix
    ///
    /// Claim the storage through a PersistentVolumeClaim (the administrator binds the
    /// NFS or disk PersistentVolume to it).
    ///
    /// ```yaml
    ///   volumes:
    ///     - name: archive
    ///       persistentVolumeClaim:
    ///         claimName: finance-archive
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Volume Types" (Restricted)
    pub(crate) PodRestrictedVolumeType {
        id: "K8S-106",
        name: "pod-restricted-volume-type",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            trivy: ["AVD-KSV-0028"],
            cwe: ["CWE-668"],
        },
    }
}

/// Volume fields the restricted profile admits besides the ones the model names.
const ALLOWED_OTHER: &[&str] = &["csi", "downwardAPI", "ephemeral"];

impl Rule for PodRestrictedVolumeType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let mut clean = true;
            for volume in &workload.pod.volumes {
                let VolumeSource::Other(kind) = &volume.source else {
                    continue;
                };
                // A volume with no source at all is an `emptyDir` to the API server.
                if kind.is_empty() || ALLOWED_OTHER.contains(&kind.as_str()) {
                    continue;
                }
                clean = false;
                let name = volume.name.get().map_or("<unnamed>", String::as_str);
                out.report(
                    &workload.object.meta,
                    volume.span,
                    &volume.name.via,
                    format!(
                        "{} mounts volume `{name}` of type `{kind}`, outside the restricted profile's volume types",
                        workload.object.describe()
                    ),
                );
            }
            if clean {
                out.pass_at(workload.object.meta.span);
            }
        }
    }
}
