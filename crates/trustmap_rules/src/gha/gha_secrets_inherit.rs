use std::collections::BTreeSet;

use trustmap_model::Model;

use super::{UNTRUSTED_TRIGGERS, workflow_scalars};
use crate::{Related, Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A job that calls a reusable workflow with `secrets: inherit`.
    ///
    /// The finding is high when the called workflow lives in another repository, or when the
    /// calling workflow can be started by outsiders (`pull_request_target`, `issue_comment`,
    /// `workflow_run`, …); medium otherwise. For a workflow of the same repository the finding
    /// lists the secrets it actually reads.
    ///
    /// ## Why it matters
    ///
    /// `inherit` hands the called workflow every secret the caller can see — repository,
    /// environment-less organisation secrets, deployment keys for every target — not just the
    /// ones it needs. Whoever controls the called workflow (another team's repository, a tag
    /// that can move, a step that can be injected) gets all of them, and reviewers of the
    /// caller cannot tell which secrets leave.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     uses: platform/workflows/.github/workflows/deploy.yml@v2
    ///     secrets: inherit
    /// ```
    ///
    /// ## Fix
    ///
    /// Pass the secrets the called workflow declares, by name:
    ///
    /// ```yaml
    /// jobs:
    ///   deploy:
    ///     uses: platform/workflows/.github/workflows/deploy.yml@0123456789abcdef0123456789abcdef01234567
    ///     secrets:
    ///       DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
    /// ```
    pub(crate) GhaSecretsInherit {
        id: "GHA-010",
        name: "gha-secrets-inherit",
        severity: Medium,
        capability: Identity,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-272"],
            zizmor: ["secrets-inherit"],
        },
    }
}

impl Rule for GhaSecretsInherit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            let untrusted = w.effective_trigger(UNTRUSTED_TRIGGERS);
            for job in &w.jobs {
                let (Some(span), Some(u)) = (job.secrets_inherit, &job.uses) else {
                    if job.uses.is_some() {
                        out.pass_at(job.meta.span);
                    }
                    continue;
                };
                let target = u.text.as_str();
                let message = match (u.is_local(), untrusted) {
                    (_, Some(t)) => format!(
                        "`secrets: inherit` passes every secret to `{target}` in a workflow that `{}` can start",
                        t.event
                    ),
                    (false, None) => format!(
                        "`secrets: inherit` passes every secret to `{target}`, a workflow of another repository"
                    ),
                    (true, None) => format!("`secrets: inherit` passes every secret to `{target}`"),
                };
                let f = out.report(&job.meta, span, &[], message);
                if untrusted.is_some() || !u.is_local() {
                    f.severity = Severity::High;
                }
                let callee = u
                    .resolved
                    .as_ref()
                    .and_then(|p| model.workflows.iter().find(|x| &x.meta.address == p));
                if let Some(callee) = callee {
                    let used: BTreeSet<&str> = workflow_scalars(callee)
                        .into_iter()
                        .flat_map(|s| &s.expressions)
                        .flat_map(|e| &e.contexts)
                        .filter_map(|c| c.path.strip_prefix("secrets."))
                        .filter(|n| *n != "github_token")
                        .collect();
                    let note = if used.is_empty() {
                        "the called workflow reads no secret: drop `secrets:`".to_string()
                    } else {
                        let names: Vec<String> = used
                            .iter()
                            .map(|n| format!("`{}`", n.to_ascii_uppercase()))
                            .collect();
                        let them = if names.len() == 1 { "it" } else { "those" };
                        format!(
                            "the called workflow reads only {}: pass {them} by name",
                            names.join(", ")
                        )
                    };
                    f.related.push(Related {
                        span: callee.anchor,
                        note,
                    });
                }
            }
        }
    }
}
