use trustmap_model::Model;
use trustmap_model::gcp::iam::WorkloadIdentityProvider;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_iam_workload_identity_pool_provider` that trusts a CI service shared by
    /// everyone (GitHub Actions, `https://token.actions.githubusercontent.com`, or
    /// GitLab.com, `https://gitlab.com`) without an `attribute_condition` that pins whose
    /// tokens it accepts.
    ///
    /// The condition must test a claim that names the owner or the repository: for GitHub
    /// `assertion.repository`, `repository_owner`, `repository_id`, `repository_owner_id`,
    /// `enterprise` or `sub`; for GitLab `project_path`, `namespace_path`, `project_id`,
    /// `namespace_id` or `sub`. A custom attribute (`attribute.repo`) or `google.subject`
    /// counts when `attribute_mapping` maps it from one of those claims. The check is on
    /// the claims the condition reads, not on the comparison it makes.
    ///
    /// ## Why it matters
    /// GitHub and GitLab.com issue OIDC tokens to every pipeline of every customer. Without
    /// a condition, the pool accepts a token from any repository in the world, and only
    /// the IAM bindings on your service accounts decide what it can do. A binding to the
    /// whole pool (`principalSet://…/*`) or to an attribute an attacker controls (a
    /// workflow or branch name) then hands your service account to anyone who creates a
    /// repository and a workflow. Google recommends a condition on every provider of a
    /// multi-tenant issuer.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_iam_workload_identity_pool_provider" "github" {
    ///   workload_identity_pool_id          = google_iam_workload_identity_pool.ci.workload_identity_pool_id
    ///   workload_identity_pool_provider_id = "github"
    ///   attribute_mapping = {
    ///     "google.subject"       = "assertion.sub"
    ///     "attribute.repository" = "assertion.repository"
    ///   }
    ///   oidc {
    ///     issuer_uri = "https://token.actions.githubusercontent.com"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Accept only your organization's tokens (the numeric owner ID survives renames), and
    /// bind service accounts to specific repositories:
    ///
    /// ```hcl
    ///   attribute_condition = "assertion.repository_owner_id == '123456789'"
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines>
    /// - <https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect>
    pub(crate) GcpWorkloadIdentityProviderWithoutRepositoryCondition {
        id: "GCP-IAM-004",
        name: "gcp-workload-identity-provider-without-repository-condition",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_118", "CKV_GCP_125"],
            trivy: ["AVD-GCP-0068"],
            cwe: ["CWE-285"],
        },
    }
}

/// A multi-tenant CI issuer, with the name used in messages and the token claims that
/// identify the owner or repository.
struct Issuer {
    who: &'static str,
    claims: &'static [&'static str],
}

const GITHUB: Issuer = Issuer {
    who: "any GitHub repository",
    claims: &[
        "repository",
        "repository_owner",
        "repository_id",
        "repository_owner_id",
        "enterprise",
        "enterprise_id",
        "sub",
    ],
};

const GITLAB: Issuer = Issuer {
    who: "any GitLab.com project",
    claims: &[
        "project_path",
        "namespace_path",
        "project_id",
        "namespace_id",
        "sub",
    ],
};

fn issuer(uri: &str) -> Option<&'static Issuer> {
    let uri = uri.trim().trim_end_matches('/');
    let github = uri
        .strip_prefix("https://token.actions.githubusercontent.com")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if github {
        Some(&GITHUB)
    } else if uri == "https://gitlab.com" {
        Some(&GITLAB)
    } else {
        None
    }
}

/// Whether `text` reads `prefix.<name>` for one of `names` (as a whole identifier).
fn reads(text: &str, prefix: &str, names: &[&str]) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(prefix).any(|(i, _)| {
        let before_ok = text[..i].chars().next_back().is_none_or(|c| !is_ident(c));
        let rest = &text[i + prefix.len()..];
        let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        before_ok && names.contains(&name.as_str())
    })
}

/// Every `attribute.<x>` / `google.subject` the condition reads, as Google attribute names.
fn attributes_read(condition: &str) -> Vec<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for (i, _) in condition.match_indices("attribute.") {
        let name: String = condition[i + "attribute.".len()..]
            .chars()
            .take_while(|c| is_ident(*c))
            .collect();
        out.push(format!("attribute.{name}"));
    }
    if condition.contains("google.subject") {
        out.push("google.subject".to_string());
    }
    out
}

/// Whether the condition pins the owner or repository: `Some(true)` yes, `Some(false)` no,
/// `None` when a mapping it depends on is unknown.
fn pins_repository(p: &WorkloadIdentityProvider, condition: &str, iss: &Issuer) -> Option<bool> {
    if reads(condition, "assertion.", iss.claims) {
        return Some(true);
    }
    let mut unknown = false;
    for attribute in attributes_read(condition) {
        match p.mapping(&attribute).map(|m| m.get()) {
            Some(Some(expr)) if reads(expr, "assertion.", iss.claims) => return Some(true),
            Some(None) => unknown = true,
            _ => {}
        }
    }
    if unknown { None } else { Some(false) }
}

impl Rule for GcpWorkloadIdentityProviderWithoutRepositoryCondition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gcp.workload_identity_providers {
            let (Some(uri), Some(disabled)) = (p.issuer.get(), p.disabled.get()) else {
                out.unknown();
                continue;
            };
            // AWS, SAML and X.509 providers, and single-tenant issuers, are not targets.
            let Some(iss) = uri.as_deref().and_then(issuer) else {
                continue;
            };
            if *disabled {
                out.pass_at(p.meta.span);
                continue;
            }
            let uri = uri.as_deref().unwrap_or_default();
            match p.attribute_condition.get() {
                None => out.unknown(),
                Some(None) => {
                    out.report(
                        &p.meta,
                        p.issuer.span,
                        &p.issuer.via,
                        format!(
                            "provider `{}` trusts `{uri}` with no `attribute_condition`, so {} can federate into the pool",
                            p.meta.address, iss.who
                        ),
                    );
                }
                Some(Some(condition)) => match pins_repository(p, condition, iss) {
                    Some(true) => out.pass_at(p.meta.span),
                    None => out.unknown(),
                    Some(false) => {
                        let at = &p.attribute_condition;
                        out.report(
                            &p.meta,
                            at.span,
                            &at.via,
                            format!(
                                "provider `{}` trusts `{uri}` with an `attribute_condition` that names no owner or repository, so {} can federate into the pool",
                                p.meta.address, iss.who
                            ),
                        );
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_reads_are_whole_identifiers() {
        assert!(reads(
            "assertion.repository_owner_id == '42'",
            "assertion.",
            GITHUB.claims
        ));
        assert!(reads(
            "assertion.sub.startsWith('repo:acme/')",
            "assertion.",
            GITHUB.claims
        ));
        assert!(!reads(
            "assertion.ref == 'refs/heads/main'",
            "assertion.",
            GITHUB.claims
        ));
        assert!(!reads(
            "assertion.repository_visibility == 'private'",
            "assertion.",
            GITHUB.claims
        ));
        assert_eq!(
            attributes_read("attribute.repo == 'a/b' && google.subject != ''"),
            ["attribute.repo", "google.subject"]
        );
        assert!(issuer("https://token.actions.githubusercontent.com/").is_some());
        assert!(issuer("https://token.actions.githubusercontent.com/acme-enterprise").is_some());
        assert!(issuer("https://token.actions.githubusercontent.com.evil.test").is_none());
    }
}
