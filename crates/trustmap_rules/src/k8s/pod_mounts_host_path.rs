//! `hostPath` volumes, critical for the container runtime socket or the node's root.

use trustmap_model::Model;
use trustmap_model::k8s::VolumeSource;

use super::pods_of;
use crate::{Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pod volumes of type `hostPath`: a directory or file of the node mounted into the pod.
    /// Critical when the path is the node's root (`/`), a container runtime socket
    /// (`docker.sock`, `containerd.sock`, `crio.sock`, `cri-dockerd.sock`) or the `/run`
    /// directory that holds them.
    ///
    /// ## Why it matters
    ///
    /// A host path bypasses the container's filesystem isolation. Through the runtime socket
    /// an attacker in the pod starts a privileged container on the node and owns it,
    /// whatever the pod's own security settings say, and even on a read-only mount (a
    /// socket still accepts connections). Through `/` or system directories they read the
    /// kubelet's credentials and other pods' secret volumes, or plant a binary the node runs.
    /// Even a writable `/var/log` is an escape route: a symlink planted there makes the
    /// kubelet serve any file of the node through its log endpoint.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ci-runner
    /// spec:
    ///   selector:
    ///     matchLabels: { app: ci-runner }
    ///   template:
    ///     metadata:
    ///       labels: { app: ci-runner }
    ///     spec:
    ///       containers:
    ///         - name: runner
    ///           image: registry.example.com/ci-runner:16.2.0
    ///           volumeMounts:
    ///             - { name: docker, mountPath: /var/run/docker.sock }
    ///       volumes:
    ///         - name: docker
    ///           hostPath:
    ///             path: /var/run/docker.sock
    /// ```
    ///
    /// ## Fix
    ///
    /// Do not hand workloads the node. Build images with a daemonless builder that runs
    /// unprivileged, keep scratch data in an `emptyDir`, persistent data in a
    /// PersistentVolumeClaim, and configuration in a ConfigMap or Secret volume.
    ///
    /// ```yaml
    ///       containers:
    ///         - name: runner
    ///           image: registry.example.com/ci-runner:16.2.0
    ///           volumeMounts:
    ///             - { name: workspace, mountPath: /workspace }
    ///       volumes:
    ///         - name: workspace
    ///           emptyDir: { sizeLimit: 10Gi }
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "HostPath Volumes" (Baseline)
    pub(crate) PodMountsHostPath {
        id: "K8S-007",
        name: "pod-mounts-host-path",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_27"],
            trivy: ["AVD-KSV-0023", "AVD-KSV-0006"],
            cwe: ["CWE-668"],
        },
    }
}

/// Host paths that hand over the node: its root, the runtime sockets, and their directories.
fn takes_the_node(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    let path = path
        .strip_prefix("/var")
        .filter(|p| p.starts_with("/run"))
        .unwrap_or(path);
    match path {
        "" => Some("the node's root filesystem"),
        "/run"
        | "/run/docker.sock"
        | "/run/cri-dockerd.sock"
        | "/run/containerd"
        | "/run/containerd/containerd.sock"
        | "/run/crio"
        | "/run/crio/crio.sock" => Some("the container runtime socket"),
        _ => None,
    }
}

impl Rule for PodMountsHostPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for workload in &model.k8s.workloads {
            let mut clean = true;
            for volume in &workload.pod.volumes {
                let VolumeSource::HostPath { path, .. } = &volume.source else {
                    continue;
                };
                clean = false;
                let name = volume.name.get().cloned().unwrap_or_default();
                let Some(p) = path.get() else {
                    out.unknown();
                    continue;
                };
                let (pods, _) = pods_of(&workload.object);
                let (message, severity) = match takes_the_node(p) {
                    Some(what) => (
                        format!("volume `{name}` gives {pods} {what} (`{p}`)"),
                        Severity::Critical,
                    ),
                    None => (
                        format!("volume `{name}` mounts the node's `{p}` into {pods}"),
                        Severity::High,
                    ),
                };
                out.report(&workload.object.meta, path.span, &path.via, message)
                    .severity = severity;
            }
            if clean {
                out.pass_at(workload.object.meta.span);
            }
        }
    }
}
