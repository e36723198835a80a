use trustmap_model::Model;
use trustmap_model::aws::s3::{BlockFlag, PartKind, PublicAccessBlock};
use trustmap_source::Span;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An S3 bucket that no public access block fully protects.
    ///
    /// That is: neither the bucket's own `aws_s3_bucket_public_access_block` nor an
    /// `aws_s3_account_public_access_block` exists, or the blocks that do leave one of
    /// `block_public_acls`, `block_public_policy`, `ignore_public_acls` or
    /// `restrict_public_buckets` off. Each flag defaults to `false` when the block omits it.
    ///
    /// S3 turns all four settings on for buckets created since April 2023, but nothing in the
    /// code holds them there: a console click, a script or a later `false` re-opens the bucket
    /// and no review sees it.
    ///
    /// ## Why it matters
    /// The block is the guard rail that stops one mistake from becoming a data breach. Without
    /// it, a public ACL or a `Principal: "*"` policy added later, by anyone with
    /// `s3:PutBucketPolicy`, takes effect immediately; an attacker who gains that permission
    /// can publish the bucket to the internet as a quiet way to exfiltrate it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "acme-exports"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Declare the block with all four settings on, for the bucket or once for the account:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "exports" {
    ///   bucket                  = aws_s3_bucket.exports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>
    /// - Peer checks: Checkov `CKV_AWS_53` (`block_public_acls`), `CKV_AWS_54`
    ///   (`block_public_policy`), `CKV_AWS_55` (`ignore_public_acls`) and `CKV_AWS_56`
    ///   (`restrict_public_buckets`) are each narrower (one flag each); `CKV2_AWS_6` is narrower
    ///   (that a block exists, not its flags). Trivy `AVD-AWS-0086`, `AVD-AWS-0087`, `AVD-AWS-0091`
    ///   and `AVD-AWS-0093` are each narrower (the same four flags, one each); `AVD-AWS-0094` is
    ///   narrower (that each bucket defines a block).
    pub(crate) S3BucketPublicAccessBlockMissing {
        id: "AWS-S3-003",
        name: "s3-bucket-public-access-block-missing",
        severity: Medium,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"],
            trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for S3BucketPublicAccessBlockMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let s3 = &model.aws.s3;
        let unjoined = s3.has_unjoined(PartKind::PublicAccessBlock);
        for (i, bucket) in s3.buckets.iter().enumerate() {
            let blocks: Vec<&PublicAccessBlock> = s3.blocks_for(i).collect();
            if blocks.is_empty() {
                if unjoined {
                    out.unknown();
                } else {
                    out.report(
                        &bucket.meta,
                        bucket.meta.span,
                        &[],
                        format!(
                            "bucket `{}` has no public access block, for the bucket or the account",
                            bucket.meta.address
                        ),
                    );
                }
                continue;
            }
            // Flags no block turns on, grouped by where they are (not) written, on the
            // bucket's own block first.
            let mut off: Vec<(&PublicAccessBlock, Span, Vec<BlockFlag>)> = Vec::new();
            let mut unknown = false;
            for flag in BlockFlag::ALL {
                if blocks.iter().any(|b| b.flag(flag).is_true()) {
                    continue;
                }
                if blocks.iter().any(|b| b.flag(flag).is_unknown()) {
                    unknown = true;
                    continue;
                }
                let block = blocks
                    .iter()
                    .find(|b| !b.is_account_level())
                    .unwrap_or(&blocks[0]);
                let at = block.flag(flag).span;
                match off
                    .iter_mut()
                    .find(|(b, s, _)| std::ptr::eq(*b, *block) && *s == at)
                {
                    Some((_, _, flags)) => flags.push(flag),
                    None => off.push((block, at, vec![flag])),
                }
            }
            for (block, at, flags) in &off {
                let names: Vec<String> = flags.iter().map(|f| f.as_str().to_string()).collect();
                let via = &block.flag(flags[0]).via;
                let scope = if block.is_account_level() {
                    "account"
                } else {
                    "bucket"
                };
                let state = if block.flag(flags[0]).is_default() {
                    "not set (default false)"
                } else {
                    "false"
                };
                out.report(
                    &block.meta,
                    *at,
                    via,
                    format!(
                        "{scope} public access block leaves {} {state} for bucket `{}`",
                        super::super::list(&names),
                        bucket.meta.address
                    ),
                );
            }
            if off.is_empty() {
                if unknown {
                    out.unknown()
                } else {
                    out.pass_at(bucket.meta.span)
                }
            }
        }
    }
}
