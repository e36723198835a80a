use trustmap_model::Model;

use super::{Storage, how_false, storage_owners};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An RDS instance or DB cluster (`aws_db_instance`, `aws_rds_cluster`) whose storage is
    /// not encrypted: `storage_encrypted` is `false` or left out (the provider default is
    /// `false`, except for Aurora Serverless v1) and no `kms_key_id` is given.
    ///
    /// Aurora member instances take their cluster's setting and are judged through it.
    /// Databases restored from a snapshot or created as replicas inherit encryption from
    /// their source and are not judged unless `storage_encrypted = true` says so.
    ///
    /// ## Why it matters
    /// Snapshots, read replicas and automated backups of an unencrypted database are
    /// unencrypted too. An attacker who gains `rds:ModifyDBSnapshotAttribute` or
    /// `rds:CopyDBSnapshot` shares a snapshot with their own account and restores the whole
    /// database there; with encryption under a KMS key, the copy is useless without
    /// `kms:Decrypt` on your key. Encryption cannot be turned on later without a restore.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier        = "orders"
    ///   engine            = "postgres"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 20
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier        = "orders"
    ///   engine            = "postgres"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 20
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.rds.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html>
    /// - Peer checks: Checkov `CKV_AWS_16` and Trivy `AVD-AWS-0080` are narrower (instances
    ///   only); Trivy `AVD-AWS-0079` is narrower (clusters only).
    pub(crate) RdsStorageUnencrypted {
        id: "AWS-RDS-002",
        name: "rds-storage-unencrypted",
        severity: Medium,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_16"],
            trivy: ["AVD-AWS-0080", "AVD-AWS-0079"],
            cwe: ["CWE-311"],
        },
    }
}

/// `Some(true)` when the storage is unencrypted, `None` when it cannot be told.
fn unencrypted(s: &Storage<'_>) -> Option<bool> {
    if s.encrypted.is_true() || s.kms_key.is(Option::is_some) {
        return Some(false);
    }
    if s.encrypted.is_unknown() || s.kms_key.is_unknown() {
        return None;
    }
    // Restored or replicated: the source decides.
    match s.source.get() {
        Some(None) => Some(true),
        _ => None,
    }
}

impl Rule for RdsStorageUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for s in storage_owners(&model.aws.rds) {
            match unencrypted(&s) {
                None => out.unknown(),
                Some(false) => out.pass_at(s.meta.span),
                Some(true) => {
                    out.report(
                        s.meta,
                        s.encrypted.span,
                        &s.encrypted.via,
                        format!(
                            "database {} `{}` {}, so its storage, snapshots and backups are unencrypted",
                            s.noun,
                            s.meta.address,
                            how_false(s.encrypted, "storage_encrypted")
                        ),
                    );
                }
            }
        }
    }
}
