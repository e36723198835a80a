use trustmap_model::Model;

use super::PRIVILEGED_TRIGGERS;
use super::gha_excessive_permissions::jobs_phrase;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A workflow with no top-level `permissions:` where at least one job has none either.
    ///
    /// Those jobs run with the repository's (or organisation's) default `GITHUB_TOKEN`
    /// permissions, which the workflow file does not show and which are read/write on every
    /// scope in repositories created before February 2023. Workflows only triggered by
    /// `workflow_call` pass (the caller decides), and privileged triggers are reported by
    /// `gha-excessive-permissions` instead.
    ///
    /// ## Why it matters
    ///
    /// Whether a compromised step — a hijacked action, a malicious dependency, an injected
    /// script — can push code, publish packages or rewrite releases then depends on a setting
    /// outside the repository, one that is permissive by default on older repositories and that
    /// nobody reviews with the workflow. Declaring the permissions makes the blast radius of
    /// each job explicit and reviewable.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: make test
    /// ```
    ///
    /// ## Fix
    ///
    /// ```yaml
    /// on: push
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: make test
    /// ```
    pub(crate) GhaPermissionsUnspecified {
        id: "GHA-004",
        name: "gha-permissions-unspecified",
        severity: Low,
        capability: Identity,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-1188"],
            zizmor: ["excessive-permissions"],
        },
    }
}

impl Rule for GhaPermissionsUnspecified {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            let only_called =
                !w.triggers.is_empty() && w.triggers.iter().all(|t| t.event == "workflow_call");
            let privileged = w
                .triggers
                .iter()
                .any(|t| PRIVILEGED_TRIGGERS.contains(&t.event.as_str()));
            if w.permissions.is_unknown() {
                out.unknown();
                continue;
            }
            let defaulted: Vec<&str> = w
                .jobs
                .iter()
                .filter(|j| j.permissions.is_default())
                .map(|j| j.id.as_str())
                .collect();
            if defaulted.is_empty() || only_called {
                out.pass_at(w.meta.span);
                continue;
            }
            if privileged {
                continue;
            }
            let message = format!(
                "no `permissions:` is set, so {} the repository's default token",
                jobs_phrase(&defaulted)
            );
            out.report(&w.meta, w.anchor, &[], message);
        }
    }
}
