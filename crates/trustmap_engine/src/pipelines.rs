//! CI post-passes that need more than one file: joining local references by path.
//!
//! GitHub Actions: a `uses: ./.github/actions/x` step is joined to `x/action.yml`, a
//! `uses: ./.github/workflows/y.yml` job to that workflow, which then records its callers and
//! the triggers they run on (transitively). GitLab CI: a `.gitlab-ci.yml` is adapted together
//! with the files it includes locally. Paths are relative to the repository root the file
//! sits in (the directory above `.github/`, or of `.gitlab-ci.yml`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use trustmap_model::Model;
use trustmap_model::gha::{Action, Caller, CloudRole, Step, Trigger, UsesRef};
use trustmap_model::gitlab::Pipeline;
use trustmap_source::{Diagnostic, SourceFile, Span};
use trustmap_syntax::Node;

use crate::discover::FileKind;

/// How deep composite actions are followed into each other.
const MAX_ACTION_DEPTH: usize = 8;
/// Files one GitLab pipeline may include locally (nested includes counted).
const MAX_GITLAB_INCLUDES: usize = 150;

/// Joins local `uses:` of workflows and composite actions to the scanned files they name.
pub(crate) fn link_github(model: &mut Model) {
    let actions: HashMap<String, usize> = model
        .gha_actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.meta.address.clone(), i))
        .collect();
    let workflows: HashMap<String, usize> = model
        .workflows
        .iter()
        .enumerate()
        .map(|(i, w)| (w.meta.address.clone(), i))
        .collect();

    // Actions first: their own local uses, relative to the repository they sit in.
    for a in &mut model.gha_actions {
        let root = action_root(&a.meta.address);
        for s in &mut a.steps {
            resolve_action_use(s, &root, &actions);
        }
    }
    let roles_of = |i: usize| action_roles(&model.gha_actions, i);
    let mut extra_roles: Vec<(usize, usize, Vec<CloudRole>)> = Vec::new();
    // (caller workflow, caller job, uses span, callee workflow)
    let mut edges: Vec<(usize, usize, Span, usize)> = Vec::new();
    for (wi, w) in model.workflows.iter_mut().enumerate() {
        let root = workflow_root(&w.meta.address);
        for (ji, job) in w.jobs.iter_mut().enumerate() {
            if let Some(u) = job.uses.as_mut().filter(|u| u.is_local())
                && let Some(target) = local_target(&root, u)
                && let Some(&callee) = workflows.get(&target)
            {
                u.resolved = Some(target);
                edges.push((wi, ji, u.span, callee));
            }
            let mut roles = Vec::new();
            for s in &mut job.steps {
                if let Some(ai) = resolve_action_use(s, &root, &actions) {
                    roles.extend(roles_of(ai).into_iter().map(|mut r| {
                        r.step = s.index;
                        r
                    }));
                }
            }
            if !roles.is_empty() {
                extra_roles.push((wi, ji, roles));
            }
        }
    }
    for (wi, ji, roles) in extra_roles {
        let job = &mut model.workflows[wi].jobs[ji];
        job.cloud_roles.extend(roles);
        job.cloud_roles.sort_by_key(|r| r.step);
    }

    // Effective triggers, following callers transitively (cycles cut).
    let mut memo: HashMap<usize, Vec<Trigger>> = HashMap::new();
    let callers_of: HashMap<usize, Vec<usize>> = edges.iter().fold(HashMap::new(), |mut m, e| {
        m.entry(e.3).or_insert_with(Vec::new).push(e.0);
        m
    });
    let mut callers: Vec<(usize, Caller)> = Vec::new();
    for &(wi, ji, uses_span, callee) in &edges {
        let triggers = effective(model, wi, &callers_of, &mut memo, &mut HashSet::new());
        let w = &model.workflows[wi];
        callers.push((
            callee,
            Caller {
                job: w.jobs[ji].meta.address.clone(),
                workflow: w.meta.address.clone(),
                uses_span,
                triggers,
            },
        ));
    }
    for (callee, c) in callers {
        model.workflows[callee].callers.push(c);
    }
}

/// A workflow's own triggers (not `workflow_call`) plus its callers', recursively.
fn effective(
    model: &Model,
    wi: usize,
    callers_of: &HashMap<usize, Vec<usize>>,
    memo: &mut HashMap<usize, Vec<Trigger>>,
    visiting: &mut HashSet<usize>,
) -> Vec<Trigger> {
    if let Some(t) = memo.get(&wi) {
        return t.clone();
    }
    if !visiting.insert(wi) {
        return Vec::new();
    }
    let mut out: Vec<Trigger> = model.workflows[wi]
        .triggers
        .iter()
        .filter(|t| t.event != "workflow_call")
        .cloned()
        .collect();
    for &c in callers_of.get(&wi).map(Vec::as_slice).unwrap_or_default() {
        for t in effective(model, c, callers_of, memo, visiting) {
            if !out.iter().any(|o| o.event == t.event) {
                out.push(t);
            }
        }
    }
    visiting.remove(&wi);
    memo.insert(wi, out.clone());
    out
}

/// Sets `resolved` on a step's local `uses:` when it names a scanned action; its index.
fn resolve_action_use(
    step: &mut Step,
    root: &str,
    actions: &HashMap<String, usize>,
) -> Option<usize> {
    let u = step.uses.as_mut().filter(|u| u.is_local())?;
    let dir = local_target(root, u)?;
    let (path, &i) = ["action.yml", "action.yaml"].iter().find_map(|name| {
        let p = if dir.is_empty() {
            (*name).to_string()
        } else {
            format!("{dir}/{name}")
        };
        actions.get(&p).map(|i| (p, i))
    })?;
    u.resolved = Some(path);
    Some(i)
}

/// Cloud roles an action assumes, its nested local composite actions included (each action
/// once, nesting cut at [`MAX_ACTION_DEPTH`]).
fn action_roles(actions: &[Action], root: usize) -> Vec<CloudRole> {
    let index: HashMap<&str, usize> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.meta.address.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut seen = HashSet::from([root]);
    let mut level = vec![root];
    for _ in 0..=MAX_ACTION_DEPTH {
        let mut next = Vec::new();
        for &i in &level {
            let a = &actions[i];
            out.extend(a.cloud_roles.iter().cloned());
            for s in &a.steps {
                let nested = s
                    .uses
                    .as_ref()
                    .and_then(|u| u.resolved.as_deref())
                    .and_then(|p| index.get(p).copied());
                if let Some(n) = nested.filter(|n| seen.insert(*n)) {
                    next.push(n);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    out
}

/// `a/b/.github/workflows/x.yml` → `a/b/`.
fn workflow_root(path: &str) -> String {
    match path.find(".github/workflows/") {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

/// The repository an action file belongs to: above its `.github/`, else its directory.
fn action_root(path: &str) -> String {
    if let Some(i) = path.find(".github/") {
        return path[..i].to_string();
    }
    path.rsplit_once('/')
        .map_or_else(String::new, |(d, _)| format!("{d}/"))
}

/// The scan-relative path a local `uses:` names, `..` and `.` resolved.
fn local_target(root: &str, u: &UsesRef) -> Option<String> {
    let rel = u.path.as_deref()?;
    normalize(&format!("{root}{rel}"))
}

/// Resolves `.` and `..` segments; `None` when `..` climbs above the scan root.
fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// Adapts every `.gitlab-ci.yml` with the files it includes locally.
pub(crate) fn assemble_gitlab(
    files: &[(Arc<SourceFile>, FileKind)],
) -> (Vec<Pipeline>, Vec<Diagnostic>) {
    let by_path: HashMap<&str, &Arc<SourceFile>> =
        files.iter().map(|(f, _)| (f.path.as_str(), f)).collect();
    let mut pipelines = Vec::new();
    let mut diags = Vec::new();
    for (f, kind) in files {
        if *kind != FileKind::GitlabCi {
            continue;
        }
        let root_dir = f
            .path
            .rsplit_once('/')
            .map_or_else(String::new, |(d, _)| format!("{d}/"));
        let parsed = trustmap_syntax::yaml::parse(f);
        diags.extend(parsed.diagnostics);
        let Some(root_doc) = trustmap_adapt::gitlab::config_document(&parsed.docs) else {
            diags.push(
                Diagnostic::new("unsupported", "empty GitLab CI configuration: not checked")
                    .in_file(f),
            );
            continue;
        };
        // Breadth-first over local includes, each file once.
        let mut included: Vec<(Arc<SourceFile>, Node)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::from([f.path.clone()]);
        let mut queue: Vec<(String, Span)> = trustmap_adapt::gitlab::local_includes(root_doc)
            .into_iter()
            .map(|p| (p, root_doc.span))
            .collect();
        let mut next = 0;
        while next < queue.len() && included.len() < MAX_GITLAB_INCLUDES {
            let (rel, _) = queue[next].clone();
            next += 1;
            let path = format!("{root_dir}{rel}");
            if !seen.insert(path.clone()) {
                continue;
            }
            let Some(inc) = by_path.get(path.as_str()) else {
                diags.push(
                    Diagnostic::new(
                        "unsupported",
                        format!("local include `{rel}` is not in the scanned tree: its jobs are not checked"),
                    )
                    .in_file(f),
                );
                continue;
            };
            // Parse problems of included files are reported when they are read as YAML.
            let p = trustmap_syntax::yaml::parse(inc);
            if let Some(doc) = trustmap_adapt::gitlab::config_document(&p.docs) {
                queue.extend(
                    trustmap_adapt::gitlab::local_includes(doc)
                        .into_iter()
                        .map(|r| (r, doc.span)),
                );
                included.push(((*inc).clone(), doc.clone()));
            }
        }
        let mut parts = vec![trustmap_adapt::gitlab::PipelineFile {
            file: f,
            doc: root_doc,
        }];
        parts.extend(
            included
                .iter()
                .map(|(file, doc)| trustmap_adapt::gitlab::PipelineFile { file, doc }),
        );
        let found = |rel: &str| {
            let p = format!("{root_dir}{rel}");
            by_path.contains_key(p.as_str()).then_some(p)
        };
        if let Some(p) = trustmap_adapt::gitlab::from_files(&parts, &found, &mut diags) {
            pipelines.push(p);
        }
    }
    (pipelines, diags)
}

#[cfg(test)]
mod tests {
    use trustmap_model::gha::CloudProvider;
    use trustmap_source::FileId;

    use super::*;

    fn parse(id: u32, path: &str, text: &str) -> (SourceFile, Node) {
        let f = SourceFile::new(FileId(id), path, text);
        let doc = trustmap_syntax::yaml::parse(&f).docs.remove(0);
        (f, doc)
    }

    #[test]
    fn links_reusable_workflows_and_composite_actions() {
        let mut model = Model::default();
        let mut diags = Vec::new();
        for (i, (path, text)) in [
            (
                "repo/.github/workflows/pr.yml",
                "on:\n  pull_request_target:\n    branches: [main]\njobs:\n  call:\n    uses: ./.github/workflows/deploy.yml\n",
            ),
            (
                "repo/.github/workflows/deploy.yml",
                "on: workflow_call\njobs:\n  deploy:\n    runs-on: x\n    environment: prod\n    steps:\n      - uses: ./.github/actions/login\n      - uses: ./.github/actions/missing\n",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let (f, doc) = parse(i as u32, path, text);
            let w = trustmap_adapt::gha::from_document(&f, &doc, &mut diags).unwrap();
            model.workflows.push(w);
        }
        let (f, doc) = parse(
            9,
            "repo/.github/actions/login/action.yml",
            "runs:\n  using: composite\n  steps:\n    - uses: aws-actions/configure-aws-credentials@v4\n      with:\n        role-to-assume: arn:aws:iam::1:role/deploy\n",
        );
        model
            .gha_actions
            .push(trustmap_adapt::gha::action_from_document(&f, &doc).unwrap());
        link_github(&mut model);

        let call = &model.workflows[0].jobs[0];
        assert_eq!(
            call.uses.as_ref().unwrap().resolved.as_deref(),
            Some("repo/.github/workflows/deploy.yml")
        );
        let deploy = &model.workflows[1];
        assert_eq!(deploy.callers.len(), 1);
        assert_eq!(deploy.callers[0].job, "repo/.github/workflows/pr.yml#call");
        let events: Vec<_> = deploy
            .effective_triggers()
            .iter()
            .map(|t| t.event.as_str())
            .collect();
        assert_eq!(events, ["pull_request_target"]);
        let steps = &deploy.jobs[0].steps;
        assert_eq!(
            steps[0].uses.as_ref().unwrap().resolved.as_deref(),
            Some("repo/.github/actions/login/action.yml")
        );
        assert!(steps[1].uses.as_ref().unwrap().resolved.is_none());
        // The composite action's OIDC sign-in counts for the calling job, with the caller's
        // triggers and branch filters.
        let ids = deploy.job_identities();
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0].roles[0].provider, CloudProvider::Aws);
        assert_eq!(ids[0].roles[0].step, 0);
        assert_eq!(
            ids[0].roles[0].principal.value,
            "arn:aws:iam::1:role/deploy"
        );
        assert_eq!(ids[0].environment.unwrap().value, "prod");
        assert_eq!(ids[0].ref_filters[0].values[0].value, "main");
    }

    #[test]
    fn paths_resolve_against_the_repository_root() {
        assert_eq!(workflow_root("a/.github/workflows/x.yml"), "a/");
        assert_eq!(workflow_root(".github/workflows/x.yml"), "");
        assert_eq!(action_root("a/.github/actions/x/action.yml"), "a/");
        assert_eq!(action_root("tools/act/action.yml"), "tools/act/");
        assert_eq!(normalize("a/./b/../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("../x"), None);
    }
}
