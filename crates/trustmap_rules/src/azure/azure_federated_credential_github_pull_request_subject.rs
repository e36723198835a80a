use trustmap_model::Model;
use trustmap_model::azure::authorization::is_github_actions_issuer;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A federated identity credential (`azurerm_federated_identity_credential` for a
    /// user-assigned managed identity, or `azuread_application_federated_identity_credential`
    /// for an app registration) that trusts GitHub Actions
    /// (`issuer = "https://token.actions.githubusercontent.com"`) with a pull-request
    /// subject, `repo:<owner>/<repo>:pull_request`.
    ///
    /// Azure matches the subject exactly (no wildcards), so the repository is always pinned;
    /// the question is which runs of it get the identity. `pull_request` matches every
    /// workflow run triggered by any pull request, whatever branch it comes from and before
    /// anyone reviews it. The narrowest subject is a deployment environment
    /// (`repo:<owner>/<repo>:environment:<name>`), which GitHub can protect with required
    /// reviewers and branch rules; a protected branch (`…:ref:refs/heads/main`) comes next.
    ///
    /// ## Why it matters
    /// Whoever can open a pull request that runs a workflow with `id-token: write` (any
    /// collaborator, and outside contributors on workflows triggered by
    /// `pull_request_target` or approved to run) can change the workflow in their branch and
    /// exchange the token for the identity's Azure access, before review. Code review stops
    /// being a control over what runs in Azure.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_federated_identity_credential" "github" {
    ///   name                      = "github"
    ///   user_assigned_identity_id = azurerm_user_assigned_identity.deploy.id # `parent_id` before 5.0
    ///   audience                  = ["api://AzureADTokenExchange"]
    ///   issuer                    = "https://token.actions.githubusercontent.com"
    ///   subject                   = "repo:acme/api:pull_request"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Trust a protected deployment environment; give pull-request workflows a separate
    /// identity with read-only access if they need Azure at all:
    ///
    /// ```hcl
    ///   subject = "repo:acme/api:environment:production"
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/entra/workload-id/workload-identity-federation>
    /// - <https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims>
    pub(crate) AzureFederatedCredentialGithubPullRequestSubject {
        id: "AZU-IAM-003",
        name: "azure-federated-credential-github-pull-request-subject",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_249"],
            cwe: ["CWE-285"],
        },
    }
}

impl Rule for AzureFederatedCredentialGithubPullRequestSubject {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for c in &model.azure.federated_credentials {
            let Some(issuer) = c.issuer.get() else {
                out.unknown();
                continue;
            };
            if !is_github_actions_issuer(issuer) {
                continue;
            }
            let Some(subject) = c.subject.get() else {
                out.unknown();
                continue;
            };
            let Some(repo) = subject
                .trim()
                .strip_suffix(":pull_request")
                .and_then(|s| s.strip_prefix("repo:"))
            else {
                out.pass_at(c.meta.span);
                continue;
            };
            out.report(
                &c.meta,
                c.subject.span,
                &c.subject.via,
                format!(
                    "federated credential `{}` gives its identity to any pull-request run of `{repo}`, before review",
                    c.meta.address
                ),
            );
        }
    }
}
