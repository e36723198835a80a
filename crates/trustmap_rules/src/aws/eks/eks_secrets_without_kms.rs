use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An EKS cluster with no `encryption_config` that encrypts `secrets` with a KMS key of
    /// yours.
    ///
    /// Since 2025, EKS clusters on Kubernetes 1.28 and later envelope-encrypt all API data
    /// with a key AWS owns, so Secrets are not stored in clear. What is missing is your own
    /// key: no key policy decides who can decrypt, no CloudTrail record shows each use, and
    /// access cannot be cut off by disabling the key. Hence the low severity.
    ///
    /// ## Why it matters
    /// Kubernetes Secrets hold database passwords, registry credentials and service-account
    /// tokens. With a customer-managed key, reading them from a copy of the cluster's data
    /// store also needs `kms:Decrypt` on that key, and every decryption is logged; an
    /// incident responder can revoke the key to stop a compromise spreading.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids = var.private_subnets
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids = var.private_subnets
    ///   }
    ///   encryption_config {
    ///     resources = ["secrets"]
    ///     provider {
    ///       key_arn = aws_kms_key.eks.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html>
    /// - Peer checks: Checkov `CKV_AWS_58` and Trivy `AVD-AWS-0039` are equivalent.
    pub(crate) EksSecretsWithoutKms {
        id: "AWS-EKS-002",
        name: "eks-secrets-without-kms",
        severity: Low,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_58"],
            trivy: ["AVD-AWS-0039"],
            cwe: ["CWE-311"],
        },
    }
}

impl Rule for EksSecretsWithoutKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for c in &model.aws.eks.clusters {
            match c.encrypts_secrets() {
                None => out.unknown(),
                Some(true) => out.pass_at(c.meta.span),
                Some(false) => {
                    let how = if c.encryption.is(Vec::is_empty) {
                        "has no `encryption_config`"
                    } else {
                        "has an `encryption_config` that does not cover `secrets`"
                    };
                    out.report(
                        &c.meta,
                        c.encryption.span,
                        &c.encryption.via,
                        format!(
                            "cluster `{}` {how}, so Kubernetes Secrets are not encrypted with a key you control",
                            c.meta.address
                        ),
                    );
                }
            }
        }
    }
}
