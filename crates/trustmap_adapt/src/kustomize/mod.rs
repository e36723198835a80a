//! Kustomize, built in-process: kustomizations → the objects `kustomize build` would print,
//! then the Kubernetes adapter.
//!
//! A build reads only the scanned files it is given (no filesystem, no network): resources
//! (files, and directories holding a kustomization: bases and overlays, recursively),
//! components, generators' files, patches. It applies what kustomize applies, in its order:
//! components, `configMapGenerator`/`secretGenerator`, patches (strategic merge with the
//! list merge keys of the Kubernetes types, `$patch: delete`/`replace`, JSON 6902 with
//! `target` selectors, and the legacy `patchesStrategicMerge`/`patchesJson6902`),
//! `namespace`, `namePrefix`/`nameSuffix` (with the name references that follow),
//! `commonLabels`/`labels`, `commonAnnotations`, `images` and `replicas`.
//!
//! Every value keeps the span of the text it came from: a base file's line, the patch line
//! that set it (with a [`Via`](trustmap_source::Via) naming the patch), the `images` entry
//! that rewrote a tag, the generator literal. Objects carry the chain of kustomizations that
//! instantiated them as their `via`, so a finding says which overlay it belongs to.
//!
//! Only top-level kustomizations are built (those no other kustomization uses as a resource
//! or component); the files a kustomization consumes are not scanned on their own, so a base
//! used through overlays is reported once per overlay and never as itself.
//!
//! Not supported (each is an `unsupported` diagnostic at the line that uses it, naming what
//! is missing, and a sentence in [`Output::incomplete`], so the scan is reported as partial
//! rather than clean): remote resources and components (a scan never touches the network),
//! `helmCharts`, `generators`, `transformers`, `validators`, `configurations`, `crds`,
//! `openapi`. Resources, components and patches missing from the scanned tree make a build
//! incomplete the same way. Fields that `replacements` or `vars` would set are made unknown,
//! so they never read as safe.
//! Generated names get no content hash suffix: addresses stay stable across edits.

mod build;
mod generate;
mod patch;
mod paths;
#[cfg(test)]
mod tests;
mod transform;
mod tree;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use trustmap_model::Language;
use trustmap_model::k8s::K8s;
use trustmap_source::{Diagnostic, FileId, SourceFile, Span};
use trustmap_syntax::Node;

pub use paths::{KUSTOMIZATION_NAMES, is_kustomization_path};

/// What building every kustomization of a scan produced.
#[derive(Debug, Default)]
pub struct Output {
    /// The objects of every top-level kustomization, as built, language `Kustomize`.
    pub k8s: K8s,
    /// Every file some kustomization read (its own file included): they are not scanned on
    /// their own.
    pub consumed: HashSet<FileId>,
    pub diagnostics: Vec<Diagnostic>,
    /// Builds that left something out (a remote base, an unsupported generator, a missing
    /// file), one sentence each: the scan is partial, not clean.
    pub incomplete: Vec<String>,
    /// The top-level kustomizations built, by path.
    pub built: Vec<String>,
}

/// Builds every top-level kustomization among `kustomizations`, reading only `files` (the
/// scan's files; paths relative to the scan root, `/`-separated).
pub fn build_all(files: &[&SourceFile], kustomizations: &[&SourceFile]) -> Output {
    let mut ws = Workspace::new(files);
    let mut out = Output::default();
    if kustomizations.is_empty() {
        return out;
    }
    // Which kustomizations others use: those are built only through their users.
    let mut used: HashSet<FileId> = HashSet::new();
    let mut components: HashSet<FileId> = HashSet::new();
    for k in kustomizations {
        let Some(doc) = ws.kustomization_doc(k) else {
            continue;
        };
        if doc.get("kind").and_then(Node::as_str) == Some("Component") {
            components.insert(k.id);
        }
        let dir = paths::dir_of(&k.path);
        for key in ["resources", "bases", "components"] {
            for entry in build::entries(&doc, key) {
                let Some(path) = entry.as_str().and_then(|e| paths::join(dir, e)) else {
                    continue;
                };
                if let Some(inner) = ws.kustomization_in(&path) {
                    used.insert(inner.id);
                }
            }
        }
    }
    let mut order: Vec<&SourceFile> = kustomizations.to_vec();
    order.sort_by(|a, b| a.path.cmp(&b.path));
    let mut visited: HashSet<FileId> = HashSet::new();
    // Top-level first; then anything left unbuilt (kustomizations that only use each other).
    let roots = order
        .iter()
        .filter(|k| !used.contains(&k.id))
        .chain(order.iter().filter(|k| used.contains(&k.id)));
    for k in roots {
        if components.contains(&k.id) || visited.contains(&k.id) {
            continue;
        }
        let mut b = build::Builder::new(&mut ws);
        let resources = b.build(k, Vec::new());
        visited.extend(b.visited.iter().copied());
        let docs: Vec<Node> = resources.iter().map(|r| r.doc.clone()).collect();
        let mut diags = Vec::new();
        let mut k8s = crate::k8s::from_documents(k, &docs, &mut diags);
        ws.diagnostics.extend(diags);
        attach(&mut k8s, &resources);
        out.k8s.extend(k8s);
        out.built.push(k.path.clone());
    }
    out.consumed = std::mem::take(&mut ws.consumed);
    out.diagnostics = std::mem::take(&mut ws.diagnostics);
    out.incomplete = std::mem::take(&mut ws.incomplete);
    out
}

/// Marks the adapted objects as Kustomize output and gives each the chain of kustomizations
/// that instantiated it (found by the document span it was adapted from).
fn attach(k8s: &mut K8s, resources: &[build::Res]) {
    let via_of: HashMap<Span, &Vec<trustmap_source::Via>> =
        resources.iter().map(|r| (r.doc.span, &r.via)).collect();
    let fix = |meta: &mut trustmap_model::ResourceMeta| {
        meta.language = Language::Kustomize;
        if let Some(via) = via_of.get(&meta.span) {
            meta.via.extend(via.iter().cloned());
        }
    };
    let K8s {
        workloads,
        service_accounts,
        roles,
        bindings,
        services,
        ingresses,
        network_policies,
        secrets,
        config_maps,
        namespaces,
        mesh,
    } = k8s;
    workloads.iter_mut().for_each(|o| fix(&mut o.object.meta));
    service_accounts
        .iter_mut()
        .for_each(|o| fix(&mut o.object.meta));
    roles.iter_mut().for_each(|o| fix(&mut o.object.meta));
    bindings.iter_mut().for_each(|o| fix(&mut o.object.meta));
    services.iter_mut().for_each(|o| fix(&mut o.object.meta));
    ingresses.iter_mut().for_each(|o| fix(&mut o.object.meta));
    network_policies
        .iter_mut()
        .for_each(|o| fix(&mut o.object.meta));
    secrets.iter_mut().for_each(|o| fix(&mut o.object.meta));
    config_maps.iter_mut().for_each(|o| fix(&mut o.object.meta));
    namespaces.iter_mut().for_each(|o| fix(&mut o.object.meta));
    mesh.peer_authentications
        .iter_mut()
        .for_each(|o| fix(&mut o.object.meta));
    mesh.authorization_policies
        .iter_mut()
        .for_each(|o| fix(&mut o.object.meta));
    mesh.destination_rules
        .iter_mut()
        .for_each(|o| fix(&mut o.object.meta));
}

/// The scan's files, parsed on demand (once each), and what the builds have read.
pub(crate) struct Workspace<'a> {
    by_path: HashMap<&'a str, &'a SourceFile>,
    by_id: HashMap<FileId, &'a SourceFile>,
    parsed: HashMap<FileId, Rc<Vec<Node>>>,
    pub(crate) consumed: HashSet<FileId>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) incomplete: Vec<String>,
    reported: HashSet<(Option<String>, Option<Span>, String)>,
}

impl<'a> Workspace<'a> {
    fn new(files: &[&'a SourceFile]) -> Self {
        Self {
            by_path: files.iter().map(|f| (f.path.as_str(), *f)).collect(),
            by_id: files.iter().map(|f| (f.id, *f)).collect(),
            parsed: HashMap::new(),
            consumed: HashSet::new(),
            diagnostics: Vec::new(),
            incomplete: Vec::new(),
            reported: HashSet::new(),
        }
    }

    pub(crate) fn file(&self, path: &str) -> Option<&'a SourceFile> {
        self.by_path.get(path).copied()
    }

    pub(crate) fn file_by_id(&self, id: FileId) -> Option<&'a SourceFile> {
        self.by_id.get(&id).copied()
    }

    /// The kustomization file of directory `dir`, when the scan has one.
    pub(crate) fn kustomization_in(&self, dir: &str) -> Option<&'a SourceFile> {
        KUSTOMIZATION_NAMES.iter().find_map(|name| {
            let p = if dir.is_empty() {
                (*name).to_string()
            } else {
                format!("{dir}/{name}")
            };
            self.file(&p)
        })
    }

    /// The YAML documents of a file, parsed once; parse problems are reported once.
    pub(crate) fn docs(&mut self, f: &SourceFile) -> Rc<Vec<Node>> {
        if let Some(d) = self.parsed.get(&f.id) {
            return d.clone();
        }
        let parsed = trustmap_syntax::yaml::parse(f);
        for d in parsed.diagnostics {
            self.report(d);
        }
        let docs = Rc::new(parsed.docs);
        self.parsed.insert(f.id, docs.clone());
        docs
    }

    /// A kustomization's document (its first), when it is a mapping.
    pub(crate) fn kustomization_doc(&mut self, f: &SourceFile) -> Option<Node> {
        let docs = self.docs(f);
        let doc = docs.first()?.untagged();
        if doc.as_map().is_none() {
            self.report(
                Diagnostic::new(
                    "evaluation",
                    "kustomization is not a mapping: nothing is built from it",
                )
                .at(f, doc.span),
            );
            return None;
        }
        Some(doc.clone())
    }

    /// Records a diagnostic once, however many builds run into it.
    pub(crate) fn report(&mut self, d: Diagnostic) {
        let key = (d.path.clone(), d.span, d.message.clone());
        if self.reported.insert(key) {
            self.diagnostics.push(d);
        }
    }
}
