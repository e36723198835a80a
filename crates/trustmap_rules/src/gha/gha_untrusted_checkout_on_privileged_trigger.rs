use trustmap_model::Model;
use trustmap_model::docker::shell::Command;
use trustmap_model::gha::Scalar;
use trustmap_source::Span;

use super::sites::{Site, job_sites};
use super::taint::{self, Kind, Scope, Taint};
use super::trigger_origin;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A workflow on a privileged trigger that checks out the pull request's code.
    ///
    /// The triggers are `pull_request_target`, `workflow_run`, `issue_comment` and
    /// `discussion_comment` — also when they reach a reusable workflow of the same repository
    /// through its callers. The checkout is `actions/checkout` with a `ref:` (or
    /// `repository:`) naming the head — `github.event.pull_request.head.sha`/`.ref`,
    /// `github.head_ref`, `github.event.workflow_run.head_sha`/`.head_branch`, `refs/pull/…`
    /// (as in `refs/pull/${{ github.event.issue.number }}/merge` on a comment), or a step
    /// output that looked the head up (`gh pr view --json headRefOid`) — directly or through
    /// `env` variables, or a `run:` step doing the same with `gh pr checkout`, `git fetch …
    /// pull/N/head` or `git checkout <head sha>`. Steps of composite actions of the same
    /// repository are checked with their caller's trigger.
    ///
    /// `pull_request_review_comment` is not one of these triggers: for a fork's pull request
    /// it gets a read-only token and no secrets, like `pull_request`.
    ///
    /// ## Why it matters
    ///
    /// These triggers run in the base repository's context: a read/write `GITHUB_TOKEN` and
    /// access to secrets, even for a pull request from a fork — and on `issue_comment`, anyone
    /// who can comment starts the workflow (a `/test` command bot). Checking out the fork's code and
    /// then building, testing or even just running `npm install` executes the attacker's code
    /// with those privileges — "pwn request": the attacker opens a pull request and walks away
    /// with the token, the secrets, and the ability to push to the repository or poison caches
    /// and releases. Label or approval gates narrow the window but do not close it: the head
    /// can change after the approval.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// on: pull_request_target
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///         with:
    ///           ref: ${{ github.event.pull_request.head.sha }}
    ///       - run: npm ci && npm test
    /// ```
    ///
    /// ## Fix
    ///
    /// Run untrusted code under `pull_request`, which gets a read-only token and no secrets,
    /// and keep the privileged part in a separate `workflow_run` workflow that only consumes
    /// data (artifacts treated as untrusted input) and never checks out or runs the code:
    ///
    /// ```yaml
    /// on: pull_request
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///         with:
    ///           persist-credentials: false
    ///       - run: npm ci && npm test
    /// ```
    ///
    /// ## References
    ///
    /// - GitHub Security Lab, "Keeping your GitHub Actions and workflows secure: Preventing pwn requests"
    pub(crate) GhaUntrustedCheckoutOnPrivilegedTrigger {
        id: "GHA-001",
        name: "gha-untrusted-checkout-on-privileged-trigger",
        severity: Critical,
        capability: Design,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-829"],
            zizmor: ["dangerous-triggers"],
            poutine: ["untrusted_checkout_exec"],
        },
    }
}

const TRIGGERS: &[&str] = &[
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "discussion_comment",
];

/// `git` subcommands that bring a ref's code into the working tree.
const GIT_FETCHING: &[&str] = &[
    "fetch", "checkout", "switch", "pull", "reset", "worktree", "clone",
];

impl Rule for GhaUntrustedCheckoutOnPrivilegedTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            let Some(trigger) = w.effective_trigger(TRIGGERS) else {
                continue;
            };
            for job in &w.jobs {
                let mut clean = true;
                for site in job_sites(model, w, job) {
                    for (span, what, hops) in head_checkouts(&site) {
                        clean = false;
                        let message =
                            format!("{what} in a workflow triggered by `{}`", trigger.event);
                        let f = out.report(site.resource(), span, &[], message);
                        f.related.extend(hops);
                        if let Some(c) = trigger_origin(w, &trigger.event) {
                            f.related.push(Related {
                                span: c.uses_span,
                                note: format!(
                                    "called from `{}` on `{}` here",
                                    c.job, trigger.event
                                ),
                            });
                        }
                    }
                }
                if clean {
                    out.pass_at(job.meta.span);
                }
            }
        }
    }
}

/// Places where a step checks out the pull request's head: (span, description, hops).
fn head_checkouts(site: &Site<'_>) -> Vec<(Span, String, Vec<Related>)> {
    let step = site.step;
    let scope = Scope::step(site);
    let mut found = Vec::new();
    if step.uses_action("actions/checkout") {
        // One finding per checkout: the `ref` when it names the head, else the `repository`.
        let hit = ["ref", "repository"].iter().find_map(|key| {
            let input = step.input(key)?;
            if let Some((span, shown, hops)) = head_reference(&scope, &input.value) {
                return Some((span, shown, hops));
            }
            input.value.value.contains("refs/pull/").then(|| {
                (
                    input.value.span,
                    format!("`{}`", input.value.value),
                    Vec::new(),
                )
            })
        });
        if let Some((span, shown, hops)) = hit {
            found.push((span, format!("`actions/checkout` checks out {shown}"), hops));
        }
    }
    let (Some(run), Some(script)) = (&step.run, &step.script) else {
        return found;
    };
    for c in script.commands() {
        if let Some((what, hops)) = fetches_head(&scope, run, c) {
            found.push((c.span, what, hops));
        }
    }
    found
}

/// How a traced head reference is shown.
fn shown(path: &str, t: &Taint) -> String {
    if t.hops.is_empty() {
        format!("`{path}`")
    } else {
        let via = t.display.clone().unwrap_or_else(|| path.to_string());
        if t.source.contains(' ') {
            format!("{} (through `{via}`)", t.source)
        } else {
            format!("`{}` (through `{via}`)", t.source)
        }
    }
}

/// The first pull-request-head value an expression in `value` reads, directly or through
/// `env`, step outputs, job outputs or inputs: its span, how to show it, and the hops.
fn head_reference(scope: &Scope<'_>, value: &Scalar) -> Option<(Span, String, Vec<Related>)> {
    value.expressions.iter().find_map(|e| {
        let (path, t) = taint::expression(scope, e, Kind::PrHead)?;
        Some((e.span, shown(&path, &t), t.hops))
    })
}

/// `gh pr checkout …`, or `git fetch|checkout …` of a `pull/N/head` ref or a head value.
fn fetches_head(scope: &Scope<'_>, run: &Scalar, c: &Command) -> Option<(String, Vec<Related>)> {
    let program = c.program()?;
    let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
    if program == "gh" && args.starts_with(&["pr", "checkout"]) {
        return Some((
            "`gh pr checkout` checks out the pull request".to_string(),
            Vec::new(),
        ));
    }
    // The subcommand: the first word that is neither an option nor the value of `-C`/`-c`.
    let mut rest = args.iter();
    let sub = loop {
        let a = *rest.next()?;
        if a == "-C" || a == "-c" {
            rest.next();
        } else if !a.starts_with('-') {
            break a;
        }
    };
    if program != "git" || !GIT_FETCHING.contains(&sub) {
        return None;
    }
    let pull_ref = args
        .iter()
        .any(|a| a.contains("pull/") && (a.contains("/head") || a.contains("/merge")));
    let inside = |s: Span| s.start >= c.span.start && s.end <= c.span.end;
    let hops = if pull_ref {
        Some(Vec::new())
    } else {
        run.expressions
            .iter()
            .filter(|e| inside(e.span))
            .find_map(|e| taint::expression(scope, e, Kind::PrHead))
            .map(|(_, t)| t.hops)
            .or_else(|| {
                args.iter()
                    .flat_map(|a| shell_vars(a))
                    .find_map(|n| taint::shell_var(scope, n, Kind::PrHead))
                    .map(|t| t.hops)
            })
    };
    hops.map(|h| (format!("`git {sub}` brings in the pull request's code"), h))
}

/// Names of `$NAME` and `${NAME}` references in a shell word.
fn shell_vars(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let braced = rest.strip_prefix('{').filter(|r| !r.starts_with('{'));
        let body = braced.unwrap_or(rest);
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if len > 0 {
            out.push(&body[..len]);
        }
        rest = body;
    }
    out
}
