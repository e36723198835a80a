use trustmap_model::Model;
use trustmap_model::aws::rds::supports_iam_auth;

use super::{how_false, storage_owners};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A MySQL, MariaDB or PostgreSQL RDS instance, or an Aurora MySQL or PostgreSQL cluster,
    /// whose `iam_database_authentication_enabled` is `false` or left out (the default is
    /// `false`). Engines that do not support IAM authentication are not judged.
    ///
    /// ## Why it matters
    /// Without IAM authentication every application and person logs in with a long-lived
    /// database password, which ends up in environment variables, CI secrets and laptops and
    /// is rarely rotated. An attacker who finds one copy has a credential that works from
    /// anywhere the database is reachable, and no CloudTrail record ties the login to an
    /// identity. IAM authentication issues 15-minute tokens to a role instead.
    ///
    /// It is one control among several (some clients or connection poolers cannot use it),
    /// hence the low severity.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier        = "orders"
    ///   engine            = "postgres"
    ///   instance_class    = "db.t4g.medium"
    ///   allocated_storage = 20
    ///   storage_encrypted = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier                          = "orders"
    ///   engine                              = "postgres"
    ///   instance_class                      = "db.t4g.medium"
    ///   allocated_storage                   = 20
    ///   storage_encrypted                   = true
    ///   iam_database_authentication_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html>
    /// - Peer checks: Checkov `CKV_AWS_161` (instances) and `CKV_AWS_162` (clusters) are each
    ///   narrower, together equivalent; Trivy `AVD-AWS-0176` is equivalent.
    pub(crate) RdsIamAuthDisabled {
        id: "AWS-RDS-004",
        name: "rds-iam-auth-disabled",
        severity: Low,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_161", "CKV_AWS_162"],
            trivy: ["AVD-AWS-0176"],
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for RdsIamAuthDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for s in storage_owners(&model.aws.rds) {
            let Some(engine) = s.engine.get() else {
                out.unknown();
                continue;
            };
            if !supports_iam_auth(engine) {
                continue;
            }
            match s.iam_auth.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(s.meta.span),
                Some(false) => {
                    out.report(
                        s.meta,
                        s.iam_auth.span,
                        &s.iam_auth.via,
                        format!(
                            "database {} `{}` {}, so clients can only log in with long-lived passwords",
                            s.noun,
                            s.meta.address,
                            how_false(s.iam_auth, "iam_database_authentication_enabled")
                        ),
                    );
                }
            }
        }
    }
}
