//! EKS rules: who can reach the Kubernetes API, how Secrets are protected, and what the
//! control plane records.

mod eks_audit_logs_disabled;
mod eks_endpoint_public_to_world;
mod eks_secrets_without_kms;

pub(crate) use eks_audit_logs_disabled::EksAuditLogsDisabled;
pub(crate) use eks_endpoint_public_to_world::EksEndpointPublicToWorld;
pub(crate) use eks_secrets_without_kms::EksSecretsWithoutKms;
