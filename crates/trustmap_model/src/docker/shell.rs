//! Shell scripts as rules see them: pipelines of simple commands made of spanned words.
//!
//! Dockerfile `RUN` instructions and GitHub Actions `run:` steps are both shell. Rules that
//! look for `curl … | sh` or `curl -k` read these words instead of grepping text, so quoting,
//! line continuations and comments are already dealt with and every word has its location.

use trustmap_source::Span;

/// A shell script and what the adapter could read of it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Script {
    /// The script as written (for a Dockerfile: continuations still in).
    pub text: String,
    /// Where the script is written.
    pub span: Span,
    /// Commands in order; `a | b && c` is two pipelines: `[a, b]` and `[c]`.
    pub pipelines: Vec<Pipeline>,
}

/// Simple commands joined by `|`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Pipeline {
    pub commands: Vec<Command>,
    /// From the first word of the first command to the last word of the last one.
    pub span: Span,
}

/// One simple command: its words after quote removal; redirections are kept apart.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Command {
    pub words: Vec<Word>,
    pub span: Span,
    /// `> file`, `>> "$GITHUB_OUTPUT"`, `2>&1`, `<<EOF`, in order.
    pub redirects: Vec<Redirect>,
}

/// One redirection of a simple command.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Redirect {
    /// The file descriptor written before the operator (`2` in `2>`), if any.
    pub fd: Option<u32>,
    /// The operator: `>`, `>>`, `<`, `>&`, `&>`, `&>>`, `<<`, `<<-`, `<<<`, ….
    pub op: String,
    /// The file, descriptor or here-document delimiter, after quote removal.
    pub target: Word,
}

impl Redirect {
    /// True when the redirection sends the command's standard output elsewhere than the
    /// log (a file, `/dev/null`); `>&2` still lands in the log.
    pub fn redirects_stdout(&self) -> bool {
        let writes = self.op.starts_with('>') || self.op.starts_with("&>");
        let stdout = self.fd.is_none_or(|fd| fd == 1) || self.op.starts_with('&');
        writes && stdout && !(self.op == ">&" && matches!(self.target.text.as_str(), "1" | "2"))
    }

    /// True when the target names the file behind `$NAME` (`$GITHUB_OUTPUT`,
    /// `"${GITHUB_ENV}"`), for an appending or truncating write.
    pub fn writes_to_var(&self, name: &str) -> bool {
        let t = self.target.text.as_str();
        (self.op == ">>" || self.op == ">")
            && (t.strip_prefix('$') == Some(name)
                || t.strip_prefix("${").and_then(|r| r.strip_suffix('}')) == Some(name))
    }
}

/// One word after quote removal. Command substitutions (`$(…)`, backticks, `<(…)`) are kept
/// verbatim inside the word, since they are run by the shell, not by the command.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Word {
    pub text: String,
    /// Exact when the adapter could map the word back to the file; otherwise the span of the
    /// whole script (a folded YAML scalar, an escaped JSON string).
    pub span: Span,
}

/// Words that start a compound command or wrap another program without changing what runs.
const PREFIX_WORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "exec", "nohup",
    "command", "builtin",
];

impl Command {
    /// Index of the word naming the program that runs, skipping `FOO=bar` assignments,
    /// shell keywords and wrappers such as `sudo -u x`, `env -i A=1`.
    pub fn program_index(&self) -> Option<usize> {
        let mut i = 0;
        while let Some(w) = self.words.get(i) {
            let t = w.text.as_str();
            if PREFIX_WORDS.contains(&t) || is_assignment(t) {
                i += 1;
            } else if t == "sudo" || t == "doas" || t == "env" {
                i += 1;
                // Options of the wrapper; `-u user` and `-g group` take a value.
                while let Some(w) = self.words.get(i) {
                    let o = w.text.as_str();
                    if matches!(
                        o,
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                    ) {
                        i += 2;
                    } else if o.starts_with('-') || is_assignment(o) {
                        i += 1;
                    } else {
                        break;
                    }
                }
            } else {
                return Some(i);
            }
        }
        None
    }

    /// The program that runs, as its base name (`/usr/bin/curl` → `curl`).
    pub fn program(&self) -> Option<&str> {
        let w = &self.words[self.program_index()?];
        Some(w.text.rsplit('/').next().unwrap_or(&w.text))
    }

    /// The `sudo`/`doas` word the program runs under, if any (`sudo -u app make` → `sudo`).
    pub fn privilege_wrapper(&self) -> Option<&Word> {
        let end = self.program_index().unwrap_or(self.words.len());
        self.words[..end]
            .iter()
            .find(|w| matches!(w.text.rsplit('/').next(), Some("sudo" | "doas")))
    }

    /// The words after the program.
    pub fn args(&self) -> &[Word] {
        self.program_index().map_or(&[], |i| &self.words[i + 1..])
    }

    /// True when a redirection sends standard output away from the log.
    pub fn stdout_redirected(&self) -> bool {
        self.redirects.iter().any(Redirect::redirects_stdout)
    }
}

/// `NAME=value`, as a shell assignment prefix.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

impl Script {
    /// Every simple command, in order.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.pipelines.iter().flat_map(|p| &p.commands)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(words: &[&str]) -> Command {
        Command {
            words: words
                .iter()
                .map(|w| Word {
                    text: (*w).to_string(),
                    span: Span::default(),
                })
                .collect(),
            span: Span::default(),
            redirects: Vec::new(),
        }
    }

    #[test]
    fn program_skips_wrappers_and_assignments() {
        assert_eq!(
            cmd(&["sudo", "-u", "app", "-E", "bash", "-s"]).program(),
            Some("bash")
        );
        assert_eq!(
            cmd(&["DEBIAN_FRONTEND=x", "/usr/bin/curl"]).program(),
            Some("curl")
        );
        assert_eq!(cmd(&["then", "env", "A=1", "sh"]).program(), Some("sh"));
        assert_eq!(cmd(&["sudo"]).program(), None);
        assert_eq!(
            cmd(&["sudo", "-u", "app", "make"])
                .privilege_wrapper()
                .map(|w| w.text.as_str()),
            Some("sudo")
        );
        assert!(cmd(&["echo", "sudo"]).privilege_wrapper().is_none());
        assert_eq!(cmd(&["curl", "-k"]).args().len(), 1);
    }
}
