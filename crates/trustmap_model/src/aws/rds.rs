//! RDS and Aurora: database instances and clusters, with the settings that decide who can
//! reach them and what survives a compromise (encryption, deletion protection, backups).
//!
//! An Aurora instance is a [`DbInstance`] whose `cluster` is set: storage, encryption,
//! deletion protection, IAM authentication and backups belong to its [`DbCluster`], so those
//! fields of a member instance are unknown and rules read the cluster instead.

use super::Link;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Rds {
    /// Standalone instances and Aurora cluster members.
    pub instances: Vec<DbInstance>,
    pub clusters: Vec<DbCluster>,
}

/// A database instance (`aws_db_instance`, `aws_rds_cluster_instance`,
/// `AWS::RDS::DBInstance`).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DbInstance {
    pub meta: ResourceMeta,
    /// `mysql`, `postgres`, `aurora-postgresql`, ...; unknown for a member whose engine is
    /// only known to its cluster.
    pub engine: Value<String>,
    /// The Aurora cluster this instance belongs to; `None` for a standalone instance.
    pub cluster: Option<Link>,
    /// Whether the instance gets a public DNS name and address (default `false`).
    pub publicly_accessible: Value<bool>,
    /// Default `false`; unknown for a cluster member.
    pub storage_encrypted: Value<bool>,
    /// A KMS key is named, which implies encryption.
    pub kms_key: Value<Option<String>>,
    /// Default `false`; unknown for a cluster member.
    pub deletion_protection: Value<bool>,
    /// `iam_database_authentication_enabled`, default `false`; unknown for a cluster member.
    pub iam_auth: Value<bool>,
    /// Days of automated backups (AWS's default is 1); unknown for a cluster member.
    pub backup_retention: Value<i64>,
    /// A snapshot or source database the instance is created from: its encryption is
    /// inherited from there.
    pub source: Value<Option<String>>,
    /// A read replica of another instance (`replicate_source_db`); unknown for a member.
    pub is_replica: Value<bool>,
}

impl DbInstance {
    /// Member of an Aurora (or Multi-AZ) cluster: storage settings are the cluster's.
    pub fn is_cluster_member(&self) -> bool {
        self.cluster.is_some()
    }
}

/// An Aurora or Multi-AZ DB cluster (`aws_rds_cluster`, `AWS::RDS::DBCluster`).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DbCluster {
    pub meta: ResourceMeta,
    pub engine: Value<String>,
    /// `provisioned` (default) or `serverless` (Aurora Serverless v1, always encrypted).
    pub engine_mode: Value<String>,
    /// Default `false` (`true` for `serverless`).
    pub storage_encrypted: Value<bool>,
    pub kms_key: Value<Option<String>>,
    pub deletion_protection: Value<bool>,
    pub iam_auth: Value<bool>,
    /// Days of automated backups (default 1; clusters cannot turn backups off).
    pub backup_retention: Value<i64>,
    /// A snapshot or source cluster the cluster is restored or replicated from.
    pub source: Value<Option<String>>,
}

/// Engines that accept IAM database authentication.
const IAM_AUTH_ENGINES: &[&str] = &[
    "mysql",
    "mariadb",
    "postgres",
    "aurora",
    "aurora-mysql",
    "aurora-postgresql",
];

/// Whether an engine supports IAM database authentication.
pub fn supports_iam_auth(engine: &str) -> bool {
    IAM_AUTH_ENGINES
        .iter()
        .any(|e| e.eq_ignore_ascii_case(engine))
}
