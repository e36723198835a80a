//! Google Cloud resources adapted from Terraform (`google_*` and `google-beta` resources).
//!
//! IAM is one list of [`iam::Grant`]s whatever wrote it: `_iam_member`, `_iam_binding`,
//! `_iam_policy` (with its `google_iam_policy` data source or `jsonencode`d document), on
//! organizations, folders, projects, buckets, Cloud Run services and Cloud Functions. Split
//! resources are joined by the adapter: a bucket ACL or IAM grant has a [`Link`] to its
//! bucket, resolved when the scan defines the bucket.
//!
//! [`Link`]: crate::Link

pub mod compute;
pub mod gke;
pub mod iam;
pub mod run;
pub mod secrets;
pub mod sql;
pub mod storage;

/// Everything Google Cloud in one scan.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Gcp {
    pub buckets: Vec<storage::Bucket>,
    /// Bucket and default object ACL entries, from every ACL resource.
    pub bucket_acls: Vec<storage::AclEntry>,
    pub iam_grants: Vec<iam::Grant>,
    pub service_account_keys: Vec<iam::ServiceAccountKey>,
    pub workload_identity_providers: Vec<iam::WorkloadIdentityProvider>,
    /// The service account each VM-backed workload runs as: instances, instance templates
    /// and GKE node pools.
    pub vm_identities: Vec<compute::VmIdentity>,
    pub firewalls: Vec<compute::Firewall>,
    pub run_services: Vec<run::RunService>,
    pub secrets: Vec<secrets::Secret>,
    pub sql_instances: Vec<sql::SqlInstance>,
    pub clusters: Vec<gke::Cluster>,
}

impl Gcp {
    /// Number of adapted Google Cloud objects (for statistics).
    pub fn object_count(&self) -> usize {
        self.buckets.len()
            + self.bucket_acls.len()
            + self.iam_grants.len()
            + self.service_account_keys.len()
            + self.workload_identity_providers.len()
            + self.vm_identities.len()
            + self.firewalls.len()
            + self.run_services.len()
            + self.secrets.len()
            + self.sql_instances.len()
            + self.clusters.len()
    }
}

/// `allUsers` (anyone on the internet) or `allAuthenticatedUsers` (anyone with a Google
/// account), as IAM members and ACL entities spell them.
pub fn is_public_principal(s: &str) -> bool {
    matches!(s.trim(), "allUsers" | "allAuthenticatedUsers")
}

/// Who a public principal is, for messages.
pub fn describe_public_principal(s: &str) -> &'static str {
    if s.trim() == "allUsers" {
        "anyone on the internet"
    } else {
        "anyone with a Google account"
    }
}

/// `0.0.0.0/0` or `::/0`.
pub fn is_world_cidr(cidr: &str) -> bool {
    crate::aws::ec2::is_world_cidr(cidr)
}
