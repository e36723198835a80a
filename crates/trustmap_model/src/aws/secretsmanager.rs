//! Secrets Manager secrets, their resource policies and their rotation schedules.

use super::Link;
use super::policy::ResourcePolicy;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct SecretsManager {
    pub secrets: Vec<Secret>,
    /// Inline `policy` arguments and `aws_secretsmanager_secret_policy` resources.
    pub policies: Vec<ResourcePolicy>,
    /// Rotation schedules, separate (`aws_secretsmanager_secret_rotation`) or inline (older
    /// provider versions).
    pub rotations: Vec<Rotation>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Secret {
    pub meta: ResourceMeta,
    /// Unknown when generated (`name_prefix`) or computed.
    pub name: Value<String>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Rotation {
    /// The resource that declares it (the secret itself when inline).
    pub meta: ResourceMeta,
    pub secret: Link,
}
