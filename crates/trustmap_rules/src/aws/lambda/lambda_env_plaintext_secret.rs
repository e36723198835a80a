use std::sync::LazyLock;

use regex::Regex;
use trustmap_model::Model;

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
    pub(crate) LambdaEnvPlaintextSecret {
        id: "AWS-LAMBDA-002",
        name: "lambda-env-plaintext-secret",
        severity: High,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AWS_45"],
            cwe: ["CWE-798"],
        },
    }
}

/// Names that say the value is a credential.
static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(passw(or)?d|secret|token|api_?key|private_?key|access_?key|signing_?key|encryption_?key|credential|auth_?key|client_?key|conn(ection)?_?str(ing)?)",
    )
    .expect("valid regex")
});

/// Names that point at a secret instead of holding it, or describe one.
static REFERENCE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)_(arn|name|id|path|param|parameter|parameter_name|ref|url|uri|file|endpoint|region|ttl|expiry|expiration|length|header|type|enabled|version|location|key_id|secret_id)$",
    )
    .expect("valid regex")
});

/// `scheme://user:password@host`.
static URL_WITH_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@").expect("valid regex")
});

/// Values that are not secrets whatever the name: empty, ARNs, dynamic references.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.starts_with("arn:")
        || v.starts_with("{{resolve:")
        || v.starts_with("/aws/reference/")
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
                let named_secret =
                    SECRET_NAME.is_match(&var.name) && !REFERENCE_NAME.is_match(&var.name);
                let why = if URL_WITH_PASSWORD.is_match(value) {
                    "holds a URL with a password in it"
                } else if named_secret && !is_placeholder(value) {
                    "holds a literal secret"
                } else {
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
                );
                found = true;
            }
            if !found {
                if unknown { out.unknown() } else { out.pass() }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        let secret = |n: &str| SECRET_NAME.is_match(n) && !REFERENCE_NAME.is_match(n);
        assert!(secret("DB_PASSWORD"));
        assert!(secret("apiKey"));
        assert!(secret("STRIPE_SECRET"));
        assert!(secret("GITHUB_TOKEN"));
        assert!(!secret("DB_PASSWORD_SECRET_ARN"));
        assert!(!secret("TOKEN_URL"));
        assert!(!secret("KMS_KEY_ID"));
        assert!(!secret("LOG_LEVEL"));
        assert!(URL_WITH_PASSWORD.is_match("postgres://app:hunter2@db.internal/prod"));
        assert!(!URL_WITH_PASSWORD.is_match("https://example.com/a:b@c"));
    }
}
