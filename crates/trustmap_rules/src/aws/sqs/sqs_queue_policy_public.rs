use trustmap_model::Model;

use super::super::{PolicyOn, label, report_public_policies};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An SQS queue policy statement (inline `policy` of `aws_sqs_queue`, or
    /// `aws_sqs_queue_policy`) that allows `"Principal": "*"` (or `{"AWS": "*"}`) with no
    /// condition that ties the request to your organization, an account, a source ARN, a VPC
    /// or a VPC endpoint.
    ///
    /// Statements that let anyone receive, delete or purge messages, or rewrite the queue's
    /// attributes and policy, are critical; send-only ones are high.
    ///
    /// Each service with resource policies has its own rule (`sqs-queue-policy-public`,
    /// `sns-topic-policy-public`, `kms-key-policy-public`, `secretsmanager-secret-policy-public`,
    /// `ecr-repository-policy-public`), because what "anyone" gains and the condition that
    /// fixes it differ per service; all share one test of "anyone, not limited by a
    /// condition" with `s3-bucket-policy-public`.
    ///
    /// ## Why it matters
    /// Anyone with any AWS account can then call the queue's API. An attacker sends forged
    /// jobs that your workers execute with their role (an injection point that bypasses every
    /// API in front of the queue), or reads the messages (orders, emails, tokens) before your
    /// consumers do and deletes them to hide it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "uploads" {
    ///   queue_url = aws_sqs_queue.uploads.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.uploads.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the service that sends and the resource it sends for:
    ///
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "uploads" {
    ///   queue_url = aws_sqs_queue.uploads.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Service = "sns.amazonaws.com" }
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.uploads.arn
    ///       Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.uploads.arn } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html>
    /// - Peer checks: Checkov `CKV_AWS_168` and `CKV_AWS_387` are equivalent. Checkov
    ///   `CKV_AWS_72` and Trivy `AVD-AWS-0097` are partial: they flag `"Action": "*"` whatever
    ///   the principal, not a grant to anyone.
    pub(crate) SqsQueuePolicyPublic {
        id: "AWS-SQS-001",
        name: "sqs-queue-policy-public",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_168", "CKV_AWS_387", "CKV_AWS_72"],
            trivy: ["AVD-AWS-0097"],
            cwe: ["CWE-732"],
        },
    }
}

/// Actions that read or destroy messages, or take the queue over.
const CRITICAL: &[&str] = &[
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:PurgeQueue",
    "sqs:SetQueueAttributes",
    "sqs:AddPermission",
    "sqs:DeleteQueue",
];

impl Rule for SqsQueuePolicyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let sqs = &model.aws.sqs;
        let policies = sqs.policies.iter().map(|p| PolicyOn {
            noun: "queue",
            meta: &p.meta,
            document: &p.document,
            target: label(&p.target, |i| {
                sqs.queues.get(i).map(|q| q.meta.address.as_str())
            }),
        });
        report_public_policies(policies, out, CRITICAL);
    }
}
