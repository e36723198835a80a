use trustmap_model::Model;

use super::entry_points::entry_points;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Lambda function that unauthenticated callers can invoke (through a function URL with
    /// `authorization_type = "NONE"` or an API Gateway route without authorization) and whose
    /// `reserved_concurrent_executions` is left out (or `-1`): it draws from the account's
    /// shared concurrency pool with no limit of its own.
    ///
    /// Functions without a public entry point are not judged: a concurrency limit on every
    /// internal function is operational tuning, not a security control.
    ///
    /// ## Why it matters
    /// Anyone can call the function as fast as they can send requests. Without a reserved
    /// limit, a flood scales it up to the account's whole concurrency quota (1,000 by
    /// default, shared by every function in the region), so the attack takes down unrelated
    /// functions (payments, authentication) with throttling and runs up the bill: denial of
    /// service and denial of wallet through one endpoint.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "search" {
    ///   function_name = "search"
    ///   role          = aws_iam_role.search.arn
    ///   runtime       = "python3.12"
    ///   handler       = "app.handler"
    ///   filename      = "search.zip"
    /// }
    ///
    /// resource "aws_lambda_function_url" "search" {
    ///   function_name      = aws_lambda_function.search.function_name
    ///   authorization_type = "NONE"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Cap what the public entry point can consume (and put throttling on the API in front):
    ///
    /// ```hcl
    /// resource "aws_lambda_function" "search" {
    ///   function_name                  = "search"
    ///   role                           = aws_iam_role.search.arn
    ///   runtime                        = "python3.12"
    ///   handler                        = "app.handler"
    ///   filename                       = "search.zip"
    ///   reserved_concurrent_executions = 50
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html>
    /// - Peer checks: Checkov `CKV_AWS_115` is broader (every function). Trivy has none.
    pub(crate) LambdaPublicWithoutReservedConcurrency {
        id: "AWS-LAMBDA-004",
        name: "lambda-public-without-reserved-concurrency",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_115"],
            cwe: ["CWE-770"],
        },
    }
}

impl Rule for LambdaPublicWithoutReservedConcurrency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let entries = entry_points(model);
        for (f, entries) in model.aws.lambda.functions.iter().zip(entries) {
            let Some(public) = entries.iter().find(|e| e.unauthenticated) else {
                continue;
            };
            match f.reserved_concurrency.get() {
                None => out.unknown(),
                Some(n) if *n >= 0 => out.pass_at(f.meta.span),
                Some(_) => {
                    let how = if f.reserved_concurrency.is_default() {
                        "has no `reserved_concurrent_executions`"
                    } else {
                        "sets `reserved_concurrent_executions = -1`"
                    };
                    out.report(
                        &f.meta,
                        f.reserved_concurrency.span,
                        &f.reserved_concurrency.via,
                        format!(
                            "function `{}` is invoked without authentication through {} and {how}, so a request flood can exhaust the account's concurrency",
                            f.meta.address, public.label
                        ),
                    );
                }
            }
        }
    }
}
