use trustmap_model::Model;

use super::super::function_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `aws_lambda_function_url` with `authorization_type = "NONE"`: a public HTTPS
    /// endpoint that invokes the function for any caller.
    ///
    /// ## Why it matters
    /// Function URLs are easy to find (certificate transparency does not list them, but
    /// browser histories, front-end bundles and logs do) and nothing stands in front of them:
    /// no WAF, no throttling per client, no authentication. An attacker calls the function
    /// directly, with whatever the execution role can reach, and runs up your bill. The
    /// function's own code becomes the only access control.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function_url" "api" {
    ///   function_name      = aws_lambda_function.api.function_name
    ///   authorization_type = "NONE"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Require SigV4-signed requests, and put API Gateway or CloudFront with authentication in
    /// front when the endpoint must serve browsers:
    ///
    /// ```hcl
    /// resource "aws_lambda_function_url" "api" {
    ///   function_name      = aws_lambda_function.api.function_name
    ///   authorization_type = "AWS_IAM"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
    /// - Peer checks: Checkov `CKV_AWS_258` is equivalent (function URL `AuthType` `NONE`).
    pub(crate) LambdaFunctionUrlWithoutAuth {
        id: "AWS-LAMBDA-001",
        name: "lambda-function-url-without-auth",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation, Serverless],
        equivalents: {
            checkov: ["CKV_AWS_258"],
            cwe: ["CWE-306"],
        },
    }
}

impl Rule for LambdaFunctionUrlWithoutAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for url in &model.aws.lambda.urls {
            let auth = &url.authorization_type;
            match auth.get().map(String::as_str) {
                None => out.unknown(),
                Some("NONE") => {
                    out.report(
                        &url.meta,
                        auth.span,
                        &auth.via,
                        format!(
                            "function URL of `{}` has `authorization_type` `NONE`, so anyone on the internet can invoke it",
                            function_label(model, &url.function)
                        ),
                    );
                }
                Some(_) => out.pass_at(url.meta.span),
            }
        }
    }
}
