//! Follows a value from where an expression reads it back to where it came from.
//!
//! A `${{ }}` expression may read an outsider's text directly (`github.event.issue.title`) or
//! through any number of hops: `env.X` (workflow, job, step and calling steps' `env:`, and
//! `$GITHUB_ENV` written by an earlier step), `steps.<id>.outputs.<name>` (written to
//! `$GITHUB_OUTPUT` by that step), `needs.<job>.outputs.<name>` (a job's `outputs:`) and
//! `inputs.<name>` (the `with:` of the step calling a composite action, or of each job
//! calling a reusable workflow). Each hop becomes a related location of the finding.

use std::cell::Cell;
use std::rc::Rc;

use trustmap_model::Model;
use trustmap_model::gha::{Expression, FileWrite, Job, KeyValue, Scalar, Step, Workflow};
use trustmap_source::Span;

use super::contexts::{contains_attacker_controlled, is_attacker_controlled, is_pr_head};
use super::sites::Site;
use crate::Related;

/// Hops followed before giving up (cycles, pathological chains).
const MAX_HOPS: usize = 12;
/// Contexts resolved per traced expression, whatever the fan-out of a crafted workflow.
const BUDGET: u32 = 4_096;

/// What is being traced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text an outsider writes (titles, bodies, branch names, commit messages).
    Attacker,
    /// A ref or repository naming the pull request's own code.
    PrHead,
    /// A secret (`secrets.X`, or `toJSON(secrets)`).
    Secret,
}

impl Kind {
    fn direct(self, e: &Expression, path: &str) -> bool {
        match self {
            Kind::Attacker => {
                is_attacker_controlled(path)
                    || (e.inner.to_ascii_lowercase().contains("tojson(")
                        && contains_attacker_controlled(path))
            }
            Kind::PrHead => is_pr_head(path),
            Kind::Secret => {
                path.starts_with("secrets.")
                    || (path == "secrets" && e.inner.to_ascii_lowercase().contains("tojson("))
            }
        }
    }
}

/// A traced value.
#[derive(Clone, Debug)]
pub(crate) struct Taint {
    /// The context the value comes from (`github.event.issue.title`), or a description.
    pub(crate) source: String,
    /// Hops from the use back to the source, nearest first.
    pub(crate) hops: Vec<Related>,
    /// How the first hop is spelled in the file (`env.COMMENT`), when that differs from the
    /// normalised context path.
    pub(crate) display: Option<String>,
}

/// Where an expression is evaluated.
#[derive(Clone, Debug)]
pub(crate) struct Scope<'a> {
    model: &'a Model,
    workflow: Option<&'a Workflow>,
    job: Option<&'a Job>,
    /// The step context, when the expression belongs to a step.
    site: Option<Site<'a>>,
    /// `env:` maps still visible, innermost first.
    env: Vec<&'a [KeyValue]>,
    /// Resolutions left, shared by every scope derived from the same entry point.
    budget: Rc<Cell<u32>>,
}

impl<'a> Scope<'a> {
    /// Expressions of a step (`run`, `with`, `env` values evaluated for that step).
    pub(crate) fn step(site: &Site<'a>) -> Self {
        Scope {
            model: site.model,
            workflow: site.workflow,
            job: site.job,
            env: site.env_chain(),
            site: Some(site.clone()),
            budget: Rc::new(Cell::new(BUDGET)),
        }
    }

    /// Another step's scope, sharing this one's budget.
    fn for_step(&self, site: &Site<'a>) -> Self {
        Scope {
            budget: self.budget.clone(),
            ..Scope::step(site)
        }
    }

    /// A job-level scope, sharing this one's budget.
    fn for_job(&self, workflow: &'a Workflow, job: &'a Job) -> Self {
        Scope {
            budget: self.budget.clone(),
            ..Scope::job(self.model, workflow, job)
        }
    }

    /// Takes one resolution from the budget; false once it is spent.
    fn spend(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }

    /// Expressions at job level (`outputs:`, `with:` of a reusable call, job `env:`).
    pub(crate) fn job(model: &'a Model, workflow: &'a Workflow, job: &'a Job) -> Self {
        Scope {
            model,
            workflow: Some(workflow),
            job: Some(job),
            site: None,
            env: vec![&workflow.env],
            budget: Rc::new(Cell::new(BUDGET)),
        }
    }

    fn with_env(&self, env: Vec<&'a [KeyValue]>) -> Self {
        Scope {
            env,
            ..self.clone()
        }
    }

    /// The steps `steps.<id>` can name, and the site builder for them.
    fn steps(&self) -> &'a [Step] {
        match &self.site {
            Some(s) => s.siblings(),
            None => self.job.map_or(&[], |j| j.steps.as_slice()),
        }
    }

    fn site_of(&self, step: &'a Step) -> Option<Site<'a>> {
        match &self.site {
            Some(s) => Some(s.sibling(step)),
            None => Some(Site {
                model: self.model,
                workflow: self.workflow,
                job: self.job,
                frames: Vec::new(),
                step,
            }),
        }
    }
}

/// The first traced value among the expression's contexts that reach its result.
pub(crate) fn expression(scope: &Scope<'_>, e: &Expression, kind: Kind) -> Option<(String, Taint)> {
    e.contexts
        .iter()
        .filter(|c| c.flows_to_result)
        .find_map(|c| path(scope, e, &c.path, kind, 0).map(|t| (c.path.clone(), t)))
}

fn scalar_at(scope: &Scope<'_>, s: &Scalar, kind: Kind, depth: usize) -> Option<(String, Taint)> {
    s.expressions.iter().find_map(|e| {
        e.contexts
            .iter()
            .filter(|c| c.flows_to_result)
            .find_map(|c| path(scope, e, &c.path, kind, depth).map(|t| (c.path.clone(), t)))
    })
}

/// Whether the shell variable `name` (an `env` entry of the step) holds a traced value.
pub(crate) fn shell_var(scope: &Scope<'_>, name: &str, kind: Kind) -> Option<Taint> {
    env_var(scope, name, kind, 0)
}

/// Whether the context `p` read by `e` carries a traced value.
fn path(scope: &Scope<'_>, e: &Expression, p: &str, kind: Kind, depth: usize) -> Option<Taint> {
    if kind.direct(e, p) {
        return Some(Taint {
            source: p.to_string(),
            hops: Vec::new(),
            display: None,
        });
    }
    if depth >= MAX_HOPS || !scope.spend() {
        return None;
    }
    let segs: Vec<&str> = p.split('.').collect();
    match segs.as_slice() {
        ["env", name] => env_var(scope, name, kind, depth),
        ["steps", id, "outputs", name] => step_output(scope, id, name, kind, depth),
        ["needs", job, "outputs", name] => job_output(scope, job, name, kind, depth),
        ["inputs", name] => input(scope, name, kind, depth),
        _ => None,
    }
}

/// How a context path is shown: `secrets.npm_token` → `secrets.NPM_TOKEN` (secret names
/// are case-insensitive and written upper-case), else as normalised.
pub(crate) fn pretty(path: &str) -> String {
    match path.strip_prefix("secrets.") {
        Some(name) => format!("secrets.{}", name.to_ascii_uppercase()),
        None => path.to_string(),
    }
}

/// The next hop as written: an `env` key keeps its case.
fn next_shown(next: &str, t: &Taint) -> String {
    t.display.clone().unwrap_or_else(|| pretty(next))
}

fn hop(mut t: Taint, span: Span, note: String) -> Taint {
    t.hops.insert(0, Related { span, note });
    t.display = None;
    t
}

/// `env.NAME`: the nearest `env:` entry, else `$GITHUB_ENV` written by an earlier step.
fn env_var(scope: &Scope<'_>, name: &str, kind: Kind, depth: usize) -> Option<Taint> {
    for (k, env) in scope.env.iter().enumerate() {
        if let Some(kv) = env
            .iter()
            .rev()
            .find(|kv| kv.key.eq_ignore_ascii_case(name))
        {
            let outer = scope.with_env(scope.env[k + 1..].to_vec());
            let (next, t) = scalar_at(&outer, &kv.value, kind, depth + 1)?;
            let note = format!("`{}` is set from `{}` here", kv.key, next_shown(&next, &t));
            let mut t = hop(t, kv.value.span, note);
            t.display = Some(format!("env.{}", kv.key));
            return Some(t);
        }
    }
    let site = scope.site.as_ref()?;
    site.earlier().iter().rev().find_map(|s| {
        s.file_writes
            .iter()
            .filter(|w| w.file == trustmap_model::gha::RunnerFile::Env && w.name == name)
            .find_map(|w| {
                let writer = scope.for_step(&site.sibling(s));
                let (next, t) = write(&writer, s, w, kind, depth + 1)?;
                let note = format!(
                    "`{name}` is written to `$GITHUB_ENV` from `{}` here",
                    next_shown(&next, &t)
                );
                Some(hop(t, w.span, note))
            })
    })
}

/// Actions whose outputs name the pull request's head: (action, outputs).
const PR_HEAD_ACTIONS: &[(&str, &[&str])] = &[(
    "xt0rted/pull-request-comment-branch",
    &["head_ref", "head_sha"],
)];

/// `steps.<id>.outputs.<name>`: what that step writes to `$GITHUB_OUTPUT`.
fn step_output(scope: &Scope<'_>, id: &str, name: &str, kind: Kind, depth: usize) -> Option<Taint> {
    let step = scope.steps().iter().find(|s| {
        s.id.as_ref()
            .is_some_and(|i| i.value.eq_ignore_ascii_case(id))
    })?;
    if kind == Kind::PrHead
        && let Some(u) = &step.uses
        && PR_HEAD_ACTIONS
            .iter()
            .any(|(a, outs)| u.is_action(a) && outs.contains(&name))
    {
        return Some(Taint {
            source: format!("the `{name}` output of `{}`", u.owner_repo()),
            hops: vec![Related {
                span: u.span,
                note: format!("step `{id}` looks up the pull request's head here"),
            }],
            display: None,
        });
    }
    let writer = scope.for_step(&scope.site_of(step)?);
    step.output_writes(name).find_map(|w| {
        let (next, t) = write(&writer, step, w, kind, depth + 1)?;
        let note = if next.is_empty() {
            format!("output `{name}` of step `{id}` is looked up through the GitHub API here")
        } else {
            format!(
                "output `{name}` of step `{id}` is written from `{}` here",
                next_shown(&next, &t)
            )
        };
        Some(hop(t, w.span, note))
    })
}

/// What a file command writes: its expressions, the shell variables it expands, and for
/// pull request heads a lookup through the GitHub API.
fn write(
    scope: &Scope<'_>,
    step: &Step,
    w: &FileWrite,
    kind: Kind,
    depth: usize,
) -> Option<(String, Taint)> {
    let run = step.run.as_ref()?;
    let from_expr = w
        .expressions
        .iter()
        .filter_map(|&i| run.expressions.get(i))
        .find_map(|e| {
            e.contexts
                .iter()
                .filter(|c| c.flows_to_result)
                .find_map(|c| path(scope, e, &c.path, kind, depth).map(|t| (c.path.clone(), t)))
        });
    if from_expr.is_some() {
        return from_expr;
    }
    let from_var = w
        .shell_vars
        .iter()
        .find_map(|v| env_var(scope, v, kind, depth).map(|t| (format!("${v}"), t)));
    if from_var.is_some() {
        return from_var;
    }
    let looks_up_head = [
        "headRefOid",
        "headRefName",
        "head.sha",
        "head.ref",
        "head_sha",
    ]
    .iter()
    .any(|k| w.value.contains(k))
        && (w.value.contains("gh ") || w.value.contains("/pulls/"));
    (kind == Kind::PrHead && looks_up_head).then(|| {
        let t = Taint {
            source: "the pull request's head".to_string(),
            hops: Vec::new(),
            display: None,
        };
        (String::new(), t)
    })
}

/// `needs.<job>.outputs.<name>`: the job's `outputs:` entry, evaluated in that job.
fn job_output(scope: &Scope<'_>, job: &str, name: &str, kind: Kind, depth: usize) -> Option<Taint> {
    let w = scope.workflow?;
    let j = w.jobs.iter().find(|j| j.id.eq_ignore_ascii_case(job))?;
    let kv = j.output(name)?;
    let (next, t) = scalar_at(&scope.for_job(w, j), &kv.value, kind, depth + 1)?;
    let note = format!(
        "output `{name}` of job `{}` is set from `{}` here",
        j.id,
        next_shown(&next, &t)
    );
    Some(hop(t, kv.value.span, note))
}

/// `inputs.<name>`: the calling step's `with:` (composite action), or each calling job's
/// `with:` (reusable workflow).
fn input(scope: &Scope<'_>, name: &str, kind: Kind, depth: usize) -> Option<Taint> {
    if let Some(site) = &scope.site
        && !site.frames.is_empty()
    {
        let caller = site.caller()?;
        let kv = caller.step.input(name)?;
        let (next, t) = scalar_at(&scope.for_step(&caller), &kv.value, kind, depth + 1)?;
        let note = format!("input `{name}` is passed `{}` here", next_shown(&next, &t));
        return Some(hop(t, kv.value.span, note));
    }
    let w = scope.workflow?;
    w.callers.iter().find_map(|c| {
        let cw = scope
            .model
            .workflows
            .iter()
            .find(|x| x.meta.address == c.workflow)?;
        let cj = cw.jobs.iter().find(|j| j.meta.address == c.job)?;
        let kv = cj.with.iter().rev().find(|kv| kv.key == name)?;
        let (next, t) = scalar_at(&scope.for_job(cw, cj), &kv.value, kind, depth + 1)?;
        let note = format!(
            "input `{name}` is passed `{}` by `{}` here",
            next_shown(&next, &t),
            cj.meta.address
        );
        Some(hop(t, kv.value.span, note))
    })
}
