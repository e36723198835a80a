use trustmap_model::Model;

use super::super::{PolicyOn, label, report_public_policies};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An SNS topic policy statement (inline `policy` of `aws_sns_topic`, or
    /// `aws_sns_topic_policy`) that allows `"Principal": "*"` (or `{"AWS": "*"}`) with no
    /// condition that ties the request to your organization, an account (`aws:SourceOwner`,
    /// `aws:SourceAccount`), a source ARN, a VPC or a VPC endpoint.
    ///
    /// Statements that let anyone subscribe or change the topic's attributes and permissions
    /// are critical; publish-only ones are high. Each service with resource policies has its
    /// own rule, because what anyone gains and the fix differ; all share the test used by
    /// `s3-bucket-policy-public`.
    ///
    /// ## Why it matters
    /// With `sns:Subscribe` open, an attacker subscribes their own endpoint or queue and
    /// receives every message the topic fans out (alerts, orders, password-reset links). With
    /// `sns:Publish` open, they push forged events into every subscriber: Lambda functions,
    /// queues and people's phones and mailboxes.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sns_topic_policy" "alerts" {
    ///   arn = aws_sns_topic.alerts.arn
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = ["sns:Publish", "sns:Subscribe"]
    ///       Resource  = aws_sns_topic.alerts.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Allow the publishing service for your own resources only:
    ///
    /// ```hcl
    /// resource "aws_sns_topic_policy" "alerts" {
    ///   arn = aws_sns_topic.alerts.arn
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Service = "cloudwatch.amazonaws.com" }
    ///       Action    = "sns:Publish"
    ///       Resource  = aws_sns_topic.alerts.arn
    ///       Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html>
    /// - Peer checks: Checkov `CKV_AWS_169` is equivalent.
    pub(crate) SnsTopicPolicyPublic {
        id: "AWS-SNS-001",
        name: "sns-topic-policy-public",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_169"],
            cwe: ["CWE-732"],
        },
    }
}

/// Actions that expose every message or take the topic over.
const CRITICAL: &[&str] = &[
    "sns:Subscribe",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:DeleteTopic",
];

impl Rule for SnsTopicPolicyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let sns = &model.aws.sns;
        let policies = sns.policies.iter().map(|p| PolicyOn {
            noun: "topic",
            meta: &p.meta,
            document: &p.document,
            target: label(&p.target, |i| {
                sns.topics.get(i).map(|t| t.meta.address.as_str())
            }),
        });
        report_public_policies(policies, out, CRITICAL);
    }
}
