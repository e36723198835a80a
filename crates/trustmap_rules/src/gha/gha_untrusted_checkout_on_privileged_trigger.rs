use trustmap_model::Model;
use trustmap_model::docker::shell::Command;
use trustmap_model::gha::{Job, Scalar, Step, Workflow};
use trustmap_source::Span;

use super::contexts::is_pr_head;
use super::env_entry;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `pull_request_target` or `workflow_run` workflow that checks out the pull request's
    /// code.
    ///
    /// That is `actions/checkout` with a `ref:` (or `repository:`) naming the head —
    /// `github.event.pull_request.head.sha`/`.ref`, `github.head_ref`,
    /// `github.event.workflow_run.head_sha`/`.head_branch`, `refs/pull/…` — directly or through
    /// an `env` variable, or a `run:` step doing the same with `gh pr checkout`, `git fetch …
    /// pull/N/head` or `git checkout <head sha>`.
    ///
    /// ## Why it matters
    ///
    /// These triggers run in the base repository's context: a read/write `GITHUB_TOKEN` and
    /// access to secrets, even for a pull request from a fork. Checking out the fork's code and
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

const TRIGGERS: &[&str] = &["pull_request_target", "workflow_run"];

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
            let Some(trigger) = TRIGGERS.iter().find(|t| w.has_trigger(t)) else {
                continue;
            };
            for job in &w.jobs {
                let mut clean = true;
                for step in &job.steps {
                    for (span, what) in head_checkouts(w, job, step) {
                        clean = false;
                        let message = format!("{what} in a workflow triggered by `{trigger}`");
                        out.report(&job.meta, span, &[], message);
                    }
                }
                if clean {
                    out.pass();
                }
            }
        }
    }
}

/// Places where a step checks out the pull request's head: (span, description).
fn head_checkouts(w: &Workflow, job: &Job, step: &Step) -> Vec<(Span, String)> {
    let mut found = Vec::new();
    if step.uses_action("actions/checkout") {
        // One finding per checkout: the `ref` when it names the head, else the `repository`.
        let hit = ["ref", "repository"].iter().find_map(|key| {
            let input = step.input(key)?;
            if let Some((span, shown)) = head_reference(w, job, step, &input.value) {
                return Some((span, shown));
            }
            input
                .value
                .value
                .contains("refs/pull/")
                .then(|| (input.value.span, format!("`{}`", input.value.value)))
        });
        if let Some((span, shown)) = hit {
            found.push((span, format!("`actions/checkout` checks out {shown}")));
        }
    }
    let (Some(run), Some(script)) = (&step.run, &step.script) else {
        return found;
    };
    for c in script.commands() {
        if let Some(what) = fetches_head(w, job, step, run, c) {
            found.push((c.span, what));
        }
    }
    found
}

/// The first pull-request-head context an expression in `value` reads, directly or through
/// `env.NAME`: its span and how to show it.
fn head_reference(w: &Workflow, job: &Job, step: &Step, value: &Scalar) -> Option<(Span, String)> {
    value.expressions.iter().find_map(|e| {
        e.contexts
            .iter()
            .filter(|c| c.flows_to_result)
            .find_map(|c| {
                if is_pr_head(&c.path) {
                    return Some((e.span, format!("`{}`", c.path)));
                }
                let name = c.path.strip_prefix("env.")?;
                let (path, key) = env_head(w, job, step, name)?;
                Some((e.span, format!("`{path}` (through `env.{key}`)")))
            })
    })
}

/// The pull-request-head context an `env` variable holds, and the variable's name as written.
fn env_head<'a>(
    w: &'a Workflow,
    job: &'a Job,
    step: &'a Step,
    name: &str,
) -> Option<(String, &'a str)> {
    let kv = env_entry(w, job, Some(step), name)?;
    kv.value
        .expressions
        .iter()
        .flat_map(|e| &e.contexts)
        .find(|c| c.flows_to_result && is_pr_head(&c.path))
        .map(|c| (c.path.clone(), kv.key.as_str()))
}

/// `gh pr checkout …`, or `git fetch|checkout …` of a `pull/N/head` ref or a head expression.
fn fetches_head(w: &Workflow, job: &Job, step: &Step, run: &Scalar, c: &Command) -> Option<String> {
    let program = c.program()?;
    let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
    if program == "gh" && args.starts_with(&["pr", "checkout"]) {
        return Some("`gh pr checkout` checks out the pull request".to_string());
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
    let expr_head = run
        .expressions
        .iter()
        .filter(|e| inside(e.span))
        .flat_map(|e| &e.contexts)
        .filter(|ctx| ctx.flows_to_result)
        .any(|ctx| {
            is_pr_head(&ctx.path)
                || ctx
                    .path
                    .strip_prefix("env.")
                    .is_some_and(|n| env_head(w, job, step, n).is_some())
        });
    let shell_var_head = args
        .iter()
        .flat_map(|a| shell_vars(a))
        .any(|n| env_head(w, job, step, n).is_some());
    (pull_ref || expr_head || shell_var_head)
        .then(|| format!("`git {sub}` brings in the pull request's code"))
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
