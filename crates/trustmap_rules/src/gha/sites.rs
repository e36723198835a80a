//! Where steps run: every step of every job, and the steps of the composite actions of the
//! same repository those jobs use (followed through `uses: ./path`), each with the workflow
//! whose triggers start it. Actions no scanned workflow reaches are visited on their own.

use std::collections::HashSet;

use trustmap_model::gha::{Action, Job, KeyValue, Step, Trigger, Workflow};
use trustmap_model::{Model, ResourceMeta};

/// How deep composite actions are followed into each other.
const MAX_DEPTH: usize = 8;
/// Steps visited per job, composite actions expanded: a bound on crafted nesting.
const MAX_SITES: usize = 5_000;

/// A composite action a step is nested in, with the step that called it (none for an
/// action visited on its own).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame<'a> {
    pub(crate) caller: Option<&'a Step>,
    pub(crate) action: &'a Action,
}

/// One step in its context.
#[derive(Clone, Debug)]
pub(crate) struct Site<'a> {
    pub(crate) model: &'a Model,
    /// The workflow whose triggers start the step (none for an action on its own).
    pub(crate) workflow: Option<&'a Workflow>,
    pub(crate) job: Option<&'a Job>,
    /// Composite actions the step is nested in, outermost first.
    pub(crate) frames: Vec<Frame<'a>>,
    pub(crate) step: &'a Step,
}

impl<'a> Site<'a> {
    /// The resource findings belong to: the innermost action, else the job.
    pub(crate) fn resource(&self) -> &'a ResourceMeta {
        match (self.frames.last(), self.job) {
            (Some(f), _) => &f.action.meta,
            (None, Some(j)) => &j.meta,
            (None, None) => unreachable!("a site has a job or a frame"),
        }
    }

    /// The steps of the container the step belongs to (the innermost action, or the job).
    pub(crate) fn siblings(&self) -> &'a [Step] {
        match (self.frames.last(), self.job) {
            (Some(f), _) => &f.action.steps,
            (None, Some(j)) => &j.steps,
            (None, None) => &[],
        }
    }

    /// The steps before this one in its container.
    pub(crate) fn earlier(&self) -> &'a [Step] {
        let s = self.siblings();
        &s[..self.step.index.min(s.len())]
    }

    /// The same context for another step of the same container.
    pub(crate) fn sibling(&self, step: &'a Step) -> Site<'a> {
        Site {
            step,
            ..self.clone()
        }
    }

    /// The context of the step that called the innermost action.
    pub(crate) fn caller(&self) -> Option<Site<'a>> {
        let f = self.frames.last()?;
        let caller = f.caller?;
        let mut frames = self.frames.clone();
        frames.pop();
        Some(Site {
            frames,
            step: caller,
            ..self.clone()
        })
    }

    /// `env:` maps the step sees, innermost first: its own, the calling steps', the job's and
    /// the workflow's.
    pub(crate) fn env_chain(&self) -> Vec<&'a [KeyValue]> {
        let mut out: Vec<&'a [KeyValue]> = vec![&self.step.env];
        out.extend(
            self.frames
                .iter()
                .rev()
                .filter_map(|f| f.caller.map(|c| c.env.as_slice())),
        );
        if let Some(j) = self.job {
            out.push(&j.env);
        }
        if let Some(w) = self.workflow {
            out.push(&w.env);
        }
        out
    }

    /// The workflow's effective triggers (empty for an action on its own).
    pub(crate) fn triggers(&self) -> Vec<&'a Trigger> {
        self.workflow
            .map(Workflow::effective_triggers)
            .unwrap_or_default()
    }

    /// The first effective trigger among `events`.
    pub(crate) fn trigger(&self, events: &[&str]) -> Option<&'a Trigger> {
        self.triggers()
            .into_iter()
            .find(|t| events.contains(&t.event.as_str()))
    }

    /// The step's location shown when a finding sits in a composite action: the `uses:` of
    /// the outermost calling step.
    pub(crate) fn entry(&self) -> Option<&'a Step> {
        self.frames.first().and_then(|f| f.caller)
    }
}

/// The action a local `uses:` resolved to.
pub(crate) fn resolved_action<'a>(model: &'a Model, step: &Step) -> Option<&'a Action> {
    let path = step.uses.as_ref()?.resolved.as_ref()?;
    model.gha_actions.iter().find(|a| &a.meta.address == path)
}

/// Every step of one job, the composite actions it uses expanded after their calling step.
pub(crate) fn job_sites<'a>(model: &'a Model, w: &'a Workflow, job: &'a Job) -> Vec<Site<'a>> {
    let mut out = Vec::new();
    for step in &job.steps {
        let site = Site {
            model,
            workflow: Some(w),
            job: Some(job),
            frames: Vec::new(),
            step,
        };
        expand(site, &mut out, &mut Vec::new());
    }
    out
}

fn expand<'a>(site: Site<'a>, out: &mut Vec<Site<'a>>, stack: &mut Vec<&'a str>) {
    if out.len() >= MAX_SITES {
        return;
    }
    let nested = resolved_action(site.model, site.step).filter(|a| {
        a.is_composite()
            && site.frames.len() < MAX_DEPTH
            && !stack.contains(&a.meta.address.as_str())
    });
    let step = site.step;
    out.push(site.clone());
    if let Some(a) = nested {
        stack.push(&a.meta.address);
        for inner in &a.steps {
            let mut frames = site.frames.clone();
            frames.push(Frame {
                caller: Some(step),
                action: a,
            });
            expand(
                Site {
                    frames,
                    step: inner,
                    ..site.clone()
                },
                out,
                stack,
            );
        }
        stack.pop();
    }
}

/// Every step site of the scan: workflow jobs with their composite actions, then the steps of
/// composite actions no workflow reached.
pub(crate) fn all_sites(model: &Model) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for w in &model.workflows {
        for job in &w.jobs {
            out.extend(job_sites(model, w, job));
        }
    }
    let reached: HashSet<&str> = out
        .iter()
        .flat_map(|s| s.frames.iter().map(|f| f.action.meta.address.as_str()))
        .collect();
    for a in model
        .gha_actions
        .iter()
        .filter(|a| a.is_composite() && !reached.contains(a.meta.address.as_str()))
    {
        for step in &a.steps {
            out.push(Site {
                model,
                workflow: None,
                job: None,
                frames: vec![Frame {
                    caller: None,
                    action: a,
                }],
                step,
            });
        }
    }
    out
}
