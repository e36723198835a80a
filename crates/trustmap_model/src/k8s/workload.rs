//! Pods and the workloads that template them, down to each container's effective settings.

use trustmap_source::Span;

use super::{KeyValue, Object};
use crate::Value;

/// A Pod, or an object that creates pods from a template.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Workload {
    pub object: Object,
    /// Labels of the pods it creates (`spec.template.metadata.labels`; a Pod's own labels).
    pub pod_labels: Vec<KeyValue>,
    /// Annotations of the pods it creates (sidecar injection, legacy AppArmor profiles).
    pub pod_annotations: Vec<KeyValue>,
    /// The pod spec: `spec` of a Pod, `spec.template.spec` of a Deployment-like object,
    /// `spec.jobTemplate.spec.template.spec` of a CronJob.
    pub pod: PodSpec,
}

/// One pod spec with its containers.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PodSpec {
    /// The pod spec map: where pod-level defaults are located.
    pub span: Span,
    /// `serviceAccountName` (or the deprecated `serviceAccount`); default `default`.
    pub service_account_name: Value<String>,
    /// The pod's own `automountServiceAccountToken`; default `true`. The effective value
    /// also depends on the ServiceAccount: see [`super::K8s::automounts_token`].
    pub automount_service_account_token: Value<bool>,
    pub host_pid: Value<bool>,
    pub host_ipc: Value<bool>,
    pub host_network: Value<bool>,
    /// `os.name` (`linux`/`windows`); `None` when not declared.
    pub os: Value<Option<String>>,
    /// `securityContext.sysctls` of the pod (sysctls exist only at pod level).
    pub sysctls: Vec<Sysctl>,
    /// The pod's own `securityContext`, as written (the containers' effective settings
    /// already include it).
    pub security: PodSecurityContext,
    pub volumes: Vec<Volume>,
    /// Containers, then init containers, then ephemeral containers.
    pub containers: Vec<Container>,
}

/// One `securityContext.sysctls` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Sysctl {
    pub span: Span,
    pub name: Value<String>,
}

impl Workload {
    /// The pod label or annotation `key` (labels first), as pod templates carry either.
    pub fn pod_metadata(&self, key: &str) -> Option<&KeyValue> {
        self.pod_labels
            .iter()
            .chain(&self.pod_annotations)
            .find(|kv| kv.key == key)
    }
}

impl PodSpec {
    /// Declared as a Windows pod: Linux-only security settings do not apply to it.
    pub fn is_windows(&self) -> bool {
        self.os.is(|os| {
            os.as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case("windows"))
        })
    }

    /// The volume called `name`.
    pub fn volume(&self, name: &str) -> Option<&Volume> {
        self.volumes
            .iter()
            .find(|v| v.name.get().is_some_and(|n| n == name))
    }
}

/// Which list of the pod spec a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub enum ContainerKind {
    Container,
    Init,
    Ephemeral,
}

impl ContainerKind {
    /// The pod spec field that holds this kind.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Container => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// One container with its security context already merged with the pod's.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Container {
    pub kind: ContainerKind,
    /// Position in its list, for containers without a name.
    pub index: usize,
    pub name: Value<String>,
    /// The container's map: where container-level defaults are located.
    pub span: Span,
    pub image: Value<ImageRef>,
    pub security: SecurityContext,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<EnvFrom>,
    pub resources: Resources,
    pub ports: Vec<ContainerPort>,
    pub volume_mounts: Vec<VolumeMount>,
}

impl Container {
    /// The name for messages: `web`, or `containers[1]` when unnamed.
    pub fn label(&self) -> String {
        match self.name.get() {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("{}[{}]", self.kind.field(), self.index),
        }
    }
}

/// A container image reference, split into its parts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ImageRef {
    /// As written.
    pub text: String,
    /// Registry and path, without tag or digest (`ghcr.io/org/app`).
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:...` after `@`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Splits `registry/path:tag@digest`; a `:` before the last `/` is a registry port.
    pub fn parse(text: &str) -> ImageRef {
        let trimmed = text.trim();
        let (name, digest) = match trimmed.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (trimmed, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match name[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&name[..at], Some(name[at + 1..].to_string()))
            }
            None => (name, None),
        };
        ImageRef {
            text: text.to_string(),
            repository: repository.to_string(),
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        }
    }

    /// No digest, and a tag that is `latest` or absent (which means `latest`).
    pub fn is_mutable_latest(&self) -> bool {
        self.digest.is_none() && self.tag.as_deref().is_none_or(|t| t == "latest")
    }
}

/// A container's effective security settings.
///
/// `runAsUser`, `runAsGroup`, `runAsNonRoot` and `seccompProfile` fall back to the pod's
/// `securityContext`; the rest exist only on the container. Omitted fields carry the
/// Kubernetes default, located at the container's `securityContext` when it has one,
/// else at the container.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct SecurityContext {
    /// Default `false`.
    pub privileged: Value<bool>,
    /// Default `true` (`no_new_privs` is not set unless this is explicitly `false`).
    pub allow_privilege_escalation: Value<bool>,
    /// Default `false`.
    pub read_only_root_filesystem: Value<bool>,
    /// `capabilities.add`, as written (`SYS_ADMIN`, sometimes `CAP_SYS_ADMIN`).
    pub capabilities_add: Vec<Value<String>>,
    /// `capabilities.drop`, as written.
    pub capabilities_drop: Vec<Value<String>>,
    /// Default `None`: the image's `USER` decides.
    pub run_as_user: Value<Option<i64>>,
    /// Default `None`: the image's group decides.
    pub run_as_group: Value<Option<i64>>,
    /// Default `false`.
    pub run_as_non_root: Value<bool>,
    /// `seccompProfile.type` (`RuntimeDefault`, `Localhost`, `Unconfined`); default `None`,
    /// which the kubelet runs as `Unconfined` unless it is started with `--seccomp-default`.
    pub seccomp_profile: Value<Option<String>>,
    /// `windowsOptions.hostProcess` (container, else pod); default `false`.
    pub host_process: Value<bool>,
    /// The AppArmor profile: `appArmorProfile.type` (container, else pod: `RuntimeDefault`,
    /// `Localhost`, `Unconfined`), else the legacy pod annotation
    /// `container.apparmor.security.beta.kubernetes.io/<container>` (`runtime/default`,
    /// `localhost/<name>`, `unconfined`); default `None` (the runtime's default profile).
    pub app_armor: Value<Option<String>>,
    /// `seLinuxOptions` (container, else pod).
    pub se_linux: SeLinuxOptions,
    /// `procMount` (container only); default `None`, which means `Default` (masked).
    pub proc_mount: Value<Option<String>>,
}

/// The pod-level `securityContext` fields that Pod Security admission checks on their own,
/// besides each container's: a bad value here rejects the pod even when every container
/// overrides it. Omitted fields are defaults located at the pod's `securityContext`, else
/// the pod spec.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PodSecurityContext {
    /// `runAsUser`; default `None`.
    pub run_as_user: Value<Option<i64>>,
    /// `runAsNonRoot`; default `None` (unset, which admission allows when every container
    /// sets `true`).
    pub run_as_non_root: Value<Option<bool>>,
    /// `seccompProfile.type`; default `None`.
    pub seccomp_profile: Value<Option<String>>,
    /// `windowsOptions.hostProcess`; default `false`.
    pub host_process: Value<bool>,
    /// `appArmorProfile.type`; default `None`.
    pub app_armor: Value<Option<String>>,
    /// `seLinuxOptions`.
    pub se_linux: SeLinuxOptions,
}

/// The SELinux label fields that Pod Security restricts; each default `None`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct SeLinuxOptions {
    pub type_: Value<Option<String>>,
    pub user: Value<Option<String>>,
    pub role: Value<Option<String>>,
}

/// One `env` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct EnvVar {
    pub name: Value<String>,
    /// The whole entry.
    pub span: Span,
    pub value: EnvValue,
}

/// Where an environment variable's value comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub enum EnvValue {
    /// `value:` written in the manifest (default: empty string).
    Literal(Value<String>),
    SecretKeyRef {
        name: Value<String>,
        key: Value<String>,
    },
    ConfigMapKeyRef {
        name: Value<String>,
        key: Value<String>,
    },
    /// `fieldRef.fieldPath`.
    FieldRef(Value<String>),
    /// `resourceFieldRef.resource`.
    ResourceFieldRef(Value<String>),
    /// A `valueFrom` this model does not read (or cannot decide).
    Other(Span),
}

/// One `envFrom` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct EnvFrom {
    pub span: Span,
    pub source: EnvFromSource,
    pub prefix: Option<Value<String>>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub enum EnvFromSource {
    Secret(Value<String>),
    ConfigMap(Value<String>),
    Other,
}

/// Requests and limits.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Resources {
    /// `resources.limits`; default empty, located at `resources` or the container.
    pub limits: Value<Vec<Quantity>>,
    /// `resources.requests`; default empty.
    pub requests: Value<Vec<Quantity>>,
}

impl Resources {
    /// The limit for `resource` (`cpu`, `memory`, ...), when known and set.
    pub fn limit(&self, resource: &str) -> Option<&Quantity> {
        self.limits.get()?.iter().find(|q| q.resource == resource)
    }
}

/// One resource quantity, e.g. `memory: 256Mi`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Quantity {
    pub resource: String,
    pub key_span: Span,
    pub value: Value<String>,
}

/// One `ports` entry of a container.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ContainerPort {
    pub span: Span,
    pub name: Option<Value<String>>,
    pub container_port: Value<i64>,
    /// Default `None`: the port is not bound on the node.
    pub host_port: Value<Option<i64>>,
    /// Default `TCP`.
    pub protocol: Value<String>,
}

/// One `volumeMounts` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct VolumeMount {
    pub span: Span,
    pub name: Value<String>,
    pub mount_path: Value<String>,
    /// Default `false`.
    pub read_only: Value<bool>,
}

/// One pod volume.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Volume {
    pub name: Value<String>,
    pub span: Span,
    pub source: VolumeSource,
}

/// What backs a volume (only the sources rules care about are spelled out).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub enum VolumeSource {
    HostPath {
        path: Value<String>,
        /// `hostPath.type` (`Socket`, `Directory`, ...); default `None` (no check).
        kind: Value<Option<String>>,
    },
    Secret {
        secret_name: Value<String>,
    },
    ConfigMap {
        name: Value<String>,
    },
    PersistentVolumeClaim {
        claim_name: Value<String>,
    },
    EmptyDir,
    Projected,
    /// Another source, by its field name (`nfs`, `csi`, ...).
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    fn parts(text: &str) -> (String, Option<String>, Option<String>) {
        let i = ImageRef::parse(text);
        (i.repository, i.tag, i.digest)
    }

    #[test]
    fn image_references_split_into_repository_tag_and_digest() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(parts("nginx"), ("nginx".into(), None, None));
        assert_eq!(parts("nginx:1.27"), ("nginx".into(), s("1.27"), None));
        assert_eq!(
            parts("localhost:5000/app"),
            ("localhost:5000/app".into(), None, None)
        );
        assert_eq!(
            parts("ghcr.io/org/app:v2@sha256:ab"),
            ("ghcr.io/org/app".into(), s("v2"), s("sha256:ab"))
        );
        assert_eq!(parts("app@sha256:ab"), ("app".into(), None, s("sha256:ab")));
    }

    #[test]
    fn only_undigested_latest_is_mutable_latest() {
        assert!(ImageRef::parse("nginx").is_mutable_latest());
        assert!(ImageRef::parse("nginx:latest").is_mutable_latest());
        assert!(!ImageRef::parse("nginx:latest@sha256:ab").is_mutable_latest());
        assert!(!ImageRef::parse("registry:5000/nginx:1.27").is_mutable_latest());
    }
}
