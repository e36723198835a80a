use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Lambda function invoked asynchronously by an AWS service (an `aws_lambda_permission`
    /// for S3, SNS, EventBridge, EventBridge Scheduler, SES, IoT, CloudWatch Logs, Config,
    /// CodeCommit or CloudFormation) that has neither a `dead_letter_config` nor an
    /// `aws_lambda_function_event_invoke_config` with an `on_failure` destination.
    ///
    /// ## Why it matters
    /// Asynchronous events that still fail after Lambda's retries are dropped silently. An
    /// attacker who can make processing fail (a malformed upload, a poisoned message, a
    /// dependency they can slow down) makes events disappear: a fraud check that never ran,
    /// an audit record that was never written, with no trace that anything was lost. A
    /// failure destination keeps every failed event for inspection and replay.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_permission" "uploads" {
    ///   action         = "lambda:InvokeFunction"
    ///   function_name  = aws_lambda_function.scan.function_name
    ///   principal      = "s3.amazonaws.com"
    ///   source_arn     = aws_s3_bucket.uploads.arn
    ///   source_account = "111122223333"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_lambda_function_event_invoke_config" "scan" {
    ///   function_name = aws_lambda_function.scan.function_name
    ///   destination_config {
    ///     on_failure {
    ///       destination = aws_sqs_queue.scan_failures.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html>
    /// - Peer checks: Checkov `CKV_AWS_116` is broader (every function, and only
    ///   `dead_letter_config` counts). Trivy has none.
    pub(crate) LambdaAsyncWithoutFailureDestination {
        id: "AWS-LAMBDA-006",
        name: "lambda-async-without-failure-destination",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_116"],
            cwe: ["CWE-755"],
        },
    }
}

impl Rule for LambdaAsyncWithoutFailureDestination {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let lambda = &model.aws.lambda;
        let n = lambda.functions.len();
        // The first asynchronous invoker of each function, and whether an unknown one exists.
        let mut invoker = vec![None; n];
        for p in &lambda.permissions {
            if p.is_async_invoker() != Some(true) {
                continue;
            }
            if let Some(slot) = p.function.target.and_then(|i| invoker.get_mut(i)) {
                slot.get_or_insert(p);
            }
        }
        let mut destination = vec![Some(false); n];
        let mut unjoined = false;
        for c in &lambda.invoke_configs {
            let has = c.on_failure.get().map(Option::is_some);
            match c.function.target.and_then(|i| destination.get_mut(i)) {
                Some(slot) => {
                    *slot = match (*slot, has) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (None, _) | (_, None) => None,
                        _ => Some(false),
                    };
                }
                None => unjoined |= has != Some(false),
            }
        }
        for (i, f) in lambda.functions.iter().enumerate() {
            let Some(p) = invoker[i] else {
                continue;
            };
            let dlq = f.dead_letter_target.get().map(Option::is_some);
            match (dlq, destination[i]) {
                (Some(true), _) | (_, Some(true)) => out.pass_at(f.meta.span),
                (None, _) | (_, None) => out.unknown(),
                _ if unjoined => out.unknown(),
                (Some(false), Some(false)) => {
                    let service = p.principal.get().map_or("a service", String::as_str);
                    out.report(
                        &f.meta,
                        f.dead_letter_target.span,
                        &f.dead_letter_target.via,
                        format!(
                            "function `{}` is invoked asynchronously by `{service}` and has no dead-letter queue or on-failure destination, so events that keep failing are dropped",
                            f.meta.address
                        ),
                    )
                    .related
                    .push(crate::Related {
                        span: p.meta.span,
                        note: "asynchronous invoker".to_string(),
                    });
                }
            }
        }
    }
}
