//! Terraform → Google Cloud model.
//!
//! Each service module reads its resource types from the shared [`Index`], which groups the
//! evaluated resources by type and resolves references between them (see [`TARGETS`]).
//! Provider defaults are filled in here, located at the block that omitted them.
//!
//! [`Index`]: crate::terraform_join::Index

mod compute;
mod gke;
mod iam;
mod run;
mod secrets;
mod sql;
mod storage;

#[cfg(test)]
mod tests;

use trustmap_model::gcp::Gcp;
use trustmap_terraform::{Mode, TfOutput};

use crate::terraform_join::{self, JoinTarget, Row};

/// What a reference can point at; each is one list of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Bucket,
    RunService,
    Secret,
}

/// The join table, in model-list order.
const TARGETS: &[Row<Target>] = &[
    (
        Target::Bucket,
        Mode::Managed,
        "google_storage_bucket",
        Some("name"),
    ),
    (
        Target::RunService,
        Mode::Managed,
        "google_cloud_run_service",
        Some("name"),
    ),
    (
        Target::RunService,
        Mode::Managed,
        "google_cloud_run_v2_service",
        Some("name"),
    ),
    (
        Target::Secret,
        Mode::Managed,
        "google_secret_manager_secret",
        Some("secret_id"),
    ),
];

impl JoinTarget for Target {
    /// Buckets are named `b`, `b/b` or `gs://b`; services `s` or
    /// `projects/p/locations/l/services/s`.
    fn key(self, literal: &str) -> Option<String> {
        let s = literal.trim();
        let name = match self {
            Target::Bucket => s
                .strip_prefix("gs://")
                .or_else(|| s.strip_prefix("b/"))
                .unwrap_or(s)
                .trim_end_matches('/'),
            Target::RunService | Target::Secret => s.rsplit('/').next().unwrap_or(s),
        };
        (!name.is_empty()).then(|| name.to_string())
    }
}

pub(crate) type Index<'a> = terraform_join::Index<'a, Target>;

/// Builds the Google Cloud model from evaluated Terraform.
pub fn from_terraform(tf: &TfOutput) -> Gcp {
    let index = Index::new(&tf.resources, TARGETS);
    let (buckets, bucket_acls) = storage::adapt(&index);
    let (service_account_keys, workload_identity_providers) = iam::adapt_identities(&index);
    let (vm_identities, firewalls) = compute::adapt(&index);
    Gcp {
        buckets,
        bucket_acls,
        iam_grants: iam::adapt_grants(&index),
        service_account_keys,
        workload_identity_providers,
        vm_identities,
        firewalls,
        run_services: run::adapt(&index),
        secrets: secrets::adapt(&index),
        sql_instances: sql::adapt(&index),
        clusters: gke::adapt(&index),
    }
}
