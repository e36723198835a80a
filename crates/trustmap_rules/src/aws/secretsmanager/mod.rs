//! Secrets Manager rules: who can read a secret, and whether it is ever rotated.

mod secretsmanager_secret_policy_public;
mod secretsmanager_secret_without_rotation;

pub(crate) use secretsmanager_secret_policy_public::SecretsmanagerSecretPolicyPublic;
pub(crate) use secretsmanager_secret_without_rotation::SecretsmanagerSecretWithoutRotation;
