use trustmap_model::Model;
use trustmap_model::aws::policy::{is_any_action, is_service_wildcard};

use super::{describe, documents, settle_at};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows a whole service (`iam:*`, `s3:*`) or every
    /// action (`*`).
    ///
    /// A statement that allows `*` on every resource is reported by `iam-policy-full-admin`
    /// instead.
    ///
    /// ## Why it matters
    /// A service wildcard grants the dangerous actions along with the ones the workload needs,
    /// including actions AWS adds later. An attacker holding `iam:*` creates an access key for
    /// an administrator; with `s3:*` they rewrite bucket policies to publish data; with
    /// `kms:*` they schedule your keys for deletion.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "app" {
    ///   statement {
    ///     actions   = ["s3:*"]
    ///     resources = ["${aws_s3_bucket.uploads.arn}/*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// List the actions the workload calls:
    ///
    /// ```hcl
    /// data "aws_iam_policy_document" "app" {
    ///   statement {
    ///     actions   = ["s3:GetObject", "s3:PutObject"]
    ///     resources = ["${aws_s3_bucket.uploads.arn}/*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>
    /// - Peer checks: Checkov `CKV_AWS_49` and `CKV_AWS_63` overlap (they flag `"*"` as the action,
    ///   not service wildcards such as `s3:*`, and also `*` on `*`, which we report as
    ///   `iam-policy-full-admin`). Trivy `AVD-AWS-0057` is broader (any use of wildcards) and
    ///   deprecated.
    pub(crate) IamPolicyWildcardAction {
        id: "AWS-IAM-002",
        name: "iam-policy-wildcard-action",
        severity: High,
        capability: Identity,
        languages: [Terraform, CloudFormation, Serverless],
        equivalents: {
            checkov: ["CKV_AWS_49", "CKV_AWS_63"],
            trivy: ["AVD-AWS-0057"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for IamPolicyWildcardAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (policy, doc) in documents(model, out) {
            let (mut found, mut unknown) = (false, false);
            for st in doc.allows() {
                unknown |= st.has_unknown_actions();
                let on_everything = st.all_resources().is_some();
                for action in &st.actions {
                    let Some(pattern) = action.get() else {
                        continue;
                    };
                    if !is_service_wildcard(pattern) {
                        continue;
                    }
                    if is_any_action(pattern) {
                        // Every action on `*` is full admin, reported by AWS-IAM-001.
                        if on_everything {
                            continue;
                        }
                        if st.has_unknown_resources() {
                            unknown = true;
                            continue;
                        }
                    }
                    let what = match pattern.split_once(':') {
                        Some((svc, _)) if !is_any_action(pattern) => {
                            format!("every `{svc}` action")
                        }
                        _ => "every action of every service".to_string(),
                    };
                    out.report(
                        &policy.meta,
                        action.span,
                        &action.via,
                        format!("{} allows {what} (`{pattern}`)", describe(model, policy)),
                    );
                    found = true;
                }
            }
            settle_at(out, policy.meta.span, found, unknown);
        }
    }
}
