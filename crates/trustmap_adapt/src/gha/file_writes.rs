//! Runner file commands in `run:` scripts: `echo "name=value" >> "$GITHUB_OUTPUT"`,
//! `printf 'x=%s\n' "$v" >> $GITHUB_ENV`, `… | tee -a "$GITHUB_OUTPUT"` and the legacy
//! `echo "::set-output name=x::value"`.
//!
//! Read from the lexed script, so quoting is already removed and the redirection target is a
//! word of its own. `${{ }}` expressions stay verbatim inside words (GitHub substitutes them
//! before the shell runs), which is how a value's expressions are matched back to the step's.

use trustmap_model::docker::shell::{Command, Script, Word};
use trustmap_model::gha::{FileWrite, RunnerFile, Scalar};

use super::expr;

/// Every file command the script runs, in order.
pub(crate) fn find(run: &Scalar, script: &Script) -> Vec<FileWrite> {
    let mut out = Vec::new();
    for p in &script.pipelines {
        let Some(first) = p.commands.first() else {
            continue;
        };
        // The file the pipeline's output lands in: a redirection of its last command, or
        // `tee [-a] FILE` at its end.
        let last = p.commands.last().unwrap_or(first);
        let target = target_file(last).or_else(|| {
            (last.program() == Some("tee"))
                .then(|| last.args().iter().find_map(|w| runner_file(&w.text)))
                .flatten()
        });
        let writer = if p.commands.len() == 1 { last } else { first };
        match target {
            Some(file) => out.extend(writes(run, writer, file)),
            None => out.extend(legacy_set_output(run, writer)),
        }
    }
    out
}

/// The runner file a command's redirection writes.
fn target_file(c: &Command) -> Option<RunnerFile> {
    c.redirects.iter().find_map(|r| {
        if r.writes_to_var("GITHUB_OUTPUT") {
            Some(RunnerFile::Output)
        } else if r.writes_to_var("GITHUB_ENV") {
            Some(RunnerFile::Env)
        } else {
            None
        }
    })
}

/// `$GITHUB_OUTPUT` / `${GITHUB_ENV}` as a word.
fn runner_file(word: &str) -> Option<RunnerFile> {
    let name = word
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| word.strip_prefix('$'))?;
    match name {
        "GITHUB_OUTPUT" => Some(RunnerFile::Output),
        "GITHUB_ENV" => Some(RunnerFile::Env),
        _ => None,
    }
}

/// `name=value` pairs an `echo`/`printf` prints.
fn writes(run: &Scalar, c: &Command, file: RunnerFile) -> Vec<FileWrite> {
    let args: Vec<&Word> = match c.program() {
        Some("echo") => c
            .args()
            .iter()
            .skip_while(|w| matches!(w.text.as_str(), "-e" | "-n" | "-E" | "-ne" | "-en"))
            .collect(),
        Some("printf") => c.args().iter().skip_while(|w| w.text == "-v").collect(),
        _ => return Vec::new(),
    };
    let printf = c.program() == Some("printf");
    let mut out = Vec::new();
    let Some(first) = args.first() else {
        return out;
    };
    // printf 'name=%s\n' "$value": the format names the output, the next word is its value.
    if printf && first.text.contains("%s") {
        if let Some((name, _)) = split_assignment(&first.text)
            && let Some(value) = args.get(1)
        {
            out.push(write(run, file, name, &value.text, value, value));
        }
        return out;
    }
    // echo "a=1" or echo a=$x b (the words after the first join its value).
    for line in first.text.split('\n') {
        let Some((name, value)) = split_assignment(line) else {
            continue;
        };
        let value = value.trim_end_matches("\\n").to_string();
        let (value, end) = if args.len() > 1 && !first.text.contains('\n') {
            let rest: Vec<&str> = args[1..].iter().map(|w| w.text.as_str()).collect();
            (
                format!("{value} {}", rest.join(" ")),
                *args.last().unwrap_or(first),
            )
        } else {
            (value, *first)
        };
        out.push(write(run, file, name, &value, first, end));
    }
    out
}

/// `echo "::set-output name=x::value"` (deprecated, still honoured by old runners).
fn legacy_set_output(run: &Scalar, c: &Command) -> Option<FileWrite> {
    if c.program() != Some("echo") {
        return None;
    }
    let w = c
        .args()
        .iter()
        .find(|w| w.text.starts_with("::set-output "))?;
    let rest = w.text.strip_prefix("::set-output name=")?;
    let (name, value) = rest.split_once("::")?;
    Some(write(run, RunnerFile::Output, name, value, w, w))
}

fn write(
    run: &Scalar,
    file: RunnerFile,
    name: &str,
    value: &str,
    from: &Word,
    to: &Word,
) -> FileWrite {
    let expressions = expr::find(value)
        .iter()
        .filter_map(|f| {
            let inner = value[f.inner.clone()].trim();
            run.expressions.iter().position(|e| e.inner == inner)
        })
        .collect();
    FileWrite {
        file,
        name: name.to_string(),
        span: from.span.to(to.span),
        value: value.to_string(),
        expressions,
        shell_vars: shell_vars(value),
    }
}

/// `NAME=rest` with a plausible output or variable name.
fn split_assignment(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then_some((name, value))
}

/// Names of `$NAME` and `${NAME}` references (not `${{ }}` expressions).
pub(crate) fn shell_vars(text: &str) -> Vec<String> {
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
            out.push(body[..len].to_string());
        }
        rest = body;
    }
    out
}
