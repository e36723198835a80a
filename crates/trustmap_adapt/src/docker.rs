//! Dockerfile text → Dockerfile model.
//!
//! parse-dockerfile gives instructions with byte spans (continuations, here-documents and the
//! `# escape=` directive handled). We split stages, resolve `FROM` images against global
//! `ARG` defaults, split `ENV`/`ARG` into spanned pairs and lex `RUN` scripts into words.

mod heredoc;
mod image;
pub(crate) mod shell;
mod words;

use std::ops::Range;

use parse_dockerfile as pd;
use trustmap_model::docker::{
    CommandForm, CommandLine, Dockerfile, Flag, Healthcheck, ImageRef, Instruction,
    InstructionKind, KeyValue, Run, Stage, Text, Transfer,
};
use trustmap_model::{Language, ResourceMeta};
use trustmap_source::{Diagnostic, SourceFile, Span};

/// Shells whose `-c` argument is a script we can read.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh"];

/// Parses and adapts one Dockerfile; `None` (with a diagnostic) when it cannot be parsed.
pub fn from_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Dockerfile> {
    let text: &str = &file.text;
    let masked;
    let mut extra_heredocs = Vec::new();
    let parsed = match pd::parse(text) {
        Ok(p) => p,
        Err(e) => {
            masked = heredoc::mask_unsupported(text);
            match masked.as_ref().map(|m| (m, pd::parse(&m.text))) {
                Some((m, Ok(p))) => {
                    extra_heredocs.clone_from(&m.bodies);
                    p
                }
                _ => {
                    diags.push(parse_error(file, &e));
                    return None;
                }
            }
        }
    };
    // parse-dockerfile drops a leading byte-order mark; its offsets start after it.
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let cx = Cx {
        file,
        base,
        escape: parsed
            .parser_directives
            .escape
            .as_ref()
            .map_or('\\', |d| d.value.value),
        extra_heredocs,
    };
    let meta = ResourceMeta {
        address: file.path.clone(),
        language: Language::Dockerfile,
        span: file.full_span(),
        via: Vec::new(),
    };
    let mut global_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for inst in &parsed.instructions {
        if let pd::Instruction::From(from) = inst {
            let aliases: Vec<String> = stages
                .iter()
                .filter_map(|s| s.name.as_ref().map(|n| n.value.clone()))
                .collect();
            let from_span = cx.span(from.from.span.start..from_end(from));
            stages.push(Stage {
                index: stages.len(),
                name: from.as_.as_ref().map(|(_, n)| cx.text(n)),
                from: from_image(&cx, from, &global_args, &aliases),
                from_span,
                span: from_span,
                instructions: Vec::new(),
            });
            continue;
        }
        let instruction = cx.instruction(inst);
        match stages.last_mut() {
            Some(stage) => {
                stage.span = stage.span.to(instruction.span);
                stage.instructions.push(instruction);
            }
            None => {
                if let InstructionKind::Arg(kvs) = instruction.kind {
                    global_args.extend(kvs);
                }
            }
        }
    }
    Some(Dockerfile {
        meta,
        escape: cx.escape,
        global_args,
        stages,
    })
}

fn parse_error(file: &SourceFile, e: &pd::Error) -> Diagnostic {
    let message = format!("Dockerfile syntax error: {e:#}");
    let line = u32::try_from(e.line()).unwrap_or(0);
    match file.line_range(line) {
        Some(range) => {
            let start = file
                .text
                .floor_char_boundary((range.start + e.column().saturating_sub(1)).min(range.end));
            let end = file.text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            Diagnostic::new("parse-error", message).at(file, file.span(start, end))
        }
        None => Diagnostic::new("parse-error", message).in_file(file),
    }
}

fn from_image(
    cx: &Cx<'_>,
    from: &pd::FromInstruction<'_>,
    args: &[KeyValue],
    stages: &[String],
) -> ImageRef {
    image::image_ref(
        &from.image.value,
        cx.span(from.image.span.clone()),
        args,
        stages,
    )
}

fn from_end(from: &pd::FromInstruction<'_>) -> usize {
    from.as_
        .as_ref()
        .map_or(from.image.span.end, |(_, n)| n.span.end)
}

/// What every conversion needs: the file, the offset of parser positions, the escape char.
struct Cx<'f> {
    file: &'f SourceFile,
    base: usize,
    escape: char,
    /// Here-document bodies the parser could not read: (`RUN` offset, body), file offsets.
    extra_heredocs: Vec<(usize, Range<usize>)>,
}

impl Cx<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        self.file_span(self.base + r.start, self.base + r.end)
    }

    /// A file span from parser offsets, kept inside the text and on character boundaries
    /// (parse-dockerfile can end a span inside a character after a trailing comment line).
    fn file_span(&self, start: usize, end: usize) -> Span {
        let text: &str = &self.file.text;
        let start = text.floor_char_boundary(start.min(text.len()));
        let end = text.ceil_char_boundary(end.clamp(start, text.len()));
        self.file.span(start, end)
    }

    /// The source text of a parser range (empty when out of range).
    fn raw(&self, r: &Range<usize>) -> &str {
        self.file
            .text
            .get(self.base + r.start..self.base + r.end)
            .unwrap_or("")
    }

    fn text(&self, s: &pd::UnescapedString<'_>) -> Text {
        Text {
            value: s.value.to_string(),
            span: self.span(s.span.clone()),
        }
    }

    fn flags(&self, flags: &[pd::Flag<'_>]) -> Vec<Flag> {
        flags
            .iter()
            .map(|f| Flag {
                name: f.name.value.to_string(),
                value: f.value.as_ref().map(|v| self.text(v)),
                span: self.span(f.span()),
            })
            .collect()
    }

    fn instruction(&self, inst: &pd::Instruction<'_>) -> Instruction {
        let (keyword, start, kind) = match inst {
            pd::Instruction::Run(r) => ("RUN", r.run.span.start, InstructionKind::Run(self.run(r))),
            pd::Instruction::User(u) => (
                "USER",
                u.user.span.start,
                InstructionKind::User(self.text(&u.arguments)),
            ),
            pd::Instruction::Env(e) => (
                "ENV",
                e.env.span.start,
                InstructionKind::Env(self.pairs(&e.arguments, true)),
            ),
            pd::Instruction::Arg(a) => (
                "ARG",
                a.arg.span.start,
                InstructionKind::Arg(self.pairs(&a.arguments, false)),
            ),
            pd::Instruction::Add(a) => (
                "ADD",
                a.add.span.start,
                InstructionKind::Add(self.transfer(&a.options, &a.src, &a.dest)),
            ),
            pd::Instruction::Copy(c) => (
                "COPY",
                c.copy.span.start,
                InstructionKind::Copy(self.transfer(&c.options, &c.src, &c.dest)),
            ),
            pd::Instruction::Cmd(c) => (
                "CMD",
                c.cmd.span.start,
                InstructionKind::Cmd(self.command_line(&c.arguments)),
            ),
            pd::Instruction::Entrypoint(e) => (
                "ENTRYPOINT",
                e.entrypoint.span.start,
                InstructionKind::Entrypoint(self.command_line(&e.arguments)),
            ),
            pd::Instruction::Shell(s) => (
                "SHELL",
                s.shell.span.start,
                InstructionKind::Shell(s.arguments.iter().map(|a| self.text(a)).collect()),
            ),
            pd::Instruction::Workdir(w) => (
                "WORKDIR",
                w.workdir.span.start,
                InstructionKind::Workdir(self.text(&w.arguments)),
            ),
            pd::Instruction::Onbuild(o) => (
                "ONBUILD",
                o.onbuild.span.start,
                InstructionKind::Onbuild(Box::new(self.instruction(&o.instruction))),
            ),
            pd::Instruction::From(f) => (
                "FROM",
                f.from.span.start,
                InstructionKind::Other(self.text(&f.image)),
            ),
            pd::Instruction::Expose(e) => (
                "EXPOSE",
                e.expose.span.start,
                self.other(e.arguments.iter().map(|a| a.span.clone())),
            ),
            pd::Instruction::Label(l) => (
                "LABEL",
                l.label.span.start,
                self.other([l.arguments.span.clone()]),
            ),
            pd::Instruction::Stopsignal(s) => (
                "STOPSIGNAL",
                s.stopsignal.span.start,
                self.other([s.arguments.span.clone()]),
            ),
            pd::Instruction::Maintainer(m) => (
                "MAINTAINER",
                m.maintainer.span.start,
                self.other([m.name.span.clone()]),
            ),
            pd::Instruction::Volume(v) => (
                "VOLUME",
                v.volume.span.start,
                match &v.arguments {
                    pd::JsonOrStringArray::Json(j) => self.other([j.span.clone()]),
                    pd::JsonOrStringArray::String(s) => {
                        self.other(s.iter().map(|a| a.span.clone()))
                    }
                },
            ),
            pd::Instruction::Healthcheck(h) => {
                ("HEALTHCHECK", h.healthcheck.span.start, self.healthcheck(h))
            }
            _ => ("UNKNOWN", 0, self.other([])),
        };
        let start = self.base + start;
        let end = kind_end(&kind).unwrap_or(start).max(start + keyword.len());
        Instruction {
            keyword: keyword.to_string(),
            span: self.file_span(start, end),
            kind,
        }
    }

    fn healthcheck(&self, h: &pd::HealthcheckInstruction<'_>) -> InstructionKind {
        let (command, range) = match &h.arguments {
            pd::HealthcheckArguments::Cmd { arguments, .. } => {
                (Some(self.command_line(arguments)), command_span(arguments))
            }
            pd::HealthcheckArguments::None { none, .. } => (None, none.span.clone()),
            _ => (None, 0..0),
        };
        InstructionKind::Healthcheck(Healthcheck {
            flags: self.flags(&h.options),
            command,
            text: self.text_of([range]),
        })
    }

    /// An instruction we keep as text: the source from its first to its last argument.
    fn other(&self, ranges: impl IntoIterator<Item = Range<usize>>) -> InstructionKind {
        InstructionKind::Other(self.text_of(ranges))
    }

    /// The source from the first range's start to the last range's end.
    fn text_of(&self, ranges: impl IntoIterator<Item = Range<usize>>) -> Text {
        let mut it = ranges.into_iter();
        let Some(first) = it.next() else {
            return Text {
                value: String::new(),
                span: self.span(0..0),
            };
        };
        let end = it.last().map_or(first.end, |r| r.end);
        let r = first.start..end.max(first.start);
        Text {
            value: self.raw(&r).to_string(),
            span: self.span(r),
        }
    }

    fn command_line(&self, cmd: &pd::Command<'_>) -> CommandLine {
        match cmd {
            pd::Command::Exec(e) => CommandLine {
                form: CommandForm::Exec(e.value.iter().map(|a| self.text(a)).collect()),
                text: Text {
                    value: self.raw(&e.span).to_string(),
                    span: self.span(e.span.clone()),
                },
            },
            pd::Command::Shell(s) => CommandLine {
                form: CommandForm::Shell,
                text: Text {
                    value: s.value.to_string(),
                    span: self.span(s.span.clone()),
                },
            },
            _ => CommandLine {
                form: CommandForm::Shell,
                text: Text {
                    value: String::new(),
                    span: self.span(0..0),
                },
            },
        }
    }

    fn run(&self, r: &pd::RunInstruction<'_>) -> Run {
        let opts = shell::Options {
            escape: self.escape,
            skip_continued_comments: true,
        };
        let at = self.base + r.run.span.start;
        // Here-document bodies in file offsets: the parser's, then the ones it could not read.
        let bodies: Vec<Range<usize>> = r
            .here_docs
            .iter()
            .map(|h| self.base + h.span.start..self.base + h.span.end)
            .chain(
                self.extra_heredocs
                    .iter()
                    .filter(|(run, _)| *run == at)
                    .map(|(_, body)| body.clone()),
            )
            .collect();
        let heredocs: Vec<Text> = bodies
            .iter()
            .map(|b| Text {
                value: self.file.text.get(b.clone()).unwrap_or("").to_string(),
                span: self.file_span(b.start, b.end),
            })
            .collect();
        let mut scripts = Vec::new();
        let form = match &r.arguments {
            pd::Command::Shell(s) => {
                let script = self.script(&s.span, opts);
                // `RUN <<EOF` (or `RUN bash <<EOF`) runs the here-document as the script;
                // `RUN python3 <<EOF` feeds it to another interpreter.
                let runs_heredocs = script
                    .commands()
                    .next()
                    .and_then(|c| c.program())
                    .is_none_or(|p| SHELLS.contains(&p));
                if !s.value.trim().is_empty() {
                    scripts.push(script);
                }
                if runs_heredocs {
                    // Here-document bodies are plain shell: `\` continues lines there.
                    scripts.extend(bodies.iter().map(|b| {
                        self.script(
                            &(b.start.saturating_sub(self.base)..b.end.saturating_sub(self.base)),
                            shell::Options::SHELL,
                        )
                    }));
                }
                CommandForm::Shell
            }
            pd::Command::Exec(e) => {
                let args: Vec<Text> = e.value.iter().map(|a| self.text(a)).collect();
                scripts.extend(self.exec_script(&e.value));
                CommandForm::Exec(args)
            }
            _ => CommandForm::Shell,
        };
        Run {
            flags: self.flags(&r.options),
            form,
            scripts,
            heredocs,
        }
    }

    /// Lexes the source text of `r` with exact word spans.
    fn script(
        &self,
        r: &Range<usize>,
        opts: shell::Options,
    ) -> trustmap_model::docker::shell::Script {
        let at = self.base + r.start;
        let file = self.file;
        shell::script(self.raw(r), self.span(r.clone()), opts, &|s, e| {
            file.span(at + s, at + e)
        })
    }

    /// `["sh", "-c", "script"]`: the script, with exact spans when the JSON string has no
    /// escapes (its text then equals the source); otherwise every word gets the string's span.
    fn exec_script(
        &self,
        args: &[pd::UnescapedString<'_>],
    ) -> Option<trustmap_model::docker::shell::Script> {
        let program = args.first()?.value.rsplit('/').next()?.to_string();
        let c = args.iter().position(|a| a.value == "-c")?;
        let body = args.get(c + 1)?;
        if !SHELLS.contains(&program.as_str()) {
            return None;
        }
        let span = self.span(body.span.clone());
        if self.raw(&body.span) == body.value {
            return Some(self.script(&body.span, shell::Options::SHELL));
        }
        Some(shell::script(
            &body.value,
            span,
            shell::Options::SHELL,
            &|_, _| span,
        ))
    }

    fn transfer(
        &self,
        flags: &[pd::Flag<'_>],
        src: &[pd::Source<'_>],
        dest: &pd::UnescapedString<'_>,
    ) -> Transfer {
        Transfer {
            flags: self.flags(flags),
            sources: src
                .iter()
                .filter_map(|s| match s {
                    pd::Source::Path(p) => Some(self.text(p)),
                    pd::Source::HereDoc(h) => Some(Text {
                        value: h.value.to_string(),
                        span: self.span(h.span.clone()),
                    }),
                    _ => None,
                })
                .collect(),
            dest: self.text(dest),
        }
    }

    /// `ENV`/`ARG` arguments as pairs. `legacy` allows `ENV KEY value with spaces`.
    fn pairs(&self, args: &pd::UnescapedString<'_>, legacy: bool) -> Vec<KeyValue> {
        let raw = self.raw(&args.span);
        let at = self.base + args.span.start;
        let span = |s: usize, e: usize| self.file.span(at + s, at + e);
        let words = words::split(raw, self.escape);
        let Some(first) = words.first() else {
            return Vec::new();
        };
        if legacy && !first.text.contains('=') {
            // `ENV KEY value`: everything after the key is the value, as written.
            let value = words.get(1).map(|second| {
                let last = words.last().unwrap_or(second);
                Text {
                    value: words[1..]
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    span: span(second.start, last.end),
                }
            });
            return vec![KeyValue {
                key: Text {
                    value: first.text.clone(),
                    span: span(first.start, first.end),
                },
                value,
            }];
        }
        words
            .iter()
            .map(|w| {
                let raw_word = &raw[w.start..w.end];
                match (w.text.split_once('='), raw_word.find('=')) {
                    (Some((k, v)), Some(eq)) => KeyValue {
                        key: Text {
                            value: k.to_string(),
                            span: span(w.start, w.start + eq),
                        },
                        value: Some(Text {
                            value: v.to_string(),
                            span: span(w.start + eq + 1, w.end),
                        }),
                    },
                    _ => KeyValue {
                        key: Text {
                            value: w.text.clone(),
                            span: span(w.start, w.end),
                        },
                        value: None,
                    },
                }
            })
            .collect()
    }
}

fn command_span(cmd: &pd::Command<'_>) -> Range<usize> {
    match cmd {
        pd::Command::Exec(e) => e.span.clone(),
        pd::Command::Shell(s) => s.span.clone(),
        _ => 0..0,
    }
}

/// Where an instruction's text ends, from its parts (file offsets).
fn kind_end(kind: &InstructionKind) -> Option<usize> {
    let end = match kind {
        InstructionKind::Run(r) => r
            .heredocs
            .iter()
            .map(|h| h.span.end)
            .chain(r.scripts.iter().map(|s| s.span.end))
            .chain(match &r.form {
                CommandForm::Exec(args) => args.iter().map(|a| a.span.end).max(),
                CommandForm::Shell => None,
            })
            .max()?,
        InstructionKind::User(t) | InstructionKind::Workdir(t) | InstructionKind::Other(t) => {
            t.span.end
        }
        InstructionKind::Healthcheck(h) => h.text.span.end,
        InstructionKind::Env(kvs) | InstructionKind::Arg(kvs) => kvs
            .iter()
            .map(|kv| kv.value.as_ref().map_or(kv.key.span.end, |v| v.span.end))
            .max()?,
        InstructionKind::Add(t) | InstructionKind::Copy(t) => t.dest.span.end,
        InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) => c.text.span.end,
        InstructionKind::Shell(args) => args.iter().map(|a| a.span.end).max()?,
        InstructionKind::Onbuild(inner) => inner.span.end,
    };
    Some(end as usize)
}

#[cfg(test)]
mod tests;
