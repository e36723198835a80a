//! Kustomize: every top-level kustomization is built in-process from the scanned files
//! (`trustmap_adapt::kustomize`), before the per-file pass, because the files a build uses —
//! bases, patches, components, generator files — must then not be adapted on their own: a
//! base is checked as each overlay builds it, never as itself.

use std::sync::Arc;

use trustmap_adapt::kustomize::Output;
use trustmap_source::SourceFile;

use crate::discover::FileKind;

/// Builds the kustomizations among `files`.
pub(crate) fn build(files: &[(Arc<SourceFile>, FileKind)]) -> Output {
    let kustomizations: Vec<&SourceFile> = files
        .iter()
        .filter(|(_, k)| *k == FileKind::Kustomization)
        .map(|(f, _)| f.as_ref())
        .collect();
    if kustomizations.is_empty() {
        return Output::default();
    }
    let all: Vec<&SourceFile> = files.iter().map(|(f, _)| f.as_ref()).collect();
    trustmap_adapt::kustomize::build_all(&all, &kustomizations)
}
