use trustmap_model::Model;

use super::{how_false, storage_owners};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An RDS instance or DB cluster (`aws_db_instance`, `aws_rds_cluster`) whose
    /// `deletion_protection` is `false` or left out (the default is `false`). Aurora member
    /// instances are protected through their cluster and judged there.
    ///
    /// ## Why it matters
    /// Deleting the database is one API call for anyone holding `rds:DeleteDBInstance`,
    /// including an attacker with a stolen automation credential who wants to destroy
    /// evidence or extort you, and a `terraform destroy` run against the wrong workspace.
    /// Deletion protection makes that call fail until someone deliberately turns the
    /// protection off, a second step that is logged and can be alerted on.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_rds_cluster" "orders" {
    ///   cluster_identifier = "orders"
    ///   engine             = "aurora-postgresql"
    ///   storage_encrypted  = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_rds_cluster" "orders" {
    ///   cluster_identifier  = "orders"
    ///   engine              = "aurora-postgresql"
    ///   storage_encrypted   = true
    ///   deletion_protection = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection>
    /// - Peer checks: Checkov `CKV_AWS_293` (instances) and `CKV_AWS_139` (clusters), and
    ///   Trivy `AVD-AWS-0177` (instances) and `AVD-AWS-0343` (clusters), are each narrower;
    ///   together they are equivalent.
    pub(crate) RdsDeletionProtectionDisabled {
        id: "AWS-RDS-003",
        name: "rds-deletion-protection-disabled",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_293", "CKV_AWS_139"],
            trivy: ["AVD-AWS-0177", "AVD-AWS-0343"],
            cwe: ["CWE-693"],
        },
    }
}

impl Rule for RdsDeletionProtectionDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for s in storage_owners(&model.aws.rds) {
            match s.deletion_protection.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(s.meta.span),
                Some(false) => {
                    out.report(
                        s.meta,
                        s.deletion_protection.span,
                        &s.deletion_protection.via,
                        format!(
                            "database {} `{}` {}, so one API call deletes it",
                            s.noun,
                            s.meta.address,
                            how_false(s.deletion_protection, "deletion_protection")
                        ),
                    );
                }
            }
        }
    }
}
