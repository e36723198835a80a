use trustmap_model::Model;

use super::entry_points::entry_points;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Lambda function behind a function URL or an API Gateway route whose X-Ray
    /// `tracing_config.mode` is `PassThrough` or left out (the default is `PassThrough`).
    ///
    /// Functions without an entry point from outside are not judged: tracing matters most
    /// where untrusted requests enter.
    ///
    /// ## Why it matters
    /// When an attacker probes an API, traces show which requests reached which downstream
    /// calls (the database query, the S3 read, the third-party API) and how long each took.
    /// Without them, an investigation has access logs on one side and data-store logs on the
    /// other, and no way to join a suspicious request to what it actually did.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "orders" {
    ///   function_name = "orders"
    ///   role          = aws_iam_role.orders.arn
    ///   runtime       = "python3.12"
    ///   handler       = "app.handler"
    ///   filename      = "orders.zip"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_lambda_function" "orders" {
    ///   function_name = "orders"
    ///   role          = aws_iam_role.orders.arn
    ///   runtime       = "python3.12"
    ///   handler       = "app.handler"
    ///   filename      = "orders.zip"
    ///   tracing_config {
    ///     mode = "Active"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html>
    /// - Peer checks: Checkov `CKV_AWS_50` and Trivy `AVD-AWS-0066` are broader (every
    ///   function).
    pub(crate) LambdaTracingDisabled {
        id: "AWS-LAMBDA-007",
        name: "lambda-tracing-disabled",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_50"],
            trivy: ["AVD-AWS-0066"],
            cwe: ["CWE-778"],
        },
    }
}

impl Rule for LambdaTracingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let entries = entry_points(model);
        for (f, entries) in model.aws.lambda.functions.iter().zip(entries) {
            let Some(entry) = entries.first() else {
                continue;
            };
            match f.tracing_mode.get() {
                None => out.unknown(),
                Some(m) if m.eq_ignore_ascii_case("Active") => out.pass_at(f.meta.span),
                Some(m) => {
                    let how = if f.tracing_mode.is_default() {
                        "has no active X-Ray tracing".to_string()
                    } else {
                        format!("sets tracing `mode = \"{m}\"`")
                    };
                    out.report(
                        &f.meta,
                        f.tracing_mode.span,
                        &f.tracing_mode.via,
                        format!(
                            "function `{}` serves {} and {how}, so requests cannot be followed to what they did",
                            f.meta.address, entry.label
                        ),
                    );
                }
            }
        }
    }
}
