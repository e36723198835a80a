use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A symmetric encryption KMS key (`aws_kms_key` with the default
    /// `customer_master_key_spec = "SYMMETRIC_DEFAULT"` and `key_usage = "ENCRYPT_DECRYPT"`)
    /// whose `enable_key_rotation` is `false` or left out (the provider default is `false`).
    /// Asymmetric, HMAC and imported keys cannot rotate automatically and are not reported.
    ///
    /// ## Why it matters
    /// Without rotation the same key material protects every byte the key has ever
    /// encrypted, for as long as the key lives. Material that leaks (through a misused
    /// grant or a compromised workload that cached data keys) stays valid forever, and
    /// nothing in the code says who owns renewing it. Automatic rotation renews it every year
    /// at no cost and without re-encrypting data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "application data"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description         = "application data"
    ///   enable_key_rotation = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html>
    /// - Peer checks: Checkov `CKV_AWS_7` and Trivy `AVD-AWS-0065` are equivalent.
    pub(crate) KmsKeyRotationDisabled {
        id: "AWS-KMS-002",
        name: "kms-key-rotation-disabled",
        severity: Medium,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_7"],
            trivy: ["AVD-AWS-0065"],
            cwe: ["CWE-324"],
        },
    }
}

impl Rule for KmsKeyRotationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for key in &model.aws.kms.keys {
            match (key.supports_rotation(), key.rotation.get()) {
                (Some(false), _) | (_, Some(true)) => out.pass_at(key.meta.span),
                (None, _) | (_, None) => out.unknown(),
                (Some(true), Some(false)) => {
                    let how = if key.rotation.is_default() {
                        "leaves `enable_key_rotation` to its default `false`"
                    } else {
                        "sets `enable_key_rotation = false`"
                    };
                    out.report(
                        &key.meta,
                        key.rotation.span,
                        &key.rotation.via,
                        format!(
                            "key `{}` {how}, so its key material never rotates",
                            key.meta.address
                        ),
                    );
                }
            }
        }
    }
}
