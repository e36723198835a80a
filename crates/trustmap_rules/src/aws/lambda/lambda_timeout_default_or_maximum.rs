use trustmap_model::Model;
use trustmap_model::aws::lambda::{DEFAULT_TIMEOUT, MAX_TIMEOUT};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Lambda function whose `timeout` is left out (the default is 3 seconds) or set to the
    /// 900-second maximum.
    ///
    /// ## Why it matters
    /// A timeout is a decision about failure. Left at 3 seconds, a slow dependency makes
    /// invocations fail half-way, and asynchronous events are retried on top of partial side
    /// effects (a payment captured twice, a message sent twice). Set to the maximum, a hung
    /// downstream call or a deliberately slow request holds each instance for 15 minutes,
    /// which lets a small number of requests tie up concurrency and cost far beyond what the
    /// work needs. Either way, nobody chose how the function fails.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "export" {
    ///   function_name = "export"
    ///   role          = aws_iam_role.export.arn
    ///   runtime       = "nodejs20.x"
    ///   handler       = "index.handler"
    ///   filename      = "export.zip"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Set the timeout to what the work needs, a little above the downstream timeouts the code
    /// uses:
    ///
    /// ```hcl
    /// resource "aws_lambda_function" "export" {
    ///   function_name = "export"
    ///   role          = aws_iam_role.export.arn
    ///   runtime       = "nodejs20.x"
    ///   handler       = "index.handler"
    ///   filename      = "export.zip"
    ///   timeout       = 30
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html>
    /// - Peer checks: neither Checkov nor Trivy has an equivalent.
    pub(crate) LambdaTimeoutDefaultOrMaximum {
        id: "AWS-LAMBDA-005",
        name: "lambda-timeout-default-or-maximum",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            cwe: ["CWE-400"],
        },
    }
}

impl Rule for LambdaTimeoutDefaultOrMaximum {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for f in &model.aws.lambda.functions {
            let t = &f.timeout;
            let how = match t.get() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(_) if t.is_default() => format!(
                    "leaves `timeout` to the {DEFAULT_TIMEOUT}-second default, so a slow dependency fails invocations half-way"
                ),
                Some(&s) if s >= MAX_TIMEOUT => format!(
                    "sets `timeout = {s}`, the maximum, so a hung call holds an instance for 15 minutes"
                ),
                Some(_) => {
                    out.pass_at(f.meta.span);
                    continue;
                }
            };
            out.report(
                &f.meta,
                t.span,
                &t.via,
                format!("function `{}` {how}", f.meta.address),
            );
        }
    }
}
