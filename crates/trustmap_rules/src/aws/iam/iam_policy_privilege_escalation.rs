use trustmap_model::Model;
use trustmap_model::aws::policy::{PolicyDocument, Statement, iam_match, is_service_wildcard};

use super::{describe, documents, settle_at};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An identity policy that lets its holder grant itself more access, through IAM or by
    /// passing a role to compute it starts. Either of:
    ///
    /// - an IAM action that rewrites permissions or credentials on every resource
    ///   (`iam:AttachRolePolicy`, `iam:PutUserPolicy`, `iam:CreatePolicyVersion`,
    ///   `iam:UpdateAssumeRolePolicy`, `iam:UpdateLoginProfile`, ...), or
    /// - `iam:PassRole` on every resource together with an action that starts compute under a
    ///   passed role (`lambda:CreateFunction`, `ec2:RunInstances`, `ecs:RunTask`,
    ///   `cloudformation:CreateStack`, `glue:CreateDevEndpoint`, ...).
    ///
    /// Whole-service wildcards (`iam:*`) are reported by `iam-policy-wildcard-action`.
    ///
    /// ## Why it matters
    /// These are the well-known escalation paths: an attacker holding a modest CI or
    /// application credential attaches `AdministratorAccess` to it, publishes a new default
    /// version of its own policy, or creates a Lambda function that runs as the most powerful
    /// role in the account and returns its credentials. The policy looks limited; it is not.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "builder" {
    ///   statement {
    ///     actions   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    ///     resources = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Scope `iam:PassRole` to the roles the workload may hand out, for the service that
    /// receives them, and keep permission-changing IAM actions away from workloads:
    ///
    /// ```hcl
    /// data "aws_iam_policy_document" "builder" {
    ///   statement {
    ///     actions   = ["iam:PassRole"]
    ///     resources = [aws_iam_role.worker.arn]
    ///     condition {
    ///       test     = "StringEquals"
    ///       variable = "iam:PassedToService"
    ///       values   = ["lambda.amazonaws.com"]
    ///     }
    ///   }
    ///   statement {
    ///     actions   = ["lambda:CreateFunction", "lambda:InvokeFunction"]
    ///     resources = ["arn:aws:lambda:eu-west-1:111122223333:function:builder-*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>
    /// - <https://pathfinding.cloud/>
    /// - Peer checks: Checkov `CKV_AWS_110` and `CKV_AWS_286` overlap (one policy at a time like
    ///   ours, but with cloudsplaining's privilege-escalation list rather than ours).
    pub(crate) IamPolicyPrivilegeEscalation {
        id: "AWS-IAM-009",
        name: "iam-policy-privilege-escalation",
        severity: High,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_110", "CKV_AWS_286"],
            cwe: ["CWE-269"],
        },
    }
}

/// IAM actions that change the holder's own permissions or take over another identity.
const SELF_ESCALATION: &[&str] = &[
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:AddUserToGroup",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
];

/// Actions that start code under a role passed with `iam:PassRole`.
pub(super) const RUNS_PASSED_ROLE: &[&str] = &[
    "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration",
    "ec2:RunInstances",
    "ecs:RunTask",
    "ecs:StartTask",
    "ecs:CreateService",
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "glue:CreateDevEndpoint",
    "glue:CreateJob",
    "codebuild:CreateProject",
    "sagemaker:CreateNotebookInstance",
    "sagemaker:CreateTrainingJob",
    "datapipeline:CreatePipeline",
];

/// Whether the document allows `iam:PassRole` on every resource (`None`: cannot tell).
pub(super) fn passes_any_role(doc: &PolicyDocument) -> Option<bool> {
    let mut unknown = false;
    for st in doc.allows() {
        let grants = st.actions_matching("iam:PassRole").next().is_some();
        if grants && st.all_resources().is_some() {
            return Some(true);
        }
        unknown |= (grants && st.has_unknown_resources()) || st.has_unknown_actions();
    }
    if unknown { None } else { Some(false) }
}

fn matches(pattern: &str, actions: &[&'static str]) -> Vec<&'static str> {
    actions
        .iter()
        .copied()
        .filter(|a| iam_match(pattern, a))
        .collect()
}

/// Action patterns of a statement that this rule judges (wildcard services are not).
fn judged(st: &Statement) -> impl Iterator<Item = (&trustmap_model::Value<String>, &str)> {
    st.actions.iter().filter_map(|a| {
        let p = a.get()?;
        (!is_service_wildcard(p)).then_some((a, p.as_str()))
    })
}

impl Rule for IamPolicyPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (policy, doc) in documents(model, out) {
            let (mut found, mut unknown) = (false, false);
            let pass_role = passes_any_role(doc);
            unknown |= pass_role.is_none();
            for st in doc.allows() {
                let on_all = st.all_resources().is_some();
                for (action, pattern) in judged(st) {
                    let self_esc = if on_all {
                        matches(pattern, SELF_ESCALATION)
                    } else {
                        Vec::new()
                    };
                    let compute = if pass_role == Some(true) {
                        matches(pattern, RUNS_PASSED_ROLE)
                    } else {
                        Vec::new()
                    };
                    // Name the matched action when the pattern is a wildcard.
                    let which = |a: &str| {
                        if a.eq_ignore_ascii_case(pattern) {
                            String::new()
                        } else {
                            format!(" (`{a}`)")
                        }
                    };
                    let message = if let Some(first) = self_esc.first() {
                        format!(
                            "{} allows `{pattern}`{} on every resource, so its holder can grant itself any permission",
                            describe(model, policy),
                            which(first)
                        )
                    } else if let Some(first) = compute.first() {
                        format!(
                            "{} allows `{pattern}`{} with `iam:PassRole` on every resource, so its holder can run code as any role",
                            describe(model, policy),
                            which(first)
                        )
                    } else {
                        continue;
                    };
                    out.report(&policy.meta, action.span, &action.via, message);
                    found = true;
                }
            }
            settle_at(out, policy.meta.span, found, unknown);
        }
    }
}
