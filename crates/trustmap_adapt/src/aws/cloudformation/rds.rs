//! `AWS::RDS::DBInstance` (standalone, or a member of an Aurora cluster) and
//! `AWS::RDS::DBCluster`.

use trustmap_model::Value;
use trustmap_model::aws::rds::{DbCluster, DbInstance, Rds};
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::meta;
use crate::aws::join::{Index, Target};
use crate::aws::read::{self, attr};

pub(in crate::aws) fn adapt(index: &Index<'_>, rds: &mut Rds) {
    for r in index.cfn("AWS::RDS::DBInstance") {
        let p = &r.properties;
        let at = r.span;
        if let Some(cluster) = attr(p, "DBClusterIdentifier") {
            // Storage, encryption, backups and authentication belong to the cluster.
            rds.instances.push(DbInstance {
                meta: meta(r),
                engine: read::string_at(p, "Engine", at),
                cluster: Some(index.link(Target::DbCluster, cluster)),
                publicly_accessible: publicly_accessible(p, at),
                storage_encrypted: Value::unknown(at),
                kms_key: Value::unknown(at),
                deletion_protection: Value::unknown(at),
                iam_auth: Value::unknown(at),
                backup_retention: Value::unknown(at),
                source: Value::unknown(at),
                is_replica: Value::unknown(at),
            });
            continue;
        }
        rds.instances.push(DbInstance {
            meta: meta(r),
            engine: read::string_at(p, "Engine", at),
            cluster: None,
            publicly_accessible: publicly_accessible(p, at),
            storage_encrypted: read::bool_or(p, "StorageEncrypted", false, at),
            kms_key: read::opt_string(p, "KmsKeyId", at),
            deletion_protection: read::bool_or(p, "DeletionProtection", false, at),
            iam_auth: read::bool_or(p, "EnableIAMDatabaseAuthentication", false, at),
            // AWS applies one day when the property is left out.
            backup_retention: read::int(p, "BackupRetentionPeriod", Some(1), at),
            source: source(
                p,
                &["SourceDBInstanceIdentifier", "DBSnapshotIdentifier"],
                at,
            ),
            is_replica: attr(p, "SourceDBInstanceIdentifier")
                .map_or(Value::default_at(false, at), |n| {
                    Value::explicit(true, n.span).with_via(n.via.clone())
                }),
        });
    }
    for r in index.cfn("AWS::RDS::DBCluster") {
        let p = &r.properties;
        let at = r.span;
        let engine_mode = read::string_or(p, "EngineMode", "provisioned", at);
        // Aurora Serverless v1 clusters are always encrypted.
        let encrypted_default = match engine_mode.get() {
            Some(mode) => Value::default_at(mode == "serverless", at),
            None => Value::unknown(at),
        };
        rds.clusters.push(DbCluster {
            meta: meta(r),
            engine: read::string_at(p, "Engine", at),
            storage_encrypted: attr(p, "StorageEncrypted").map_or(encrypted_default, |_| {
                read::bool_or(p, "StorageEncrypted", false, at)
            }),
            engine_mode,
            kms_key: read::opt_string(p, "KmsKeyId", at),
            deletion_protection: read::bool_or(p, "DeletionProtection", false, at),
            iam_auth: read::bool_or(p, "EnableIAMDatabaseAuthentication", false, at),
            backup_retention: read::int(p, "BackupRetentionPeriod", Some(1), at),
            source: source(p, &["SnapshotIdentifier", "SourceDBClusterIdentifier"], at),
        });
    }
}

/// Without `PubliclyAccessible` the answer depends on the network: in the default VPC (no
/// `DBSubnetGroupName`) the instance is public, which AWS documents as the default there;
/// in a subnet group it depends on the subnets' routes, which the template does not say.
fn publicly_accessible(p: &Node, at: Span) -> Value<bool> {
    match attr(p, "PubliclyAccessible") {
        Some(_) => read::bool_or(p, "PubliclyAccessible", false, at),
        None if attr(p, "DBSubnetGroupName").is_none() => Value::default_at(true, at),
        None => Value::unknown(at),
    }
}

/// What the database is created from: the first of `props` that is set.
fn source(p: &Node, props: &[&str], at: Span) -> Value<Option<String>> {
    read::attr_any(p, props).map_or_else(
        || Value::default_at(None, at),
        |n| read::string(n).map(Some),
    )
}
