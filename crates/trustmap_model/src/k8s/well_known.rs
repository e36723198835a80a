//! The default user-facing ClusterRoles every cluster has (`cluster-admin`, `admin`, `edit`,
//! `view`), known by name so that a binding to one of them has its documented power even
//! when the scan does not define the role.
//!
//! The rules below summarise the Kubernetes bootstrap policy as the RBAC documentation
//! describes it ("User-facing roles"): `view` reads most namespaced objects but not Secrets
//! or RBAC; `edit` adds writes, reading Secrets, running pods (hence every ServiceAccount of
//! the namespace: `create pods`, `pods/exec`, `impersonate serviceaccounts`,
//! `serviceaccounts/token`); `admin` adds Roles and RoleBindings of the namespace;
//! `cluster-admin` is `*` on everything. Read-only status subresources that matter to no
//! security decision are left out. `admin`, `edit` and `view` are aggregated ClusterRoles:
//! ClusterRoles labelled `rbac.authorization.k8s.io/aggregate-to-<role>: "true"` add to
//! them (and `view` is aggregated into `edit`, `edit` into `admin`).

/// One rule of a default ClusterRole.
#[derive(Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct WellKnownRule {
    pub api_groups: &'static [&'static str],
    pub resources: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub non_resource_urls: &'static [&'static str],
}

/// A default ClusterRole.
#[derive(Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct WellKnownRole {
    pub name: &'static str,
    /// Its rules, in parts (each role includes the parts of the roles it aggregates).
    parts: &'static [&'static [WellKnownRule]],
    /// Values of `rbac.authorization.k8s.io/aggregate-to-<x>` labels whose ClusterRoles the
    /// aggregation controller adds to it (directly or through a role aggregated into it).
    pub aggregates: &'static [&'static str],
}

impl WellKnownRole {
    /// Every rule of the role.
    pub fn rules(&'static self) -> impl Iterator<Item = &'static WellKnownRule> {
        self.parts.iter().flat_map(|p| p.iter())
    }

    /// The role named `name`, when it is one of the defaults.
    pub fn named(name: &str) -> Option<&'static WellKnownRole> {
        WELL_KNOWN.iter().find(|r| r.name == name)
    }
}

/// The label key prefix of the default roles' aggregation selectors.
pub const AGGREGATE_LABEL_PREFIX: &str = "rbac.authorization.k8s.io/aggregate-to-";

/// The default user-facing ClusterRoles.
pub static WELL_KNOWN: [WellKnownRole; 4] = [
    WellKnownRole {
        name: "cluster-admin",
        parts: &[CLUSTER_ADMIN],
        aggregates: &[],
    },
    WellKnownRole {
        name: "admin",
        parts: &[VIEW, EDIT, ADMIN],
        aggregates: &["admin", "edit", "view"],
    },
    WellKnownRole {
        name: "edit",
        parts: &[VIEW, EDIT],
        aggregates: &["edit", "view"],
    },
    WellKnownRole {
        name: "view",
        parts: &[VIEW],
        aggregates: &["view"],
    },
];

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "delete",
    "deletecollection",
    "patch",
    "update",
];

const fn rule(
    api_groups: &'static [&'static str],
    resources: &'static [&'static str],
    verbs: &'static [&'static str],
) -> WellKnownRule {
    WellKnownRule {
        api_groups,
        resources,
        verbs,
        non_resource_urls: &[],
    }
}

const CLUSTER_ADMIN: &[WellKnownRule] = &[
    rule(&["*"], &["*"], &["*"]),
    WellKnownRule {
        api_groups: &[],
        resources: &[],
        verbs: &["*"],
        non_resource_urls: &["*"],
    },
];

const VIEW: &[WellKnownRule] = &[
    rule(
        &[""],
        &[
            "bindings",
            "configmaps",
            "endpoints",
            "events",
            "limitranges",
            "namespaces",
            "persistentvolumeclaims",
            "pods",
            "pods/log",
            "pods/status",
            "replicationcontrollers",
            "replicationcontrollers/scale",
            "resourcequotas",
            "serviceaccounts",
            "services",
        ],
        READ,
    ),
    rule(
        &["apps", "extensions"],
        &[
            "controllerrevisions",
            "daemonsets",
            "deployments",
            "deployments/scale",
            "replicasets",
            "replicasets/scale",
            "statefulsets",
            "statefulsets/scale",
        ],
        READ,
    ),
    rule(&["autoscaling"], &["horizontalpodautoscalers"], READ),
    rule(&["batch"], &["cronjobs", "jobs"], READ),
    rule(
        &["extensions", "networking.k8s.io"],
        &["ingresses", "networkpolicies"],
        READ,
    ),
    rule(&["policy"], &["poddisruptionbudgets"], READ),
    rule(&["discovery.k8s.io"], &["endpointslices"], READ),
];

const EDIT: &[WellKnownRule] = &[
    rule(
        &[""],
        &[
            "pods/attach",
            "pods/exec",
            "pods/portforward",
            "pods/proxy",
            "secrets",
            "services/proxy",
        ],
        READ,
    ),
    rule(&[""], &["serviceaccounts"], &["impersonate"]),
    rule(
        &[""],
        &[
            "configmaps",
            "events",
            "persistentvolumeclaims",
            "pods",
            "pods/attach",
            "pods/exec",
            "pods/portforward",
            "pods/proxy",
            "replicationcontrollers",
            "replicationcontrollers/scale",
            "secrets",
            "serviceaccounts",
            "services",
            "services/proxy",
        ],
        WRITE,
    ),
    rule(
        &[""],
        &["pods/eviction", "serviceaccounts/token"],
        &["create"],
    ),
    rule(
        &["apps", "extensions"],
        &[
            "daemonsets",
            "deployments",
            "deployments/rollback",
            "deployments/scale",
            "replicasets",
            "replicasets/scale",
            "statefulsets",
            "statefulsets/scale",
        ],
        WRITE,
    ),
    rule(&["autoscaling"], &["horizontalpodautoscalers"], WRITE),
    rule(&["batch"], &["cronjobs", "jobs"], WRITE),
    rule(
        &["extensions", "networking.k8s.io"],
        &["ingresses", "networkpolicies"],
        WRITE,
    ),
    rule(&["policy"], &["poddisruptionbudgets"], WRITE),
    rule(&["coordination.k8s.io"], &["leases"], READ_WRITE),
];

const ADMIN: &[WellKnownRule] = &[
    rule(
        &["rbac.authorization.k8s.io"],
        &["roles", "rolebindings"],
        READ_WRITE,
    ),
    rule(
        &["authorization.k8s.io"],
        &["localsubjectaccessreviews"],
        &["create"],
    ),
];
