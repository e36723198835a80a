use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Secrets Manager secret with no rotation schedule: no
    /// `aws_secretsmanager_secret_rotation` for it (and, with provider versions before 5, no
    /// inline `rotation_lambda_arn` or `rotation_rules`).
    ///
    /// ## Why it matters
    /// A secret that never changes stays valid for every copy ever taken: the one in a
    /// developer's shell history, the one a departed contractor kept, the one a compromised
    /// workload read last year. Rotation bounds how long a leaked value is useful to an
    /// attacker and proves that the applications can survive a change, which is what an
    /// incident needs.
    ///
    /// Secrets that cannot be rotated automatically (a third party's API key) can be
    /// suppressed with a reason saying who rotates them and how often.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_secretsmanager_secret" "db" {
    ///   name = "prod/db/password"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_secretsmanager_secret_rotation" "db" {
    ///   secret_id           = aws_secretsmanager_secret.db.id
    ///   rotation_lambda_arn = aws_lambda_function.rotate_db.arn
    ///
    ///   rotation_rules {
    ///     automatically_after_days = 30
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html>
    /// - Peer checks: Checkov `CKV2_AWS_57` is equivalent; `CKV_AWS_304` is narrower (it
    ///   checks that a configured rotation runs at least every 90 days). Trivy has none.
    pub(crate) SecretsmanagerSecretWithoutRotation {
        id: "AWS-SECRETS-002",
        name: "secretsmanager-secret-without-rotation",
        severity: Low,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV2_AWS_57", "CKV_AWS_304"],
            cwe: ["CWE-262"],
        },
    }
}

impl Rule for SecretsmanagerSecretWithoutRotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let sm = &model.aws.secretsmanager;
        let mut rotated = vec![false; sm.secrets.len()];
        let mut unjoined = false;
        for r in &sm.rotations {
            match r.secret.target.and_then(|i| rotated.get_mut(i)) {
                Some(slot) => *slot = true,
                None => unjoined = true,
            }
        }
        for (secret, rotated) in sm.secrets.iter().zip(rotated) {
            if rotated {
                out.pass_at(secret.meta.span);
            } else if unjoined {
                // A rotation whose secret cannot be resolved may be this secret's.
                out.unknown();
            } else {
                out.report(
                    &secret.meta,
                    secret.meta.span,
                    &[],
                    format!(
                        "secret `{}` has no rotation schedule, so its value never changes",
                        secret.meta.address
                    ),
                );
            }
        }
    }
}
