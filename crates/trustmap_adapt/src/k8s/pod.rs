//! Pod specs and containers, with the container security context merged with the pod's.

use trustmap_model::Value;
use trustmap_model::k8s::KeyValue;
use trustmap_model::k8s::{
    Container, ContainerKind, ContainerPort, EnvFrom, EnvFromSource, EnvValue, EnvVar, ImageRef,
    PodSecurityContext, PodSpec, Quantity, Resources, SeLinuxOptions, SecurityContext, Sysctl,
    Volume, VolumeMount, VolumeSource,
};
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::read::{
    boolean, field, int, items, optional, or_default, required, strings, text, value,
};

/// Where each workload kind keeps its pod spec.
pub(super) fn pod_spec_path(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &["spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => &["spec", "template", "spec"],
    }
}

/// Reads a pod spec map.
/// The prefix of the legacy per-container AppArmor annotation of a pod.
const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

/// Reads a pod spec map; `annotations` are the pod's (for legacy AppArmor profiles).
pub(super) fn pod_spec(spec: &Node, annotations: &[KeyValue]) -> PodSpec {
    let at = spec.span;
    let s = Some(spec);
    let service_account_name = optional(s, "serviceAccountName", text)
        .or_else(|| optional(s, "serviceAccount", text))
        .unwrap_or_else(|| Value::default_at("default".to_string(), at));
    let pod_security = field(s, "securityContext");
    let mut containers = Vec::new();
    for kind in [
        ContainerKind::Container,
        ContainerKind::Init,
        ContainerKind::Ephemeral,
    ] {
        for (index, node) in items(field(s, kind.field())).iter().enumerate() {
            // Anything but a map is not a container (Kubernetes would reject the object).
            if node.untagged().as_map().is_some() {
                let mut c = container(node.untagged(), kind, index, pod_security);
                legacy_app_armor(&mut c, annotations);
                containers.push(c);
            }
        }
    }
    PodSpec {
        span: at,
        service_account_name,
        automount_service_account_token: or_default(
            s,
            "automountServiceAccountToken",
            boolean,
            true,
            at,
        ),
        host_pid: or_default(s, "hostPID", boolean, false, at),
        host_ipc: or_default(s, "hostIPC", boolean, false, at),
        host_network: or_default(s, "hostNetwork", boolean, false, at),
        os: match field(s, "os") {
            Some(os) => required(Some(os), "name", |n| text(n).map(Some), os.span),
            None => Value::default_at(None, at),
        },
        security: pod_security_context(pod_security, at),
        sysctls: items(field(pod_security, "sysctls"))
            .iter()
            .map(|n| {
                let n = n.untagged();
                Sysctl {
                    span: n.span,
                    name: required(Some(n), "name", text, n.span),
                }
            })
            .collect(),
        volumes: items(field(s, "volumes"))
            .iter()
            .map(|v| volume(v.untagged()))
            .collect(),
        containers,
    }
}

fn container(
    node: &Node,
    kind: ContainerKind,
    index: usize,
    pod_security: Option<&Node>,
) -> Container {
    let c = Some(node);
    Container {
        kind,
        index,
        name: required(c, "name", text, node.span),
        span: node.span,
        image: required(c, "image", |n| n.as_str().map(ImageRef::parse), node.span),
        security: security_context(node, pod_security),
        env: items(field(c, "env"))
            .iter()
            .map(|e| env_var(e.untagged()))
            .collect(),
        env_from: items(field(c, "envFrom"))
            .iter()
            .map(|e| env_from(e.untagged()))
            .collect(),
        resources: resources(node),
        ports: items(field(c, "ports"))
            .iter()
            .map(|p| port(p.untagged()))
            .collect(),
        volume_mounts: items(field(c, "volumeMounts"))
            .iter()
            .map(|m| volume_mount(m.untagged()))
            .collect(),
    }
}

/// Merges the container's `securityContext` with the pod's, per Kubernetes: the fields both
/// levels have take the container's value, else the pod's; `privileged`,
/// `allowPrivilegeEscalation`, `readOnlyRootFilesystem` and `capabilities` exist only on the
/// container. Defaults sit at the container's `securityContext`, else the container.
fn security_context(container: &Node, pod_security: Option<&Node>) -> SecurityContext {
    let own = field(Some(container), "securityContext");
    let at = own.map_or(container.span, |sc| sc.span);
    let shared = |key: &str| field(own, key).or_else(|| field(pod_security, key));
    let inherited_id = |key: &str| match shared(key) {
        Some(n) => value(n, |n| int(n).map(Some)),
        None => Value::default_at(None, at),
    };
    let capabilities = field(own, "capabilities");
    SecurityContext {
        privileged: or_default(own, "privileged", boolean, false, at),
        allow_privilege_escalation: or_default(own, "allowPrivilegeEscalation", boolean, true, at),
        read_only_root_filesystem: or_default(own, "readOnlyRootFilesystem", boolean, false, at),
        capabilities_add: strings(field(capabilities, "add")),
        capabilities_drop: strings(field(capabilities, "drop")),
        run_as_user: inherited_id("runAsUser"),
        run_as_group: inherited_id("runAsGroup"),
        run_as_non_root: match shared("runAsNonRoot") {
            Some(n) => value(n, boolean),
            None => Value::default_at(false, at),
        },
        seccomp_profile: profile_type(shared("seccompProfile"), at),
        host_process: host_process(shared("windowsOptions"), at),
        app_armor: profile_type(shared("appArmorProfile"), at),
        se_linux: se_linux(shared("seLinuxOptions"), at),
        proc_mount: or_default(own, "procMount", |n| text(n).map(Some), None, at),
    }
}

/// The pod's own `securityContext` fields that Pod Security checks besides the
/// containers'; defaults sit at the pod's `securityContext`, else at `spec`.
fn pod_security_context(own: Option<&Node>, spec_at: Span) -> PodSecurityContext {
    let at = own.map_or(spec_at, |sc| sc.span);
    PodSecurityContext {
        run_as_user: or_default(own, "runAsUser", |n| int(n).map(Some), None, at),
        run_as_non_root: or_default(own, "runAsNonRoot", |n| boolean(n).map(Some), None, at),
        seccomp_profile: profile_type(field(own, "seccompProfile"), at),
        host_process: host_process(field(own, "windowsOptions"), at),
        app_armor: profile_type(field(own, "appArmorProfile"), at),
        se_linux: se_linux(field(own, "seLinuxOptions"), at),
    }
}

/// `type` of a `seccompProfile` or `appArmorProfile` map; `None` (located at `at`) when the
/// map is absent.
fn profile_type(profile: Option<&Node>, at: Span) -> Value<Option<String>> {
    match profile {
        Some(profile) => required(Some(profile), "type", |n| text(n).map(Some), profile.span),
        None => Value::default_at(None, at),
    }
}

/// `hostProcess` of a `windowsOptions` map; default `false`.
fn host_process(windows_options: Option<&Node>, at: Span) -> Value<bool> {
    match field(windows_options, "hostProcess") {
        Some(n) => value(n, boolean),
        None => Value::default_at(false, at),
    }
}

/// The restricted fields of a `seLinuxOptions` map; each default `None`.
fn se_linux(options: Option<&Node>, at: Span) -> SeLinuxOptions {
    let part = |key: &str| {
        or_default(
            options,
            key,
            |n| text(n).map(Some),
            None,
            options.map_or(at, |o| o.span),
        )
    };
    SeLinuxOptions {
        type_: part("type"),
        user: part("user"),
        role: part("role"),
    }
}

/// A container without `appArmorProfile` takes the profile of the legacy annotation
/// `container.apparmor.security.beta.kubernetes.io/<name>`, which Kubernetes still honours.
fn legacy_app_armor(container: &mut Container, annotations: &[KeyValue]) {
    if !container.security.app_armor.is_default() {
        return;
    }
    let Some(name) = container.name.get() else {
        return;
    };
    if let Some(kv) = annotations
        .iter()
        .find(|kv| kv.key.strip_prefix(APPARMOR_ANNOTATION) == Some(name.as_str()))
    {
        container.security.app_armor = kv.value.clone().map(Some);
    }
}

fn env_var(entry: &Node) -> EnvVar {
    let e = Some(entry);
    let value = match field(e, "valueFrom") {
        Some(from) => env_source(from),
        None => EnvValue::Literal(or_default(e, "value", text, String::new(), entry.span)),
    };
    EnvVar {
        name: required(e, "name", text, entry.span),
        span: entry.span,
        value,
    }
}

fn env_source(from: &Node) -> EnvValue {
    let f = Some(from);
    let name_key = |r: &Node| {
        (
            required(Some(r), "name", text, r.span),
            required(Some(r), "key", text, r.span),
        )
    };
    if let Some(r) = field(f, "secretKeyRef") {
        let (name, key) = name_key(r);
        EnvValue::SecretKeyRef { name, key }
    } else if let Some(r) = field(f, "configMapKeyRef") {
        let (name, key) = name_key(r);
        EnvValue::ConfigMapKeyRef { name, key }
    } else if let Some(r) = field(f, "fieldRef") {
        EnvValue::FieldRef(required(Some(r), "fieldPath", text, r.span))
    } else if let Some(r) = field(f, "resourceFieldRef") {
        EnvValue::ResourceFieldRef(required(Some(r), "resource", text, r.span))
    } else {
        EnvValue::Other(from.span)
    }
}

fn env_from(entry: &Node) -> EnvFrom {
    let e = Some(entry);
    let source = if let Some(r) = field(e, "secretRef") {
        EnvFromSource::Secret(required(Some(r), "name", text, r.span))
    } else if let Some(r) = field(e, "configMapRef") {
        EnvFromSource::ConfigMap(required(Some(r), "name", text, r.span))
    } else {
        EnvFromSource::Other
    };
    EnvFrom {
        span: entry.span,
        source,
        prefix: optional(e, "prefix", text),
    }
}

fn resources(container: &Node) -> Resources {
    let res = field(Some(container), "resources");
    let at = res.map_or(container.span, |r| r.span);
    let quantities = |key: &str| match field(res, key) {
        Some(node) => value(node, |n| {
            n.as_map().map(|entries| {
                entries
                    .iter()
                    .map(|e| Quantity {
                        resource: e.key.clone(),
                        key_span: e.key_span,
                        value: value(e.value.untagged(), text),
                    })
                    .collect()
            })
        }),
        None => Value::default_at(Vec::new(), at),
    };
    Resources {
        limits: quantities("limits"),
        requests: quantities("requests"),
    }
}

fn port(node: &Node) -> ContainerPort {
    let p = Some(node);
    ContainerPort {
        span: node.span,
        name: optional(p, "name", text),
        container_port: required(p, "containerPort", int, node.span),
        host_port: or_default(p, "hostPort", |n| int(n).map(Some), None, node.span),
        protocol: or_default(p, "protocol", text, "TCP".to_string(), node.span),
    }
}

fn volume_mount(node: &Node) -> VolumeMount {
    let m = Some(node);
    VolumeMount {
        span: node.span,
        name: required(m, "name", text, node.span),
        mount_path: required(m, "mountPath", text, node.span),
        read_only: or_default(m, "readOnly", boolean, false, node.span),
    }
}

fn volume(node: &Node) -> Volume {
    let v = Some(node);
    Volume {
        name: required(v, "name", text, node.span),
        span: node.span,
        source: volume_source(node),
    }
}

fn volume_source(node: &Node) -> VolumeSource {
    let v = Some(node);
    if let Some(h) = field(v, "hostPath") {
        VolumeSource::HostPath {
            path: required(Some(h), "path", text, h.span),
            kind: or_default(Some(h), "type", |n| text(n).map(Some), None, h.span),
        }
    } else if let Some(s) = field(v, "secret") {
        VolumeSource::Secret {
            secret_name: required(Some(s), "secretName", text, s.span),
        }
    } else if let Some(c) = field(v, "configMap") {
        VolumeSource::ConfigMap {
            name: required(Some(c), "name", text, c.span),
        }
    } else if let Some(c) = field(v, "persistentVolumeClaim") {
        VolumeSource::PersistentVolumeClaim {
            claim_name: required(Some(c), "claimName", text, c.span),
        }
    } else if node.get("emptyDir").is_some() {
        VolumeSource::EmptyDir
    } else if field(v, "projected").is_some() {
        VolumeSource::Projected
    } else {
        let other = node
            .as_map()
            .and_then(|m| m.iter().find(|e| e.key != "name"))
            .map_or_else(String::new, |e| e.key.clone());
        VolumeSource::Other(other)
    }
}
