use trustmap_model::Model;
use trustmap_model::aws::s3::{BlockFlag, PublicGroup, canned_acl_audience};

use super::super::bucket_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An S3 bucket ACL that grants access to everyone: the canned ACLs `public-read`,
    /// `public-read-write` and `authenticated-read`, or a grant to the `AllUsers` or
    /// `AuthenticatedUsers` group, inline in `aws_s3_bucket` or in `aws_s3_bucket_acl`.
    ///
    /// A bucket whose public access block sets `ignore_public_acls` is not reported: S3
    /// disregards its ACLs.
    ///
    /// ## Why it matters
    /// An attacker who guesses or finds the bucket name (they leak in page sources, mobile
    /// apps and DNS) lists and downloads every object anonymously, with no credentials and no
    /// trace in your identity logs. `AuthenticatedUsers` is no better: it means any AWS
    /// account, including one the attacker opens for free. With write access they also plant
    /// or replace objects your systems later trust.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "reports" {
    ///   bucket = aws_s3_bucket.reports.id
    ///   acl    = "public-read"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep the bucket private and disable ACLs altogether; serve public content through
    /// CloudFront with origin access control instead.
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "reports" {
    ///   bucket = aws_s3_bucket.reports.id
    ///   rule {
    ///     object_ownership = "BucketOwnerEnforced"
    ///   }
    /// }
    ///
    /// resource "aws_s3_bucket_public_access_block" "reports" {
    ///   bucket                  = aws_s3_bucket.reports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html>
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>
    /// - Peer checks: Checkov `CKV_AWS_20` is narrower (READ grants to everyone only); `CKV_AWS_57`
    ///   is narrower (WRITE grants to everyone only); `CKV2_AWS_43` is narrower
    ///   (`AuthenticatedUsers` grants only). Trivy `AVD-AWS-0092` is equivalent (public access
    ///   through ACLs).
    pub(crate) S3BucketPublicAcl {
        id: "AWS-S3-001",
        name: "s3-bucket-public-acl",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43"],
            trivy: ["AVD-AWS-0092"],
            cwe: ["CWE-732"],
        },
    }
}

/// Who a public group is, for messages.
fn audience(group: PublicGroup) -> &'static str {
    match group {
        PublicGroup::AllUsers => "anyone on the internet",
        PublicGroup::AuthenticatedUsers => "any AWS account",
    }
}

impl Rule for S3BucketPublicAcl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let s3 = &model.aws.s3;
        for acl in &s3.acls {
            let ignored = acl
                .bucket
                .target
                .is_some_and(|b| s3.is_blocked(b, BlockFlag::IgnorePublicAcls));
            if ignored {
                out.pass_at(acl.meta.span);
                continue;
            }
            let bucket = bucket_label(model, &acl.bucket);
            let (mut found, mut unknown) = (false, false);
            if let Some(canned) = &acl.canned {
                match canned.get() {
                    None => unknown = true,
                    Some(name) => {
                        if let Some(group) = canned_acl_audience(name) {
                            let access = if name == "public-read-write" {
                                "read and write"
                            } else {
                                "list and read"
                            };
                            out.report(
                                &acl.meta,
                                canned.span,
                                &canned.via,
                                format!(
                                    "canned ACL `{name}` lets {} {access} bucket `{bucket}`",
                                    audience(group)
                                ),
                            );
                            found = true;
                        }
                    }
                }
            }
            for grant in &acl.grants {
                if grant.uri.is_unknown() {
                    unknown = true;
                    continue;
                }
                let Some(group) = grant.public_group() else {
                    continue;
                };
                let permissions: Vec<&str> = grant
                    .permissions
                    .iter()
                    .filter_map(|p| p.get().map(String::as_str))
                    .collect();
                let what = if permissions.is_empty() {
                    "access".to_string()
                } else {
                    format!("`{}`", permissions.join(", "))
                };
                out.report(
                    &acl.meta,
                    grant.uri.span,
                    &grant.uri.via,
                    format!(
                        "ACL grants {what} on bucket `{bucket}` to the `{}` group ({})",
                        group.as_str(),
                        audience(group)
                    ),
                );
                found = true;
            }
            if !found {
                if unknown {
                    out.unknown()
                } else {
                    out.pass_at(acl.meta.span)
                }
            }
        }
    }
}
