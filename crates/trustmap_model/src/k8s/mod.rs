//! Kubernetes objects as the API server would hold them after defaulting.
//!
//! The adapter fills these from plain manifests (later also from rendered Helm charts and
//! built Kustomize overlays). Fields the manifest leaves out carry Kubernetes' documented
//! default, located at the object (or container) that omitted it, so a rule can point at
//! the place where the missing line belongs.

pub mod access;
mod config;
mod identity;
mod mesh;
mod namespace;
mod network;
mod rbac;
pub mod well_known;
mod workload;

pub use access::{Decision, Grant, Holder, Permission, RbacIndex, Request, Scope, SubjectRef};
pub use config::{ConfigMap, DataEntry, Secret};
pub use identity::{Cloud, ServiceAccount, WorkloadIdentity};
pub use mesh::{
    AuthorizationPolicy, AuthorizationRule, DestinationRule, ISTIO_ROOT_NAMESPACE, Mesh,
    PeerAuthentication, PortMtls,
};
pub use namespace::{Namespace, PSS_ENFORCE_LABEL, PSS_LABEL_PREFIX, PssLevel};
pub use network::{
    Ingress, IngressBackend, IngressPath, IngressRule, IngressTls, NetworkPeer, NetworkPolicy,
    NetworkPolicyRule, Service, ServicePort,
};
pub use rbac::{
    AggregationRule, LabelRequirement, LabelSelector, PolicyRule, Role, RoleBinding, RoleRef,
    Subject,
};
pub use workload::{
    Container, ContainerKind, ContainerPort, EnvFrom, EnvFromSource, EnvValue, EnvVar, ImageRef,
    PodSecurityContext, PodSpec, Quantity, Resources, SeLinuxOptions, SecurityContext, Sysctl,
    Volume, VolumeMount, VolumeSource, Workload,
};

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

/// Every Kubernetes object the scan found, by kind.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct K8s {
    /// Pods and everything with a pod template (Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, ReplicationController, Job, CronJob).
    pub workloads: Vec<Workload>,
    pub service_accounts: Vec<ServiceAccount>,
    /// Roles and ClusterRoles.
    pub roles: Vec<Role>,
    /// RoleBindings and ClusterRoleBindings.
    pub bindings: Vec<RoleBinding>,
    pub services: Vec<Service>,
    pub ingresses: Vec<Ingress>,
    pub network_policies: Vec<NetworkPolicy>,
    pub secrets: Vec<Secret>,
    pub config_maps: Vec<ConfigMap>,
    pub namespaces: Vec<Namespace>,
    /// Istio objects (Linkerd is configured through annotations on the objects above).
    pub mesh: Mesh,
}

impl K8s {
    /// Adds the objects of another file's adaptation.
    pub fn extend(&mut self, other: K8s) {
        let K8s {
            workloads,
            service_accounts,
            roles,
            bindings,
            services,
            ingresses,
            network_policies,
            secrets,
            config_maps,
            namespaces,
            mesh,
        } = other;
        self.workloads.extend(workloads);
        self.service_accounts.extend(service_accounts);
        self.roles.extend(roles);
        self.bindings.extend(bindings);
        self.services.extend(services);
        self.ingresses.extend(ingresses);
        self.network_policies.extend(network_policies);
        self.secrets.extend(secrets);
        self.config_maps.extend(config_maps);
        self.namespaces.extend(namespaces);
        self.mesh.extend(mesh);
    }

    /// Number of objects (for the report's statistics).
    pub fn object_count(&self) -> usize {
        self.workloads.len()
            + self.service_accounts.len()
            + self.roles.len()
            + self.bindings.len()
            + self.services.len()
            + self.ingresses.len()
            + self.network_policies.len()
            + self.secrets.len()
            + self.config_maps.len()
            + self.namespaces.len()
            + self.mesh.object_count()
    }

    /// The Namespace object `name`, when the scan defines it.
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.iter().find(|ns| ns.object.name == name)
    }

    /// The ServiceAccount `name` in `namespace`, when the scanned files define it.
    pub fn service_account(&self, namespace: &str, name: &str) -> Option<&ServiceAccount> {
        self.service_accounts
            .iter()
            .find(|sa| sa.object.name == name && sa.object.namespace.as_deref() == Some(namespace))
    }

    /// The ServiceAccount a workload's pods run as, when the scanned files define it.
    pub fn service_account_of(&self, workload: &Workload) -> Option<&ServiceAccount> {
        let name = workload.pod.service_account_name.get()?;
        self.service_account(workload.object.namespace.as_deref()?, name)
    }

    /// Whether the workload's pods get an API token mounted: the pod's
    /// `automountServiceAccountToken` wins; when the pod leaves it out, its ServiceAccount's
    /// setting applies; when both leave it out, Kubernetes mounts the token (default `true`,
    /// located at the pod spec).
    pub fn automounts_token(&self, workload: &Workload) -> Value<bool> {
        let pod = &workload.pod.automount_service_account_token;
        if !pod.is_default() {
            return pod.clone();
        }
        match self.service_account_of(workload) {
            Some(sa) if !sa.automount_service_account_token.is_default() => {
                sa.automount_service_account_token.clone()
            }
            _ => pod.clone(),
        }
    }
}

/// What every object has: identity, location and metadata.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Object {
    /// Address `Kind/namespace/name` (cluster-scoped: `Kind/name`) and the document's span.
    pub meta: ResourceMeta,
    pub api_version: String,
    pub kind: String,
    /// `metadata.name`, else `metadata.generateName`, else `<unnamed>`.
    pub name: String,
    /// `metadata.namespace`, `default` when omitted; `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    pub labels: Vec<KeyValue>,
    pub annotations: Vec<KeyValue>,
}

impl Object {
    /// The annotation `key`, if set.
    pub fn annotation(&self, key: &str) -> Option<&KeyValue> {
        self.annotations.iter().find(|kv| kv.key == key)
    }

    /// The label `key`, if set.
    pub fn label(&self, key: &str) -> Option<&KeyValue> {
        self.labels.iter().find(|kv| kv.key == key)
    }

    /// `Kind `name``, for messages.
    pub fn describe(&self) -> String {
        format!("{} `{}`", self.kind, self.name)
    }
}

/// One entry of a string map (labels, annotations, selectors, ConfigMap data).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Span,
    pub value: Value<String>,
}
