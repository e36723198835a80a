//! `hostIPC: true`.

use trustmap_model::Model;

use super::check_host_namespace;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Pods that share the node's IPC namespace (`hostIPC: true`).
    ///
    /// ## Why it matters
    ///
    /// The pod's containers can attach to the System V shared memory segments, semaphores
    /// and message queues of every process on the node, including other pods that use
    /// shared memory for caches or database buffers. An attacker in such a container reads
    /// or corrupts that data directly, without any network access or credentials.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: shm-benchmark
    /// spec:
    ///   hostIPC: true
    ///   containers:
    ///     - name: bench
    ///       image: registry.example.com/shm-bench:1.2.0
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove `hostIPC` (it defaults to `false`). Containers of the same pod already share
    /// an IPC namespace; for a larger shared memory area mount a memory-backed `emptyDir`
    /// at `/dev/shm`.
    ///
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: bench
    ///       image: registry.example.com/shm-bench:1.2.0
    ///       volumeMounts:
    ///         - { name: shm, mountPath: /dev/shm }
    ///   volumes:
    ///     - name: shm
    ///       emptyDir: { medium: Memory, sizeLimit: 256Mi }
    /// ```
    ///
    /// ## References
    ///
    /// - Kubernetes, Pod Security Standards: "Host Namespaces" (Baseline)
    pub(crate) PodSharesHostIpc {
        id: "K8S-005",
        name: "pod-shares-host-ipc",
        severity: High,
        capability: Design,
        languages: [Kubernetes, Kustomize],
        equivalents: {
            checkov: ["CKV_K8S_18"],
            trivy: ["AVD-KSV-0008"],
            cwe: ["CWE-653"],
        },
    }
}

impl Rule for PodSharesHostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        check_host_namespace(model, out, |pod| &pod.host_ipc, "IPC namespace");
    }
}
