//! GitHub Actions workflows: triggers, token permissions, jobs, steps and the `${{ }}`
//! expressions inside them, all with spans.

use trustmap_source::Span;

use crate::docker::shell::Script;
use crate::{ResourceMeta, Value};

/// One workflow file under `.github/workflows/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Workflow {
    /// Address = the file's path; span = the whole document.
    pub meta: ResourceMeta,
    pub name: Option<Scalar>,
    /// Where a workflow-level omission is reported: the `on:` key (the document's first key
    /// when there is none). One short, stable line rather than the whole file.
    pub anchor: Span,
    /// In the order written. `on: push`, `on: [a, b]` and the mapping form all land here.
    pub triggers: Vec<Trigger>,
    /// Workflow-level `permissions:`. When absent: `Default(WriteAll)` located at the
    /// document — the repository's default token, which is read/write on every scope for
    /// repositories created before February 2023 and organisations that kept that setting.
    pub permissions: Value<Permissions>,
    pub env: Vec<KeyValue>,
    pub jobs: Vec<Job>,
}

impl Workflow {
    pub fn trigger(&self, event: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.event == event)
    }

    pub fn has_trigger(&self, event: &str) -> bool {
        self.trigger(event).is_some()
    }
}

/// One event under `on:`.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub event: String,
    /// The event name as written.
    pub span: Span,
    /// `branches`, `types`, `paths`, `cron`, … with their values.
    pub filters: Vec<Filter>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub key: String,
    pub key_span: Span,
    pub values: Vec<Scalar>,
}

/// What `permissions:` grants the `GITHUB_TOKEN`.
#[derive(Clone, Debug, PartialEq)]
pub enum Permissions {
    ReadAll,
    WriteAll,
    /// The mapping form; scopes not listed get `none` (`permissions: {}` grants nothing).
    Scopes(Vec<ScopePermission>),
}

impl Permissions {
    /// The level granted on `scope` (`contents`, `id-token`, …).
    pub fn level(&self, scope: &str) -> Level {
        match self {
            Permissions::ReadAll => Level::Read,
            Permissions::WriteAll => Level::Write,
            Permissions::Scopes(s) => s
                .iter()
                .rev()
                .find(|p| p.scope == scope)
                .map_or(Level::None, |p| p.level),
        }
    }

    /// Scopes granted `write`, in the mapping form.
    pub fn written_scopes(&self) -> impl Iterator<Item = &ScopePermission> {
        let scopes = match self {
            Permissions::Scopes(s) => s.as_slice(),
            _ => &[],
        };
        scopes.iter().filter(|p| p.level == Level::Write)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    None,
    Read,
    Write,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScopePermission {
    pub scope: String,
    pub scope_span: Span,
    pub level: Level,
    /// The level as written.
    pub span: Span,
}

/// One job.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    /// The job's key: where job-level omissions are reported.
    pub id_span: Span,
    /// Address = `path#job`; span = from the key to the end of the job.
    pub meta: ResourceMeta,
    pub name: Option<Scalar>,
    /// The job's own `permissions:`, or else the workflow's (see `permissions_inherited`).
    pub permissions: Value<Permissions>,
    /// True when the job has no `permissions:` of its own.
    pub permissions_inherited: bool,
    /// `runs-on` labels (string, list, or the `labels` of the group form).
    pub runs_on: Vec<Scalar>,
    pub runs_on_span: Option<Span>,
    pub environment: Option<Scalar>,
    /// The job's `if:`.
    pub condition: Option<Scalar>,
    /// A reusable workflow called with `uses:` (then the job has no steps).
    pub uses: Option<UsesRef>,
    /// `with:` of a reusable workflow call.
    pub with: Vec<KeyValue>,
    /// `secrets: inherit`, with its span.
    pub secrets_inherit: Option<Span>,
    pub env: Vec<KeyValue>,
    pub steps: Vec<Step>,
}

/// One step of a job.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Position in the job, from 0.
    pub index: usize,
    pub span: Span,
    pub id: Option<Scalar>,
    pub name: Option<Scalar>,
    pub condition: Option<Scalar>,
    pub uses: Option<UsesRef>,
    /// The `run:` text with its expressions.
    pub run: Option<Scalar>,
    /// The `run:` text lexed as shell (word spans exact where the YAML allows).
    pub script: Option<Script>,
    pub shell: Option<Scalar>,
    pub with: Vec<KeyValue>,
    pub env: Vec<KeyValue>,
}

impl Step {
    /// A `with:` input by name.
    pub fn input(&self, key: &str) -> Option<&KeyValue> {
        self.with.iter().rev().find(|kv| kv.key == key)
    }

    /// True when the step runs `owner/repo` (any path, any ref), compared case-insensitively.
    pub fn uses_action(&self, owner_repo: &str) -> bool {
        self.uses.as_ref().is_some_and(|u| {
            u.owner.is_some()
                && u.path.is_none()
                && format!(
                    "{}/{}",
                    u.owner.as_deref().unwrap_or(""),
                    u.repo.as_deref().unwrap_or("")
                )
                .eq_ignore_ascii_case(owner_repo)
        })
    }
}

/// A `with:`/`env:` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Span,
    pub value: Scalar,
}

/// A scalar as written (numbers and booleans as text), with its `${{ }}` expressions.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub value: String,
    pub span: Span,
    pub expressions: Vec<Expression>,
}

/// One `${{ … }}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    /// The text between `${{` and `}}`, trimmed.
    pub inner: String,
    /// The whole `${{ … }}` in the file; the enclosing scalar's span when `exact` is false.
    pub span: Span,
    /// False when the YAML folding or escaping kept us from locating it exactly.
    pub exact: bool,
    /// Context paths read by the expression, lower-cased, indexes as segments:
    /// `github.event.commits[0].message` → `github.event.commits.0.message`,
    /// `github.event.commits.*.message` stays as is.
    pub contexts: Vec<ContextRef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContextRef {
    pub path: String,
    pub span: Span,
    /// False when the value only feeds a comparison, a `!` or `contains`/`startsWith`/
    /// `endsWith`, so the expression's result is a boolean and never carries its text.
    pub flows_to_result: bool,
}

/// What a `uses:` names.
#[derive(Clone, Debug, PartialEq)]
pub struct UsesRef {
    pub text: String,
    pub span: Span,
    pub kind: UsesKind,
    /// `owner` and `repo` of `owner/repo[/path]@ref`.
    pub owner: Option<String>,
    pub repo: Option<String>,
    /// The path inside the repository (or of a local `./path`).
    pub path: Option<String>,
    /// After `@` (a tag, branch or commit), or a `docker://` tag.
    pub git_ref: Option<String>,
    /// Pinned to a full commit SHA (40 or 64 hex digits), or a `docker://…@sha256:` digest.
    pub is_sha_pinned: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsesKind {
    /// `owner/repo[/path]@ref`
    Action,
    /// `owner/repo/.github/workflows/x.yml@ref`
    ReusableWorkflow,
    /// `./path`: from the repository itself.
    Local,
    /// `docker://image`
    Docker,
    /// Not a form GitHub accepts (an expression, a missing `@ref`).
    Invalid,
}

impl UsesRef {
    pub fn is_local(&self) -> bool {
        self.kind == UsesKind::Local
    }

    pub fn is_docker(&self) -> bool {
        self.kind == UsesKind::Docker
    }
}
