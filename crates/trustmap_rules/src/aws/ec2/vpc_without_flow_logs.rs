use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A VPC (`aws_vpc`, `aws_default_vpc`) with no `aws_flow_log` attached to it by
    /// `vpc_id`. Flow logs on single subnets or network interfaces do not cover the VPC.
    ///
    /// ## Why it matters
    /// Flow logs are the record of which addresses talked to which, on which ports, and
    /// whether the traffic was accepted. Without them a compromised instance's beaconing to a
    /// command-and-control server, a lateral scan of the subnet and a large transfer out of
    /// the VPC leave no network trace to detect or investigate.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_flow_log" "main" {
    ///   vpc_id          = aws_vpc.main.id
    ///   traffic_type    = "ALL"
    ///   log_destination = aws_s3_bucket.flow_logs.arn
    ///
    ///   log_destination_type = "s3"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html>
    /// - Peer checks: Checkov `CKV2_AWS_11` and Trivy `AVD-AWS-0178` are equivalent.
    pub(crate) VpcWithoutFlowLogs {
        id: "AWS-EC2-004",
        name: "vpc-without-flow-logs",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV2_AWS_11"],
            trivy: ["AVD-AWS-0178"],
            cwe: ["CWE-778"],
        },
    }
}

impl Rule for VpcWithoutFlowLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let ec2 = &model.aws.ec2;
        let mut logged = vec![false; ec2.vpcs.len()];
        let mut unjoined = false;
        for f in &ec2.flow_logs {
            let Some(vpc) = &f.vpc else {
                continue;
            };
            match vpc.target.and_then(|i| logged.get_mut(i)) {
                Some(slot) => *slot = true,
                None => unjoined = true,
            }
        }
        for (vpc, logged) in ec2.vpcs.iter().zip(logged) {
            if logged {
                out.pass_at(vpc.meta.span);
            } else if unjoined {
                out.unknown();
            } else {
                out.report(
                    &vpc.meta,
                    vpc.meta.span,
                    &[],
                    format!(
                        "VPC `{}` has no flow log, so its network traffic is not recorded",
                        vpc.meta.address
                    ),
                );
            }
        }
    }
}
