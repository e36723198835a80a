//! Per-file inputs: how each kind of file is parsed and adapted into the model.
//!
//! Terraform is evaluated per module tree elsewhere (it needs every file at once); every other
//! kind is handled here, one file at a time and in parallel. Adding an input kind means: a
//! [`FileKind`] variant and its name rule in `discover.rs`, an arm in [`adapt_file`], a field
//! in [`FileResult`] with one line in [`FileResult::merge_into`], and its [`language_of`].

use trustmap_model::{Language, Model};
use trustmap_source::{Diagnostic, SourceFile};

use crate::discover::FileKind;

/// What one file contributed to the model.
#[derive(Default)]
pub(crate) struct FileResult {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) k8s: trustmap_model::k8s::K8s,
    pub(crate) dockerfile: Option<trustmap_model::docker::Dockerfile>,
    pub(crate) workflow: Option<trustmap_model::gha::Workflow>,
    pub(crate) gha_action: Option<trustmap_model::gha::Action>,
    /// Evaluated CloudFormation/SAM templates: adapted with the Terraform resources (joins
    /// and list positions need every AWS resource at once), so `lib.rs` takes them out
    /// before [`FileResult::merge_into`].
    pub(crate) templates: Vec<trustmap_cloudformation::Template>,
    pub(crate) compose: Option<trustmap_model::compose::ComposeFile>,
    /// A Serverless Framework service: appended to the AWS model once it is built, so
    /// `lib.rs` takes it out before [`FileResult::merge_into`] too.
    pub(crate) serverless: Option<trustmap_adapt::aws::serverless::Stack>,
}

impl FileResult {
    /// Moves this file's objects into the model; returns its diagnostics.
    pub(crate) fn merge_into(self, model: &mut Model) -> Vec<Diagnostic> {
        model.k8s.extend(self.k8s);
        model.dockerfiles.extend(self.dockerfile);
        model.workflows.extend(self.workflow);
        model.gha_actions.extend(self.gha_action);
        model.compose.extend(self.compose);
        self.diagnostics
    }
}

/// Parses and adapts one non-Terraform file.
pub(crate) fn adapt_file(
    f: &SourceFile,
    kind: FileKind,
    cloudformation: &trustmap_cloudformation::Options,
) -> FileResult {
    let mut r = FileResult::default();
    match kind {
        FileKind::Dockerfile => {
            r.dockerfile = trustmap_adapt::docker::from_file(f, &mut r.diagnostics);
        }
        FileKind::GithubWorkflow => {
            let parsed = trustmap_syntax::yaml::parse(f);
            r.diagnostics.extend(parsed.diagnostics);
            if let Some(doc) = parsed.docs.first() {
                r.workflow = trustmap_adapt::gha::from_document(f, doc, &mut r.diagnostics);
            }
        }
        FileKind::GithubAction => {
            let parsed = trustmap_syntax::yaml::parse(f);
            r.diagnostics.extend(parsed.diagnostics);
            r.gha_action = parsed
                .docs
                .first()
                .and_then(|d| trustmap_adapt::gha::action_from_document(f, d));
            if r.gha_action.is_none() {
                // Not an action after all: maybe a Kubernetes manifest with that name.
                r.k8s = trustmap_adapt::k8s::from_documents(f, &parsed.docs, &mut r.diagnostics);
            }
        }
        // Needs the files it includes: assembled after every file is read (`pipelines.rs`).
        FileKind::GitlabCi => {}
        // Built with the files it uses, before this pass (`kustomize.rs`).
        FileKind::Kustomization => {}
        FileKind::Compose => {
            let parsed = trustmap_syntax::yaml::parse(f);
            r.diagnostics.extend(parsed.diagnostics);
            r.compose = parsed
                .docs
                .first()
                .and_then(|d| trustmap_adapt::compose::from_document(f, d, &mut r.diagnostics));
        }
        FileKind::Serverless => {
            let parsed = trustmap_syntax::yaml::parse(f);
            r.diagnostics.extend(parsed.diagnostics);
            r.serverless = parsed.docs.first().and_then(|d| {
                trustmap_adapt::aws::serverless::from_document(f, d, &mut r.diagnostics)
            });
        }
        // A template is never a Kubernetes object: documents are routed by their shape.
        FileKind::Yaml | FileKind::CloudFormation if kind == FileKind::Yaml || !is_json_text(f) => {
            let parsed = trustmap_syntax::yaml::parse(f);
            r.diagnostics.extend(parsed.diagnostics);
            let (templates, others): (Vec<_>, Vec<_>) = parsed
                .docs
                .into_iter()
                .partition(trustmap_cloudformation::is_template);
            for doc in &templates {
                r.templates
                    .push(trustmap_cloudformation::evaluate(f, doc, cloudformation));
            }
            r.k8s = trustmap_adapt::k8s::from_documents(f, &others, &mut r.diagnostics);
        }
        FileKind::Yaml | FileKind::CloudFormation => match trustmap_syntax::json::parse(f) {
            Ok(doc) if trustmap_cloudformation::is_template(&doc) => r
                .templates
                .push(trustmap_cloudformation::evaluate(f, &doc, cloudformation)),
            Ok(doc) => {
                r.k8s = trustmap_adapt::k8s::from_documents(f, &[doc], &mut r.diagnostics);
            }
            Err(d) => r.diagnostics.push(d),
        },
        // Rendered with its chart (`helm.rs`), never read raw.
        FileKind::HelmTemplate => {}
        // Evaluated together (`is_terraform`); a JSON file nothing recognised is not read.
        FileKind::Terraform
        | FileKind::TerraformVars
        | FileKind::TerraformJson
        | FileKind::TerraformModules
        | FileKind::TerraformPlan
        | FileKind::Json => {}
        // Read by the secrets pass only.
        FileKind::Text => {}
    }
    r
}

/// Files evaluated together by `trustmap_terraform::evaluate` rather than one by one.
pub(crate) fn is_terraform(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Terraform
            | FileKind::TerraformVars
            | FileKind::TerraformJson
            | FileKind::TerraformModules
            | FileKind::TerraformPlan
    )
}

/// What a `.json` file is, by its content: the refined kind, or `None` when it is nothing
/// trustmap reads. One cheap substring test per format before any parsing, then a check of
/// the top-level object: Terraform plans, CloudFormation templates (`AWSTemplateFormatVersion`
/// or `Resources` of `AWS::`/`Custom::` types; a `.template` file may hold YAML).
pub(crate) fn sniff_json(f: &SourceFile) -> Option<FileKind> {
    let has = |needle: &str| memchr::memmem::find(f.text.as_bytes(), needle.as_bytes()).is_some();
    if has("\"format_version\"") && (has("\"planned_values\"") || has("\"resource_changes\"")) {
        let root = trustmap_syntax::json::parse(f).ok()?;
        if trustmap_terraform::is_plan_json(&root) {
            return Some(FileKind::TerraformPlan);
        }
    }
    if has("AWSTemplateFormatVersion")
        || (has("\"Resources\"") && (has("AWS::") || has("Custom::")))
    {
        let is_template = if is_json_text(f) {
            trustmap_syntax::json::parse(f)
                .is_ok_and(|root| trustmap_cloudformation::is_template(&root))
        } else {
            // A `.template` file written in YAML.
            has("Resources")
                && trustmap_syntax::yaml::parse(f)
                    .docs
                    .iter()
                    .any(trustmap_cloudformation::is_template)
        };
        if is_template {
            return Some(FileKind::CloudFormation);
        }
    }
    None
}

/// Whether a YAML file may be a CloudFormation template (a substring test; the documents
/// are checked after parsing, and the others still go to the Kubernetes adapter).
pub(crate) fn sniff_yaml(f: &SourceFile) -> bool {
    let has = |needle: &str| memchr::memmem::find(f.text.as_bytes(), needle.as_bytes()).is_some();
    has("AWSTemplateFormatVersion") || (has("Resources") && (has("AWS::") || has("Custom::")))
}

/// JSON text starts with `{` (after a byte-order mark or spaces); YAML templates do not.
fn is_json_text(f: &SourceFile) -> bool {
    f.text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with('{')
}

/// The language a file's suppressions and findings belong to.
pub(crate) fn language_of(kind: FileKind) -> Language {
    match kind {
        // JSON has no comments, so no suppressions: any language would do.
        FileKind::Terraform
        | FileKind::TerraformVars
        | FileKind::TerraformJson
        | FileKind::TerraformModules
        | FileKind::TerraformPlan
        | FileKind::Json => Language::Terraform,
        FileKind::Dockerfile => Language::Dockerfile,
        FileKind::GithubWorkflow | FileKind::GithubAction => Language::GithubActions,
        FileKind::GitlabCi => Language::GitlabCi,
        FileKind::HelmTemplate => Language::Helm,
        FileKind::Yaml => Language::Kubernetes,
        FileKind::CloudFormation => Language::CloudFormation,
        FileKind::Text => Language::Text,
        FileKind::Kustomization => Language::Kustomize,
        FileKind::Compose => Language::Compose,
        FileKind::Serverless => Language::Serverless,
    }
}
