use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An RDS instance or Aurora cluster instance (`aws_db_instance`,
    /// `aws_rds_cluster_instance`) with `publicly_accessible = true`.
    ///
    /// ## Why it matters
    /// The instance gets a public DNS name that resolves to a public address, so the database
    /// port is one security-group rule (or one overly broad CIDR) away from the internet.
    /// Attackers scan the address space for MySQL and PostgreSQL ports continuously; a
    /// reachable database is then a password-guessing target, and any leaked credential or
    /// unpatched engine flaw becomes a direct data breach.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier          = "orders"
    ///   engine              = "postgres"
    ///   instance_class      = "db.t4g.medium"
    ///   allocated_storage   = 20
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep the database private and reach it from inside the VPC (or through a bastion,
    /// Session Manager port forwarding or RDS Proxy):
    ///
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier             = "orders"
    ///   engine                 = "postgres"
    ///   instance_class         = "db.t4g.medium"
    ///   allocated_storage      = 20
    ///   publicly_accessible    = false
    ///   db_subnet_group_name   = aws_db_subnet_group.private.name
    ///   vpc_security_group_ids = [aws_security_group.db.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding>
    /// - Peer checks: Checkov `CKV_AWS_17` and Trivy `AVD-AWS-0180` are equivalent.
    pub(crate) RdsPubliclyAccessible {
        id: "AWS-RDS-001",
        name: "rds-publicly-accessible",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_17"],
            trivy: ["AVD-AWS-0180"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for RdsPubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for db in &model.aws.rds.instances {
            match db.publicly_accessible.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(db.meta.span),
                Some(true) => {
                    // CloudFormation's default in the default VPC (no subnet group) is public.
                    let how = if db.publicly_accessible.is_default() {
                        "leaves `publicly_accessible` unset and names no subnet group, so AWS gives it a public address in the default VPC"
                    } else {
                        "sets `publicly_accessible = true`, giving it a public address"
                    };
                    out.report(
                        &db.meta,
                        db.publicly_accessible.span,
                        &db.publicly_accessible.via,
                        format!("database instance `{}` {how}", db.meta.address),
                    );
                }
            }
        }
    }
}
