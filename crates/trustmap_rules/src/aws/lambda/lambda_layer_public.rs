use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `aws_lambda_layer_version_permission` that lets every AWS account use a layer
    /// version (`principal = "*"`) without limiting it to an `organization_id`.
    ///
    /// ## Why it matters
    /// Anyone who learns the layer's ARN can download its content with
    /// `lambda:GetLayerVersion`: your libraries, internal configuration and anything that
    /// should not have been packaged, such as credentials or private keys. Layers are also
    /// easy to find: their ARNs are sequential and appear in public templates and logs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_layer_version_permission" "shared" {
    ///   layer_name     = aws_lambda_layer_version.shared.layer_arn
    ///   version_number = aws_lambda_layer_version.shared.version
    ///   statement_id   = "everyone"
    ///   action         = "lambda:GetLayerVersion"
    ///   principal      = "*"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Share with your organization (or name the accounts):
    ///
    /// ```hcl
    /// resource "aws_lambda_layer_version_permission" "shared" {
    ///   layer_name      = aws_lambda_layer_version.shared.layer_arn
    ///   version_number  = aws_lambda_layer_version.shared.version
    ///   statement_id    = "organization"
    ///   action          = "lambda:GetLayerVersion"
    ///   principal       = "*"
    ///   organization_id = "o-a1b2c3d4e5"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html>
    /// - Peer checks: neither Checkov nor Trivy has an equivalent.
    pub(crate) LambdaLayerPublic {
        id: "AWS-LAMBDA-008",
        name: "lambda-layer-public",
        severity: Medium,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            cwe: ["CWE-732"],
        },
    }
}

impl Rule for LambdaLayerPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.aws.lambda.layer_permissions {
            match (p.principal.get(), p.organization_id.get()) {
                (Some(principal), _) if principal != "*" => out.pass_at(p.meta.span),
                (_, Some(Some(_))) => out.pass_at(p.meta.span),
                (None, _) | (_, None) => out.unknown(),
                (Some(_), Some(None)) => {
                    let layer = p.layer.label();
                    out.report(
                        &p.meta,
                        p.principal.span,
                        &p.principal.via,
                        format!(
                            "permission lets any AWS account (`*`) use layer `{layer}`, with no `organization_id`"
                        ),
                    );
                }
            }
        }
    }
}
