use trustmap_model::Model;
use trustmap_model::aws::policy::iam_match;

use super::super::list;
use super::{describe, documents, settle_at};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows an action which reads secrets or data, or acts
    /// as another identity, on every resource (`Resource: "*"`).
    ///
    /// The actions are `secretsmanager:GetSecretValue`, `ssm:GetParameter(s)`, `kms:Decrypt`,
    /// `iam:PassRole`, `sts:AssumeRole`, `s3:GetObject`, `s3:PutObject`, `iam:CreateAccessKey`
    /// and a few more; wildcards that cover them (`secretsmanager:*`, `s3:Get*`) count too. A
    /// statement that allows every action on `*` is reported by `iam-policy-full-admin`
    /// instead.
    ///
    /// ## Why it matters
    /// These actions are what an attacker looks for right after stealing credentials: with
    /// `secretsmanager:GetSecretValue` on `*` they dump every secret in the account, with
    /// `iam:PassRole` on `*` they hand the most powerful role to a function they create, with
    /// `sts:AssumeRole` on `*` they hop into every role that trusts the account. Scoping the
    /// resource turns one stolen credential into one secret instead of all of them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "app" {
    ///   role = aws_iam_role.app.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the resources:
    ///
    /// ```hcl
    /// resource "aws_iam_role_policy" "app" {
    ///   role = aws_iam_role.app.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = "secretsmanager:GetSecretValue"
    ///       Resource = aws_secretsmanager_secret.db.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>
    /// - Peer checks: Checkov `CKV_AWS_355` and `CKV_AWS_356` are broader (any restrictable action
    ///   on `*`, not only sensitive ones); `CKV_AWS_107` and `CKV_AWS_287` (credentials exposure)
    ///   and `CKV_AWS_108` and `CKV_AWS_288` (data exfiltration) overlap (cloudsplaining's action
    ///   lists for those categories, not ours). Trivy `AVD-AWS-0342` is narrower (`iam:PassRole`
    ///   only).
    pub(crate) IamPolicySensitiveActionOnAllResources {
        id: "AWS-IAM-003",
        name: "iam-policy-sensitive-action-on-all-resources",
        severity: High,
        capability: Identity,
        languages: [Terraform, CloudFormation, Serverless],
        equivalents: {
            checkov: ["CKV_AWS_355", "CKV_AWS_356", "CKV_AWS_107", "CKV_AWS_287", "CKV_AWS_108", "CKV_AWS_288"],
            trivy: ["AVD-AWS-0342"],
            cwe: ["CWE-269"],
        },
    }
}

/// Actions that expose secrets or data, or let the holder act as another identity.
const SENSITIVE: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "iam:PassRole",
    "sts:AssumeRole",
    "iam:CreateAccessKey",
    "s3:GetObject",
    "s3:PutObject",
    "dynamodb:Scan",
    "lambda:UpdateFunctionCode",
];

impl Rule for IamPolicySensitiveActionOnAllResources {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (policy, doc) in documents(model, out) {
            let (mut found, mut unknown) = (false, false);
            for st in doc.allows() {
                if st.any_action().is_some() {
                    continue;
                }
                let all = st.all_resources();
                if all.is_none() {
                    unknown |= st.has_unknown_resources();
                    continue;
                }
                unknown |= st.has_unknown_actions();
                for action in &st.actions {
                    let Some(pattern) = action.get() else {
                        continue;
                    };
                    let hits: Vec<String> = SENSITIVE
                        .iter()
                        .filter(|s| iam_match(pattern, s))
                        .map(|s| (*s).to_string())
                        .collect();
                    if hits.is_empty() {
                        continue;
                    }
                    let grants = if hits.len() == 1 && hits[0].eq_ignore_ascii_case(pattern) {
                        String::new()
                    } else {
                        format!(", which grants {},", list(&hits))
                    };
                    out.report(
                        &policy.meta,
                        action.span,
                        &action.via,
                        format!(
                            "{} allows `{pattern}`{grants} on every resource (`*`)",
                            describe(model, policy)
                        ),
                    );
                    found = true;
                }
            }
            settle_at(out, policy.meta.span, found, unknown);
        }
    }
}
