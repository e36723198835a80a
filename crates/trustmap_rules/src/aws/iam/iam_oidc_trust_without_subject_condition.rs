use trustmap_model::aws::policy::{Condition, Statement};
use trustmap_model::{Model, Value};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A role trust policy that lets tokens from an OIDC provider (GitHub Actions, GitLab, an
    /// EKS cluster, ...) assume the role without pinning the token's subject.
    ///
    /// That is `sts:AssumeRoleWithWebIdentity` for a `Federated` principal
    /// (`token.actions.githubusercontent.com`, a GitLab or EKS issuer, ...) with no `:sub`
    /// condition, or with a `StringLike` `:sub` pattern whose owner part is a wildcard (`*`,
    /// `repo:*`, `repo:*/app:*`, `repo:acme*/app:*`). The `aud` condition alone does not help:
    /// for GitHub every token has the same audience.
    ///
    /// ## Why it matters
    /// GitHub, GitLab and other CI providers issue tokens to *every* customer's pipelines, and
    /// the subject is the only claim that says whose. Without it, an attacker creates a free
    /// repository, adds a workflow with `id-token: write`, and assumes your role from it: no
    /// secret to steal, no trace in your repositories. A wildcard owner is the same: anyone
    /// can register an organization that matches `acme*`.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "deploy_trust" {
    ///   statement {
    ///     actions = ["sts:AssumeRoleWithWebIdentity"]
    ///     principals {
    ///       type        = "Federated"
    ///       identifiers = [aws_iam_openid_connect_provider.github.arn]
    ///     }
    ///     condition {
    ///       test     = "StringEquals"
    ///       variable = "token.actions.githubusercontent.com:aud"
    ///       values   = ["sts.amazonaws.com"]
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Pin the subject to your repository, and to the branch or environment that deploys:
    ///
    /// ```hcl
    ///     condition {
    ///       test     = "StringEquals"
    ///       variable = "token.actions.githubusercontent.com:sub"
    ///       values   = ["repo:acme/api:environment:production"]
    ///     }
    /// ```
    ///
    /// ## References
    /// - <https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services>
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>
    /// - Peer checks: Checkov `CKV_AWS_358` and `CKV_AWS_393` overlap (GitHub Actions only,
    ///   Terraform only, and they also judge claim order; `CKV_AWS_358` reads only
    ///   `aws_iam_policy_document` data sources, `CKV_AWS_393` the role's own trust policy). Trivy
    ///   has none.
    pub(crate) IamOidcTrustWithoutSubjectCondition {
        id: "AWS-IAM-004",
        name: "iam-oidc-trust-without-subject-condition",
        severity: Critical,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_358", "CKV_AWS_393"],
            cwe: ["CWE-285"],
        },
    }
}

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// What a statement's `:sub` conditions say about who may assume.
enum Subject<'a> {
    /// Some `:sub` condition pins the subject.
    Scoped,
    /// No positive `:sub` condition at all.
    Missing,
    /// The `:sub` conditions all admit a pattern that matches any owner; the first one.
    AnyOwner(&'a Value<String>),
    Unknown,
}

/// The owner part of a subject: before the first `/` (`repo:acme` of `repo:acme/api:ref:...`),
/// or the claim name and first field when there is no `/`.
fn owner_part(value: &str) -> &str {
    match value.find('/') {
        Some(i) => &value[..i],
        None => match value.match_indices(':').nth(1) {
            Some((i, _)) => &value[..i],
            None => value,
        },
    }
}

fn matches_any_owner(value: &str) -> bool {
    owner_part(value).contains(['*', '?'])
}

/// Whether one positive `:sub` test pins the subject.
fn sub_condition(c: &Condition) -> Option<Result<(), &Value<String>>> {
    let like = c.is_like()?;
    let mut unknown = false;
    for v in &c.values {
        match v.get() {
            Some(s) if like && matches_any_owner(s) => return Some(Err(v)),
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown || c.values.is_empty() {
        None
    } else {
        Some(Ok(()))
    }
}

fn subject<'a>(st: &'a Statement, host: Option<&str>) -> Subject<'a> {
    let mut unknown = false;
    let mut any_owner = None;
    for c in &st.conditions {
        let Some(key) = c.key.get() else {
            unknown = true;
            continue;
        };
        let is_sub = match host {
            Some(h) => key.eq_ignore_ascii_case(&format!("{h}:sub")),
            None => key.to_ascii_lowercase().ends_with(":sub"),
        };
        if !is_sub {
            continue;
        }
        match c.is_negated() {
            Some(false) => {}
            Some(true) => continue,
            None => {
                unknown = true;
                continue;
            }
        }
        match sub_condition(c) {
            Some(Ok(())) => return Subject::Scoped,
            Some(Err(v)) => any_owner = any_owner.or(Some(v)),
            None => unknown = true,
        }
    }
    match (unknown, any_owner) {
        (true, _) => Subject::Unknown,
        (false, Some(v)) => Subject::AnyOwner(v),
        (false, None) => Subject::Missing,
    }
}

impl Rule for IamOidcTrustWithoutSubjectCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for role in &model.aws.iam.roles {
            let Some(doc) = role.trust.get() else {
                out.unknown();
                continue;
            };
            let (mut found, mut unknown, mut federated) = (false, false, false);
            for st in doc.allows() {
                let web_identity = st.actions_matching(WEB_IDENTITY).next().is_some();
                if !web_identity {
                    unknown |= st.has_unknown_actions();
                    continue;
                }
                for p in &st.principals {
                    let Some(host) = p.oidc_host() else {
                        continue;
                    };
                    federated = true;
                    let host_name = host.get().map(String::as_str);
                    let issuer = host_name.unwrap_or("its OIDC provider");
                    let who = if host_name == Some("token.actions.githubusercontent.com") {
                        "a workflow in any GitHub repository"
                    } else {
                        "any identity the provider issues tokens to"
                    };
                    match subject(st, host_name) {
                        Subject::Scoped => {}
                        Subject::Unknown => unknown = true,
                        Subject::Missing => {
                            out.report(
                                &role.meta,
                                p.id.span,
                                &p.id.via,
                                format!(
                                    "role `{}` trusts `{issuer}` with no `:sub` condition, so {who} can assume it",
                                    role.meta.address
                                ),
                            );
                            found = true;
                        }
                        Subject::AnyOwner(v) => {
                            out.report(
                                &role.meta,
                                v.span,
                                &v.via,
                                format!(
                                    "role `{}` trusts `{issuer}` with `:sub` pattern `{}`, which matches any owner, so {who} can assume it",
                                    role.meta.address,
                                    v.get().map_or("", String::as_str)
                                ),
                            );
                            found = true;
                        }
                    }
                }
            }
            // Roles that trust no OIDC provider are not this rule's targets.
            if found || unknown || federated {
                super::settle_at(out, role.meta.span, found, unknown);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_wildcards() {
        assert!(matches_any_owner("*"));
        assert!(matches_any_owner("repo:*"));
        assert!(matches_any_owner("repo:*/api:*"));
        assert!(matches_any_owner("repo:acme*/api:ref:refs/heads/main"));
        assert!(!matches_any_owner("repo:acme/*"));
        assert!(!matches_any_owner("repo:acme/api:*"));
        assert!(!matches_any_owner(
            "project_path:group/*:ref_type:branch:ref:main"
        ));
        assert!(!matches_any_owner("repository_owner_id:42:*"));
    }
}
