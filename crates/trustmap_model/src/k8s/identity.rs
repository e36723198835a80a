//! ServiceAccounts and the cloud identities they are linked to.

use super::{KeyValue, Object};
use crate::Value;

/// A ServiceAccount: the identity pods run as inside the cluster.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ServiceAccount {
    pub object: Object,
    /// Default `true`; a pod's own setting overrides it.
    pub automount_service_account_token: Value<bool>,
    /// Cloud identities pods of this account can assume (from its annotations).
    pub workload_identities: Vec<WorkloadIdentity>,
    /// `secrets[].name`: long-lived token secrets listed on the account.
    pub secrets: Vec<Value<String>>,
    pub image_pull_secrets: Vec<Value<String>>,
}

/// Which cloud a workload-identity annotation points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub enum Cloud {
    /// EKS IAM roles for service accounts: `eks.amazonaws.com/role-arn`.
    Aws,
    /// GKE Workload Identity: `iam.gke.io/gcp-service-account`.
    Gcp,
    /// Azure Workload Identity: `azure.workload.identity/client-id`.
    Azure,
}

impl Cloud {
    /// The annotation that links a ServiceAccount to this cloud's identity.
    pub fn annotation(self) -> &'static str {
        match self {
            Cloud::Aws => "eks.amazonaws.com/role-arn",
            Cloud::Gcp => "iam.gke.io/gcp-service-account",
            Cloud::Azure => "azure.workload.identity/client-id",
        }
    }

    pub const ALL: [Cloud; 3] = [Cloud::Aws, Cloud::Gcp, Cloud::Azure];
}

/// A ServiceAccount annotation naming a cloud identity (IAM role ARN, GCP service account
/// email, Azure client id).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct WorkloadIdentity {
    pub cloud: Cloud,
    /// The annotation as written (key and value spans).
    pub annotation: KeyValue,
}
