//! Dockerfiles: stages, their base images and the instructions rules care about.
//!
//! The adapter keeps every instruction with its span; the ones that carry security meaning
//! (`RUN`, `USER`, `ENV`, `ARG`, `ADD`, `COPY`, `HEALTHCHECK`) are typed, the rest keep
//! their text.

pub mod shell;

use trustmap_source::{Span, Via};

use crate::ResourceMeta;

/// One Dockerfile (or Containerfile).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Dockerfile {
    /// Address = the file's path; span = the whole file.
    pub meta: ResourceMeta,
    /// The `# escape=` directive's character (`\` unless set).
    pub escape: char,
    /// `ARG`s before the first `FROM`: they parameterise `FROM` lines.
    pub global_args: Vec<KeyValue>,
    /// In file order; the last one is the image that ships.
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// The stage that becomes the image (the last one), unless `--target` picks another.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// A stage by its alias (Docker compares stage names case-insensitively).
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| {
            s.name
                .as_ref()
                .is_some_and(|n| n.value.eq_ignore_ascii_case(name))
        })
    }
}

/// A spanned piece of text as written (after quote removal where the syntax has quotes).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// One build stage: a `FROM` and the instructions up to the next `FROM`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Stage {
    /// Position in the file, from 0 (what `COPY --from=0` refers to).
    pub index: usize,
    /// The `AS name` alias.
    pub name: Option<Text>,
    pub from: ImageRef,
    /// The `FROM` instruction.
    pub from_span: Span,
    /// From `FROM` to the end of the stage's last instruction.
    pub span: Span,
    pub instructions: Vec<Instruction>,
}

impl Stage {
    /// The instructions, with the ones inside `ONBUILD` right after their wrapper.
    pub fn all_instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.instructions.iter().flat_map(|i| {
            let inner = match &i.kind {
                InstructionKind::Onbuild(inner) => Some(inner.as_ref()),
                _ => None,
            };
            std::iter::once(i).chain(inner)
        })
    }

    /// The last `USER` of this stage (not looking into `ONBUILD`, which runs in child images).
    pub fn last_user(&self) -> Option<&Text> {
        self.instructions.iter().rev().find_map(|i| match &i.kind {
            InstructionKind::User(u) => Some(u),
            _ => None,
        })
    }
}

/// The image a `FROM` names.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ImageRef {
    /// As written, e.g. `${BASE}` or `python:3.12-slim@sha256:…`.
    pub text: String,
    pub span: Span,
    /// The reference after substituting the defaults of global `ARG`s; `None` when an `ARG`
    /// it uses has no default (the value only exists at build time: unknown).
    pub resolved: Option<String>,
    /// Registry host when the first path component names one (`ghcr.io`, `localhost:5000`).
    pub registry: Option<String>,
    /// The repository path without registry, tag or digest (`library/python` stays `python`).
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:…` after `@`.
    pub digest: Option<String>,
    /// Names an earlier stage's alias: the image is built here, not pulled.
    pub is_stage_ref: bool,
    /// `FROM scratch`: the empty image.
    pub is_scratch: bool,
    /// Contains `$`: depends on build arguments.
    pub uses_arg: bool,
    /// The `ARG` declarations whose defaults were substituted.
    pub via: Vec<Via>,
}

impl ImageRef {
    /// Pulled from a registry (not a stage, not `scratch`) and known after substitution.
    pub fn is_pulled(&self) -> bool {
        !self.is_stage_ref && !self.is_scratch && self.resolved.is_some()
    }
}

/// One instruction with its span (keyword to the end of its last argument or here-document).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Instruction {
    /// Upper-case keyword, e.g. `RUN`.
    pub keyword: String,
    pub span: Span,
    pub kind: InstructionKind,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub enum InstructionKind {
    Run(Run),
    /// `USER name[:group]` as written.
    User(Text),
    /// `ENV` pairs (the legacy `ENV KEY value` form gives one pair).
    Env(Vec<KeyValue>),
    /// `ARG` declarations; `value` is `None` for `ARG NAME` without a default.
    Arg(Vec<KeyValue>),
    Add(Transfer),
    Copy(Transfer),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    /// `SHELL ["…", …]`.
    Shell(Vec<Text>),
    Workdir(Text),
    /// `ONBUILD <instruction>`: runs when another image builds `FROM` this one.
    Onbuild(Box<Instruction>),
    /// `HEALTHCHECK [options] CMD …` or `HEALTHCHECK NONE`.
    Healthcheck(Healthcheck),
    /// `EXPOSE`, `LABEL`, `VOLUME`, `STOPSIGNAL`, `MAINTAINER`: kept as text.
    Other(Text),
}

/// A `HEALTHCHECK` instruction.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Healthcheck {
    /// `--interval`, `--timeout`, `--start-period`, `--retries`, ...
    pub flags: Vec<Flag>,
    /// The command to run; `None` for `HEALTHCHECK NONE`, which turns off any check the base
    /// image declares.
    pub command: Option<CommandLine>,
    /// `NONE` or the command, as written.
    pub text: Text,
}

/// `KEY=value` of `ENV` or `ARG`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct KeyValue {
    pub key: Text,
    /// After quote removal; its span covers the value as written (quotes included).
    pub value: Option<Text>,
}

/// A `--name=value` option of `RUN`, `ADD`, `COPY` or `FROM`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Flag {
    pub name: String,
    pub value: Option<Text>,
    /// The whole `--name=value`.
    pub span: Span,
}

/// A `RUN` instruction.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Run {
    pub flags: Vec<Flag>,
    pub form: CommandForm,
    /// What the shell runs: the shell-form text, the `-c` script of an exec-form
    /// `["sh", "-c", "…"]`, or here-documents fed to a shell. One entry per script.
    pub scripts: Vec<shell::Script>,
    /// Here-document bodies, as written.
    pub heredocs: Vec<Text>,
}

/// `CMD`/`ENTRYPOINT` arguments.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct CommandLine {
    pub form: CommandForm,
    pub text: Text,
}

/// Shell form (`RUN a b`) or exec form (`RUN ["a", "b"]`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub enum CommandForm {
    Shell,
    Exec(Vec<Text>),
}

/// `ADD`/`COPY`: sources to destination.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Transfer {
    pub flags: Vec<Flag>,
    /// Paths or URLs; a here-document source gives its body.
    pub sources: Vec<Text>,
    pub dest: Text,
}

impl Transfer {
    /// The value of `--name=…`, if given.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}
