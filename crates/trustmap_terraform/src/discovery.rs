//! Module discovery: files grouped by directory, local module sources resolved, roots found.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::ModuleConfig;
use crate::parse::{ParsedFile, dir_of};

/// Every module directory of the scan and which of them are roots.
pub(crate) struct ModuleSet<'a> {
    pub(crate) modules: HashMap<String, ModuleConfig<'a>>,
    /// Directories evaluated as root modules, sorted.
    pub(crate) roots: Vec<String>,
}

/// Where a `module` block's `source` points.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A local path, resolved to a directory relative to the scan root.
    Local(String),
    /// A local path that climbs above the scan root.
    OutsideScan,
    /// Registry, git, http, S3…: not available offline.
    Remote,
}

/// Resolves `source` as Terraform does for local paths (`./x`, `../x`), relative to `caller_dir`.
pub(crate) fn resolve_source(caller_dir: &str, source: &str) -> Source {
    let source = source.replace('\\', "/");
    let is_local =
        source == "." || source == ".." || source.starts_with("./") || source.starts_with("../");
    if !is_local {
        return Source::Remote;
    }
    let mut parts: Vec<&str> = caller_dir.split('/').filter(|p| !p.is_empty()).collect();
    for comp in source.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Source::OutsideScan;
                }
            }
            other => parts.push(other),
        }
    }
    Source::Local(parts.join("/"))
}

impl<'a> ModuleSet<'a> {
    /// Groups parsed `.tf` files by directory and finds the roots.
    pub(crate) fn build(parsed: &'a [ParsedFile]) -> Self {
        let mut by_dir: BTreeMap<&str, Vec<&'a ParsedFile>> = BTreeMap::new();
        for pf in parsed {
            by_dir.entry(dir_of(&pf.file.path)).or_default().push(pf);
        }
        let mut modules = HashMap::with_capacity(by_dir.len());
        for (dir, mut files) in by_dir {
            files.sort_by(|a, b| a.file.path.cmp(&b.file.path));
            modules.insert(
                dir.to_string(),
                ModuleConfig::build(dir.to_string(), &files),
            );
        }
        let mut called: HashSet<String> = HashSet::new();
        for m in modules.values() {
            for call in &m.calls {
                if let Some(Source::Local(target)) = call.source.map(|s| resolve_source(&m.dir, s))
                    && target != m.dir
                {
                    called.insert(target);
                }
            }
        }
        // Downloaded modules (under `.terraform/`) are only evaluated through their calls.
        let mut roots: Vec<String> = modules
            .keys()
            .filter(|d| !called.contains(*d) && !crate::manifest::in_dot_terraform(d))
            .cloned()
            .collect();
        roots.sort();
        ModuleSet { modules, roots }
    }
}

/// `to` relative to `from` (both relative to the scan root), as `path.module` prints it.
pub(crate) fn relative_path(from: &str, to: &str) -> String {
    let a: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = std::iter::repeat_n("..", a.len() - common).collect();
    parts.extend(&b[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_resolve_against_the_caller() {
        assert_eq!(
            resolve_source("envs/prod", "../../modules/net"),
            Source::Local("modules/net".into())
        );
        assert_eq!(
            resolve_source("", "./modules/x/"),
            Source::Local("modules/x".into())
        );
        assert_eq!(resolve_source("", "../x"), Source::OutsideScan);
        assert_eq!(
            resolve_source("", "terraform-aws-modules/vpc/aws"),
            Source::Remote
        );
        assert_eq!(
            resolve_source("", "git::https://example.com/x.git"),
            Source::Remote
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("", ""), ".");
        assert_eq!(relative_path("", "modules/x"), "modules/x");
        assert_eq!(relative_path("envs/prod", "modules/x"), "../../modules/x");
    }
}
