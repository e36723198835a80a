//! What the graph is made of: nodes (untrusted sources, endpoints, workloads, identities,
//! data) and typed edges that say why one reaches the next, and where that is written.

use trustmap_source::Span;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// Anyone on the internet, unauthenticated.
    Internet,
    /// Any GitHub repository (forks and strangers' repos included) presenting a GitHub
    /// Actions OIDC token.
    AnyGithubRepo,
    /// Code from a fork's pull request, run by `pull_request_target` or `workflow_run`.
    ForkPullRequest,
    /// Any principal of any AWS account (`Principal: *` / `{"AWS": "*"}`).
    AnyAwsAccount,
    /// Something that answers requests: a function URL, an API route, a load-balanced
    /// Service, an Ingress.
    Endpoint,
    /// Code that runs: a function, an ECS task, an instance, a pod, a CI job.
    Workload,
    /// Something code runs as: an IAM role or user, a Kubernetes service account, a cloud
    /// service account.
    Identity,
    /// A data store: bucket, database, queue, topic, key.
    Data,
    /// A secret: a Secrets Manager secret, a Kubernetes Secret.
    Secret,
    /// A synthetic crown for total control: account administrator, cluster-admin, the
    /// node under a privileged pod.
    Admin,
}

impl NodeKind {
    /// Stable kebab-case name (JSON, renderers).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Internet => "internet",
            NodeKind::AnyGithubRepo => "any-github-repo",
            NodeKind::ForkPullRequest => "fork-pull-request",
            NodeKind::AnyAwsAccount => "any-aws-account",
            NodeKind::Endpoint => "endpoint",
            NodeKind::Workload => "workload",
            NodeKind::Identity => "identity",
            NodeKind::Data => "data",
            NodeKind::Secret => "secret",
            NodeKind::Admin => "admin",
        }
    }

    /// A source an attacker controls without any credential of ours.
    pub fn is_untrusted_source(self) -> bool {
        matches!(
            self,
            NodeKind::Internet
                | NodeKind::AnyGithubRepo
                | NodeKind::ForkPullRequest
                | NodeKind::AnyAwsAccount
        )
    }
}

/// How sensitive a data store is, for the severity of paths that reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitivity {
    /// Queues, topics, log buckets: messages in transit or telemetry.
    Low,
    /// Object storage and other general-purpose stores.
    Medium,
    /// Databases, secrets, encryption keys.
    High,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Low => "low",
            Sensitivity::Medium => "medium",
            Sensitivity::High => "high",
        }
    }
}

/// Why a node is a target: what an attacker wants at the end of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Crown {
    /// A data store.
    Data { sensitivity: Sensitivity },
    /// A secret value.
    Secret,
    /// Administrator of an account or cluster.
    Admin,
    /// A grant that turns into administrator (privilege escalation, host takeover).
    Escalation,
}

impl Crown {
    pub fn as_str(self) -> &'static str {
        match self {
            Crown::Data { .. } => "data",
            Crown::Secret => "secret",
            Crown::Admin => "admin",
            Crown::Escalation => "escalation",
        }
    }

    /// The data-sensitivity factor of the severity formula (see the crate docs).
    pub fn sensitivity(self) -> Sensitivity {
        match self {
            Crown::Data { sensitivity } => sensitivity,
            Crown::Secret | Crown::Admin | Crown::Escalation => Sensitivity::High,
        }
    }
}

/// One node.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Node {
    pub kind: NodeKind,
    /// Stable and unique in the graph: the model object's address prefixed with its
    /// technology (`aws_iam_role.ci`, `ServiceAccount/app/web`, `.github/workflows/d.yml#deploy`)
    /// or a synthetic name (`internet`, `github:any-repo`, `aws:account-admin`).
    pub key: String,
    /// A short human label (`role ci`, `GET /items`, `Internet`).
    pub label: String,
    /// The model object's address, for outputs (`None` for synthetic nodes).
    pub resource: Option<String>,
    /// The object's span (resolved to a file and line by the report).
    pub span: Option<Span>,
    pub crown: Option<Crown>,
}

/// What an edge says about its two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// An untrusted source can send requests to an endpoint or workload.
    Exposes,
    /// An endpoint forwards to a workload (route → integration, Service → pods).
    Reaches,
    /// An event from a data store or source invokes a workload.
    Triggers,
    /// A workload runs with an identity's credentials.
    RunsAs,
    /// A principal can obtain an identity's credentials (trust policy, IRSA, OIDC).
    CanAssume,
    // No relation for "identity is granted a role": a grant (RBAC binding, IAM policy,
    // cloud role binding) becomes the access edge it confers, with the role or actions in
    // [`Access::actions`], so a path never spends a hop on the role itself.
    /// Read access to data.
    Reads,
    /// Write access to data.
    Writes,
    /// Administrative access to data (policies, deletion, key management).
    Administers,
    /// A grant that lets the holder raise its own privileges to administrator.
    Escalates,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exposes => "exposes",
            Relation::Reaches => "reaches",
            Relation::Triggers => "triggers",
            Relation::RunsAs => "runs-as",
            Relation::CanAssume => "can-assume",
            Relation::Reads => "reads",
            Relation::Writes => "writes",
            Relation::Administers => "administers",
            Relation::Escalates => "escalates",
        }
    }

    /// An edge that gives access to data or privilege (the last hop of most paths).
    pub fn is_access(self) -> bool {
        matches!(
            self,
            Relation::Reads | Relation::Writes | Relation::Administers | Relation::Escalates
        )
    }
}

/// How much an access edge grants, ordered from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessLevel {
    Read,
    Write,
    Admin,
}

impl AccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Read => "read",
            AccessLevel::Write => "write",
            AccessLevel::Admin => "admin",
        }
    }

    /// The relation an access edge of this level carries.
    pub fn relation(self) -> Relation {
        match self {
            AccessLevel::Read => Relation::Reads,
            AccessLevel::Write => Relation::Writes,
            AccessLevel::Admin => Relation::Administers,
        }
    }
}

/// What an access edge grants, as evidence.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    pub level: AccessLevel,
    /// A few of the actions, verbs or roles that grant it (`secretsmanager:GetSecretValue`,
    /// `get secrets`, `roles/storage.admin`).
    pub actions: Vec<String>,
}

/// One edge: a typed relation with its evidence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Edge {
    pub relation: Relation,
    /// One sentence, attack-minded: what the attacker gains by this hop and why.
    pub why: String,
    /// Where the evidence is written (the trust statement, the binding, the annotation).
    pub span: Option<Span>,
    /// Conditions that were not decided statically and were assumed to let the attacker
    /// through (shown, and lowering the path's severity).
    pub conditions: Vec<String>,
    pub access: Option<Access>,
}

impl Edge {
    /// An edge with no conditions and no access level.
    pub fn new(relation: Relation, why: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            relation,
            why: why.into(),
            span,
            conditions: Vec::new(),
            access: None,
        }
    }

    #[must_use]
    pub fn with_access(mut self, access: Access) -> Self {
        self.access = Some(access);
        self
    }

    #[must_use]
    pub fn with_conditions(mut self, conditions: Vec<String>) -> Self {
        self.conditions = conditions;
        self
    }
}
