use trustmap_model::Model;

use crate::plaintext_secret::plaintext_secret;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Lambda environment variable that holds a secret written in the code.
    ///
    /// That is a variable whose name says it holds a secret (`DB_PASSWORD`, `API_KEY`,
    /// `STRIPE_SECRET`, `GITHUB_TOKEN`, ...) and whose value is written in the code, directly
    /// or through a variable default or a `.tfvars` file; or any value that is a URL with a
    /// password in it (`postgres://app:hunter2@db/prod`). Names that point at a secret rather
    /// than hold one (`*_ARN`, `*_NAME`, `*_ID`, `*_PARAMETER`, ...), values that are ARNs, and
    /// values the scan cannot know (references, variables without a value) are not reported.
    ///
    /// ## Why it matters
    /// The secret is now in the repository history, in every clone and fork, in the Terraform
    /// state, and in the function's configuration, readable by anyone with
    /// `lambda:GetFunctionConfiguration` (a permission many read-only and CI roles have). An
    /// attacker who gets any of these gets the database or third-party account behind it, and
    /// rotating it means a code change.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "worker" {
    ///   function_name = "worker"
    ///   role          = aws_iam_role.worker.arn
    ///   environment {
    ///     variables = {
    ///       DB_PASSWORD = "s3cr3t-Passw0rd"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep the secret in Secrets Manager (or SSM Parameter Store) and pass its ARN; the
    /// function reads it at start-up with a role scoped to that one secret:
    ///
    /// ```hcl
    /// resource "aws_lambda_function" "worker" {
    ///   function_name = "worker"
    ///   role          = aws_iam_role.worker.arn
    ///   environment {
    ///     variables = {
    ///       DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html>
    /// - Peer checks: Checkov `CKV_AWS_45` is equivalent (hard-coded secrets in the Lambda
    ///   environment). Trivy has none.
    pub(crate) LambdaEnvPlaintextSecret {
        id: "AWS-LAMBDA-002",
        name: "lambda-env-plaintext-secret",
        severity: High,
        capability: Iac,
        languages: [Terraform, CloudFormation, Serverless],
        equivalents: {
            checkov: ["CKV_AWS_45"],
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for LambdaEnvPlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for f in &model.aws.lambda.functions {
            let Some(vars) = f.environment.get() else {
                out.unknown();
                continue;
            };
            let (mut found, mut unknown) = (false, false);
            for var in vars {
                let Some(value) = var.value.get() else {
                    unknown = true;
                    continue;
                };
                let Some(why) = plaintext_secret(&var.name, value) else {
                    continue;
                };
                out.report(
                    &f.meta,
                    var.value.span,
                    &var.value.via,
                    format!(
                        "environment variable `{}` of `{}` {why}",
                        var.name, f.meta.address
                    ),
                )
                .redact(var.value.span);
                found = true;
            }
            if !found {
                if unknown {
                    out.unknown()
                } else {
                    out.pass_at(f.meta.span)
                }
            }
        }
    }
}
