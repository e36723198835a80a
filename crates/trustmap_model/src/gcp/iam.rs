//! IAM grants on the resource hierarchy and on individual resources, service-account keys
//! and workload identity federation.

use trustmap_source::Span;

use crate::{Link, ResourceMeta, Value};

/// What a grant is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum GrantTarget {
    Organization,
    Folder,
    Project,
    Bucket,
    CloudRunService,
    CloudFunction,
    /// A Secret Manager secret.
    Secret,
    /// A service account as a resource (who may act as it).
    ServiceAccount,
}

impl GrantTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantTarget::Organization => "organization",
            GrantTarget::Folder => "folder",
            GrantTarget::Project => "project",
            GrantTarget::Bucket => "bucket",
            GrantTarget::CloudRunService => "Cloud Run service",
            GrantTarget::CloudFunction => "Cloud Function",
            GrantTarget::Secret => "secret",
            GrantTarget::ServiceAccount => "service account",
        }
    }

    /// A level of the resource hierarchy: a grant there applies to everything below it.
    pub fn is_hierarchy(self) -> bool {
        matches!(
            self,
            GrantTarget::Organization | GrantTarget::Folder | GrantTarget::Project
        )
    }
}

/// How the grant was written (Terraform's three IAM resource flavours).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum GrantKind {
    /// `_iam_member`: adds one member to a role.
    Member,
    /// `_iam_binding`: sets every member of one role.
    Binding,
    /// One binding of an `_iam_policy`, which sets the whole policy.
    Policy,
}

/// A role granted to members on one target.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Grant {
    /// The resource that declares the grant (the `_iam_policy` resource for a policy's
    /// bindings, even when the bindings are written in a `google_iam_policy` data source).
    pub meta: ResourceMeta,
    pub on: GrantTarget,
    /// The organization, folder, project, bucket, service or function, as written; resolved
    /// to `Gcp::buckets` or `Gcp::run_services` when the scan defines it.
    pub target: Link,
    pub kind: GrantKind,
    /// The binding (a `binding` block or `bindings` element) or the resource.
    pub span: Span,
    pub role: Value<String>,
    /// `user:…`, `serviceAccount:…`, `group:…`, `domain:…`, `principal://…`, `allUsers`, ...
    pub members: Vec<Value<String>>,
    /// The IAM condition's expression, when the grant is conditional.
    pub condition: Option<Value<String>>,
}

/// The basic (formerly "primitive") roles that grant edit or full control of everything in
/// their scope.
pub fn is_basic_write_role(role: &str) -> bool {
    matches!(role, "roles/owner" | "roles/editor")
}

/// Roles that let their holder act as *any* service account in the scope: impersonate it,
/// mint its tokens or create its keys.
pub const IMPERSONATION_ROLES: &[&str] = &[
    "roles/iam.serviceAccountUser",
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountOpenIdTokenCreator",
    "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.workloadIdentityUser",
];

/// A `google_service_account_key`: a long-lived private key for a service account.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ServiceAccountKey {
    pub meta: ResourceMeta,
    pub service_account: Link,
    /// `public_key_data`: a key pair generated outside Google, whose public half is
    /// uploaded; `None` when Google generates the key (and the private key lands in state).
    pub uploaded_public_key: Value<Option<String>>,
}

/// A `google_iam_workload_identity_pool_provider`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct WorkloadIdentityProvider {
    pub meta: ResourceMeta,
    /// `oidc.issuer_uri`; `None` for AWS, SAML and X.509 providers.
    pub issuer: Value<Option<String>>,
    /// `attribute_condition`: a CEL expression every token must satisfy; `None` accepts
    /// every valid token of the issuer.
    pub attribute_condition: Value<Option<String>>,
    /// `attribute_mapping`: Google attribute (`google.subject`, `attribute.repo`) → CEL
    /// expression over the token (`assertion.repository`).
    pub attribute_mapping: Vec<(String, Value<String>)>,
    /// `disabled`, default `false`.
    pub disabled: Value<bool>,
    /// `workload_identity_pool_id`: the pool whose `principalSet://` members its tokens
    /// become (unknown when it references the pool resource).
    pub pool: Value<String>,
}

impl WorkloadIdentityProvider {
    /// The mapping expression of a Google attribute, when mapped.
    pub fn mapping(&self, attribute: &str) -> Option<&Value<String>> {
        self.attribute_mapping
            .iter()
            .find(|(k, _)| k == attribute)
            .map(|(_, v)| v)
    }
}
