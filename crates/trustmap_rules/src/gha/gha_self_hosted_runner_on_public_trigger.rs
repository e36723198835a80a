use trustmap_model::Model;

use super::trigger_origin;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A job on a `self-hosted` runner in a workflow that outsiders can trigger.
    ///
    /// The triggers are `pull_request`, `pull_request_target`, `pull_request_review`,
    /// `pull_request_review_comment` or `issue_comment`, also when they reach a reusable
    /// workflow of the same repository through the jobs that call it.
    ///
    /// ## Why it matters
    ///
    /// On `pull_request` the job runs the pull request's code — anyone's, in a public
    /// repository — on your machine; on the other triggers one injection or untrusted checkout
    /// does the same. Unlike GitHub-hosted runners, self-hosted ones are usually not wiped
    /// between jobs: the attacker installs a persistent implant that reads the secrets and
    /// tokens of every later job, and reaches whatever internal network the runner sits in.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: [self-hosted, linux]
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: make test
    /// ```
    ///
    /// ## Fix
    ///
    /// Run jobs reachable from pull requests on GitHub-hosted (or ephemeral, single-use)
    /// runners, and keep self-hosted runners for trusted events such as `push` to protected
    /// branches:
    ///
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: make test
    /// ```
    pub(crate) GhaSelfHostedRunnerOnPublicTrigger {
        id: "GHA-006",
        name: "gha-self-hosted-runner-on-public-trigger",
        severity: High,
        capability: Design,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-668"],
            zizmor: ["self-hosted-runner"],
            poutine: ["pr_runs_on_self_hosted"],
        },
    }
}

const PUBLIC_TRIGGERS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
];

impl Rule for GhaSelfHostedRunnerOnPublicTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            let Some(trigger) = w.effective_trigger(PUBLIC_TRIGGERS) else {
                continue;
            };
            let origin = trigger_origin(w, &trigger.event);
            for job in &w.jobs {
                let label = job
                    .runs_on
                    .iter()
                    .find(|l| l.value.eq_ignore_ascii_case("self-hosted"));
                match label {
                    Some(l) => {
                        let message = format!(
                            "job `{}` runs on a `self-hosted` runner in a workflow triggered by `{}`",
                            job.id, trigger.event
                        );
                        let f = out.report(&job.meta, l.span, &[], message);
                        if let Some(c) = origin {
                            f.related.push(Related {
                                span: c.uses_span,
                                note: format!(
                                    "called from `{}` on `{}` here",
                                    c.job, trigger.event
                                ),
                            });
                        }
                    }
                    None if job.runs_on.iter().any(|l| !l.expressions.is_empty()) => out.unknown(),
                    None => out.pass_at(job.meta.span),
                }
            }
        }
    }
}
