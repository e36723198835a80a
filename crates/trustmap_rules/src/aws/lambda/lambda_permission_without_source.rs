use trustmap_model::Model;

use super::super::function_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `aws_lambda_permission` that lets any principal (`*`) invoke the function without a
    /// `principal_org_id`, `source_arn` or `source_account`, or lets an AWS service principal
    /// (`s3.amazonaws.com`, `sns.amazonaws.com`, `events.amazonaws.com`, ...) invoke it without
    /// `source_arn` or `source_account`.
    ///
    /// ## Why it matters
    /// A service principal alone means "that service, acting for *any* AWS account". An
    /// attacker points their own S3 bucket notification, SNS topic or EventBridge rule at your
    /// function's ARN and feeds it events they craft (the confused-deputy problem): your code
    /// runs with your role on their input. With `*`, anyone with any AWS account can invoke it
    /// directly.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_permission" "uploads" {
    ///   statement_id  = "AllowS3"
    ///   action        = "lambda:InvokeFunction"
    ///   function_name = aws_lambda_function.thumbnail.function_name
    ///   principal     = "s3.amazonaws.com"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the resource (and account) allowed to trigger it:
    ///
    /// ```hcl
    /// resource "aws_lambda_permission" "uploads" {
    ///   statement_id   = "AllowS3"
    ///   action         = "lambda:InvokeFunction"
    ///   function_name  = aws_lambda_function.thumbnail.function_name
    ///   principal      = "s3.amazonaws.com"
    ///   source_arn     = aws_s3_bucket.uploads.arn
    ///   source_account = data.aws_caller_identity.current.account_id
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html>
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>
    /// - Peer checks: Checkov `CKV_AWS_364` is narrower (AWS service principals only);
    ///   `CKV_AWS_301` is narrower (permissions open to the public only). Trivy `AVD-AWS-0067` is
    ///   broader (any permission without `source_arn`, even one with `source_account`).
    pub(crate) LambdaPermissionWithoutSource {
        id: "AWS-LAMBDA-003",
        name: "lambda-permission-without-source",
        severity: Medium,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_364", "CKV_AWS_301"],
            trivy: ["AVD-AWS-0067"],
            cwe: ["CWE-441"],
        },
    }
}

impl Rule for LambdaPermissionWithoutSource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.aws.lambda.permissions {
            let Some(principal) = p.principal.get() else {
                out.unknown();
                continue;
            };
            let function = function_label(model, &p.function);
            let message = if principal == "*" {
                let limits = [&p.principal_org_id, &p.source_arn, &p.source_account];
                if limits.iter().any(|v| v.is(Option::is_some)) {
                    out.pass_at(p.meta.span);
                    continue;
                }
                if limits.iter().any(|v| v.is_unknown()) {
                    out.unknown();
                    continue;
                }
                format!(
                    "permission lets any principal (`*`) invoke `{function}`, with no `principal_org_id`, `source_arn` or `source_account`"
                )
            } else if p.is_service_principal() == Some(true) {
                match (p.source_arn.get(), p.source_account.get()) {
                    (Some(Some(_)), _) | (_, Some(Some(_))) => {
                        out.pass_at(p.meta.span);
                        continue;
                    }
                    (None, _) | (_, None) => {
                        out.unknown();
                        continue;
                    }
                    (Some(None), Some(None)) => format!(
                        "permission lets `{principal}` invoke `{function}` on behalf of any account, with no `source_arn` or `source_account`"
                    ),
                }
            } else {
                out.pass_at(p.meta.span);
                continue;
            };
            out.report(&p.meta, p.principal.span, &p.principal.via, message);
        }
    }
}
