use trustmap_model::gha::{Permissions, Workflow};
use trustmap_model::{Model, State};

use super::PRIVILEGED_TRIGGERS;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `GITHUB_TOKEN` granted everything, or left to the repository default on a trigger
    /// outsiders can start.
    ///
    /// That is `permissions: write-all`, at the workflow or at a job; and a workflow triggered
    /// by `pull_request_target`, `workflow_run` or `issue_comment` that sets no workflow-level
    /// `permissions:` while some job sets none either, so those jobs get the repository's
    /// default token — read/write on every scope for repositories created before February 2023
    /// and organisations that kept that default.
    ///
    /// ## Why it matters
    ///
    /// The `GITHUB_TOKEN` is the first thing an attacker takes from a compromised step (an
    /// injected script, a malicious action or dependency). With write access to contents,
    /// packages, actions and pull requests it pushes a backdoor to the default branch,
    /// publishes a poisoned release or package, or approves its own pull request. The
    /// privileged triggers above are the ones outsiders can start, so there the default is most
    /// dangerous.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// on: pull_request_target
    /// permissions: write-all
    /// jobs:
    ///   label:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/labeler@v5
    /// ```
    ///
    /// ## Fix
    ///
    /// Grant nothing at the top and, per job, only the scopes it uses:
    ///
    /// ```yaml
    /// on: pull_request_target
    /// permissions: {}
    /// jobs:
    ///   label:
    ///     runs-on: ubuntu-latest
    ///     permissions:
    ///       contents: read
    ///       pull-requests: write
    ///     steps:
    ///       - uses: actions/labeler@v5
    /// ```
    pub(crate) GhaExcessivePermissions {
        id: "GHA-003",
        name: "gha-excessive-permissions",
        severity: High,
        capability: Identity,
        languages: [GithubActions],
        equivalents: {
            checkov: ["CKV2_GHA_1"],
            cwe: ["CWE-250"],
            zizmor: ["excessive-permissions"],
            poutine: ["default_permissions_on_risky_events"],
        },
    }
}

impl Rule for GhaExcessivePermissions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            match &w.permissions.state {
                State::Explicit(Permissions::WriteAll) => {
                    let message = "the workflow grants `write-all` to every job's `GITHUB_TOKEN`";
                    out.report(&w.meta, w.permissions.span, &w.permissions.via, message);
                }
                State::Default(_) => default_on_privileged_trigger(w, out),
                State::Explicit(_) => out.pass_at(w.meta.span),
                State::Unknown => out.unknown(),
            }
            for job in w.jobs.iter().filter(|j| !j.permissions_inherited) {
                if matches!(
                    job.permissions.state,
                    State::Explicit(Permissions::WriteAll)
                ) {
                    let message =
                        format!("job `{}` grants `write-all` to its `GITHUB_TOKEN`", job.id);
                    out.report(
                        &job.meta,
                        job.permissions.span,
                        &job.permissions.via,
                        message,
                    );
                } else {
                    out.pass_at(job.meta.span);
                }
            }
        }
    }
}

/// No workflow `permissions:` on a privileged trigger, with jobs left on the default.
fn default_on_privileged_trigger(w: &Workflow, out: &mut Sink) {
    let defaulted: Vec<&str> = w
        .jobs
        .iter()
        .filter(|j| j.permissions.is_default())
        .map(|j| j.id.as_str())
        .collect();
    let trigger = w
        .triggers
        .iter()
        .find(|t| PRIVILEGED_TRIGGERS.contains(&t.event.as_str()));
    match trigger {
        Some(t) if !defaulted.is_empty() => {
            let message = format!(
                "the `{}` workflow sets no `permissions:`, so {} the repository's default token",
                t.event,
                jobs_phrase(&defaulted)
            );
            out.report(&w.meta, t.span, &[], message);
        }
        _ => out.pass_at(w.meta.span),
    }
}

/// "job `a` gets" / "jobs `a`, `b` get".
pub(crate) fn jobs_phrase(ids: &[&str]) -> String {
    let list = ids
        .iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() == 1 {
        format!("job {list} gets")
    } else {
        format!("jobs {list} get")
    }
}
