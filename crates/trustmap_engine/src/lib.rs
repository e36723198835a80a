//! The scan pipeline: discover → read → parse/evaluate → adapt → rules → suppress → report.
//!
//! [`scan`] is a plain function of its [`Settings`]: no printing, no exiting, no global state,
//! so the CLI, tests and (later) a server share it. Per-file problems become diagnostics and
//! the scan goes on; a panic inside one file's parser or one rule is caught and reported.

pub mod baseline;
pub mod config;
mod custom_policies;
mod diff;
pub mod discover;
mod downloaded;
pub mod git_tree;
pub mod graph;
mod helm;
mod inputs;
mod kustomize;
mod load;
mod pipelines;
pub mod pod_security;
pub mod report;
pub mod scorecard;
mod secrets;
mod source;
mod suppress;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use trustmap_model::Model;
use trustmap_rules::{Rule, RuleOutcome, Sink};
use trustmap_source::{Diagnostic, SourceFile, SourceMap};
use trustmap_terraform::{TfOptions, TfOutput};

pub use diff::scan_diff;
pub use discover::FileKind;
pub use git_tree::{GitTree, GitTreeError};
pub use pod_security::PodSecurity;
pub use report::{Commit, Location, Passes, Report, ReportedFinding, Stats};
pub use scorecard::Scorecard;
pub use secrets::SecretsSettings;
pub use source::Overlay;
pub use suppress::{Suppression, SuppressionSettings};

/// Receives progress; the CLI draws a bar with it. Must be cheap and thread-safe.
pub trait Progress: Sync {
    fn start(&self, _phase: &'static str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// No progress reporting.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Resolved scan settings.
pub struct Settings {
    pub roots: Vec<PathBuf>,
    /// Rules to run; empty means all.
    pub rules: Vec<&'static dyn Rule>,
    pub terraform: TfOptions,
    /// `--parameter Name=Value` for CloudFormation templates.
    pub cloudformation: trustmap_cloudformation::Options,
    pub max_file_bytes: u64,
    /// Git history and `--show-secrets` for the secret rules.
    pub secrets: SecretsSettings,
    /// `--values`/`--set` for Helm charts (every chart of the scan gets them).
    pub helm: trustmap_gotmpl::helm::HelmOptions,
    /// What `trustmap.toml` decides per path and finding (empty without one).
    pub policy: config::Policy,
    /// Inline suppressions on or off, peers' comments honoured, the date for expiries.
    pub suppressions: SuppressionSettings,
    /// `--profile`: the Pod Security level to report admission for (set it with
    /// [`Settings::set_profile`], which also narrows the Pod Security rules).
    pub profile: Option<trustmap_model::k8s::PssLevel>,
    /// `--policy DIR`: custom Rego rules, run beside the built-in ones.
    pub policies: Option<std::sync::Arc<trustmap_policy::PolicySet>>,
    /// `policies` of trustmap.toml (absolute); the CLI loads them with `--policy`'s.
    pub policy_dirs: Vec<PathBuf>,
}

impl Settings {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Self {
            roots,
            rules: trustmap_rules::all_rules().to_vec(),
            terraform: TfOptions::default(),
            cloudformation: trustmap_cloudformation::Options::default(),
            max_file_bytes: load::MAX_FILE_BYTES,
            secrets: SecretsSettings::default(),
            helm: trustmap_gotmpl::helm::HelmOptions::default(),
            policy: config::Policy::default(),
            suppressions: SuppressionSettings::default(),
            profile: None,
            policies: None,
            policy_dirs: Vec::new(),
        }
    }
}

/// A failure that stops the whole scan (bad arguments, unreadable root).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot read {path}: {source}")]
    Root {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Git(#[from] GitTreeError),
    #[error("diff mode compares one directory of a git work tree; give exactly one")]
    DiffRoots,
}

/// Runs one scan.
pub fn scan(settings: &Settings, progress: &dyn Progress) -> Result<Report, ScanError> {
    for root in &settings.roots {
        if let Err(source) = std::fs::metadata(root) {
            return Err(ScanError::Root {
                path: root.display().to_string(),
                source,
            });
        }
    }
    scan_from(settings, source::Source::Disk(&settings.roots), progress)
}

/// Scans the tree of one commit, read from the object database (no checkout, nothing
/// written): `settings.roots` only name the scan in messages; git history is not walked.
/// Paths in the report are relative to the directory [`GitTree::open`] was given.
pub fn scan_git(
    settings: &Settings,
    tree: &GitTree,
    progress: &dyn Progress,
) -> Result<Report, ScanError> {
    scan_from(settings, source::Source::Git(tree), progress)
}

/// Scans the disk like [`scan`], except that the files named in `overlay` read as the given
/// text (an editor's unsaved buffers); keys are paths as the walk finds them (root joined
/// with the relative path).
pub fn scan_overlaid(
    settings: &Settings,
    overlay: &source::Overlay,
    progress: &dyn Progress,
) -> Result<Report, ScanError> {
    scan_from(
        settings,
        source::Source::Overlaid(&settings.roots, overlay),
        progress,
    )
}

fn scan_from(
    settings: &Settings,
    files_from: source::Source<'_>,
    progress: &dyn Progress,
) -> Result<Report, ScanError> {
    let discovered = files_from.discover().map_err(|source| ScanError::Root {
        path: settings
            .roots
            .first()
            .map(|r| r.display().to_string())
            .unwrap_or_default(),
        source,
    })?;
    // A commit's files are named relative to the scanned directory, not the disk.
    let tree_root = match files_from {
        source::Source::Git(_) => settings.roots.first().map(PathBuf::as_path),
        source::Source::Disk(_) | source::Source::Overlaid(..) => None,
    };
    let discovered = settings.policy.without_excluded(discovered, tree_root);
    let paths = config::policy::PathIndex::new(&discovered, &settings.policy, tree_root);

    progress.start("reading", discovered.len() as u64);
    let loaded = files_from.load_all(&discovered, settings.max_file_bytes);
    let mut sources = SourceMap::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files: Vec<(Arc<SourceFile>, FileKind)> = Vec::new();
    let mut stats = Stats::default();
    for (d, l) in discovered.iter().zip(loaded) {
        match l {
            load::Loaded::Text(text) => {
                let f = load::source(sources.next_id(), &d.rel, text);
                sources.push(f.clone());
                files.push((f, d.kind));
            }
            load::Loaded::Skipped(diag) => {
                stats.files_skipped += 1;
                diagnostics.push(diag);
            }
            load::Loaded::Ignored => stats.files_skipped += 1,
        }
    }
    stats.files_scanned = files.len();
    // `.json` files say what they are by their content; so do YAML CloudFormation templates.
    files.par_iter_mut().for_each(|(f, kind)| {
        if *kind == FileKind::Json
            && let Some(k) = inputs::sniff_json(f)
        {
            *kind = k;
        } else if *kind == FileKind::Yaml && inputs::sniff_yaml(f) {
            *kind = FileKind::CloudFormation;
        }
    });
    // Extra Terraform inputs from outside the tree (--var-file) join the source map so
    // values they define can be located.
    let mut tf_opts = settings.terraform.clone();
    // `file()` and `templatefile()` read files of the scan only, never the disk.
    tf_opts.files = files.iter().map(|(f, _)| f.clone()).collect();
    tf_opts.var_files = tf_opts
        .var_files
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

    progress.start("parsing", files.len() as u64);
    // Only secret rules selected (`trustmap secrets`): nothing needs the model.
    let model_rules = settings
        .rules
        .iter()
        .any(|r| trustmap_rules::secret_detector(r.meta()).is_none());
    let mut model = Model::default();
    let tf_files: Vec<Arc<SourceFile>> = files
        .iter()
        .filter(|(_, k)| model_rules && inputs::is_terraform(*k))
        .map(|(f, _)| f.clone())
        .collect();
    let tf = guarded("terraform evaluation", None, || {
        trustmap_terraform::evaluate(&tf_files, &tf_opts)
    })
    .unwrap_or_else(|d| TfOutput {
        diagnostics: vec![d],
        ..TfOutput::default()
    });
    progress.advance(tf_files.len() as u64);
    stats.terraform_resources = tf.resources.len();
    stats.unknown_values = tf.unknown_values;
    diagnostics.extend(tf.diagnostics.iter().cloned());
    if let Ok(gcp) = guarded("Google Cloud adapter", None, || {
        trustmap_adapt::gcp::from_terraform(&tf)
    }) {
        model.gcp = gcp;
    }
    if let Ok(azure) = guarded("Azure adapter", None, || {
        trustmap_adapt::azure::from_terraform(&tf)
    }) {
        model.azure = azure;
    }

    // Kustomize overlays first: the files they use are checked as built, not on their own.
    let kustomized = if model_rules {
        guarded("Kustomize build", None, || kustomize::build(&files)).unwrap_or_else(|d| {
            trustmap_adapt::kustomize::Output {
                diagnostics: vec![d],
                incomplete: vec![
                    "Kustomize: the build failed, no kustomization was checked".into(),
                ],
                ..Default::default()
            }
        })
    } else {
        trustmap_adapt::kustomize::Output::default()
    };
    // Helm charts render once with their values; their templates are not read raw.
    let helm = if model_rules {
        guarded("Helm rendering", None, || {
            helm::render_all(
                files_from,
                &discovered,
                &files,
                &mut sources,
                &settings.helm,
                settings.max_file_bytes,
            )
        })
        .unwrap_or_else(|d| helm::Output {
            incomplete: vec!["Helm charts: the renderer failed, no chart was checked".into()],
            diagnostics: vec![d],
            ..helm::Output::default()
        })
    } else {
        helm::Output::default()
    };
    let per_file: Vec<inputs::FileResult> = files
        .par_iter()
        .filter(|(f, k)| {
            model_rules && !inputs::is_terraform(*k) && !kustomized.consumed.contains(&f.id)
        })
        .map(|(f, kind)| {
            let r = guarded("parser", Some(f), || {
                inputs::adapt_file(f, *kind, &settings.cloudformation)
            })
            .unwrap_or_else(|d| inputs::FileResult {
                diagnostics: vec![d],
                ..inputs::FileResult::default()
            });
            progress.advance(1);
            r
        })
        .collect();
    let mut templates = Vec::new();
    let mut serverless = Vec::new();
    for mut r in per_file {
        templates.append(&mut r.templates);
        serverless.extend(r.serverless.take());
        diagnostics.extend(r.merge_into(&mut model));
    }
    model.k8s.extend(kustomized.k8s);
    diagnostics.extend(kustomized.diagnostics);
    model.k8s.extend(helm.k8s);
    diagnostics.extend(helm.diagnostics);
    stats.helm_charts = helm.charts;
    stats.helm_templates = helm.templates;
    stats.helm_templates_rendered = helm.templates_rendered;
    // AWS resources from Terraform and CloudFormation are adapted together: they share one
    // join table and one list per kind.
    for t in &templates {
        stats.unknown_values += t.unknown_values;
        diagnostics.extend(t.diagnostics.iter().cloned());
    }
    if let Ok(aws) = guarded("AWS adapter", None, || {
        trustmap_adapt::aws::from_sources(&tf, &templates)
    }) {
        model.aws = aws;
    }
    // Serverless services join the AWS model once its lists are final (links are positions).
    for stack in serverless {
        stack.merge_into(&mut model.aws);
    }
    // CI files that reference each other: composite actions, reusable workflows, includes.
    if let Err(d) = guarded("GitHub Actions linker", None, || {
        pipelines::link_github(&mut model);
    }) {
        diagnostics.push(d);
    }
    match guarded("GitLab CI adapter", None, || {
        pipelines::assemble_gitlab(&files)
    }) {
        Ok((gitlab, diags)) => {
            model.gitlab.extend(gitlab);
            diagnostics.extend(diags);
        }
        Err(d) => diagnostics.push(d),
    }
    stats.dockerfiles = model.dockerfiles.len();
    stats.workflows = model.workflows.len();

    let suppressions = suppress::collect(&files, settings, &paths, &mut sources);
    model.suppressions = suppressions.directives;
    diagnostics.extend(suppressions.diagnostics);
    let governed = config::policy::Governed {
        policy: &settings.policy,
        paths,
        matchers: suppressions.config,
        refused: suppressions.refused,
    };

    progress.start("checking", settings.rules.len() as u64);
    // Custom Rego rules run beside the built-in ones (they read the same model).
    let (mut outcomes, custom): (Vec<RuleOutcome>, _) = rayon::join(
        || {
            settings
                .rules
                .par_iter()
                .filter(|rule| trustmap_rules::secret_detector(rule.meta()).is_none())
                .filter_map(|rule| {
                    let meta = rule.meta();
                    let r = guarded(meta.id, None, || {
                        let mut sink = Sink::new(meta);
                        rule.check(&model, &mut sink);
                        sink.finish()
                    });
                    progress.advance(1);
                    match r {
                        Ok(o) => Some(Ok(o)),
                        Err(d) => Some(Err(d)),
                    }
                })
                .collect::<Vec<_>>()
                .into_iter()
                .filter_map(|r| r.map_err(|d| diagnostics.push(d)).ok())
                .collect()
        },
        || custom_policies::run(settings, &model, &mut sources),
    );
    outcomes.extend(custom.outcomes);
    diagnostics.extend(custom.diagnostics);
    // Secrets read raw bytes, not the model: every text file, and the history on request.
    progress.start("secrets", files.len() as u64);
    let secret_pass = guarded("secrets pass", None, || {
        secrets::run(
            &settings.rules,
            match files_from {
                source::Source::Disk(roots) | source::Source::Overlaid(roots, _) => roots,
                source::Source::Git(_) => &[],
            },
            &settings.secrets,
            &files,
            &mut sources,
            settings.max_file_bytes,
        )
    })
    .unwrap_or_else(|d| {
        diagnostics.push(d);
        secrets::Pass::default()
    });
    outcomes.extend(secret_pass.outcomes);
    diagnostics.extend(secret_pass.diagnostics);
    stats.commits_scanned = secret_pass.commits_scanned;
    stats.blobs_scanned = secret_pass.blobs_scanned;
    progress.finish();
    stats.rules_run = settings.rules.len();
    stats.kubernetes_objects = k8s_object_count(&model);

    let mut report = assemble(
        sources,
        outcomes,
        diagnostics,
        &model,
        stats,
        &settings.rules,
        &governed,
    );
    for f in &mut report.findings {
        f.commit = secret_pass
            .commits
            .get(&(f.finding.rule.id, f.finding.primary))
            .cloned();
    }
    if let Some(policies) = &settings.policies {
        report.rules.extend(policies.rules().iter().map(|r| r.meta));
        report.rules.sort_by_key(|m| m.id);
        report.stats.rules_run += policies.rules().len();
    }
    report.reveal_secrets = settings.secrets.reveal;
    report.incomplete = helm.incomplete;
    report.incomplete.extend(kustomized.incomplete);
    report.pod_security = pod_security::evaluate(settings.profile, &model, &report.sources);
    Ok(report)
}

fn k8s_object_count(model: &Model) -> usize {
    model.k8s.object_count()
}

/// Runs `f`, turning a panic into an `internal-error` diagnostic.
fn guarded<T>(
    what: &str,
    file: Option<&SourceFile>,
    f: impl FnOnce() -> T,
) -> Result<T, Diagnostic> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        let msg = e
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut d = Diagnostic::new(
            "internal-error",
            format!("{what} failed: {msg} (please report this)"),
        );
        if let Some(file) = file {
            d = d.in_file(file);
        }
        d
    })
}

fn assemble(
    sources: SourceMap,
    outcomes: Vec<RuleOutcome>,
    diagnostics: Vec<Diagnostic>,
    model: &Model,
    stats: Stats,
    rules: &[&'static dyn Rule],
    governed: &config::policy::Governed<'_>,
) -> Report {
    let index = suppress::Index::new(&model.suppressions, &governed.matchers);
    let mut findings = Vec::new();
    for o in &outcomes {
        for f in &o.findings {
            let Some(location) = Location::resolve(&sources, f.primary) else {
                continue;
            };
            let resource_line = sources
                .get(f.resource_span.file)
                .map_or(location.start_line, |file| {
                    file.line_col(f.resource_span.start).line
                });
            let config_path = governed.paths.config_path(&location.path);
            // Not selected for this path by `[[overrides]]`: as if the rule had not run.
            let Some(severity) = governed.policy.judge(f, config_path) else {
                continue;
            };
            let resource_last = sources
                .get(f.resource_span.file)
                .map_or(resource_line, |file| file.lines_of(f.resource_span).1);
            let suppressed = index.lookup(
                f,
                &suppress::At {
                    path: &location.path,
                    config_path,
                    line: location.start_line,
                    resource_first: resource_line,
                    resource_last,
                },
            );
            // Secrets enter the fingerprint as their own fingerprint, never as text.
            let text = sources
                .get(f.primary.file)
                .map(|file| report::fingerprint_text(file, f.primary, &f.redact))
                .unwrap_or_default();
            let fingerprint = report::fingerprint(f, &location.path, &text);
            let related = f
                .related
                .iter()
                .filter_map(|r| Some((Location::resolve(&sources, r.span)?, r.note.clone())))
                .collect();
            let mut finding = f.clone();
            finding.severity = severity;
            findings.push(ReportedFinding {
                finding,
                location,
                resource_line,
                related,
                suppressed,
                fingerprint,
                commit: None,
            });
        }
    }
    findings.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    // The same rule may reach one value twice (e.g. two statements of one policy document
    // evaluated once per attachment); only exact repeats are dropped, never distinct messages.
    findings.dedup_by(|a, b| {
        a.fingerprint == b.fingerprint
            && a.location == b.location
            && a.finding.message == b.finding.message
    });
    report::distinguish_repeats(&mut findings);
    let mut failures: Vec<scorecard::Failure> = findings
        .iter()
        .map(|f| scorecard::Failure {
            capability: f.finding.rule.capability,
            severity: f.finding.severity,
            suppressed: f.suppressed.is_some(),
        })
        .collect();
    // Attack paths are failed `design` checks, weighted by their severity.
    let attack = graph::run(model, &sources);
    failures.extend(attack.failures());
    let scorecard = scorecard::compute(&outcomes, &failures);
    let passes = report::passes(&outcomes, &sources);
    let mut diagnostics: Vec<(Diagnostic, Option<Location>)> = diagnostics
        .into_iter()
        .map(|d| {
            let loc = d.span.and_then(|s| Location::resolve(&sources, s));
            (d, loc)
        })
        .collect();
    diagnostics.sort_by(|a, b| {
        (
            a.0.path.as_deref(),
            a.1.as_ref().map(|l| l.start_line),
            a.0.code,
            &a.0.message,
        )
            .cmp(&(
                b.0.path.as_deref(),
                b.1.as_ref().map(|l| l.start_line),
                b.0.code,
                &b.0.message,
            ))
    });
    let mut rule_metas: Vec<_> = rules.iter().map(|r| r.meta()).collect();
    rule_metas.sort_by_key(|m| m.id);
    Report {
        sources,
        findings,
        diagnostics,
        scorecard,
        stats,
        rules: rule_metas,
        reveal_secrets: false,
        incomplete: Vec::new(),
        pod_security: None,
        comparison: None,
        governance: config::Governance {
            owners: governed.paths.owners(governed.policy),
            inline_refused: governed.refused.clone(),
        },
        graph: attack.graph,
        attack_paths: attack.paths,
        fixes: attack.fixes,
        passes,
    }
}

/// Output order: path, line, column, rule, resource, message — deterministic across runs.
fn sort_key(f: &ReportedFinding) -> (&str, u32, u32, &str, &str, &str) {
    (
        &f.location.path,
        f.location.start_line,
        f.location.start_col,
        f.finding.rule.id,
        &f.finding.resource,
        &f.finding.message,
    )
}
