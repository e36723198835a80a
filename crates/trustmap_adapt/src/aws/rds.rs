//! RDS instances, Aurora cluster instances and DB clusters.

use trustmap_model::Value;
use trustmap_model::aws::rds::{DbCluster, DbInstance, Rds};
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::join::{Index, Target};
use super::read::{self, attr, blocks, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Rds {
    let mut rds = Rds::default();
    for r in index.managed("aws_db_instance") {
        let b = &r.body;
        rds.instances.push(DbInstance {
            meta: meta(r),
            engine: read::string_at(b, "engine", r.span),
            cluster: None,
            publicly_accessible: read::bool_or(b, "publicly_accessible", false, r.span),
            storage_encrypted: read::bool_or(b, "storage_encrypted", false, r.span),
            kms_key: read::opt_string(b, "kms_key_id", r.span),
            deletion_protection: read::bool_or(b, "deletion_protection", false, r.span),
            iam_auth: read::bool_or(b, "iam_database_authentication_enabled", false, r.span),
            // AWS applies one day when the argument is left out.
            backup_retention: read::int(b, "backup_retention_period", Some(1), r.span),
            source: source(
                b,
                &["replicate_source_db", "snapshot_identifier"],
                &["restore_to_point_in_time", "s3_import"],
                r.span,
            ),
            is_replica: attr(b, "replicate_source_db")
                .map_or(Value::default_at(false, r.span), |n| {
                    Value::explicit(true, n.span).with_via(n.via.clone())
                }),
        });
    }
    for r in index.managed("aws_rds_cluster_instance") {
        let b = &r.body;
        let owned_by_cluster = || Value::unknown(r.span);
        rds.instances.push(DbInstance {
            meta: meta(r),
            engine: read::string_at(b, "engine", r.span),
            cluster: Some(index.link_at(Target::DbCluster, b, "cluster_identifier", r.span)),
            publicly_accessible: read::bool_or(b, "publicly_accessible", false, r.span),
            storage_encrypted: owned_by_cluster(),
            kms_key: Value::unknown(r.span),
            deletion_protection: owned_by_cluster(),
            iam_auth: owned_by_cluster(),
            backup_retention: Value::unknown(r.span),
            source: Value::unknown(r.span),
            is_replica: Value::unknown(r.span),
        });
    }
    for r in index.managed("aws_rds_cluster") {
        let b = &r.body;
        let engine_mode = read::string_or(b, "engine_mode", "provisioned", r.span);
        // Aurora Serverless v1 clusters are always encrypted.
        let encrypted_default = match engine_mode.get() {
            Some(mode) => Value::default_at(mode == "serverless", r.span),
            None => Value::unknown(r.span),
        };
        rds.clusters.push(DbCluster {
            meta: meta(r),
            engine: read::string_or(b, "engine", "aurora", r.span),
            storage_encrypted: attr(b, "storage_encrypted").map_or(encrypted_default, |_| {
                read::bool_or(b, "storage_encrypted", false, r.span)
            }),
            engine_mode,
            kms_key: read::opt_string(b, "kms_key_id", r.span),
            deletion_protection: read::bool_or(b, "deletion_protection", false, r.span),
            iam_auth: read::bool_or(b, "iam_database_authentication_enabled", false, r.span),
            backup_retention: read::int(b, "backup_retention_period", Some(1), r.span),
            source: source(
                b,
                &["snapshot_identifier", "replication_source_identifier"],
                &["restore_to_point_in_time", "s3_import"],
                r.span,
            ),
        });
    }
    super::cloudformation::rds::adapt(index, &mut rds);
    rds
}

/// What the database is created from: the first of `args` that is set, or a restore block.
fn source(body: &Node, args: &[&str], restore_blocks: &[&str], at: Span) -> Value<Option<String>> {
    if let Some(n) = read::attr_any(body, args) {
        return read::string(n).map(Some);
    }
    for key in restore_blocks {
        if let Some(b) = blocks(body, key).first() {
            return Value::explicit(Some((*key).to_string()), b.span);
        }
    }
    Value::default_at(None, at)
}
