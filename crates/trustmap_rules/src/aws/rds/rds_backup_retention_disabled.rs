use trustmap_model::Model;

use super::storage_owners;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An RDS instance with `backup_retention_period = 0`: automated backups (and
    /// point-in-time recovery) turned off. Left out, AWS keeps one day of backups, which is
    /// not reported; Aurora clusters cannot turn backups off. Read replicas, which need no
    /// backups of their own, are not judged.
    ///
    /// ## Why it matters
    /// Ransomware crews and vandals with database access drop or encrypt tables; a bad
    /// migration does the same by accident. With no automated backups there is no
    /// point-in-time restore to the minute before it happened, and the data is gone unless
    /// someone took a manual snapshot.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier              = "orders"
    ///   engine                  = "postgres"
    ///   instance_class          = "db.t4g.medium"
    ///   allocated_storage       = 20
    ///   backup_retention_period = 0
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier              = "orders"
    ///   engine                  = "postgres"
    ///   instance_class          = "db.t4g.medium"
    ///   allocated_storage       = 20
    ///   backup_retention_period = 14
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html>
    /// - Peer checks: Checkov `CKV_AWS_133` is equivalent; Trivy `AVD-AWS-0077` is broader
    ///   (it also flags the one-day default).
    pub(crate) RdsBackupRetentionDisabled {
        id: "AWS-RDS-005",
        name: "rds-backup-retention-disabled",
        severity: Medium,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_133"],
            trivy: ["AVD-AWS-0077"],
            cwe: ["CWE-693"],
        },
    }
}

impl Rule for RdsBackupRetentionDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for s in storage_owners(&model.aws.rds) {
            if s.replica {
                continue;
            }
            match s.backup_retention.get() {
                None => out.unknown(),
                Some(0) => {
                    out.report(
                        s.meta,
                        s.backup_retention.span,
                        &s.backup_retention.via,
                        format!(
                            "database {} `{}` sets `backup_retention_period = 0`, turning off automated backups and point-in-time recovery",
                            s.noun, s.meta.address
                        ),
                    );
                }
                Some(_) => out.pass_at(s.meta.span),
            }
        }
    }
}
