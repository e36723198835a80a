//! Helm charts: found by their `Chart.yaml`, rendered once each with their values (and the
//! user's `--values`/`--set`), and adapted as Kubernetes objects whose spans point at the
//! template lines. A chart's templates are never scanned raw.
//!
//! A chart is every directory with a `Chart.yaml` that is not a subchart (a directory under
//! another chart's `charts/`, which renders as part of its parent). Anything that could not
//! be rendered is an error entry and a line in the report's `incomplete` list, which makes
//! the CLI exit 2 unless `--allow-partial` is given.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use trustmap_gotmpl::helm::{ChartFile, ChartInput, HelmOptions, render_chart};
use trustmap_model::Language;
use trustmap_model::k8s::K8s;
use trustmap_source::{Diagnostic, SourceFile, SourceMap};

use crate::discover::{Discovered, FileKind};
use crate::source::Source;

/// What the charts of a scan contributed.
#[derive(Default)]
pub(crate) struct Output {
    pub(crate) k8s: K8s,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) incomplete: Vec<String>,
    pub(crate) charts: usize,
    pub(crate) templates_rendered: usize,
    pub(crate) templates: usize,
}

/// Finds, loads and renders every chart under the scan roots.
pub(crate) fn render_all(
    source: Source<'_>,
    discovered: &[Discovered],
    files: &[(Arc<SourceFile>, FileKind)],
    sources: &mut SourceMap,
    opts: &HelmOptions,
    max_file_bytes: u64,
) -> Output {
    let charts = find_charts(source, discovered);
    let mut out = Output::default();
    if charts.is_empty() {
        return out;
    }
    let by_rel: HashMap<&str, &Arc<SourceFile>> =
        files.iter().map(|(f, _)| (f.path.as_str(), f)).collect();
    let mut inputs = Vec::new();
    for (abs, rel) in &charts {
        inputs.push(load_chart(
            source,
            abs,
            rel,
            &by_rel,
            sources,
            max_file_bytes,
        ));
    }
    // `--values` files join the source map so the values they set can be located.
    let mut opts = opts.clone();
    opts.values_files = opts
        .values_files
        .iter()
        .map(|vf| {
            let f = Arc::new(SourceFile::new(
                sources.next_id(),
                &vf.path,
                vf.text.clone(),
            ));
            sources.push(f.clone());
            f
        })
        .collect();
    let rendered: Vec<_> = inputs
        .par_iter()
        .map(|input| render_chart(input, &opts))
        .collect();
    for r in rendered {
        out.charts += 1;
        out.templates += r.total;
        out.templates_rendered += r.rendered;
        out.diagnostics.extend(r.diagnostics);
        out.incomplete.extend(r.incomplete);
        for t in &r.templates {
            let mut k =
                trustmap_adapt::k8s::from_documents(&t.template, &t.docs, &mut out.diagnostics);
            mark_helm(&mut k);
            out.k8s.extend(k);
        }
    }
    out
}

/// Objects from rendered charts are Helm's, whatever the adapter assumed.
fn mark_helm(k: &mut K8s) {
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
    } = k;
    let metas = workloads
        .iter_mut()
        .map(|x| &mut x.object.meta)
        .chain(service_accounts.iter_mut().map(|x| &mut x.object.meta))
        .chain(roles.iter_mut().map(|x| &mut x.object.meta))
        .chain(bindings.iter_mut().map(|x| &mut x.object.meta))
        .chain(services.iter_mut().map(|x| &mut x.object.meta))
        .chain(ingresses.iter_mut().map(|x| &mut x.object.meta))
        .chain(network_policies.iter_mut().map(|x| &mut x.object.meta))
        .chain(secrets.iter_mut().map(|x| &mut x.object.meta))
        .chain(config_maps.iter_mut().map(|x| &mut x.object.meta))
        .chain(namespaces.iter_mut().map(|x| &mut x.object.meta))
        .chain(
            mesh.peer_authentications
                .iter_mut()
                .map(|x| &mut x.object.meta),
        )
        .chain(
            mesh.authorization_policies
                .iter_mut()
                .map(|x| &mut x.object.meta),
        )
        .chain(
            mesh.destination_rules
                .iter_mut()
                .map(|x| &mut x.object.meta),
        );
    for m in metas {
        m.language = Language::Helm;
    }
}

/// Top-level chart directories: (absolute path, path relative to the scan root).
fn find_charts(source: Source<'_>, discovered: &[Discovered]) -> Vec<(PathBuf, String)> {
    let mut dirs: BTreeMap<PathBuf, String> = BTreeMap::new();
    for d in discovered {
        let name = d.rel.rsplit('/').next().unwrap_or(&d.rel);
        if name == "Chart.yaml" {
            if let Some(dir) = d.abs.parent() {
                let rel = d
                    .rel
                    .strip_suffix("Chart.yaml")
                    .unwrap_or("")
                    .trim_end_matches('/');
                dirs.insert(dir.to_path_buf(), rel.to_string());
            }
        } else if d.kind == FileKind::HelmTemplate {
            // A template's chart is the parent of its nearest `templates/` ancestor with a
            // Chart.yaml (found even when Chart.yaml itself was ignored).
            let mut rel = d.rel.as_str();
            for dir in d.abs.ancestors().skip(1) {
                rel = rel.rsplit_once('/').map_or("", |(r, _)| r);
                if dir.file_name().is_some_and(|n| n == "templates")
                    && let Some(chart) = dir.parent()
                    && source.is_file(&chart.join("Chart.yaml"))
                {
                    let chart_rel = rel.rsplit_once('/').map_or("", |(r, _)| r);
                    dirs.entry(chart.to_path_buf())
                        .or_insert_with(|| chart_rel.to_string());
                    break;
                }
            }
        }
    }
    let all: Vec<PathBuf> = dirs.keys().cloned().collect();
    dirs.into_iter()
        .filter(|(abs, _)| !is_subchart(abs, &all))
        .collect()
}

/// A chart directly under another scanned chart's `charts/` directory.
fn is_subchart(dir: &Path, charts: &[PathBuf]) -> bool {
    let mut cur = dir;
    while let Some(parent) = cur.parent() {
        if parent.file_name().is_some_and(|n| n == "charts")
            && let Some(owner) = parent.parent()
            && charts.iter().any(|c| c == owner)
        {
            return true;
        }
        cur = parent;
    }
    false
}

/// Reads every file of a chart (honouring `.gitignore` and `.helmignore`), reusing the files
/// discovery already read and adding the others (helpers, `.tpl`, `files/…`) to the source
/// map so findings and errors can point into them.
fn load_chart(
    source: Source<'_>,
    abs: &Path,
    rel: &str,
    by_rel: &HashMap<&str, &Arc<SourceFile>>,
    sources: &mut SourceMap,
    max_file_bytes: u64,
) -> ChartInput {
    let mut input = ChartInput {
        dir: rel.to_string(),
        ..ChartInput::default()
    };
    for inner in source.chart_files(abs) {
        let full = if rel.is_empty() {
            inner.clone()
        } else {
            format!("{rel}/{inner}")
        };
        let file = match by_rel.get(full.as_str()) {
            Some(f) => Some((*f).clone()),
            None => source
                .read_text(&abs.join(&inner), max_file_bytes)
                .map(|text| {
                    let f = Arc::new(SourceFile::new(sources.next_id(), full.clone(), text));
                    sources.push(f.clone());
                    f
                }),
        };
        match file {
            Some(file) => input.files.push(ChartFile { path: inner, file }),
            None => input.other_files.push(inner),
        }
    }
    input
}
