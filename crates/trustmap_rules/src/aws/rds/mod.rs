//! RDS and Aurora rules: who can reach a database, and what protects its data when someone
//! does.
//!
//! Storage settings of an Aurora member instance belong to its cluster, so those rules judge
//! standalone instances and clusters, never members.

mod rds_backup_retention_disabled;
mod rds_deletion_protection_disabled;
mod rds_iam_auth_disabled;
mod rds_publicly_accessible;
mod rds_storage_unencrypted;

pub(crate) use rds_backup_retention_disabled::RdsBackupRetentionDisabled;
pub(crate) use rds_deletion_protection_disabled::RdsDeletionProtectionDisabled;
pub(crate) use rds_iam_auth_disabled::RdsIamAuthDisabled;
pub(crate) use rds_publicly_accessible::RdsPubliclyAccessible;
pub(crate) use rds_storage_unencrypted::RdsStorageUnencrypted;

use trustmap_model::aws::rds::{DbCluster, DbInstance, Rds};
use trustmap_model::{ResourceMeta, Value};

/// The fields the storage rules read, for a standalone instance or a cluster.
struct Storage<'a> {
    meta: &'a ResourceMeta,
    /// `instance` or `cluster`, for messages.
    noun: &'static str,
    engine: &'a Value<String>,
    encrypted: &'a Value<bool>,
    kms_key: &'a Value<Option<String>>,
    deletion_protection: &'a Value<bool>,
    iam_auth: &'a Value<bool>,
    backup_retention: &'a Value<i64>,
    source: &'a Value<Option<String>>,
    /// A read replica, which needs no backups of its own.
    replica: bool,
}

impl<'a> Storage<'a> {
    fn instance(i: &'a DbInstance) -> Self {
        Self {
            meta: &i.meta,
            noun: "instance",
            engine: &i.engine,
            encrypted: &i.storage_encrypted,
            kms_key: &i.kms_key,
            deletion_protection: &i.deletion_protection,
            iam_auth: &i.iam_auth,
            backup_retention: &i.backup_retention,
            source: &i.source,
            replica: i.is_replica.is_true(),
        }
    }

    fn cluster(c: &'a DbCluster) -> Self {
        Self {
            meta: &c.meta,
            noun: "cluster",
            engine: &c.engine,
            encrypted: &c.storage_encrypted,
            kms_key: &c.kms_key,
            deletion_protection: &c.deletion_protection,
            iam_auth: &c.iam_auth,
            backup_retention: &c.backup_retention,
            source: &c.source,
            replica: false,
        }
    }
}

/// Standalone instances, then clusters: everything that owns its storage settings.
fn storage_owners(rds: &Rds) -> impl Iterator<Item = Storage<'_>> {
    rds.instances
        .iter()
        .filter(|i| !i.is_cluster_member())
        .map(Storage::instance)
        .chain(rds.clusters.iter().map(Storage::cluster))
}

/// `leaves `x` to its default `false``, or `sets `x = false``.
fn how_false(v: &Value<bool>, arg: &str) -> String {
    if v.is_default() {
        format!("leaves `{arg}` to its default `false`")
    } else {
        format!("sets `{arg} = false`")
    }
}
