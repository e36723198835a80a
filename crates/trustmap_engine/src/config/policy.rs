//! The parts of `trustmap.toml` that act on each file or finding: excluded paths, per-path
//! overrides, severity overrides, path-scoped suppressions and owners. All path patterns are
//! gitignore-style and relative to the configuration file's directory.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::Gitignore;
use trustmap_model::Language;
use trustmap_model::ResourceMeta;
use trustmap_model::suppression::{Date, Directive, Scope, Source};
use trustmap_rules::{Finding, Severity};
use trustmap_source::{SourceFile, SourceMap};

use super::select::Selector;
use crate::discover::Discovered;

/// What the configuration decides per file and finding. Empty (the default) decides nothing.
#[derive(Debug, Default)]
pub struct Policy {
    /// The configuration file, when there is one: its absolute path, how messages name it,
    /// and its text (findings about it, such as an expired entry, point into it).
    pub(crate) file: Option<(PathBuf, String, Arc<str>)>,
    pub(crate) exclude: Option<Gitignore>,
    pub(crate) severity: Vec<(Selector, Severity)>,
    pub(crate) overrides: Vec<Override>,
    pub(crate) suppressions: Vec<PathSuppression>,
    pub(crate) owners: Vec<(Gitignore, String)>,
    /// `fail-on` of the file; the CLI's `--fail-on` wins.
    pub fail_on: Option<Severity>,
}

#[derive(Debug)]
pub(crate) struct Override {
    pub(crate) paths: Gitignore,
    pub(crate) select: Option<Vec<Selector>>,
    pub(crate) ignore: Vec<Selector>,
    pub(crate) severity: Vec<(Selector, Severity)>,
}

#[derive(Debug)]
pub(crate) struct PathSuppression {
    pub(crate) patterns: Vec<String>,
    pub(crate) matcher: Gitignore,
    pub(crate) rules: Vec<String>,
    pub(crate) reason: String,
    pub(crate) until: Option<Date>,
    /// Byte range of the entry in the configuration file.
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// What the report says about governance: owners of the scanned files, and whether inline
/// suppressions were refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Governance {
    /// Team owning each scanned file (path as in findings), from `[owners]`.
    pub owners: BTreeMap<String, String>,
    /// Set when inline suppressions were refused.
    pub inline_refused: Option<InlineRefusal>,
}

/// Inline suppressions were turned off: by what, and how many comments were ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineRefusal {
    /// `--no-inline-suppressions`, or the configuration entry (`trustmap.toml:7`).
    pub by: String,
    pub ignored: usize,
}

/// Where a discovered file is (or would be) on disk.
fn on_disk(d: &Discovered, tree_root: Option<&Path>) -> PathBuf {
    tree_root.map_or_else(|| d.abs.clone(), |root| root.join(&d.abs))
}

fn matched(m: &Gitignore, path: &Path) -> bool {
    m.matched_path_or_any_parents(path, false).is_ignore()
}

impl Policy {
    /// The configuration directory, when there is a configuration.
    fn base(&self) -> Option<&Path> {
        self.file.as_ref().and_then(|(p, _, _)| p.parent())
    }

    /// `path` relative to the configuration directory, when it is under it.
    pub(crate) fn relative(&self, path: &Path) -> Option<PathBuf> {
        let base = self.base()?;
        let abs = std::path::absolute(path).ok()?;
        abs.strip_prefix(base).ok().map(Path::to_path_buf)
    }

    /// Drops the files `exclude` names. `tree_root`: the directory a commit's files (whose
    /// paths are relative to it) stand for.
    pub(crate) fn without_excluded(
        &self,
        files: Vec<Discovered>,
        tree_root: Option<&Path>,
    ) -> Vec<Discovered> {
        let Some(exclude) = &self.exclude else {
            return files;
        };
        files
            .into_iter()
            .filter(|d| {
                self.relative(&on_disk(d, tree_root))
                    .is_none_or(|rel| !matched(exclude, &rel))
            })
            .collect()
    }

    /// The severity `finding` is reported at, or `None` when its rule is not selected for
    /// the file (`config_path`: the file relative to the configuration directory).
    pub(crate) fn judge(&self, finding: &Finding, config_path: Option<&Path>) -> Option<Severity> {
        let meta = finding.rule;
        let mut severity = finding.severity;
        for (sel, s) in &self.severity {
            if sel.matches(meta) {
                severity = *s;
            }
        }
        let Some(path) = config_path else {
            return Some(severity);
        };
        let mut selected = true;
        for o in self.overrides.iter().filter(|o| matched(&o.paths, path)) {
            if let Some(select) = &o.select {
                selected = select.iter().any(|s| s.matches(meta));
            }
            if o.ignore.iter().any(|s| s.matches(meta)) {
                selected = false;
            }
            for (sel, s) in &o.severity {
                if sel.matches(meta) {
                    severity = *s;
                }
            }
        }
        selected.then_some(severity)
    }

    /// The team owning a file (relative to the configuration directory): the last match.
    pub(crate) fn owner(&self, config_path: &Path) -> Option<&str> {
        self.owners
            .iter()
            .rev()
            .find(|(m, _)| matched(m, config_path))
            .map(|(_, team)| team.as_str())
    }

    /// The path-scoped suppressions as model directives located in the configuration file
    /// (added to `sources` unless the scan already read it), with their path matchers in the
    /// same order.
    pub(crate) fn directives(
        &self,
        sources: &mut SourceMap,
        paths: &PathIndex,
        today: Date,
    ) -> (Vec<Directive>, Vec<Gitignore>) {
        let Some((abs, display, text)) = &self.file else {
            return (Vec::new(), Vec::new());
        };
        if self.suppressions.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let file = match paths.scanned_as(abs).and_then(|rel| sources.by_path(rel)) {
            Some(f) => f.clone(),
            None => {
                let f = Arc::new(SourceFile::new(
                    sources.next_id(),
                    display.clone(),
                    text.clone(),
                ));
                sources.push(f.clone());
                f
            }
        };
        let mut directives = Vec::new();
        let mut matchers = Vec::new();
        for s in &self.suppressions {
            let span = file.span(s.start, s.end);
            directives.push(Directive {
                source: Source::Config,
                rules: s.rules.clone(),
                reason: Some(s.reason.clone()),
                until: s.until,
                expired: s.until.is_some_and(|u| u < today),
                scope: Scope::Paths {
                    patterns: s.patterns.clone(),
                },
                span,
                line: file.line_col(span.start).line,
                file: ResourceMeta {
                    address: file.path.clone(),
                    language: Language::Text,
                    span,
                    via: Vec::new(),
                },
            });
            matchers.push(s.matcher.clone());
        }
        (directives, matchers)
    }
}

/// The policy of one scan, with what it needs to judge findings.
pub(crate) struct Governed<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) paths: PathIndex,
    pub(crate) matchers: crate::suppress::ConfigMatchers,
    pub(crate) refused: Option<InlineRefusal>,
}

/// Scanned files by report path, with their path relative to the configuration directory.
#[derive(Debug, Default)]
pub(crate) struct PathIndex {
    config_paths: HashMap<String, PathBuf>,
    abs_to_rel: HashMap<PathBuf, String>,
}

impl PathIndex {
    pub(crate) fn new(
        discovered: &[Discovered],
        policy: &Policy,
        tree_root: Option<&Path>,
    ) -> Self {
        let mut out = Self::default();
        if policy.file.is_none() {
            return out;
        }
        for d in discovered {
            let path = on_disk(d, tree_root);
            if let Some(rel) = policy.relative(&path) {
                out.config_paths.insert(d.rel.clone(), rel);
            }
            if let Ok(abs) = std::path::absolute(&path) {
                out.abs_to_rel.insert(abs, d.rel.clone());
            }
        }
        out
    }

    /// A scanned file's path relative to the configuration directory.
    pub(crate) fn config_path(&self, rel: &str) -> Option<&Path> {
        self.config_paths.get(rel).map(PathBuf::as_path)
    }

    /// The report path of an absolute path the scan read.
    fn scanned_as(&self, abs: &Path) -> Option<&str> {
        self.abs_to_rel.get(abs).map(String::as_str)
    }

    /// Owners of every scanned file that has one.
    pub(crate) fn owners(&self, policy: &Policy) -> BTreeMap<String, String> {
        if policy.owners.is_empty() {
            return BTreeMap::new();
        }
        self.config_paths
            .iter()
            .filter_map(|(rel, cfg)| Some((rel.clone(), policy.owner(cfg)?.to_string())))
            .collect()
    }
}
