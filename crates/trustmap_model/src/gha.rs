//! GitHub Actions workflows: triggers, token permissions, jobs, steps and the `${{ }}`
//! expressions inside them, all with spans.

use trustmap_source::Span;

use crate::docker::shell::Script;
use crate::{ResourceMeta, Value};

/// An action's metadata file (`action.yml`/`action.yaml`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Action {
    /// Address = the file's path; span = the whole document.
    pub meta: ResourceMeta,
    pub name: Option<Scalar>,
    /// `inputs:` with their defaults.
    pub inputs: Vec<ActionInput>,
    /// `runs.using`: `composite`, `docker`, `node20`, ….
    pub using: Option<Scalar>,
    /// `runs.steps` of a composite action.
    pub steps: Vec<Step>,
    /// `runs.image` of a Docker action.
    pub image: Option<Scalar>,
    /// Cloud identities its steps assume through OIDC.
    pub cloud_roles: Vec<CloudRole>,
}

impl Action {
    pub fn is_composite(&self) -> bool {
        self.using.as_ref().is_some_and(|u| u.value == "composite")
    }
}

/// One `inputs:` entry of an action.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ActionInput {
    pub name: String,
    pub name_span: Span,
    pub default: Option<Scalar>,
}

/// One workflow file under `.github/workflows/`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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
    /// Jobs elsewhere in the scan that call this workflow through a local `uses:`
    /// (`./.github/workflows/this.yml`); filled by the engine after adaptation.
    pub callers: Vec<Caller>,
}

impl Workflow {
    pub fn trigger(&self, event: &str) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.event == event)
    }

    pub fn has_trigger(&self, event: &str) -> bool {
        self.trigger(event).is_some()
    }

    /// The events that can start this workflow's jobs: its own triggers except
    /// `workflow_call`, then those of every workflow that calls it (transitively), so a
    /// reusable workflow called from a `pull_request_target` workflow runs on that trigger.
    pub fn effective_triggers(&self) -> Vec<&Trigger> {
        let mut out: Vec<&Trigger> = self
            .triggers
            .iter()
            .filter(|t| t.event != "workflow_call")
            .collect();
        for c in &self.callers {
            for t in &c.triggers {
                if !out.iter().any(|o| o.event == t.event) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The first effective trigger among `events`.
    pub fn effective_trigger(&self, events: &[&str]) -> Option<&Trigger> {
        self.effective_triggers()
            .into_iter()
            .find(|t| events.contains(&t.event.as_str()))
    }

    /// A job by id.
    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// Per job, the cloud identities it assumes through OIDC together with what can start it:
    /// the raw material of the attack graph's CI edges.
    pub fn job_identities(&self) -> Vec<JobIdentity<'_>> {
        let triggers = self.effective_triggers();
        let branches: Vec<&Filter> = triggers
            .iter()
            .flat_map(|t| &t.filters)
            .filter(|f| matches!(f.key.as_str(), "branches" | "tags"))
            .collect();
        self.jobs
            .iter()
            .filter(|j| !j.cloud_roles.is_empty())
            .map(|job| JobIdentity {
                job,
                triggers: triggers.clone(),
                ref_filters: branches.clone(),
                environment: job.environment.as_ref(),
                roles: &job.cloud_roles,
            })
            .collect()
    }
}

/// A job that calls a workflow of the same repository.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Caller {
    /// The calling job's address (`path#job`).
    pub job: String,
    /// The calling workflow's path.
    pub workflow: String,
    /// The `uses:` of the calling job.
    pub uses_span: Span,
    /// The caller's effective triggers.
    pub triggers: Vec<Trigger>,
}

/// A job's cloud identities and what starts it (see [`Workflow::job_identities`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct JobIdentity<'a> {
    pub job: &'a Job,
    pub triggers: Vec<&'a Trigger>,
    /// `branches:`/`tags:` filters of those triggers.
    pub ref_filters: Vec<&'a Filter>,
    pub environment: Option<&'a Scalar>,
    pub roles: &'a [CloudRole],
}

/// A cloud provider a job signs in to with the workflow's OIDC token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum CloudProvider {
    Aws,
    Gcp,
    Azure,
}

/// A cloud identity a job assumes through OIDC, read from the sign-in action's inputs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct CloudRole {
    pub provider: CloudProvider,
    /// The step's index in its job (for a composite action: the calling step's).
    pub step: usize,
    /// The sign-in action's `uses:`.
    pub uses_span: Span,
    /// AWS `role-to-assume`, GCP `workload_identity_provider`, Azure `client-id`.
    pub principal: Scalar,
    /// AWS `aws-region`.
    pub region: Option<Scalar>,
    /// GCP `service_account` (impersonated after the federation).
    pub service_account: Option<Scalar>,
    /// Azure `tenant-id`.
    pub tenant_id: Option<Scalar>,
    /// Azure `subscription-id`.
    pub subscription_id: Option<Scalar>,
}

impl CloudRole {
    /// Reads the OIDC sign-in a step performs, if it is one: `aws-actions/configure-aws-
    /// credentials` with `role-to-assume` and no access key, `google-github-actions/auth`
    /// with `workload_identity_provider`, `azure/login` with `client-id` and no `creds`.
    pub fn from_step(step: &Step) -> Option<CloudRole> {
        let input = |k: &str| step.input(k).map(|kv| kv.value.clone());
        let (provider, principal) = if step.uses_action("aws-actions/configure-aws-credentials") {
            if step.input("aws-access-key-id").is_some() {
                return None;
            }
            (CloudProvider::Aws, input("role-to-assume")?)
        } else if step.uses_action("google-github-actions/auth") {
            (CloudProvider::Gcp, input("workload_identity_provider")?)
        } else if step.uses_action("azure/login") {
            if step.input("creds").is_some() {
                return None;
            }
            (CloudProvider::Azure, input("client-id")?)
        } else {
            return None;
        };
        Some(CloudRole {
            provider,
            step: step.index,
            uses_span: step.uses.as_ref().map_or(step.span, |u| u.span),
            principal,
            region: input("aws-region"),
            service_account: input("service_account"),
            tenant_id: input("tenant-id"),
            subscription_id: input("subscription-id"),
        })
    }
}

/// One event under `on:`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Trigger {
    pub event: String,
    /// The event name as written.
    pub span: Span,
    /// `branches`, `types`, `paths`, `cron`, … with their values.
    pub filters: Vec<Filter>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Filter {
    pub key: String,
    pub key_span: Span,
    pub values: Vec<Scalar>,
}

/// What `permissions:` grants the `GITHUB_TOKEN`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
pub enum Level {
    None,
    Read,
    Write,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ScopePermission {
    pub scope: String,
    pub scope_span: Span,
    pub level: Level,
    /// The level as written.
    pub span: Span,
}

/// One job.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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
    /// `needs:` job ids.
    pub needs: Vec<Scalar>,
    /// `outputs:`, each an expression usually reading `steps.<id>.outputs.<name>`.
    pub outputs: Vec<KeyValue>,
    /// The job's `continue-on-error:`.
    pub continue_on_error: Option<Scalar>,
    /// Cloud identities its steps assume through OIDC, in step order (composite actions of
    /// the same repository included once the engine has resolved them).
    pub cloud_roles: Vec<CloudRole>,
}

impl Job {
    /// A step by its `id:`.
    pub fn step_by_id(&self, id: &str) -> Option<&Step> {
        self.steps
            .iter()
            .find(|s| s.id.as_ref().is_some_and(|i| i.value == id))
    }

    /// An output by name.
    pub fn output(&self, name: &str) -> Option<&KeyValue> {
        self.outputs
            .iter()
            .rev()
            .find(|kv| kv.key.eq_ignore_ascii_case(name))
    }
}

/// One step of a job.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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
    /// The step's `continue-on-error:`.
    pub continue_on_error: Option<Scalar>,
    /// What the `run:` script writes to `$GITHUB_OUTPUT` and `$GITHUB_ENV`.
    pub file_writes: Vec<FileWrite>,
}

/// A file command of the runner: `echo "name=value" >> "$GITHUB_OUTPUT"`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct FileWrite {
    pub file: RunnerFile,
    pub name: String,
    /// The `name=value` word (the whole `run:` when the YAML kept us from mapping it).
    pub span: Span,
    /// The value as the shell sees it, before GitHub expands `${{ }}` in it.
    pub value: String,
    /// Indexes into the step's `run` expressions that sit inside the value.
    pub expressions: Vec<usize>,
    /// Shell variables the value expands (`$TITLE`, `${TITLE}`).
    pub shell_vars: Vec<String>,
}

/// Which runner file a step writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum RunnerFile {
    /// `$GITHUB_OUTPUT` (or the legacy `::set-output`): a step output.
    Output,
    /// `$GITHUB_ENV`: an environment variable of the later steps.
    Env,
}

impl Step {
    /// Step outputs written by the script under `name`.
    pub fn output_writes<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FileWrite> {
        self.file_writes
            .iter()
            .filter(move |w| w.file == RunnerFile::Output && w.name.eq_ignore_ascii_case(name))
    }

    /// True when the step's `continue-on-error` is the literal `true`.
    pub fn continues_on_error(&self) -> bool {
        self.continue_on_error
            .as_ref()
            .is_some_and(|c| c.value == "true")
    }

    /// A `with:` input by name.
    pub fn input(&self, key: &str) -> Option<&KeyValue> {
        self.with.iter().rev().find(|kv| kv.key == key)
    }

    /// True when the step runs `owner/repo` (any path, any ref), compared case-insensitively.
    /// `owner/repo/path` matches only that sub-action.
    pub fn uses_action(&self, owner_repo: &str) -> bool {
        self.uses.as_ref().is_some_and(|u| u.is_action(owner_repo))
    }

    /// True when the step runs any action of `owner/repo`, sub-actions included
    /// (`github/codeql-action/analyze` for `github/codeql-action`).
    pub fn uses_repo(&self, owner_repo: &str) -> bool {
        self.uses.as_ref().is_some_and(|u| {
            u.kind == UsesKind::Action && u.owner_repo().eq_ignore_ascii_case(owner_repo)
        })
    }
}

/// A `with:`/`env:` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct KeyValue {
    pub key: String,
    pub key_span: Span,
    pub value: Scalar,
}

/// A scalar as written (numbers and booleans as text), with its `${{ }}` expressions.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Scalar {
    pub value: String,
    pub span: Span,
    pub expressions: Vec<Expression>,
}

/// One `${{ … }}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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

#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ContextRef {
    pub path: String,
    pub span: Span,
    /// False when the value only feeds a comparison, a `!` or `contains`/`startsWith`/
    /// `endsWith`, so the expression's result is a boolean and never carries its text.
    pub flows_to_result: bool,
}

/// What a `uses:` names.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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
    /// For a local `./path`: the scanned file it names (`…/action.yml` or the workflow),
    /// filled by the engine after adaptation when that file is part of the scan.
    pub resolved: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
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
    /// `owner/repo` (empty for local and docker references).
    pub fn owner_repo(&self) -> String {
        match (&self.owner, &self.repo) {
            (Some(o), Some(r)) => format!("{o}/{r}"),
            _ => String::new(),
        }
    }

    /// True for `owner/repo` itself, or `owner/repo/path` when `name` has a path.
    pub fn is_action(&self, name: &str) -> bool {
        if self.owner.is_none() {
            return false;
        }
        let full = match &self.path {
            Some(p) => format!("{}/{p}", self.owner_repo()),
            None => self.owner_repo(),
        };
        full.eq_ignore_ascii_case(name)
    }

    /// The major version of a `vN`, `vN.M`, `vN.M.P` ref (`None` for a SHA or a branch).
    pub fn major_version(&self) -> Option<u32> {
        self.version().map(|v| v.0)
    }

    /// `(major, minor, patch)` of a `v`-prefixed or bare numeric ref; missing parts are 0.
    pub fn version(&self) -> Option<(u32, u32, u32)> {
        let r = self.git_ref.as_deref()?;
        let r = r.strip_prefix('v').unwrap_or(r);
        let mut parts = r.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        Some((major, minor, patch))
    }

    pub fn is_local(&self) -> bool {
        self.kind == UsesKind::Local
    }

    pub fn is_docker(&self) -> bool {
        self.kind == UsesKind::Docker
    }
}
