use trustmap_model::Model;
use trustmap_model::gitlab::{Job, Pipeline};
use trustmap_source::Span;

use super::{runnable, variable_refs};
use crate::gha::deploy_command;
use crate::plaintext_secret::is_secret_name;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A job that runs in merge request pipelines and holds deployment rights or secrets.
    ///
    /// The job runs for merge requests when a `rules:` clause tests `$CI_PIPELINE_SOURCE ==
    /// "merge_request_event"` (or `$CI_MERGE_REQUEST_IID`), when it has `only:
    /// [merge_requests]`, or when it has no conditions of its own and `workflow: rules:`
    /// creates merge request pipelines. It holds privileges when it deploys to an
    /// `environment:`, receives OIDC `id_tokens:`, reads `secrets:` from a vault, runs a
    /// deployment command (`kubectl apply`, `terraform apply`, `helm upgrade`, …), or expands
    /// a secret-looking CI/CD variable that the pipeline does not define (`$DEPLOY_TOKEN`,
    /// `$AWS_SECRET_ACCESS_KEY`: it comes from the project's settings).
    ///
    /// ## Why it matters
    ///
    /// A merge request pipeline runs the merge request's code: its scripts, its build files,
    /// its dependencies. When the project runs pipelines for fork merge requests in the parent
    /// project, or a developer's branch is compromised, that code runs with the job's
    /// deployment rights, its unprotected CI/CD variables and its OIDC tokens (whose claims
    /// say `ref_protected: false`, which cloud trust policies rarely check). One merge request
    /// then reaches production without review.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// deploy-preview:
    ///   rules:
    ///     - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    ///   environment: production
    ///   script:
    ///     - kubectl apply -f k8s/
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep merge request pipelines unprivileged, deploy only from protected branches, and
    /// mark the deployment variables protected:
    ///
    /// ```yaml
    /// deploy:
    ///   rules:
    ///     - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    ///   environment: production
    ///   script:
    ///     - kubectl apply -f k8s/
    /// ```
    pub(crate) GitlabMergeRequestPipelinePrivileged {
        id: "GLCI-001",
        name: "gitlab-merge-request-pipeline-privileged",
        severity: High,
        capability: Design,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-829", "CWE-269"],
        },
    }
}

impl Rule for GitlabMergeRequestPipelinePrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            for job in runnable(p) {
                let Some(mr) = p.merge_request_trigger(job) else {
                    continue;
                };
                let Some((span, what)) = privilege(p, job) else {
                    out.pass_at(job.meta.span);
                    continue;
                };
                let message = format!(
                    "job `{}` runs the merge request's code in merge request pipelines and {what}",
                    job.name
                );
                let f = out.report(&job.meta, job.name_span, &[], message);
                f.related.push(Related {
                    span: mr,
                    note: "merge request pipelines run the job because of this".to_string(),
                });
                f.related.push(Related {
                    span,
                    note: "the privilege is granted here".to_string(),
                });
            }
        }
    }
}

/// The first privilege a job holds: its span and a verb phrase.
fn privilege(p: &Pipeline, job: &Job) -> Option<(Span, String)> {
    if job.deploys()
        && let Some(e) = &job.environment
    {
        return Some((
            e.name.span,
            format!("deploys to environment `{}`", e.name.value),
        ));
    }
    if let Some(t) = job.id_tokens.first() {
        return Some((t.name_span, format!("receives the OIDC token `{}`", t.name)));
    }
    if let Some(s) = job.secrets.first() {
        return Some((s.span, format!("reads the secret `{}`", s.value)));
    }
    for (_, line) in job.script_lines() {
        for c in line.script.commands() {
            if let Some(what) = deploy_command(c) {
                return Some((c.span, format!("runs `{what}`")));
            }
            for w in &c.words {
                let project_secret = variable_refs(&w.text).into_iter().find(|v| {
                    !v.starts_with("CI_")
                        && !v.starts_with("GITLAB_")
                        && is_secret_name(v)
                        && p.variable(job, v).is_none()
                });
                if let Some(v) = project_secret {
                    return Some((w.span, format!("expands the CI/CD variable `${v}`")));
                }
            }
        }
    }
    None
}
