use trustmap_model::Model;
use trustmap_model::docker::shell::{Command, Pipeline, Word};
use trustmap_model::gha::{Scalar, Step};

use super::sites::all_sites;
use super::taint::{self, Kind, Scope, Taint, pretty};
use crate::{Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `run:` script that prints a secret into the job log.
    ///
    /// That is `echo`, `printf` or `cat <<<` of `${{ secrets.X }}`, or of a shell variable
    /// bound to a secret through `env:` (or through outputs and `$GITHUB_ENV`), whose output
    /// reaches the log: not redirected to a file and not piped into a program that consumes it
    /// (`docker login --password-stdin`, `gh auth login --with-token`). Piping it through
    /// `base64`, `xxd`, `rev`, `tr`, `sed`, `jq` and the like on the way to the log is
    /// reported as high: the transformed value no longer matches the log mask. It also finds
    /// `set -x` (or `set -o xtrace`, `shell: bash -x {0}`) before commands that expand a
    /// secret, since tracing prints every expanded command. `echo "::add-mask::…"` and other
    /// workflow commands pass; so does a script that merely lacks `::add-mask::`.
    ///
    /// ## Why it matters
    ///
    /// Job logs are kept for months and readable by everyone who can read the repository —
    /// everyone, for a public one. GitHub masks the exact value of each registered secret, but
    /// masking is best-effort: a secret that is transformed, split, JSON-structured or spread
    /// over several lines is printed in the clear, and a printed secret is also copied into
    /// every log archive, support bundle and third-party log sink. Anyone who reads the log
    /// then holds the credential.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// steps:
    ///   - env:
    ///       NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
    ///     run: |
    ///       echo "Using token $NPM_TOKEN"
    ///       echo "$NPM_TOKEN" | base64
    /// ```
    ///
    /// ## Fix
    ///
    /// Never print secrets; hand them to the program that needs them through a file or
    /// standard input:
    ///
    /// ```yaml
    /// steps:
    ///   - env:
    ///       NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
    ///     run: |
    ///       printf '//registry.npmjs.org/:_authToken=%s\n' "$NPM_TOKEN" > ~/.npmrc
    /// ```
    pub(crate) GhaSecretWrittenToLog {
        id: "GHA-013",
        name: "gha-secret-written-to-log",
        severity: Medium,
        capability: Failure,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-532"],
        },
    }
}

/// Programs that pass their input through, changed or not, to their output.
const TRANSFORMERS: &[&str] = &[
    "base64",
    "xxd",
    "od",
    "hexdump",
    "rev",
    "tr",
    "sed",
    "awk",
    "cut",
    "jq",
    "fold",
    "head",
    "tail",
    "cat",
    "tee",
    "openssl",
    "sha256sum",
];
/// Of those, the ones that leave the text as it is (the mask still matches).
const IDENTITY: &[&str] = &["cat", "tee", "head", "tail"];

impl Rule for GhaSecretWrittenToLog {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for site in all_sites(model) {
            let (Some(run), Some(script)) = (&site.step.run, &site.step.script) else {
                continue;
            };
            let scope = Scope::step(&site);
            let mut clean = true;
            for p in &script.pipelines {
                let Some((secret, transform)) = printed(&scope, run, p) else {
                    continue;
                };
                clean = false;
                let first = &p.commands[0];
                let program = first.program().unwrap_or("echo");
                let (what, t) = secret;
                let what = what.phrase(", ");
                let message = match &transform {
                    Some(x) => format!(
                        "`{program}` pipes {what} through `{x}` into the job log, where the mask no longer hides it"
                    ),
                    None => format!("`{program}` prints {what} into the job log"),
                };
                let f = out.report(site.resource(), p.span, &[], message);
                f.related.extend(t.hops);
                if transform.is_some() {
                    f.severity = Severity::High;
                }
            }
            if let Some((span, what, t)) = traced(&scope, site.step, run) {
                clean = false;
                let message = format!(
                    "`set -x` traces commands that expand {} into the job log",
                    what.phrase(" ")
                );
                out.report(site.resource(), span, &[], message)
                    .related
                    .extend(t.hops);
            }
            if clean {
                out.pass_at(site.resource().span);
            }
        }
    }
}

/// What expands a secret: the expression or variable, and the secret it holds when that is
/// not the expression itself.
struct Expanded {
    subject: String,
    holds: Option<String>,
}

impl Expanded {
    /// "`secrets.X`", or "`$T`, which holds `secrets.X`," (with `sep` around the clause).
    fn phrase(&self, sep: &str) -> String {
        match &self.holds {
            None => format!("`{}`", self.subject),
            Some(h) if sep == " " => format!("`{}` (which holds `{h}`)", self.subject),
            Some(h) => format!("`{}`, which holds `{h}`,", self.subject),
        }
    }
}

/// The secret a pipeline prints to the log, and the transforming program it goes through.
fn printed(
    scope: &Scope<'_>,
    run: &Scalar,
    p: &Pipeline,
) -> Option<((Expanded, Taint), Option<String>)> {
    let first = p.commands.first()?;
    let words: Vec<&Word> = match first.program()? {
        "echo" | "printf" => first.args().iter().collect(),
        "cat" => first
            .redirects
            .iter()
            .filter(|r| r.op == "<<<")
            .map(|r| &r.target)
            .collect(),
        _ => return None,
    };
    // Workflow commands (`::add-mask::`, `::set-output`) are read by the runner, not logged.
    if words.iter().any(|w| w.text.starts_with("::")) {
        return None;
    }
    let secret = words.iter().find_map(|w| secret_in(scope, run, w))?;
    let rest = &p.commands[1..];
    let last = p.commands.last()?;
    if last.stdout_redirected() {
        return None;
    }
    let mut transform = None;
    for c in rest {
        let prog = c.program()?;
        if !TRANSFORMERS.contains(&prog) {
            return None;
        }
        if !IDENTITY.contains(&prog) && transform.is_none() {
            transform = Some(prog.to_string());
        }
    }
    Some((secret, transform))
}

/// A secret a word expands: `${{ secrets.X }}`, or `$NAME` bound to one.
fn secret_in(scope: &Scope<'_>, run: &Scalar, w: &Word) -> Option<(Expanded, Taint)> {
    for inner in expressions_in(&w.text) {
        if let Some(e) = run.expressions.iter().find(|e| e.inner == inner)
            && let Some((path, t)) = taint::expression(scope, e, Kind::Secret)
        {
            let what = if t.hops.is_empty() {
                Expanded {
                    subject: pretty(&path),
                    holds: None,
                }
            } else {
                Expanded {
                    subject: t.display.clone().unwrap_or_else(|| pretty(&path)),
                    holds: Some(pretty(&t.source)),
                }
            };
            return Some((what, t));
        }
    }
    shell_vars(&w.text).into_iter().find_map(|v| {
        let t = taint::shell_var(scope, v, Kind::Secret)?;
        let what = Expanded {
            subject: format!("${v}"),
            holds: Some(pretty(&t.source)),
        };
        Some((what, t))
    })
}

/// `set -x` before a command that expands a secret: the `set` command's span (or the
/// `shell:`), what is expanded, and how it holds the secret.
fn traced(
    scope: &Scope<'_>,
    step: &Step,
    run: &Scalar,
) -> Option<(trustmap_source::Span, Expanded, Taint)> {
    let script = step.script.as_ref()?;
    let commands: Vec<&Command> = script.commands().collect();
    let from_shell = step
        .shell
        .as_ref()
        .filter(|s| {
            s.value.split_whitespace().any(|w| {
                w == "-x" || (w.starts_with('-') && !w.starts_with("--") && w.contains('x'))
            })
        })
        .map(|s| (s.span, 0));
    let (span, start) = from_shell.or_else(|| {
        commands.iter().enumerate().find_map(|(i, c)| {
            (c.program() == Some("set") && enables_xtrace(c)).then_some((c.span, i + 1))
        })
    })?;
    commands[start..].iter().find_map(|c| {
        let (what, t) = c.words.iter().find_map(|w| secret_in(scope, run, w))?;
        Some((span, what, t))
    })
}

fn enables_xtrace(c: &Command) -> bool {
    let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
    args.iter()
        .any(|a| a.starts_with('-') && !a.starts_with("--") && a[1..].contains('x'))
        || args.windows(2).any(|w| w[0] == "-o" && w[1] == "xtrace")
}

/// The trimmed inner text of each `${{ … }}` in a word.
fn expressions_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${{") {
        let after = &rest[i + 3..];
        let Some(j) = after.find("}}") else {
            break;
        };
        out.push(after[..j].trim());
        rest = &after[j + 2..];
    }
    out
}

/// `$NAME` and `${NAME}` references (not `${{ }}`).
fn shell_vars(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        if rest.starts_with("{{") {
            continue;
        }
        let body = rest.strip_prefix('{').unwrap_or(rest);
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if len > 0 && !body.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(&body[..len]);
        }
        rest = body;
    }
    out
}
