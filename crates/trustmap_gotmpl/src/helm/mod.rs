//! Helm charts rendered in-process, the way `helm template` renders them, with every
//! rendered object's spans pointing back at the template that wrote it.
//!
//! What is modelled: `Chart.yaml` (`apiVersion` v1 and v2; dependencies from `Chart.yaml`
//! or `requirements.yaml`, with `condition`, `tags` and `alias`), `values.yaml`, extra values
//! files and `--set` (applied in that order, as Helm does), subcharts vendored as
//! directories under `charts/` with the parent's `<subchart>:` values and `global`, the
//! shared `define` namespace of a chart and its subcharts (parent definitions win, as in
//! Helm's sort order), `.Release` (`release-name` in `default`, `IsInstall`),
//! `.Chart`, `.Capabilities` (Kubernetes 1.30, the built-in API versions, `.Has`),
//! `.Template.Name`/`.BasePath`, and `.Files` over the chart's own non-template files.
//!
//! What is not: subcharts packed as `.tgz` archives and dependencies that were never
//! vendored (`helm dependency build`) are reported as `helm-dependency` errors and the
//! chart as incomplete; `import-values` and schema validation (`values.schema.json`) are not
//! applied (a dependency with `import-values` gets an `unsupported` note); `NOTES.txt` is not
//! rendered (it is not a manifest). `.helmignore` is the caller's business (trustmap's engine
//! honours it when it reads the chart's files).
//!
//! Each template renders on its own: one failing template is a `helm-render` error at its
//! line and makes the chart incomplete, while the others are still checked. (Helm would
//! refuse the whole chart.)

mod values;

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use trustmap_source::{Diagnostic, FileId, SourceFile, Span};
use trustmap_syntax::Node;

pub use values::apply_set;

use crate::exec::{Budget, Limits, NoteKind, Templates};
use crate::funcs::node_to_value;
use crate::host::Host;
use crate::value::{Map, Value};

/// Diagnostic codes of chart rendering (stable: reports and tests match on them).
pub mod codes {
    /// A template (or the chart's values) could not be rendered; the chart is incomplete.
    pub const RENDER: &str = "helm-render";
    /// A `required` value is missing: rendered as empty, as if the user had left it out.
    pub const REQUIRED: &str = "helm-required";
    /// A template called `fail`: Helm would refuse these values.
    pub const FAIL: &str = "helm-fail";
    /// A dependency that is not vendored as a directory under `charts/`.
    pub const DEPENDENCY: &str = "helm-dependency";
}

/// File id of rendered output while it is parsed (spans are remapped before they leave).
const VIRTUAL_FILE: FileId = FileId(u32::MAX - 1);

/// A file of a chart, by its path inside the chart directory (`templates/x.yaml`,
/// `charts/sub/values.yaml`, `files/app.conf`).
#[derive(Clone, Debug)]
pub struct ChartFile {
    pub path: String,
    pub file: Arc<SourceFile>,
}

/// One chart directory, as the caller read it.
#[derive(Clone, Debug, Default)]
pub struct ChartInput {
    /// The chart directory relative to the scan root (`` for the root itself).
    pub dir: String,
    /// Every text file under it, subcharts included.
    pub files: Vec<ChartFile>,
    /// Paths (inside the chart) of files that could not be read as text, such as
    /// `charts/redis-17.0.0.tgz`.
    pub other_files: Vec<String>,
}

/// User settings that apply to every chart of a scan.
#[derive(Clone, Debug)]
pub struct HelmOptions {
    /// `--values` files, applied in order after each chart's `values.yaml`.
    pub values_files: Vec<Arc<SourceFile>>,
    /// `--set` arguments, applied after the values files, in order.
    pub set: Vec<String>,
    /// `--set-string` arguments (values stay strings), applied last.
    pub set_string: Vec<String>,
    pub release_name: String,
    pub namespace: String,
    /// `major.minor.patch` without the `v`.
    pub kube_version: String,
    pub limits: Limits,
}

impl Default for HelmOptions {
    fn default() -> Self {
        Self {
            values_files: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            release_name: "release-name".into(),
            namespace: "default".into(),
            kube_version: "1.30.0".into(),
            limits: Limits::default(),
        }
    }
}

/// The YAML documents one template rendered to, with template spans.
#[derive(Debug)]
pub struct RenderedTemplate {
    pub template: Arc<SourceFile>,
    pub docs: Vec<Node>,
}

/// Everything rendering one chart produced.
#[derive(Debug, Default)]
pub struct ChartOutput {
    pub templates: Vec<RenderedTemplate>,
    pub diagnostics: Vec<Diagnostic>,
    /// One line per part of the chart that was not analysed; non-empty means partial.
    pub incomplete: Vec<String>,
    /// Templates (not partials) that rendered, and that there were.
    pub rendered: usize,
    pub total: usize,
}

/// Stack for the render thread: `include` may nest up to [`Limits::max_call_depth`] deep,
/// and each level is a few frames of the recursive executor.
const RENDER_STACK: usize = 256 << 20;

/// Renders a chart and its subcharts. Never panics on bad input; a panic in the renderer
/// itself is reported as a `helm-render` error.
pub fn render_chart(input: &ChartInput, opts: &HelmOptions) -> ChartOutput {
    let chart_name = input.dir.clone();
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("helm-render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(s, || render_chart_here(input, opts));
        match handle.map(|h| h.join()) {
            Ok(Ok(out)) => out,
            Ok(Err(_)) | Err(_) => {
                let mut out = ChartOutput::default();
                out.diagnostics.push(
                    Diagnostic::new(
                        codes::RENDER,
                        "Helm chart: the renderer failed internally (please report this)",
                    )
                    .with_path(chart_yaml_path(&chart_name)),
                );
                out.incomplete.push(format!(
                    "Helm chart at `{}`: not rendered",
                    display_dir(&chart_name)
                ));
                out
            }
        }
    })
}

fn display_dir(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

fn chart_yaml_path(dir: &str) -> String {
    if dir.is_empty() {
        "Chart.yaml".into()
    } else {
        format!("{dir}/Chart.yaml")
    }
}

/// One chart in the tree: its files (paths relative to its own directory).
struct ChartNode {
    /// Path prefix inside the top chart (`` or `charts/sub/`).
    prefix: String,
    /// Name used in template names (`.Chart.Name`, or the alias).
    name: String,
    meta: Value,
    defaults: Value,
    chart_yaml: Arc<SourceFile>,
    files: BTreeMap<String, Arc<SourceFile>>,
    subcharts: Vec<ChartNode>,
    /// Dependencies disabled by a condition or tags (not rendered, by design).
    deps: Vec<Dependency>,
}

#[derive(Clone, Debug)]
struct Dependency {
    name: String,
    alias: Option<String>,
    condition: Option<String>,
    tags: Vec<String>,
    version: String,
    span: Span,
}

struct Ctx<'a> {
    opts: &'a HelmOptions,
    out: ChartOutput,
    top_dir: String,
}

impl Ctx<'_> {
    fn full_path(&self, inner: &str) -> String {
        if self.top_dir.is_empty() {
            inner.to_string()
        } else {
            format!("{}/{inner}", self.top_dir)
        }
    }

    fn incomplete(&mut self, what: String) {
        self.out.incomplete.push(format!(
            "Helm chart at `{}`: {what}",
            display_dir(&self.top_dir)
        ));
    }
}

fn render_chart_here(input: &ChartInput, opts: &HelmOptions) -> ChartOutput {
    let mut ctx = Ctx {
        opts,
        out: ChartOutput::default(),
        top_dir: input.dir.clone(),
    };
    let by_path: BTreeMap<String, Arc<SourceFile>> = input
        .files
        .iter()
        .map(|f| (f.path.clone(), f.file.clone()))
        .collect();
    let Some(root) = load_chart(&mut ctx, &by_path, &input.other_files, "", 0) else {
        return ctx.out;
    };
    // Values: chart defaults, then --values files, then --set.
    let user = Value::empty_map();
    let mut user_values = Value::empty_map();
    for vf in &opts.values_files {
        match parse_values(vf) {
            Ok(v) => user_values = values::coalesce(&v, &user_values),
            Err(d) => {
                ctx.out.diagnostics.push(d);
                ctx.incomplete(format!("values file `{}` could not be read", vf.path));
                return ctx.out;
            }
        }
    }
    let sets = opts.set.iter().map(|e| (e, false));
    for (expr, strings) in sets.chain(opts.set_string.iter().map(|e| (e, true))) {
        if let Err(e) = values::apply_set(expr, &user, strings) {
            ctx.out.diagnostics.push(Diagnostic::new(
                codes::RENDER,
                format!("--set {expr:?}: {e}"),
            ));
            ctx.incomplete(format!("--set {expr:?} could not be applied"));
            return ctx.out;
        }
    }
    let user_values = values::coalesce(&user, &user_values);
    let top_values = values::coalesce(&user_values, &root.defaults);
    ensure_global(&top_values);

    // Every chart to render, with its values, parents first.
    let mut charts: Vec<Instance> = Vec::new();
    collect(
        &root,
        top_values,
        root.name.clone(),
        root.meta.clone(),
        &mut charts,
        0,
    );

    // One template set for all of them, parsed deepest-first so parent defines win.
    let mut entries: Vec<(String, usize, Arc<SourceFile>, String)> = Vec::new();
    for (ci, inst) in charts.iter().enumerate() {
        let tname_prefix = &inst.tprefix;
        for (path, file) in &inst.chart.files {
            if let Some(rest) = path.strip_prefix("templates/") {
                entries.push((
                    format!("{tname_prefix}/templates/{rest}"),
                    ci,
                    file.clone(),
                    rest.to_string(),
                ));
            }
        }
    }
    entries.sort_by(|a, b| {
        let (da, db) = (a.0.matches('/').count(), b.0.matches('/').count());
        db.cmp(&da).then_with(|| b.0.cmp(&a.0))
    });
    let mut set = Templates::new();
    let mut broken: Vec<bool> = vec![false; entries.len()];
    for (i, (tname, _, file, _)) in entries.iter().enumerate() {
        if let Err(e) = set.add(tname, file) {
            broken[i] = true;
            report_error(&mut ctx, &e, file, tname);
        }
    }
    let api = Rc::new(api_versions());
    let mut budget = Budget::new(opts.limits);
    for (i, (tname, ci, file, rest)) in entries.iter().enumerate() {
        let base = rest.rsplit('/').next().unwrap_or(rest);
        if base.starts_with('_') || base == "NOTES.txt" {
            continue;
        }
        ctx.out.total += 1;
        if broken[i] {
            continue;
        }
        let inst = &charts[*ci];
        let data = template_data(&ctx, inst, tname, &api);
        match set.render(tname, &data, &mut budget) {
            Ok(r) => {
                for n in &r.notes {
                    let (code, msg) = match n.kind {
                        NoteKind::Required => (
                            codes::REQUIRED,
                            format!("Helm chart value missing: {}", n.message),
                        ),
                        NoteKind::Fail => (
                            codes::FAIL,
                            format!("Helm template called fail: {}", n.message),
                        ),
                    };
                    ctx.out.diagnostics.push(diag_at(code, msg, file, n.span));
                }
                if parse_output(&mut ctx, file, tname, r) {
                    ctx.out.rendered += 1;
                }
            }
            Err(e) => report_error(&mut ctx, &e, file, tname),
        }
    }
    ctx.out
}

fn diag_at(code: &'static str, message: String, file: &SourceFile, span: Span) -> Diagnostic {
    let mut d = Diagnostic::new(code, message).in_file(file);
    if span.file == file.id {
        d.span = Some(span);
    }
    d
}

fn report_error(ctx: &mut Ctx, e: &crate::Error, file: &Arc<SourceFile>, tname: &str) {
    let line = if e.span.file == file.id {
        file.line_col(e.span.start).line
    } else {
        0
    };
    let what = match e.kind {
        crate::ErrorKind::Unsupported => "uses a Helm feature trustmap does not support",
        crate::ErrorKind::Limit => "exceeded a render limit",
        _ => "could not be rendered",
    };
    let mut d = Diagnostic::new(
        codes::RENDER,
        format!("Helm template `{tname}` {what}: {}", e.message),
    )
    .in_file(file);
    if e.span.file == file.id {
        d.span = Some(e.span);
    } else if e.span.file != FileId::default() || e.span.end > 0 {
        // The error is in another template (a helper): point there when we know it.
        d.span = Some(e.span);
        d.path = None;
    }
    ctx.out.diagnostics.push(d);
    let loc = if line > 0 {
        format!("{}:{line}", file.path)
    } else {
        file.path.clone()
    };
    ctx.incomplete(format!("template `{loc}` not rendered ({})", e.message));
}

/// Parses a rendered template as YAML and remaps it; false when the output is not YAML.
fn parse_output(ctx: &mut Ctx, file: &Arc<SourceFile>, tname: &str, r: crate::Rendered) -> bool {
    if r.text.trim().is_empty() {
        ctx.out.templates.push(RenderedTemplate {
            template: file.clone(),
            docs: Vec::new(),
        });
        return true;
    }
    let total = r.text.len() as u32;
    let vf = SourceFile::new(VIRTUAL_FILE, file.path.clone(), r.text);
    let parsed = trustmap_syntax::yaml::parse(&vf);
    let mut ok = true;
    for mut d in parsed.diagnostics {
        if let Some(sp) = d.span {
            d.span = r.map.span(sp.start, sp.end, total);
        }
        d.path = Some(file.path.clone());
        if d.code == trustmap_syntax::codes::PARSE_ERROR
            || d.code == trustmap_syntax::codes::YAML_BUDGET
        {
            ok = false;
            d.message = format!(
                "Helm template `{tname}` rendered invalid YAML: {}",
                d.message
            );
            let line = d
                .span
                .filter(|s| s.file == file.id)
                .map_or(0, |s| file.line_col(s.start).line);
            ctx.incomplete(format!(
                "rendered output of `{}:{line}` is not valid YAML; documents after the error were skipped",
                file.path
            ));
            d.code = codes::RENDER;
        } else {
            d.message = format!("in the output of Helm template `{tname}`: {}", d.message);
        }
        ctx.out.diagnostics.push(d);
    }
    let mut docs = parsed.docs;
    for doc in &mut docs {
        r.map.remap_node(doc, VIRTUAL_FILE, total);
    }
    ctx.out.templates.push(RenderedTemplate {
        template: file.clone(),
        docs,
    });
    ok
}

fn parse_values(f: &SourceFile) -> Result<Value, Diagnostic> {
    let parsed = trustmap_syntax::yaml::parse(f);
    if let Some(d) = parsed.diagnostics.iter().find(|d| {
        d.code == trustmap_syntax::codes::PARSE_ERROR
            || d.code == trustmap_syntax::codes::YAML_BUDGET
    }) {
        let mut d = d.clone();
        d.code = codes::RENDER;
        d.message = format!("Helm values file cannot be read: {}", d.message);
        return Err(d);
    }
    Ok(match parsed.docs.first() {
        Some(doc) if doc.as_map().is_some() => node_to_value(doc, Some("")),
        _ => Value::empty_map(),
    })
}

fn ensure_global(v: &Value) {
    if let Some(m) = v.as_map() {
        let missing = !matches!(m.borrow().get("global"), Some(g) if g.as_map().is_some());
        if missing {
            m.borrow_mut().insert("global".into(), Value::empty_map());
        }
    }
}

/// Reads the chart whose files start with `prefix`, and its subcharts.
fn load_chart(
    ctx: &mut Ctx,
    all: &BTreeMap<String, Arc<SourceFile>>,
    other: &[String],
    prefix: &str,
    depth: usize,
) -> Option<ChartNode> {
    let chart_yaml = all.get(&format!("{prefix}Chart.yaml"))?.clone();
    let parsed = trustmap_syntax::yaml::parse(&chart_yaml);
    let doc = parsed.docs.first().cloned();
    let Some(doc) = doc.filter(|d| d.as_map().is_some()) else {
        ctx.out.diagnostics.push(
            Diagnostic::new(codes::RENDER, "Helm chart: Chart.yaml is not a YAML map")
                .in_file(&chart_yaml),
        );
        ctx.incomplete(format!("`{}` cannot be read", chart_yaml.path));
        return None;
    };
    let meta = chart_meta(&doc);
    let name = doc
        .get("name")
        .and_then(trustmap_syntax::Node::scalar_text)
        .unwrap_or_else(|| {
            prefix
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("chart")
                .to_string()
        });
    let defaults = match all.get(&format!("{prefix}values.yaml")) {
        Some(f) => match parse_values(f) {
            Ok(v) => v,
            Err(d) => {
                ctx.out.diagnostics.push(d);
                ctx.incomplete(format!("`{}` cannot be read", f.path));
                return None;
            }
        },
        None => Value::empty_map(),
    };
    // This chart's own files (not those of its subcharts).
    let sub_prefix = format!("{prefix}charts/");
    let files: BTreeMap<String, Arc<SourceFile>> = all
        .iter()
        .filter_map(|(p, f)| {
            let rest = p.strip_prefix(prefix)?;
            (!p.starts_with(&sub_prefix)).then(|| (rest.to_string(), f.clone()))
        })
        .collect();
    // Dependencies: Chart.yaml (v2) or requirements.yaml (v1).
    let mut deps = Vec::new();
    let req = all
        .get(&format!("{prefix}requirements.yaml"))
        .map(|f| (f.clone(), trustmap_syntax::yaml::parse(f)));
    let dep_nodes: Vec<(Node, Arc<SourceFile>)> =
        match doc.get("dependencies").and_then(Node::as_seq) {
            Some(seq) => seq
                .iter()
                .map(|n| (n.clone(), chart_yaml.clone()))
                .collect(),
            None => req
                .as_ref()
                .and_then(|(f, p)| {
                    p.docs
                        .first()
                        .and_then(|d| d.get("dependencies"))
                        .and_then(Node::as_seq)
                        .map(|s| s.iter().map(|n| (n.clone(), f.clone())).collect())
                })
                .unwrap_or_default(),
        };
    for (n, _) in &dep_nodes {
        let text = |k: &str| n.get(k).and_then(Node::scalar_text);
        let Some(dname) = text("name") else { continue };
        if n.get("import-values").is_some() {
            ctx.out.diagnostics.push(diag_at(
                "unsupported",
                format!(
                    "Helm dependency `{dname}`: `import-values` is not applied, so values it would copy into this chart are missing"
                ),
                dep_file_of(&dep_nodes, n, &chart_yaml),
                n.span,
            ));
        }
        deps.push(Dependency {
            name: dname,
            alias: text("alias").filter(|a| !a.is_empty()),
            condition: text("condition").filter(|c| !c.is_empty()),
            tags: n
                .get("tags")
                .and_then(Node::as_seq)
                .map(|t| t.iter().filter_map(Node::scalar_text).collect())
                .unwrap_or_default(),
            version: text("version").unwrap_or_default(),
            span: n.span,
        });
    }
    // Subcharts vendored as directories.
    let mut subcharts = Vec::new();
    let mut sub_dirs: Vec<String> = all
        .keys()
        .filter_map(|p| {
            let rest = p.strip_prefix(&sub_prefix)?;
            let (dir, file) = rest.split_once('/')?;
            (file == "Chart.yaml").then(|| dir.to_string())
        })
        .collect();
    sub_dirs.sort();
    sub_dirs.dedup();
    if depth < 16 {
        for dir in &sub_dirs {
            if let Some(c) = load_chart(ctx, all, other, &format!("{sub_prefix}{dir}/"), depth + 1)
            {
                subcharts.push(c);
            }
        }
    }
    // Archives, and dependencies that are nowhere.
    for o in other {
        if let Some(rest) = o.strip_prefix(&sub_prefix)
            && !rest.contains('/')
            && (rest.ends_with(".tgz") || rest.ends_with(".tar.gz"))
        {
            let msg = format!(
                "Helm subchart archive `{rest}` is not unpacked, so it was not rendered (unpack it under `charts/`, e.g. `tar -xzf`)"
            );
            ctx.out
                .diagnostics
                .push(Diagnostic::new(codes::DEPENDENCY, msg).with_path(ctx.full_path(o)));
            ctx.incomplete(format!(
                "subchart archive `{}` not rendered",
                ctx.full_path(o)
            ));
        }
    }
    for d in &deps {
        let found = subcharts.iter().any(|c| {
            c.meta
                .as_map()
                .and_then(|m| m.borrow().get("Name").cloned())
                .and_then(|v| v.as_str().map(|s| s == d.name))
                .unwrap_or(false)
        });
        let archived = other.iter().any(|o| {
            o.strip_prefix(&sub_prefix)
                .is_some_and(|r| r.starts_with(&format!("{}-", d.name)) && r.ends_with(".tgz"))
        });
        if !found && !archived {
            let dep_file = dep_nodes
                .first()
                .map_or_else(|| chart_yaml.clone(), |(_, f)| f.clone());
            ctx.out.diagnostics.push(diag_at(
                codes::DEPENDENCY,
                format!(
                    "Helm dependency `{}` ({}) is not vendored under `charts/` (run `helm dependency build`), so it was not rendered",
                    d.name, d.version
                ),
                &dep_file,
                d.span,
            ));
            ctx.incomplete(format!(
                "dependency `{}` not vendored, not rendered",
                d.name
            ));
        }
    }
    Some(ChartNode {
        prefix: prefix.to_string(),
        name,
        meta,
        defaults,
        chart_yaml,
        files,
        subcharts,
        deps,
    })
}

fn dep_file_of<'a>(
    nodes: &'a [(Node, Arc<SourceFile>)],
    n: &Node,
    fallback: &'a Arc<SourceFile>,
) -> &'a SourceFile {
    nodes
        .iter()
        .find(|(m, _)| m.span == n.span)
        .map_or(fallback, |(_, f)| f)
}

/// Flattens the chart tree into (chart, values, template-name prefix), skipping
/// subcharts disabled by `condition`/`tags`.
fn collect<'a>(
    chart: &'a ChartNode,
    vals: Value,
    tprefix: String,
    meta: Value,
    out: &mut Vec<Instance<'a>>,
    depth: usize,
) {
    let mut children = Vec::new();
    for sub in &chart.subcharts {
        let sub_name = sub
            .meta
            .as_map()
            .and_then(|m| {
                m.borrow()
                    .get("Name")
                    .and_then(|v| v.as_str().map(String::from))
            })
            .unwrap_or_default();
        // A subchart listed several times (with aliases) renders once per entry; one not
        // listed at all renders once under its own name.
        let deps: Vec<Option<&Dependency>> = {
            let listed: Vec<_> = chart.deps.iter().filter(|d| d.name == sub_name).collect();
            if listed.is_empty() {
                vec![None]
            } else {
                listed.into_iter().map(Some).collect()
            }
        };
        for dep in deps {
            if let Some(d) = dep
                && !enabled(d, &vals)
            {
                continue;
            }
            let key = dep
                .and_then(|d| d.alias.clone())
                .unwrap_or_else(|| sub_name.clone());
            // The parent's `<key>:` section over the subchart's defaults, and the parent's
            // globals over the subchart's.
            let section = values::submap(&vals, &key);
            let sub_vals = values::coalesce(&section, &sub.defaults);
            ensure_global(&sub_vals);
            let parent_global = values::submap(&vals, "global");
            let own_global = values::submap(&sub_vals, "global");
            let merged = values::coalesce(&parent_global, &own_global);
            if let Some(m) = sub_vals.as_map() {
                m.borrow_mut().insert("global".into(), merged);
            }
            let mut sub_meta = sub.meta.clone();
            let dir = if key == sub_name {
                sub.prefix
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(&key)
                    .to_string()
            } else {
                // An alias renames the chart (`.Chart.Name`) and its template paths.
                sub_meta = sub.meta.deep_copy();
                if let Some(m) = sub_meta.as_map() {
                    m.borrow_mut()
                        .insert("Name".into(), Value::str(key.as_str()));
                }
                key.clone()
            };
            children.push((sub, sub_vals, format!("{tprefix}/charts/{dir}"), sub_meta));
        }
    }
    out.push(Instance {
        chart,
        values: vals,
        tprefix,
        meta,
    });
    if depth < 16 {
        for (sub, v, p, m) in children {
            collect(sub, v, p, m, out, depth + 1);
        }
    }
}

/// One rendering of a chart: a subchart listed under two aliases renders twice.
struct Instance<'a> {
    chart: &'a ChartNode,
    values: Value,
    /// Template-name prefix (`app` or `app/charts/db`).
    tprefix: String,
    /// `.Chart` (the alias as `Name` for an aliased subchart).
    meta: Value,
}

/// Helm's rule: the first `condition` path that holds a boolean decides; otherwise any
/// listed tag set to true enables, all listed tags false disables; otherwise enabled.
fn enabled(d: &Dependency, parent_values: &Value) -> bool {
    if let Some(c) = &d.condition {
        for path in c.split(',').map(str::trim) {
            if let Some(v) = values::lookup_path(parent_values, path)
                && let crate::value::Kind::Bool(b) = v.kind
            {
                return b;
            }
        }
    }
    if !d.tags.is_empty() {
        let tags = values::submap(parent_values, "tags");
        let states: Vec<bool> = d
            .tags
            .iter()
            .filter_map(|t| match tags.as_map()?.borrow().get(t)?.kind {
                crate::value::Kind::Bool(b) => Some(b),
                _ => None,
            })
            .collect();
        if !states.is_empty() {
            return states.iter().any(|b| *b);
        }
    }
    true
}

/// `.Chart`: Chart.yaml with Go's field names (`name` → `Name`, `apiVersion` → `APIVersion`).
fn chart_meta(doc: &Node) -> Value {
    let mut m = Map::new();
    for key in [
        "Name",
        "Home",
        "Sources",
        "Version",
        "Description",
        "Keywords",
        "Maintainers",
        "Icon",
        "APIVersion",
        "Condition",
        "Tags",
        "AppVersion",
        "Deprecated",
        "Annotations",
        "KubeVersion",
        "Dependencies",
        "Type",
    ] {
        m.insert(key.to_string(), Value::str(""));
    }
    m.insert("Deprecated".into(), Value::bool(false));
    if let Some(entries) = doc.as_map() {
        for e in entries {
            let go = match e.key.as_str() {
                "apiVersion" => "APIVersion".to_string(),
                k => {
                    let mut c = k.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                }
            };
            let v = node_to_value(&e.value, None);
            // Versions are strings in Chart metadata even when YAML reads a number.
            let v = match (&v.kind, go.as_str()) {
                (crate::value::Kind::Float(_), "Version" | "AppVersion" | "KubeVersion") => {
                    Value::str(e.value.scalar_text().unwrap_or_default())
                }
                _ => v,
            };
            m.insert(go, v);
        }
    }
    Value::map(m)
}

fn template_data(ctx: &Ctx, inst: &Instance, tname: &str, api: &Rc<Vec<String>>) -> Value {
    let (chart, vals, tprefix) = (inst.chart, &inst.values, &inst.tprefix);
    let opts = ctx.opts;
    let mut release = Map::new();
    release.insert("Name".into(), Value::str(opts.release_name.as_str()));
    release.insert("Namespace".into(), Value::str(opts.namespace.as_str()));
    release.insert("Service".into(), Value::str("Helm"));
    release.insert("IsInstall".into(), Value::bool(true));
    release.insert("IsUpgrade".into(), Value::bool(false));
    release.insert("Revision".into(), Value::int(1));

    let kv = &opts.kube_version;
    let mut parts = kv.split('.');
    let major = parts.next().unwrap_or("1").to_string();
    let minor = parts.next().unwrap_or("30").to_string();
    let mut caps = Map::new();
    caps.insert(
        "KubeVersion".into(),
        Value::host(Host::KubeVersion {
            version: format!("v{kv}"),
            major,
            minor,
        }),
    );
    caps.insert(
        "APIVersions".into(),
        Value::host(Host::ApiVersions(api.clone())),
    );
    let mut helm = Map::new();
    helm.insert("Version".into(), Value::str("v3.16.0"));
    helm.insert("GitCommit".into(), Value::str(""));
    helm.insert("GitTreeState".into(), Value::str("clean"));
    helm.insert("GoVersion".into(), Value::str("go1.22.0"));
    caps.insert("HelmVersion".into(), Value::map(helm));

    let mut template = Map::new();
    template.insert("Name".into(), Value::str(tname));
    template.insert(
        "BasePath".into(),
        Value::str(format!("{tprefix}/templates")),
    );

    let files: BTreeMap<String, Rc<str>> = chart
        .files
        .iter()
        .filter(|(p, _)| {
            !p.starts_with("templates/")
                && !matches!(
                    p.as_str(),
                    "Chart.yaml"
                        | "values.yaml"
                        | "values.schema.json"
                        | "requirements.yaml"
                        | "requirements.lock"
                        | "Chart.lock"
                        | ".helmignore"
                )
        })
        .map(|(p, f)| (p.clone(), Rc::from(&*f.text)))
        .collect();

    let mut top = Map::new();
    top.insert("Values".into(), vals.clone());
    top.insert("Chart".into(), inst.meta.clone());
    top.insert("Release".into(), Value::map(release));
    top.insert("Capabilities".into(), Value::map(caps));
    top.insert("Template".into(), Value::map(template));
    top.insert("Files".into(), Value::host(Host::Files(Rc::new(files))));
    let _ = &chart.chart_yaml;
    Value::map(top)
}

/// `.Capabilities.APIVersions` of a stock cluster: every built-in `group/version`, and
/// `group/version/Kind` for the kinds charts test for.
fn api_versions() -> Vec<String> {
    const GROUPS: &[(&str, &[&str])] = &[
        (
            "v1",
            &[
                "Pod",
                "Service",
                "ConfigMap",
                "Secret",
                "ServiceAccount",
                "Namespace",
                "PersistentVolumeClaim",
                "PersistentVolume",
                "Endpoints",
                "Event",
                "LimitRange",
                "ResourceQuota",
                "Node",
                "ReplicationController",
            ],
        ),
        (
            "apps/v1",
            &[
                "Deployment",
                "StatefulSet",
                "DaemonSet",
                "ReplicaSet",
                "ControllerRevision",
            ],
        ),
        ("batch/v1", &["Job", "CronJob"]),
        ("autoscaling/v1", &["HorizontalPodAutoscaler"]),
        ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
        (
            "networking.k8s.io/v1",
            &["Ingress", "IngressClass", "NetworkPolicy"],
        ),
        ("policy/v1", &["PodDisruptionBudget"]),
        (
            "rbac.authorization.k8s.io/v1",
            &["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
        ),
        (
            "storage.k8s.io/v1",
            &[
                "StorageClass",
                "CSIDriver",
                "CSINode",
                "VolumeAttachment",
                "CSIStorageCapacity",
            ],
        ),
        ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
        (
            "admissionregistration.k8s.io/v1",
            &[
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding",
            ],
        ),
        ("apiregistration.k8s.io/v1", &["APIService"]),
        ("coordination.k8s.io/v1", &["Lease"]),
        ("discovery.k8s.io/v1", &["EndpointSlice"]),
        ("events.k8s.io/v1", &["Event"]),
        ("scheduling.k8s.io/v1", &["PriorityClass"]),
        ("node.k8s.io/v1", &["RuntimeClass"]),
        ("certificates.k8s.io/v1", &["CertificateSigningRequest"]),
        (
            "flowcontrol.apiserver.k8s.io/v1",
            &["FlowSchema", "PriorityLevelConfiguration"],
        ),
        ("authentication.k8s.io/v1", &["TokenReview"]),
        (
            "authorization.k8s.io/v1",
            &[
                "SubjectAccessReview",
                "SelfSubjectAccessReview",
                "LocalSubjectAccessReview",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (gv, kinds) in GROUPS {
        out.push((*gv).to_string());
        for k in *kinds {
            out.push(format!("{gv}/{k}"));
        }
    }
    out
}
