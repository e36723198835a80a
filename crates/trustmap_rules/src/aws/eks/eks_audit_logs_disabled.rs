use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An EKS cluster whose `enabled_cluster_log_types` does not include `audit` or
    /// `authenticator` (the list is empty when left out). The other log types (`api`,
    /// `controllerManager`, `scheduler`) are operational and not required here.
    ///
    /// ## Why it matters
    /// The audit log is the record of who did what through the Kubernetes API: which
    /// identity read a Secret, created a privileged pod or bound `cluster-admin`. The
    /// authenticator log maps those Kubernetes users back to IAM principals. Without them an
    /// intruder's actions in the cluster leave no trace you can investigate, alert on or
    /// present after an incident.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name                      = "main"
    ///   role_arn                  = aws_iam_role.cluster.arn
    ///   enabled_cluster_log_types = ["api"]
    ///   vpc_config {
    ///     subnet_ids = var.private_subnets
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name                      = "main"
    ///   role_arn                  = aws_iam_role.cluster.arn
    ///   enabled_cluster_log_types = ["api", "audit", "authenticator"]
    ///   vpc_config {
    ///     subnet_ids = var.private_subnets
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html>
    /// - Peer checks: Checkov `CKV_AWS_37` and Trivy `AVD-AWS-0038` are broader: they also
    ///   require the operational log types.
    pub(crate) EksAuditLogsDisabled {
        id: "AWS-EKS-003",
        name: "eks-audit-logs-disabled",
        severity: Medium,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_37"],
            trivy: ["AVD-AWS-0038"],
            cwe: ["CWE-778"],
        },
    }
}

/// The security-relevant control-plane logs.
const REQUIRED: &[&str] = &["audit", "authenticator"];

impl Rule for EksAuditLogsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for c in &model.aws.eks.clusters {
            let Some(types) = c.log_types.get() else {
                out.unknown();
                continue;
            };
            let has = |t: &str| types.iter().any(|v| v.is(|s| s == t));
            let missing: Vec<String> = REQUIRED
                .iter()
                .filter(|t| !has(t))
                .map(|t| (*t).to_string())
                .collect();
            if missing.is_empty() {
                out.pass_at(c.meta.span);
            } else if types.iter().any(|v| v.is_unknown()) {
                out.unknown();
            } else {
                let how = if c.log_types.is_default() {
                    "does not set `enabled_cluster_log_types`".to_string()
                } else {
                    format!(
                        "leaves {} out of `enabled_cluster_log_types`",
                        super::super::list(&missing)
                    )
                };
                out.report(
                    &c.meta,
                    c.log_types.span,
                    &c.log_types.via,
                    format!(
                        "cluster `{}` {how}, so Kubernetes API calls and the identities behind them are not logged",
                        c.meta.address
                    ),
                );
            }
        }
    }
}
