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
}

impl FileResult {
    /// Moves this file's objects into the model; returns its diagnostics.
    pub(crate) fn merge_into(self, model: &mut Model) -> Vec<Diagnostic> {
        model.k8s.extend(self.k8s);
        model.dockerfiles.extend(self.dockerfile);
        model.workflows.extend(self.workflow);
        self.diagnostics
    }
}

/// Parses and adapts one non-Terraform file.
pub(crate) fn adapt_file(f: &SourceFile, kind: FileKind) -> FileResult {
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
        FileKind::Yaml => {
            let parsed = trustmap_syntax::yaml::parse(f);
            r.diagnostics.extend(parsed.diagnostics);
            r.k8s = trustmap_adapt::k8s::from_documents(f, &parsed.docs, &mut r.diagnostics);
        }
        FileKind::HelmTemplate => r.diagnostics.push(
            Diagnostic::new(
                "unsupported",
                "Helm chart template: not rendered yet, so not checked",
            )
            .in_file(f),
        ),
        FileKind::TerraformJson => r.diagnostics.push(
            Diagnostic::new("unsupported", "Terraform JSON syntax is not evaluated yet").in_file(f),
        ),
        FileKind::Terraform | FileKind::TerraformVars => {}
    }
    r
}

/// The language a file's suppressions and findings belong to.
pub(crate) fn language_of(kind: FileKind) -> Language {
    match kind {
        FileKind::Terraform | FileKind::TerraformVars | FileKind::TerraformJson => {
            Language::Terraform
        }
        FileKind::Dockerfile => Language::Dockerfile,
        FileKind::GithubWorkflow => Language::GithubActions,
        FileKind::HelmTemplate => Language::Helm,
        FileKind::Yaml => Language::Kubernetes,
    }
}
