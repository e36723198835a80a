//! GitLab CI rules.

mod gitlab_docker_in_docker_insecure;
mod gitlab_image_mutable_tag;
mod gitlab_include_unpinned;
mod gitlab_merge_request_pipeline_privileged;
mod gitlab_pipes_download_to_shell;
mod gitlab_script_injection;
mod gitlab_secret_in_variables;

pub(crate) use gitlab_docker_in_docker_insecure::GitlabDockerInDockerInsecure;
pub(crate) use gitlab_image_mutable_tag::GitlabImageMutableTag;
pub(crate) use gitlab_include_unpinned::GitlabIncludeUnpinned;
pub(crate) use gitlab_merge_request_pipeline_privileged::GitlabMergeRequestPipelinePrivileged;
pub(crate) use gitlab_pipes_download_to_shell::GitlabPipesDownloadToShell;
pub(crate) use gitlab_script_injection::GitlabScriptInjection;
pub(crate) use gitlab_secret_in_variables::GitlabSecretInVariables;

use std::collections::HashSet;

use trustmap_model::ResourceMeta;
use trustmap_model::gitlab::{Job, Pipeline, ScriptLine};
use trustmap_source::Span;

/// Jobs that run: hidden `.templates` only run through the jobs that extend them, where
/// their values are checked.
pub(crate) fn runnable(p: &Pipeline) -> impl Iterator<Item = &Job> {
    p.jobs.iter().filter(|j| !j.hidden)
}

/// Every script line that runs, once per place it is written (a template's line extended by
/// three jobs is reported under the first): the default `before_script`/`after_script`, then
/// each job's lines.
pub(crate) fn script_lines(p: &Pipeline) -> Vec<(&ResourceMeta, Option<&Job>, &ScriptLine)> {
    let mut seen: HashSet<Span> = HashSet::new();
    let mut out = Vec::new();
    for l in p
        .default
        .before_script
        .iter()
        .chain(&p.default.after_script)
    {
        if seen.insert(l.text.span) {
            out.push((&p.meta, None, l));
        }
    }
    for j in runnable(p) {
        for (_, l) in j.script_lines() {
            if seen.insert(l.text.span) {
                out.push((&j.meta, Some(j), l));
            }
        }
    }
    out
}

/// Names of `$NAME` and `${NAME}` references in a word.
pub(crate) fn variable_refs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let body = rest.strip_prefix('{').unwrap_or(rest);
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if len > 0 && !body.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(&body[..len]);
        }
        rest = body;
    }
    out
}
