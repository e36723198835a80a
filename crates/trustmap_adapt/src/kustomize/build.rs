//! One `kustomize build`: load resources and components, generate, patch, transform.

use std::collections::HashSet;

use trustmap_source::{Diagnostic, FileId, SourceFile, Span, Via, ViaKind};
use trustmap_syntax::Node;

use super::paths::{self, display_dir};
use super::{Workspace, generate, patch, transform, tree};

/// How deep kustomizations may use each other.
const MAX_DEPTH: usize = 32;
/// Nodes one build may hold (a base used twice at every level grows exponentially).
const MAX_NODES: usize = 2_000_000;
/// Kustomizations one build may apply (the same guard, for time).
const MAX_BUILDS: usize = 10_000;

/// Keys kustomize reads that this builder does not: what is lost when one is used, and
/// whether objects are missing (rather than possibly built differently).
const UNSUPPORTED: &[(&str, &str, bool)] = &[
    ("helmCharts", "Helm charts are not inflated", true),
    (
        "helmChartInflationGenerator",
        "Helm charts are not inflated",
        true,
    ),
    ("generators", "generator plugins are not run", true),
    ("transformers", "transformer plugins are not run", false),
    ("validators", "validator plugins are not run", false),
    (
        "configurations",
        "custom transformer configurations are not applied",
        false,
    ),
    (
        "crds",
        "custom resource definitions for name references are not read",
        false,
    ),
    ("openapi", "custom OpenAPI schemas are not read", false),
];

/// One object being built.
#[derive(Clone, Debug)]
pub(crate) struct Res {
    pub(crate) doc: Node,
    /// `metadata.name` as first loaded (patches may name it that way).
    pub(crate) orig_name: String,
    pub(crate) orig_namespace: Option<String>,
    /// The kustomization entries that brought it in, nearest first.
    pub(crate) via: Vec<Via>,
}

impl Res {
    pub(crate) fn new(doc: Node, via: Via) -> Self {
        Self {
            orig_name: tree::text_at(&doc, &["metadata", "name"]).unwrap_or_default(),
            orig_namespace: tree::text_at(&doc, &["metadata", "namespace"]),
            doc,
            via: vec![via],
        }
    }

    pub(crate) fn kind(&self) -> String {
        tree::text_at(&self.doc, &["kind"]).unwrap_or_default()
    }

    pub(crate) fn name(&self) -> String {
        tree::text_at(&self.doc, &["metadata", "name"]).unwrap_or_default()
    }

    pub(crate) fn namespace(&self) -> Option<String> {
        tree::text_at(&self.doc, &["metadata", "namespace"])
    }

    /// `(group, version)` of `apiVersion`.
    pub(crate) fn group_version(&self) -> (String, String) {
        let av = tree::text_at(&self.doc, &["apiVersion"]).unwrap_or_default();
        match av.rsplit_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), av),
        }
    }

    /// Known by `name` (now, or as first loaded).
    pub(crate) fn named(&self, name: &str) -> bool {
        self.name() == name || self.orig_name == name
    }
}

/// The items of a list field of a kustomization (nothing when absent or not a list).
pub(crate) fn entries(doc: &Node, key: &str) -> Vec<Node> {
    match doc.get(key).map(Node::untagged) {
        Some(n) => match n.as_seq() {
            Some(items) => items.iter().map(|i| i.untagged().clone()).collect(),
            None => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// `patch `overlays/prod/x.yaml``, or `inline patch` for one written in the kustomization.
fn patch_label(label: &str) -> String {
    if label == "inline" {
        "inline patch".to_string()
    } else {
        format!("patch {label}")
    }
}

/// The context of one kustomization being applied: its file, directory and document.
pub(crate) struct Kx<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) dir: String,
    pub(crate) doc: Node,
}

impl Kx<'_> {
    /// A hop through this kustomization, written at `span`.
    pub(crate) fn via(&self, what: &str, span: Span) -> Via {
        let dir = display_dir(&self.dir);
        let note = if what.is_empty() {
            format!("kustomization `{dir}`")
        } else {
            format!("{what} of kustomization `{dir}`")
        };
        Via {
            kind: ViaKind::Other { note },
            span,
        }
    }

    pub(crate) fn unsupported(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new("unsupported", message).at(self.file, span)
    }

    pub(crate) fn evaluation(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new("evaluation", message).at(self.file, span)
    }
}

pub(crate) struct Builder<'w, 'a> {
    pub(crate) ws: &'w mut Workspace<'a>,
    stack: Vec<FileId>,
    /// Kustomizations this build went through.
    pub(crate) visited: HashSet<FileId>,
    nodes: usize,
    builds: usize,
    over_budget: bool,
}

impl<'w, 'a> Builder<'w, 'a> {
    pub(crate) fn new(ws: &'w mut Workspace<'a>) -> Self {
        Self {
            ws,
            stack: Vec::new(),
            visited: HashSet::new(),
            nodes: 0,
            builds: 0,
            over_budget: false,
        }
    }

    /// Builds the kustomization in `file` on top of `initial` (a component is applied to
    /// the resources its user has so far).
    pub(crate) fn build(&mut self, file: &'a SourceFile, initial: Vec<Res>) -> Vec<Res> {
        self.ws.consumed.insert(file.id);
        self.visited.insert(file.id);
        self.builds += 1;
        if self.builds > MAX_BUILDS && !self.over_budget {
            self.over_budget();
        }
        if self.over_budget {
            return initial;
        }
        let Some(doc) = self.ws.kustomization_doc(file) else {
            return initial;
        };
        let kx = Kx {
            file,
            dir: paths::dir_of(&file.path).to_string(),
            doc,
        };
        self.stack.push(file.id);
        let mut res = initial;
        self.check_unsupported(&kx);
        for key in ["resources", "bases"] {
            for entry in entries(&kx.doc, key) {
                self.resource(&kx, &entry, &mut res);
            }
        }
        for entry in entries(&kx.doc, "components") {
            self.component(&kx, &entry, &mut res);
        }
        generate::generators(self, &kx, &mut res);
        self.patches(&kx, &mut res);
        transform::replacements(self, &kx, &mut res);
        transform::vars(self, &kx, &mut res);
        transform::namespace(&kx, &mut res);
        transform::name_prefix_suffix(&kx, &mut res);
        transform::labels(&kx, &mut res);
        transform::annotations(&kx, &mut res);
        transform::images(&kx, &mut res);
        transform::replicas(&kx, &mut res);
        self.stack.pop();
        res
    }

    /// Reports `d` and records that the build of `kx` is partial: `what` was left out.
    fn partial(&mut self, kx: &Kx<'_>, d: Diagnostic, what: String) {
        self.ws.report(d);
        let line = format!("Kustomize `{}`: {what}", display_dir(&kx.dir));
        if !self.ws.incomplete.contains(&line) {
            self.ws.incomplete.push(line);
        }
    }

    fn check_unsupported(&mut self, kx: &Kx<'_>) {
        for (key, what, adds) in UNSUPPORTED {
            if let Some(e) = kx.doc.entry(key) {
                let lost = if *adds {
                    "the objects it would add are missing, so the build"
                } else {
                    "objects may be built differently, so the build"
                };
                let d = kx.unsupported(
                    e.key_span,
                    format!(
                        "kustomize `{key}` is not supported ({what}): {lost} of `{}` is incomplete",
                        display_dir(&kx.dir)
                    ),
                );
                self.partial(kx, d, format!("`{key}` is not supported ({what})"));
            }
        }
    }

    /// Adds the objects of one `resources` entry: a file, or a directory's kustomization.
    fn resource(&mut self, kx: &Kx<'a>, entry: &Node, res: &mut Vec<Res>) {
        let Some(text) = entry.as_str() else {
            return;
        };
        if paths::is_remote(text) {
            let d = kx.unsupported(
                entry.span,
                format!(
                    "remote resource `{text}` is not fetched (a scan never uses the network): its objects are missing, so the build of `{}` is incomplete",
                    display_dir(&kx.dir)
                ),
            );
            self.partial(
                kx,
                d,
                format!("remote resource `{text}` was not fetched, its objects were not checked"),
            );
            return;
        }
        let Some(path) = paths::join(&kx.dir, text) else {
            let d = kx.evaluation(
                entry.span,
                format!(
                    "resource `{text}` is outside the scanned tree: its objects are not checked"
                ),
            );
            self.partial(
                kx,
                d,
                format!(
                    "resource `{text}` is outside the scanned tree, its objects were not checked"
                ),
            );
            return;
        };
        let via = kx.via("", entry.span);
        if let Some(f) = self.ws.file(&path) {
            self.ws.consumed.insert(f.id);
            let docs = self.ws.docs(f);
            for doc in docs.iter() {
                self.add_objects(kx, doc.untagged(), &via, res, 0);
            }
            return;
        }
        let Some(inner) = self.ws.kustomization_in(&path) else {
            let d = kx.evaluation(
                entry.span,
                format!("resource `{text}` is not in the scanned tree (no such file, or a directory without a kustomization): its objects are not checked"),
            );
            self.partial(
                kx,
                d,
                format!(
                    "resource `{text}` is not in the scanned tree, its objects were not checked"
                ),
            );
            return;
        };
        if let Some(cycle) = self.cycle(kx, inner, entry.span) {
            self.ws.report(cycle);
            return;
        }
        for mut r in self.build(inner, Vec::new()) {
            r.via.push(via.clone());
            self.push(res, r);
        }
    }

    /// A kustomization that uses itself (directly or through others), or nests too deep.
    fn cycle(&self, kx: &Kx<'_>, inner: &SourceFile, span: Span) -> Option<Diagnostic> {
        if self.stack.contains(&inner.id) {
            return Some(kx.evaluation(
                span,
                format!(
                    "`{}` is already being built here (a cycle): it is not used again",
                    inner.path
                ),
            ));
        }
        (self.stack.len() >= MAX_DEPTH).then(|| {
            kx.evaluation(
                span,
                format!(
                    "kustomizations nest deeper than {MAX_DEPTH}: `{}` is not built",
                    inner.path
                ),
            )
        })
    }

    /// The objects of one YAML document (a `List` is unpacked).
    fn add_objects(
        &mut self,
        kx: &Kx<'_>,
        doc: &Node,
        via: &Via,
        res: &mut Vec<Res>,
        depth: usize,
    ) {
        if doc.is_null() {
            return;
        }
        let kind = doc.get("kind").and_then(Node::as_str);
        if kind == Some("List") && depth < 4 {
            for item in doc.get("items").and_then(Node::as_seq).unwrap_or(&[]) {
                self.add_objects(kx, item.untagged(), via, res, depth + 1);
            }
            return;
        }
        if kind.is_none() || doc.as_map().is_none() {
            self.ws.report(kx.evaluation(
                doc.span,
                "not a Kubernetes object (no `kind`): kustomize would reject it, it is not checked",
            ));
            return;
        }
        self.push(res, Res::new(doc.clone(), via.clone()));
    }

    /// Stops the build: it grew past its budget (bases used many times over).
    fn over_budget(&mut self) {
        self.over_budget = true;
        if let Some(f) = self.stack.first().and_then(|id| self.ws.file_by_id(*id)) {
            self.ws.report(
                Diagnostic::new(
                    "evaluation",
                    "kustomize build is too large (bases used many times over): the remaining objects are not checked",
                )
                .in_file(f),
            );
            self.ws.incomplete.push(format!(
                "Kustomize `{}`: the build is too large, some of its objects were not checked",
                f.path
            ));
        }
    }

    /// Adds an object unless the build is over its budget.
    pub(crate) fn push(&mut self, res: &mut Vec<Res>, r: Res) {
        if self.over_budget {
            return;
        }
        self.nodes += tree::size(&r.doc);
        if self.nodes > MAX_NODES {
            self.over_budget();
            return;
        }
        res.push(r);
    }

    fn component(&mut self, kx: &Kx<'a>, entry: &Node, res: &mut Vec<Res>) {
        let Some(text) = entry.as_str() else {
            return;
        };
        if paths::is_remote(text) {
            let d = kx.unsupported(
                entry.span,
                format!(
                    "remote component `{text}` is not fetched (a scan never uses the network): the build of `{}` is incomplete",
                    display_dir(&kx.dir)
                ),
            );
            self.partial(
                kx,
                d,
                format!("remote component `{text}` was not fetched or applied"),
            );
            return;
        }
        let inner = paths::join(&kx.dir, text).and_then(|p| self.ws.kustomization_in(&p));
        let Some(inner) = inner else {
            let d = kx.evaluation(
                entry.span,
                format!("component `{text}` is not in the scanned tree: the build of `{}` is incomplete", display_dir(&kx.dir)),
            );
            self.partial(
                kx,
                d,
                format!("component `{text}` is not in the scanned tree and was not applied"),
            );
            return;
        };
        if let Some(cycle) = self.cycle(kx, inner, entry.span) {
            self.ws.report(cycle);
            return;
        }
        let before = std::mem::take(res);
        let count = before.len();
        let mut after = self.build(inner, before);
        // Objects the component added came in through this entry.
        let via = kx.via("", entry.span);
        for r in after.iter_mut().skip(count) {
            r.via.push(via.clone());
        }
        *res = after;
    }

    /// `patchesStrategicMerge`, `patches` and `patchesJson6902`, in that order.
    fn patches(&mut self, kx: &Kx<'a>, res: &mut Vec<Res>) {
        for entry in entries(&kx.doc, "patchesStrategicMerge") {
            let Some(text) = entry.as_str() else {
                continue;
            };
            match self.patch_source(kx, text, &entry) {
                Some((label, docs)) => {
                    let via = kx.via(&patch_label(&label), entry.span);
                    for d in docs {
                        self.strategic(kx, &d, None, &via, res);
                    }
                }
                None => continue,
            }
        }
        for entry in entries(&kx.doc, "patches") {
            let target = entry.get("target");
            let (label, docs, span) = if let Some(p) = entry.get("path") {
                let Some(text) = p.as_str() else { continue };
                match self.file_patch(kx, text, p) {
                    Some((label, docs)) => (label, docs, p.span),
                    None => continue,
                }
            } else if let Some(p) = entry.get("patch") {
                ("inline".to_string(), self.embedded(kx, p), p.span)
            } else {
                continue;
            };
            let via = kx.via(&patch_label(&label), span);
            for d in docs {
                if d.as_seq().is_some() {
                    match target {
                        Some(t) => self.json6902(kx, &d, t, &via, res),
                        None => self.ws.report(kx.evaluation(
                            span,
                            "a JSON 6902 patch needs a `target`: it is not applied",
                        )),
                    }
                } else {
                    self.strategic(kx, &d, target, &via, res);
                }
            }
        }
        for entry in entries(&kx.doc, "patchesJson6902") {
            let Some(target) = entry.get("target") else {
                continue;
            };
            let (label, docs, span) = if let Some(p) = entry.get("path") {
                let Some(text) = p.as_str() else { continue };
                match self.file_patch(kx, text, p) {
                    Some((label, docs)) => (label, docs, p.span),
                    None => continue,
                }
            } else if let Some(p) = entry.get("patch") {
                ("inline".to_string(), self.embedded(kx, p), p.span)
            } else {
                continue;
            };
            let via = kx.via(&patch_label(&label), span);
            for d in docs {
                self.json6902(kx, &d, target, &via, res);
            }
        }
    }

    /// A `patchesStrategicMerge` item: a file path, or the patch itself inline.
    fn patch_source(
        &mut self,
        kx: &Kx<'a>,
        text: &str,
        entry: &Node,
    ) -> Option<(String, Vec<Node>)> {
        if text.contains('\n') || text.trim_start().starts_with('{') {
            return Some(("inline".to_string(), self.embedded(kx, entry)));
        }
        self.file_patch(kx, text, entry)
    }

    /// The documents of a patch file, which is consumed (not scanned on its own).
    fn file_patch(&mut self, kx: &Kx<'a>, text: &str, at: &Node) -> Option<(String, Vec<Node>)> {
        let file = paths::join(&kx.dir, text).and_then(|p| self.ws.file(&p));
        let Some(f) = file else {
            let d = kx.evaluation(
                at.span,
                format!("patch `{text}` is not in the scanned tree: it is not applied, so the build of `{}` may be incomplete", display_dir(&kx.dir)),
            );
            self.partial(
                kx,
                d,
                format!("patch `{text}` is not in the scanned tree and was not applied"),
            );
            return None;
        };
        self.ws.consumed.insert(f.id);
        let docs = if f.path.ends_with(".json") {
            match trustmap_syntax::json::parse(f) {
                Ok(tree) => vec![tree],
                Err(d) => {
                    self.ws.report(d);
                    Vec::new()
                }
            }
        } else {
            self.ws
                .docs(f)
                .iter()
                .map(|d| d.untagged().clone())
                .collect()
        };
        Some((format!("`{}`", f.path), docs))
    }

    /// A patch written inline as a string: parsed where it is written, so its values keep
    /// their lines (a literal block maps exactly; other scalars map to the whole string).
    fn embedded(&mut self, kx: &Kx<'_>, node: &Node) -> Vec<Node> {
        let Some(text) = node.as_str() else {
            // Already structured (a JSON-style inline mapping or list).
            return vec![node.clone()];
        };
        let file = kx.file;
        let shadow = crate::gha::offsets::OffsetMap::new(text, file, node.span).and_then(|map| {
            // The file's bytes, blank except the patch's own lines, at their own offsets.
            let mut buf: Vec<u8> = file
                .text
                .bytes()
                .map(|b| if b == b'\n' { b'\n' } else { b' ' })
                .collect();
            let mut offset = 0;
            for line in text.split('\n') {
                if !line.is_empty() {
                    let span = map.span(file, offset, offset + line.len())?;
                    buf.get_mut(span.range())?.copy_from_slice(line.as_bytes());
                }
                offset += line.len() + 1;
            }
            String::from_utf8(buf).ok()
        });
        let (source, exact) = match shadow {
            Some(s) => (SourceFile::new(file.id, file.path.clone(), s), true),
            None => (
                SourceFile::new(file.id, file.path.clone(), text.to_string()),
                false,
            ),
        };
        let parsed = trustmap_syntax::yaml::parse(&source);
        if !parsed.diagnostics.is_empty() {
            self.ws.report(kx.evaluation(
                node.span,
                "inline patch is not valid YAML: it is not applied",
            ));
            return Vec::new();
        }
        parsed
            .docs
            .into_iter()
            .map(|mut d| {
                if !exact {
                    tree::respan(&mut d, node.span);
                }
                d.untagged().clone()
            })
            .collect()
    }

    fn strategic(
        &mut self,
        kx: &Kx<'_>,
        p: &Node,
        target: Option<&Node>,
        via: &Via,
        res: &mut Vec<Res>,
    ) {
        if p.as_map().is_none() {
            return;
        }
        let matches: Vec<usize> = match target {
            Some(t) => transform::select(t, res),
            None => {
                let kind = tree::text_at(p, &["kind"]);
                let name = tree::text_at(p, &["metadata", "name"]);
                let ns = tree::text_at(p, &["metadata", "namespace"]);
                let group = tree::text_at(p, &["apiVersion"]).map(|av| {
                    av.rsplit_once('/')
                        .map_or(String::new(), |(g, _)| g.to_string())
                });
                res.iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        kind.as_deref() == Some(r.kind().as_str())
                            && name.as_deref().is_some_and(|n| r.named(n))
                            && ns.as_deref().is_none_or(|n| {
                                r.namespace().as_deref() == Some(n)
                                    || r.orig_namespace.as_deref() == Some(n)
                            })
                            && group.as_deref().is_none_or(|g| g == r.group_version().0)
                    })
                    .map(|(i, _)| i)
                    .collect()
            }
        };
        if matches.is_empty() {
            self.ws.report(kx.evaluation(
                p.span,
                "patch matches no object of this build: it is not applied",
            ));
            return;
        }
        let mut deleted = Vec::new();
        for i in matches {
            let mut patch = p.clone();
            if target.is_some() {
                // A targeted patch applies whatever name it was written with.
                for key in ["name", "namespace"] {
                    if let Some(m) = tree::get_mut(&mut patch, "metadata") {
                        tree::remove(m, key);
                    }
                }
                tree::remove(&mut patch, "kind");
                tree::remove(&mut patch, "apiVersion");
            }
            if !patch::strategic_merge(&mut res[i].doc, &patch, via) {
                deleted.push(i);
            }
        }
        for i in deleted.into_iter().rev() {
            res.remove(i);
        }
    }

    fn json6902(&mut self, kx: &Kx<'_>, ops: &Node, target: &Node, via: &Via, res: &mut [Res]) {
        let Some(ops) = ops.as_seq() else {
            return;
        };
        let matches = transform::select(target, res);
        if matches.is_empty() {
            self.ws.report(kx.evaluation(
                target.span,
                "patch target matches no object of this build: the patch is not applied",
            ));
            return;
        }
        for i in matches {
            for op in ops {
                if let Err(e) = patch::json_op(&mut res[i].doc, op.untagged(), via) {
                    let message = match e {
                        patch::OpError::Invalid(m) => {
                            format!("JSON patch operation not applied: {m}")
                        }
                        patch::OpError::NoPath(p) => {
                            format!(
                                "JSON patch operation not applied: `{p}` does not exist in `{}`",
                                res[i].name()
                            )
                        }
                    };
                    let f = self.ws.file_by_id(op.span.file).unwrap_or(kx.file);
                    self.ws
                        .report(Diagnostic::new("evaluation", message).at(f, op.span));
                }
            }
        }
    }
}
