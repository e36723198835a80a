//! A small POSIX-shell lexer: enough to split scripts into pipelines of words with offsets.
//!
//! It is not an interpreter. It removes quotes, joins line continuations, drops comments,
//! redirections and here-document bodies, and keeps `$(…)`, backticks and `<(…)` verbatim
//! inside their word. Used for Dockerfile `RUN` and GitHub Actions `run:`. It never fails:
//! unterminated quotes simply run to the end of the text.

use trustmap_model::docker::shell::{Command, Pipeline, Redirect, Script, Word};
use trustmap_source::Span;

/// How line continuations look in the text being lexed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    /// The continuation character before a newline: `\`, or a Dockerfile's `# escape=` char.
    pub(crate) escape: char,
    /// Dockerfile rule: comment lines inside a continued instruction are removed.
    pub(crate) skip_continued_comments: bool,
}

impl Options {
    pub(crate) const SHELL: Options = Options {
        escape: '\\',
        skip_continued_comments: false,
    };
}

/// A word with its byte range in the lexed text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawWord {
    pub(crate) text: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// A redirection: file descriptor, operator and target word.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawRedirect {
    pub(crate) fd: Option<u32>,
    pub(crate) op: String,
    pub(crate) target: RawWord,
}

/// One simple command: its words and its redirections.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RawCommand {
    pub(crate) words: Vec<RawWord>,
    pub(crate) redirects: Vec<RawRedirect>,
}

/// Pipelines → commands.
pub(crate) type RawPipelines = Vec<Vec<RawCommand>>;

/// Lexes `src` into pipelines of commands of words.
pub(crate) fn lex(src: &str, opts: Options) -> RawPipelines {
    let mut l = Lexer {
        src,
        pos: 0,
        opts,
        out: Vec::new(),
        pipeline: Vec::new(),
        command: RawCommand::default(),
        word: None,
        target: Target::None,
        pending_fd: None,
        heredocs: Vec::new(),
    };
    l.run();
    l.out
}

/// Builds a model [`Script`]; `span_of(start, end)` maps a byte range of `text` to the file.
pub(crate) fn script(
    text: &str,
    span: Span,
    opts: Options,
    span_of: &dyn Fn(usize, usize) -> Span,
) -> Script {
    let pipelines = lex(text, opts)
        .into_iter()
        .map(|cmds| {
            let commands: Vec<Command> = cmds
                .into_iter()
                .map(|raw| {
                    let word = |w: RawWord| Word {
                        span: span_of(w.start, w.end),
                        text: w.text,
                    };
                    let words: Vec<Word> = raw.words.into_iter().map(word).collect();
                    let span = cover(&words, span);
                    let redirects = raw
                        .redirects
                        .into_iter()
                        .map(|r| Redirect {
                            fd: r.fd,
                            op: r.op,
                            target: word(r.target),
                        })
                        .collect();
                    Command {
                        words,
                        span,
                        redirects,
                    }
                })
                .collect();
            let span = commands
                .first()
                .zip(commands.last())
                .map_or(span, |(a, b)| a.span.to(b.span));
            Pipeline { commands, span }
        })
        .collect();
    Script {
        text: text.to_string(),
        span,
        pipelines,
    }
}

fn cover(words: &[Word], fallback: Span) -> Span {
    match (words.first(), words.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => fallback,
    }
}

/// What the next word is for, when it is not an argument.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    None,
    /// The file of a redirection, with the operator's length in the text before it.
    Redirect {
        op_start: usize,
        op_len: usize,
    },
    /// The delimiter of a here-document (`<<-` strips tabs).
    HereDoc {
        strip_tabs: bool,
    },
}

struct WordBuf {
    text: String,
    start: usize,
    end: usize,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    opts: Options,
    out: RawPipelines,
    pipeline: Vec<RawCommand>,
    command: RawCommand,
    word: Option<WordBuf>,
    target: Target,
    /// The file descriptor of the redirection being read (`2` of `2>`).
    pending_fd: Option<u32>,
    /// Here-documents whose bodies start after the current line: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
}

impl Lexer<'_> {
    fn peek(&self, off: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + off).copied()
    }

    fn run(&mut self) {
        while let Some(c) = self.src[self.pos..].chars().next() {
            if c == self.opts.escape
                && let Some(after) = self.continuation_end(self.pos + c.len_utf8())
            {
                self.pos = after;
                if self.opts.skip_continued_comments {
                    self.skip_comment_lines();
                }
                continue;
            }
            match c {
                ' ' | '\t' | '\r' => {
                    self.finish_word();
                    self.pos += 1;
                }
                '\n' => {
                    self.finish_word();
                    self.end_pipeline();
                    self.pos += 1;
                    self.skip_heredoc_bodies();
                }
                '#' if self.word.is_none() => {
                    self.pos = self.line_end(self.pos);
                }
                '\'' => {
                    let start = self.pos;
                    let close = self.src[start + 1..]
                        .find('\'')
                        .map_or(self.src.len(), |i| start + 1 + i);
                    let inner = self.src[start + 1..close].to_string();
                    self.pos = (close + 1).min(self.src.len());
                    self.append(start, &inner);
                }
                '"' => self.double_quoted(),
                '\\' => {
                    let start = self.pos;
                    match self.src[start + 1..].chars().next() {
                        Some('\n') => self.pos = start + 2,
                        Some(n) => {
                            self.pos = start + 1 + n.len_utf8();
                            self.append(start, &n.to_string());
                        }
                        None => self.pos = start + 1,
                    }
                }
                '$' if matches!(self.peek(1), Some(b'(' | b'{')) => {
                    let start = self.pos;
                    let (open, close) = if self.peek(1) == Some(b'(') {
                        (b'(', b')')
                    } else {
                        (b'{', b'}')
                    };
                    self.pos = skip_balanced(self.src, start + 1, open, close);
                    let raw = self.src[start..self.pos].to_string();
                    self.append(start, &raw);
                }
                '`' => {
                    let start = self.pos;
                    self.pos = skip_backticks(self.src, start);
                    let raw = self.src[start..self.pos].to_string();
                    self.append(start, &raw);
                }
                '<' | '>' if self.peek(1) == Some(b'(') => {
                    let start = self.pos;
                    self.pos = skip_balanced(self.src, start + 1, b'(', b')');
                    let raw = self.src[start..self.pos].to_string();
                    self.append(start, &raw);
                }
                '<' | '>' => self.redirection(),
                '&' if self.peek(1) == Some(b'>') => {
                    self.finish_word();
                    let op_start = self.pos;
                    self.pos += 2;
                    if self.peek(0) == Some(b'>') {
                        self.pos += 1;
                    }
                    self.pending_fd = None;
                    self.target = Target::Redirect {
                        op_start,
                        op_len: self.pos - op_start,
                    };
                }
                '&' | ';' => {
                    self.finish_word();
                    self.end_pipeline();
                    self.pos += 1;
                    if matches!(self.peek(0), Some(b'&' | b';')) {
                        self.pos += 1;
                    }
                }
                '|' => {
                    self.finish_word();
                    if self.peek(1) == Some(b'|') {
                        self.end_pipeline();
                        self.pos += 2;
                    } else {
                        self.end_command();
                        self.pos += if self.peek(1) == Some(b'&') { 2 } else { 1 };
                    }
                }
                '(' | ')' => {
                    self.finish_word();
                    self.end_pipeline();
                    self.pos += 1;
                }
                _ => {
                    let start = self.pos;
                    self.pos += c.len_utf8();
                    self.append(start, &c.to_string());
                }
            }
        }
        self.finish_word();
        self.end_pipeline();
    }

    /// After an escape character: the offset past `[ \t]*\r?\n`, if that is what follows.
    fn continuation_end(&self, from: usize) -> Option<usize> {
        let rest = &self.src.as_bytes()[from..];
        let ws = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        match rest.get(ws..) {
            Some([b'\n', ..]) => Some(from + ws + 1),
            Some([b'\r', b'\n', ..]) => Some(from + ws + 2),
            _ => None,
        }
    }

    /// Docker drops comment lines and blank lines that follow a continuation.
    fn skip_comment_lines(&mut self) {
        loop {
            let line_end = self.line_end(self.pos);
            let line = self.src[self.pos..line_end].trim();
            if (line.starts_with('#') || line.is_empty()) && line_end < self.src.len() {
                self.pos = line_end + 1;
            } else {
                break;
            }
        }
    }

    fn line_end(&self, from: usize) -> usize {
        self.src[from..]
            .find('\n')
            .map_or(self.src.len(), |i| from + i)
    }

    fn double_quoted(&mut self) {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        let mut text = String::new();
        let mut i = start + 1;
        let mut run_start = i;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => break,
                b'\\' if matches!(bytes.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`' | b'\n')) => {
                    text.push_str(&self.src[run_start..i]);
                    if bytes[i + 1] != b'\n' {
                        text.push(char::from(bytes[i + 1]));
                    }
                    i += 2;
                    run_start = i;
                }
                b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                    let (open, close) = if bytes[i + 1] == b'(' {
                        (b'(', b')')
                    } else {
                        (b'{', b'}')
                    };
                    i = skip_balanced(self.src, i + 1, open, close);
                }
                b'`' => i = skip_backticks(self.src, i),
                _ => i += 1,
            }
        }
        let end = i.min(bytes.len());
        text.push_str(&self.src[run_start.min(end)..end]);
        self.pos = (end + 1).min(bytes.len());
        self.append(start, &text);
    }

    fn redirection(&mut self) {
        // A word made only of digits right before `<`/`>` is a file descriptor.
        let mut fd = None;
        if let Some(w) = &self.word
            && w.end == self.pos
            && !w.text.is_empty()
            && w.text.bytes().all(|b| b.is_ascii_digit())
        {
            fd = w.text.parse().ok();
            self.word = None;
        }
        self.finish_word();
        self.pending_fd = fd;
        let op_start = self.pos;
        let rest = &self.src.as_bytes()[self.pos..];
        let redirect = |op_len| Target::Redirect { op_start, op_len };
        let (len, target) = match rest {
            [b'<', b'<', b'<', ..] => (3, redirect(3)),
            [b'<', b'<', b'-', ..] => (3, Target::HereDoc { strip_tabs: true }),
            [b'<', b'<', ..] => (2, Target::HereDoc { strip_tabs: false }),
            [b'>', b'>', ..] | [b'>', b'&' | b'|', ..] | [b'<', b'&' | b'>', ..] => {
                (2, redirect(2))
            }
            _ => (1, redirect(1)),
        };
        self.pos += len;
        self.target = target;
    }

    fn append(&mut self, start: usize, text: &str) {
        let end = self.pos;
        match &mut self.word {
            Some(w) => {
                w.text.push_str(text);
                w.end = end;
            }
            None => {
                self.word = Some(WordBuf {
                    text: text.to_string(),
                    start,
                    end,
                });
            }
        }
    }

    fn finish_word(&mut self) {
        let Some(w) = self.word.take() else {
            return;
        };
        let word = RawWord {
            text: w.text,
            start: w.start,
            end: w.end,
        };
        match std::mem::replace(&mut self.target, Target::None) {
            Target::None => self.command.words.push(word),
            Target::Redirect { op_start, op_len } => {
                let op = self.src[op_start..op_start + op_len].to_string();
                self.command.redirects.push(RawRedirect {
                    fd: self.pending_fd.take(),
                    op,
                    target: word,
                });
            }
            Target::HereDoc { strip_tabs } => {
                self.heredocs.push((word.text.clone(), strip_tabs));
                let op = if strip_tabs { "<<-" } else { "<<" };
                self.command.redirects.push(RawRedirect {
                    fd: self.pending_fd.take(),
                    op: op.to_string(),
                    target: word,
                });
            }
        }
    }

    fn end_command(&mut self) {
        if !self.command.words.is_empty() {
            self.pipeline.push(std::mem::take(&mut self.command));
        } else {
            self.command = RawCommand::default();
        }
    }

    fn end_pipeline(&mut self) {
        self.end_command();
        if !self.pipeline.is_empty() {
            self.out.push(std::mem::take(&mut self.pipeline));
        }
        self.target = Target::None;
        self.pending_fd = None;
    }

    /// Skips the bodies of here-documents announced on the line just ended.
    fn skip_heredoc_bodies(&mut self) {
        for (delim, strip_tabs) in std::mem::take(&mut self.heredocs) {
            while self.pos < self.src.len() {
                let end = self.line_end(self.pos);
                let mut line = self.src[self.pos..end].trim_end_matches('\r');
                if strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                self.pos = (end + 1).min(self.src.len());
                if line == delim {
                    break;
                }
            }
        }
    }
}

/// From an opening bracket at `open_at`, the offset just past its matching close (quotes and
/// nesting respected), or the end of the text.
fn skip_balanced(src: &str, open_at: usize, open: u8, close: u8) -> usize {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = open_at;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\'' => {
                i = src[i + 1..].find('\'').map_or(bytes.len(), |j| i + 1 + j);
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b if b == open => depth += 1,
            b if b == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// From a backtick at `at`, the offset just past the closing one.
fn skip_backticks(src: &str, at: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<Vec<Vec<String>>> {
        lex(src, Options::SHELL)
            .into_iter()
            .map(|p| {
                p.into_iter()
                    .map(|c| c.words.into_iter().map(|w| w.text).collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn splits_pipelines_and_lists() {
        assert_eq!(
            words("curl -fsSL https://x.sh | sudo bash -s -- a && echo 'done it'; ls"),
            vec![
                vec![
                    vec!["curl", "-fsSL", "https://x.sh"],
                    vec!["sudo", "bash", "-s", "--", "a"]
                ],
                vec![vec!["echo", "done it"]],
                vec![vec!["ls"]],
            ]
        );
    }

    #[test]
    fn removes_quotes_and_keeps_substitutions() {
        let w = words(r#"sh -c "$(curl -s "https://x")" a"b"'c' \$HOME"#);
        assert_eq!(
            w,
            vec![vec![vec![
                "sh",
                "-c",
                "$(curl -s \"https://x\")",
                "abc",
                "$HOME"
            ]]]
        );
        assert_eq!(
            words("bash <(curl -s x)"),
            vec![vec![vec!["bash", "<(curl -s x)"]]]
        );
    }

    #[test]
    fn drops_redirections_comments_and_heredoc_bodies() {
        let src = "cat <<-EOF > out 2>&1 # note\n\tcurl x | sh\n\tEOF\necho ok >/dev/null";
        assert_eq!(
            words(src),
            vec![vec![vec!["cat"]], vec![vec!["echo", "ok"]]]
        );
    }

    #[test]
    fn keeps_redirections_apart_from_words() {
        let lexed = lex(
            "echo \"a=b\" >> \"$GITHUB_OUTPUT\" 2>&1; cat <<EOF >out\nbody\nEOF\nx &>/dev/null 2> e",
            Options::SHELL,
        );
        let ops = |p: usize| -> Vec<(Option<u32>, String, String)> {
            lexed[p][0]
                .redirects
                .iter()
                .map(|r| (r.fd, r.op.clone(), r.target.text.clone()))
                .collect()
        };
        assert_eq!(lexed[0][0].words.len(), 2);
        assert_eq!(
            ops(0),
            [
                (None, ">>".into(), "$GITHUB_OUTPUT".into()),
                (Some(2), ">&".into(), "1".into())
            ]
        );
        assert_eq!(
            ops(1),
            [
                (None, "<<".into(), "EOF".into()),
                (None, ">".into(), "out".into())
            ]
        );
        assert_eq!(
            ops(2),
            [
                (None, "&>".into(), "/dev/null".into()),
                (Some(2), ">".into(), "e".into())
            ]
        );
    }

    #[test]
    fn joins_continuations_and_drops_docker_comment_lines() {
        let src = "curl -s x \\\n    # fetch\n    | sh";
        let opts = Options {
            escape: '\\',
            skip_continued_comments: true,
        };
        let lexed = lex(src, opts);
        assert_eq!(lexed[0].len(), 2);
        let sh = &lexed[0][1].words[0];
        assert_eq!((sh.text.as_str(), &src[sh.start..sh.end]), ("sh", "sh"));
        // A backtick escape (Windows Dockerfiles) continues lines too.
        let opts = Options {
            escape: '`',
            skip_continued_comments: true,
        };
        assert_eq!(lex("a `\n b", opts)[0][0].words.len(), 2);
    }

    #[test]
    fn never_panics_on_unterminated_input() {
        for src in [
            "'abc",
            "\"abc",
            "$(abc",
            "`abc",
            "a <",
            "a \\",
            "x <<",
            "é\"é$(é",
        ] {
            let _ = lex(src, Options::SHELL);
        }
    }
}
