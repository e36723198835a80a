use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An ECR repository whose `image_tag_mutability` is `MUTABLE` (or
    /// `MUTABLE_WITH_EXCLUSION`), written or left to the default `MUTABLE`.
    ///
    /// ## Why it matters
    /// With mutable tags, `app:1.4.2` is whatever was pushed last under that name. An
    /// attacker (or a compromised CI job) with push access overwrites a tag that production
    /// already trusts; the next deployment, autoscaling event or node restart pulls the
    /// replacement, with no change in any manifest for a reviewer to see. Immutable tags make
    /// a tag a promise: the image behind it can never change.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name                 = "api"
    ///   image_tag_mutability = "IMMUTABLE"
    /// }
    /// ```
    ///
    /// Deploy by digest (`api@sha256:...`) as well where the platform allows it.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html>
    /// - Peer checks: Checkov `CKV_AWS_51` and Trivy `AVD-AWS-0031` are equivalent.
    pub(crate) EcrRepositoryMutableTags {
        id: "AWS-ECR-001",
        name: "ecr-repository-mutable-tags",
        severity: Medium,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_51"],
            trivy: ["AVD-AWS-0031"],
            cwe: ["CWE-494"],
        },
    }
}

impl Rule for EcrRepositoryMutableTags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for repo in &model.aws.ecr.repositories {
            match repo.tags_mutable() {
                None => out.unknown(),
                Some(false) => out.pass_at(repo.meta.span),
                Some(true) => {
                    let how = if repo.tag_mutability.is_default() {
                        "leaves `image_tag_mutability` to its default `MUTABLE`".to_string()
                    } else {
                        format!(
                            "sets `image_tag_mutability = \"{}\"`",
                            repo.tag_mutability.get().map_or("", String::as_str)
                        )
                    };
                    out.report(
                        &repo.meta,
                        repo.tag_mutability.span,
                        &repo.tag_mutability.via,
                        format!(
                            "repository `{}` {how}, so a pushed tag can be replaced by another image",
                            repo.meta.address
                        ),
                    );
                }
            }
        }
    }
}
