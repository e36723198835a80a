//! GitLab CI pipelines: one `.gitlab-ci.yml` with the files it includes locally merged in,
//! `extends:` and `!reference` already applied, every value with its span (a job defined in
//! an included file keeps spans in that file).

use trustmap_source::Span;

use crate::ResourceMeta;
use crate::docker::shell::Script;

/// One pipeline: a `.gitlab-ci.yml` and its local includes.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Pipeline {
    /// Address = the `.gitlab-ci.yml` path; span = its whole document.
    pub meta: ResourceMeta,
    /// `include:` entries of the root file and of the local files it includes.
    pub includes: Vec<Include>,
    /// `default:` (and the deprecated top-level `image:`, `services:`, scripts).
    pub default: Defaults,
    /// Top-level `variables:`.
    pub variables: Vec<Variable>,
    pub stages: Vec<Scalar>,
    /// `workflow: rules:`.
    pub workflow_rules: Vec<RuleClause>,
    /// Jobs in file order, hidden (`.name`) templates included.
    pub jobs: Vec<Job>,
}

impl Pipeline {
    /// The variable `name` as the job sees it: its own, else the pipeline's.
    pub fn variable<'a>(&'a self, job: &'a Job, name: &str) -> Option<&'a Variable> {
        job.variable(name)
            .or_else(|| self.variables.iter().rev().find(|v| v.name == name))
    }

    /// True when `workflow: rules:` creates merge request pipelines.
    pub fn workflow_allows_merge_requests(&self) -> bool {
        self.workflow_rules
            .iter()
            .any(RuleClause::matches_merge_requests)
    }

    /// Whether the job runs in merge request pipelines: the condition (or `only:` entry) that
    /// says so.
    pub fn merge_request_trigger<'a>(&'a self, job: &'a Job) -> Option<Span> {
        if let Some(r) = job.rules.iter().find(|r| r.matches_merge_requests()) {
            return Some(r.condition.as_ref().map_or(r.span, |c| c.span));
        }
        if let Some(only) = &job.only
            && let Some(s) = only
                .refs
                .iter()
                .find(|r| r.value == "merge_requests" || r.value == "merge_request")
        {
            return Some(s.span);
        }
        // No job-level conditions: the job runs in every pipeline the workflow creates.
        if job.rules.is_empty() && job.only.is_none() && job.except.is_none() {
            return self
                .workflow_rules
                .iter()
                .find(|r| r.matches_merge_requests())
                .map(|r| r.condition.as_ref().map_or(r.span, |c| c.span));
        }
        None
    }
}

/// `default:` keywords jobs inherit.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Defaults {
    pub image: Option<Image>,
    pub services: Vec<Image>,
    pub before_script: Vec<ScriptLine>,
    pub after_script: Vec<ScriptLine>,
    pub tags: Vec<Scalar>,
}

/// One `include:` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Include {
    pub kind: IncludeKind,
    /// The file path, URL, project path, template or component as written.
    pub target: Scalar,
    /// `ref:` of a project include; the `@version` of a component.
    pub git_ref: Option<Scalar>,
    /// `file:` of a project include.
    pub files: Vec<Scalar>,
    /// `integrity:` of a remote include (a `sha256-…` hash of the file).
    pub integrity: Option<Scalar>,
    /// The entry.
    pub span: Span,
    /// For a local include: the scanned file it names, when it was found.
    pub resolved: Option<String>,
}

impl Include {
    /// The ref is a full commit SHA.
    pub fn is_sha_pinned(&self) -> bool {
        self.git_ref
            .as_ref()
            .is_some_and(|r| is_commit_sha(r.value.trim()))
    }
}

/// A full 40- or 64-hex-digit commit id.
pub fn is_commit_sha(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum IncludeKind {
    Local,
    Remote,
    Project,
    Template,
    Component,
}

/// An `image:` or one `services:` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Image {
    /// The image reference (`name:` of the map form).
    pub name: Scalar,
    /// `alias:` of a service.
    pub alias: Option<Scalar>,
    /// `command:` of a service, as written.
    pub command: Vec<Scalar>,
    /// `variables:` of a service.
    pub variables: Vec<Variable>,
}

impl Image {
    /// `(repository, tag, digest)` of the reference; `None` when it expands a variable.
    pub fn parts(&self) -> Option<(String, Option<String>, Option<String>)> {
        let t = self.name.value.trim();
        if t.contains('$') || t.is_empty() {
            return None;
        }
        let (name, digest) = match t.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (t, None),
        };
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repo, tag) = match name[slash..].rfind(':') {
            Some(i) => (
                name[..slash + i].to_string(),
                Some(name[slash + i + 1..].to_string()),
            ),
            None => (name.to_string(), None),
        };
        Some((
            repo,
            tag.filter(|t| !t.is_empty()),
            digest.filter(|d| !d.is_empty()),
        ))
    }

    /// The repository's last path component, lower-cased (`docker` for `docker:27-dind`).
    pub fn base_name(&self) -> String {
        let repo = self.parts().map(|p| p.0).unwrap_or_default();
        repo.rsplit('/').next().unwrap_or("").to_ascii_lowercase()
    }
}

/// A `variables:` entry (string form, or the `value:` of the map form).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Variable {
    pub name: String,
    pub name_span: Span,
    pub value: Option<Scalar>,
    /// `expand: false` keeps `$` literal.
    pub expand: bool,
}

/// A scalar as written (numbers and booleans as text).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Scalar {
    pub value: String,
    pub span: Span,
}

/// One line of `script:`, `before_script:` or `after_script:`, lexed as shell.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ScriptLine {
    pub text: Scalar,
    pub script: Script,
}

/// Which script section a line belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum Section {
    BeforeScript,
    Script,
    AfterScript,
}

/// One job (or hidden template).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Job {
    pub name: String,
    pub name_span: Span,
    /// Address = `path#job` (the file where the job is defined); span = key to end of job.
    pub meta: ResourceMeta,
    /// A `.name` template: never runs by itself.
    pub hidden: bool,
    pub stage: Option<Scalar>,
    /// The job's image after `extends:` (not the default's).
    pub image: Option<Image>,
    pub services: Vec<Image>,
    pub before_script: Vec<ScriptLine>,
    pub script: Vec<ScriptLine>,
    pub after_script: Vec<ScriptLine>,
    pub variables: Vec<Variable>,
    pub rules: Vec<RuleClause>,
    pub only: Option<RefFilter>,
    pub except: Option<RefFilter>,
    pub environment: Option<Environment>,
    /// `id_tokens:`: OIDC tokens the job receives.
    pub id_tokens: Vec<IdToken>,
    /// `secrets:` (Vault, cloud secret managers): names with their spans.
    pub secrets: Vec<Scalar>,
    /// `tags:`: which runners may take the job.
    pub tags: Vec<Scalar>,
    /// `inherit: default:`: `None` inherits every `default:` keyword, `Some(list)` only
    /// those listed (`false` is the empty list).
    pub inherit_default: Option<Vec<String>>,
    /// `trigger:` of a downstream-pipeline job.
    pub trigger: Option<Scalar>,
}

impl Job {
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().rev().find(|v| v.name == name)
    }

    /// Whether the job takes the `default:` keyword `key` (`image`, `services`, …).
    pub fn inherits_default(&self, key: &str) -> bool {
        self.inherit_default
            .as_ref()
            .is_none_or(|keys| keys.iter().any(|k| k == key))
    }

    /// Every script line with its section: `before_script`, `script`, `after_script`.
    pub fn script_lines(&self) -> impl Iterator<Item = (Section, &ScriptLine)> {
        let before = self
            .before_script
            .iter()
            .map(|l| (Section::BeforeScript, l));
        let script = self.script.iter().map(|l| (Section::Script, l));
        let after = self.after_script.iter().map(|l| (Section::AfterScript, l));
        before.chain(script).chain(after)
    }

    /// A deployment: an `environment:` whose action starts or updates it.
    pub fn deploys(&self) -> bool {
        self.environment.as_ref().is_some_and(|e| {
            e.action
                .as_ref()
                .is_none_or(|a| a.value == "start" || a.value.is_empty())
        })
    }
}

/// One `rules:` clause.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RuleClause {
    pub span: Span,
    pub condition: Option<Scalar>,
    pub when: Option<Scalar>,
}

impl RuleClause {
    /// True when the clause runs the job in merge request pipelines: its `if:` tests
    /// `$CI_PIPELINE_SOURCE == "merge_request_event"` (or a merge request variable is set)
    /// and its `when:` is not `never`.
    pub fn matches_merge_requests(&self) -> bool {
        if self.when.as_ref().is_some_and(|w| w.value == "never") {
            return false;
        }
        let Some(c) = &self.condition else {
            return false;
        };
        let c = c.value.as_str();
        let source_is_mr = c.contains("CI_PIPELINE_SOURCE")
            && c.contains("merge_request_event")
            && !c.contains("!= \"merge_request_event\"")
            && !c.contains("!= 'merge_request_event'");
        source_is_mr
            || ["$CI_MERGE_REQUEST_IID", "$CI_MERGE_REQUEST_ID"]
                .iter()
                .any(|v| c.trim() == *v || c.contains(&format!("{v} &&")))
    }
}

/// `only:`/`except:`: `refs` (the list form), `variables`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RefFilter {
    pub span: Span,
    pub refs: Vec<Scalar>,
    pub variables: Vec<Scalar>,
}

/// `environment:`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Environment {
    pub name: Scalar,
    pub action: Option<Scalar>,
    pub url: Option<Scalar>,
}

/// One `id_tokens:` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct IdToken {
    pub name: String,
    pub name_span: Span,
    pub aud: Vec<Scalar>,
}
