//! `.terraform/modules/modules.json`: where `terraform init` put each module call's code.
//!
//! `terraform init` downloads registry and git modules under the root module's
//! `.terraform/modules/` and records, for every module call path (`Key`: call names from the
//! root joined by `.`, without instance keys, e.g. `eks.kms`), its `Source` and the directory
//! it landed in (`Dir`, relative to the root module). With that file in the scan, a
//! non-local module call is evaluated from its downloaded directory like a local one. The
//! evaluator never reads the filesystem: the downloaded `.tf` files must be among its input
//! files (the engine's discovery adds the listed directories when it finds a manifest).

use std::collections::HashMap;

use trustmap_source::{Diagnostic, SourceFile};

/// Path of the manifest inside a root module.
const SUFFIX: &str = ".terraform/modules/modules.json";

/// Entries kept from one manifest (a real one lists a few hundred at most).
const MAX_ENTRIES: usize = 10_000;

/// Download directories by root module, then by module key.
#[derive(Debug, Default)]
pub(crate) struct Manifests {
    by_root: HashMap<String, HashMap<String, String>>,
}

/// One parsed manifest: its root module directory and its module directories.
pub(crate) struct Manifest {
    root: String,
    dirs: HashMap<String, String>,
}

/// True for `.terraform/modules/modules.json` (at any depth).
pub(crate) fn is_manifest(path: &str) -> bool {
    path == SUFFIX || path.ends_with(&format!("/{SUFFIX}"))
}

/// True for paths inside a `.terraform` directory (never root modules of their own).
pub(crate) fn in_dot_terraform(dir: &str) -> bool {
    dir.split('/').any(|c| c == ".terraform")
}

/// Reads a manifest; entries whose `Dir` is absolute or climbs out of the scan are dropped.
pub(crate) fn parse(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Manifest> {
    let root = file
        .path
        .strip_suffix(SUFFIX)
        .map(|r| r.trim_end_matches('/').to_string())?;
    let json = match trustmap_syntax::json::parse(file) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut dirs = HashMap::new();
    let modules = json.get("Modules").and_then(|m| m.as_seq()).unwrap_or(&[]);
    for m in modules.iter().take(MAX_ENTRIES) {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if let Some(dir) = join(&root, dir) {
            dirs.insert(key.to_string(), dir);
        }
    }
    Some(Manifest { root, dirs })
}

/// `dir` (relative to `root`) as a path relative to the scan root; `None` when it is absolute
/// or leaves the scan.
fn join(root: &str, dir: &str) -> Option<String> {
    let dir = dir.replace('\\', "/");
    let drive = dir.as_bytes().get(1) == Some(&b':');
    if dir.starts_with('/') || drive {
        return None;
    }
    let mut parts: Vec<&str> = root.split('/').filter(|p| !p.is_empty()).collect();
    for comp in dir.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

impl Manifests {
    pub(crate) fn add(&mut self, m: Manifest) {
        self.by_root.entry(m.root).or_default().extend(m.dirs);
    }

    /// Whether the root module at `root` has a manifest.
    pub(crate) fn has(&self, root: &str) -> bool {
        self.by_root.contains_key(root)
    }

    /// Where the module call `key` of the root module at `root` was downloaded.
    pub(crate) fn dir(&self, root: &str, key: &str) -> Option<&str> {
        self.by_root.get(root)?.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::FileId;

    #[test]
    fn directories_resolve_against_the_root_module() {
        let f = SourceFile::new(
            FileId(0),
            "envs/prod/.terraform/modules/modules.json",
            r#"{"Modules":[
              {"Key":"","Source":"","Dir":"."},
              {"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"},
              {"Key":"vpc.sub","Source":"./modules/sub","Dir":".terraform/modules/vpc/modules/sub"},
              {"Key":"evil","Source":"x","Dir":"../../../../etc"},
              {"Key":"abs","Source":"x","Dir":"/etc"}
            ]}"#,
        );
        let mut diags = Vec::new();
        let mut all = Manifests::default();
        all.add(parse(&f, &mut diags).expect("manifest"));
        assert!(diags.is_empty());
        assert!(all.has("envs/prod"));
        assert_eq!(
            all.dir("envs/prod", "vpc"),
            Some("envs/prod/.terraform/modules/vpc")
        );
        assert_eq!(
            all.dir("envs/prod", "vpc.sub"),
            Some("envs/prod/.terraform/modules/vpc/modules/sub")
        );
        assert_eq!(all.dir("envs/prod", "evil"), None);
        assert_eq!(all.dir("envs/prod", "abs"), None);
        assert!(is_manifest(".terraform/modules/modules.json"));
        assert!(!is_manifest("x.terraform/modules/modules.json"));
        assert!(in_dot_terraform("a/.terraform/modules/vpc"));
    }
}
