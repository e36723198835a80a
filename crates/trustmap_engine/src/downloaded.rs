//! Terraform modules downloaded by `terraform init`, added to discovery.
//!
//! The walk skips `.terraform/` (provider binaries and caches live there, and it is usually
//! git-ignored). But when a root module has `.terraform/modules/modules.json`, the registry
//! and git modules it calls are on disk, and the Terraform evaluator can follow those calls
//! (`trustmap_terraform` resolves them through the manifest). So for every directory with
//! Terraform files, discovery adds its manifest and the `.tf`/`.tf.json` files of exactly the
//! directories the manifest lists — nothing else under `.terraform/`.
//!
//! Why discovery and not the evaluator: the evaluator stays a pure function of the files it
//! is given (no filesystem access, fuzzable), and the module files join the source map like
//! any other file, so findings, suppressions and size limits work the same for them.
//!
//! Bounds: the manifest is read only up to [`MAX_MANIFEST_BYTES`]; at most
//! [`MAX_MODULE_DIRS`] directories per manifest and [`MAX_FILES_PER_DIR`] files per directory
//! are listed; a listed directory must resolve (after symlinks) inside the root module's
//! `.terraform/modules/` and inside the scan root; symlinked files are skipped.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use trustmap_source::{FileId, SourceFile};

use crate::discover::{Discovered, FileKind};

const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;
const MAX_MODULE_DIRS: usize = 1_000;
const MAX_FILES_PER_DIR: usize = 1_000;

/// Adds the manifests and downloaded module files of the root modules among `found[from..]`
/// (the files discovered under `root`, with their final `rel` paths).
pub(crate) fn add(root: &Path, found: &mut Vec<Discovered>, from: usize) {
    let dirs: BTreeMap<PathBuf, String> = found[from.min(found.len())..]
        .iter()
        .filter(|d| matches!(d.kind, FileKind::Terraform | FileKind::TerraformJson))
        .filter_map(|d| {
            let parent = d.abs.parent()?.to_path_buf();
            let rel = d
                .rel
                .rsplit_once('/')
                .map_or("", |(dir, _)| dir)
                .to_string();
            Some((parent, rel))
        })
        .collect();
    let Ok(scan_root) = root.canonicalize() else {
        return;
    };
    for (dir, rel_dir) in dirs {
        let modules = dir.join(".terraform").join("modules");
        let manifest = modules.join("modules.json");
        if !is_plain_file(&manifest) {
            continue;
        }
        let Ok(modules_real) = modules.canonicalize() else {
            continue;
        };
        if !modules_real.starts_with(&scan_root) {
            continue;
        }
        let join = |name: &str| {
            if rel_dir.is_empty() {
                name.to_string()
            } else {
                format!("{rel_dir}/{name}")
            }
        };
        found.push(Discovered {
            abs: manifest.clone(),
            rel: join(".terraform/modules/modules.json"),
            kind: FileKind::TerraformModules,
        });
        for listed in listed_dirs(&manifest) {
            let module_dir = dir.join(&listed);
            let Ok(real) = module_dir.canonicalize() else {
                continue;
            };
            if real.starts_with(&modules_real) {
                add_dir_files(&module_dir, &join(&listed), found);
            }
        }
    }
}

/// The `Dir` of every manifest entry under `.terraform/`, normalized ('/'-separated, no `.`
/// or `..` components; entries that climb are dropped).
fn listed_dirs(manifest: &Path) -> Vec<String> {
    let Ok(file) = std::fs::File::open(manifest) else {
        return Vec::new();
    };
    let mut text = String::new();
    if file
        .take(MAX_MANIFEST_BYTES)
        .read_to_string(&mut text)
        .is_err()
    {
        return Vec::new();
    }
    let source = SourceFile::new(FileId(0), "modules.json", text);
    let Ok(json) = trustmap_syntax::json::parse(&source) else {
        return Vec::new();
    };
    let entries = json.get("Modules").and_then(|m| m.as_seq()).unwrap_or(&[]);
    let mut out: Vec<String> = entries
        .iter()
        .filter_map(|m| m.get("Dir").and_then(|d| d.as_str()))
        .filter_map(normalize)
        .filter(|d| d.starts_with(".terraform/modules/"))
        .take(MAX_MODULE_DIRS)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The Terraform files directly inside one downloaded module directory.
fn add_dir_files(dir: &Path, rel_dir: &str, found: &mut Vec<Discovered>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            lower.ends_with(".tf") || lower.ends_with(".tf.json")
        })
        .take(MAX_FILES_PER_DIR)
        .collect();
    names.sort();
    for name in names {
        let kind = if name.to_ascii_lowercase().ends_with(".json") {
            FileKind::TerraformJson
        } else {
            FileKind::Terraform
        };
        found.push(Discovered {
            abs: dir.join(&name),
            rel: format!("{rel_dir}/{name}"),
            kind,
        });
    }
}

fn is_plain_file(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file())
}

/// A relative path without `.`/`..` components; `None` when absolute or climbing.
fn normalize(p: &str) -> Option<String> {
    let p = p.replace('\\', "/");
    if p.starts_with('/') || p.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    #[test]
    fn manifest_directories_are_normalized_and_confined() {
        assert_eq!(
            normalize("./.terraform/modules/vpc/").as_deref(),
            Some(".terraform/modules/vpc")
        );
        assert_eq!(
            normalize(".terraform\\modules\\a").as_deref(),
            Some(".terraform/modules/a")
        );
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize("/etc"), None);
        assert_eq!(normalize("C:/x"), None);
    }

    #[test]
    fn only_listed_directories_inside_the_modules_directory_are_added() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "infra/main.tf",
            "module \"a\" { source = \"x/a/aws\" }\n",
        );
        write(
            root,
            "infra/.terraform/modules/modules.json",
            r#"{"Modules":[
                {"Key":"a","Source":"x/a/aws","Dir":".terraform/modules/a"},
                {"Key":"b","Source":"x/b/aws","Dir":".terraform/modules/a/../../../outside"},
                {"Key":"c","Source":"x/c/aws","Dir":".terraform/modules/escape"}
            ]}"#,
        );
        write(root, "infra/.terraform/modules/a/main.tf", "");
        write(root, "infra/.terraform/modules/a/vars.tf.json", "{}");
        write(root, "infra/.terraform/modules/a/README.md", "");
        write(root, "infra/.terraform/modules/a/examples/x/main.tf", "");
        write(root, "infra/.terraform/modules/unlisted/main.tf", "");
        write(root, "infra/outside/main.tf", "");
        #[cfg(unix)]
        {
            let target = tempfile::tempdir().expect("tempdir");
            write(target.path(), "main.tf", "");
            std::os::unix::fs::symlink(target.path(), root.join("infra/.terraform/modules/escape"))
                .expect("symlink");
            std::mem::forget(target);
        }
        let mut found = vec![Discovered {
            abs: root.join("infra/main.tf"),
            rel: "infra/main.tf".to_string(),
            kind: FileKind::Terraform,
        }];
        add(root, &mut found, 0);
        let rels: Vec<(&str, FileKind)> = found.iter().map(|d| (d.rel.as_str(), d.kind)).collect();
        assert_eq!(
            rels,
            [
                ("infra/main.tf", FileKind::Terraform),
                (
                    "infra/.terraform/modules/modules.json",
                    FileKind::TerraformModules
                ),
                ("infra/.terraform/modules/a/main.tf", FileKind::Terraform),
                (
                    "infra/.terraform/modules/a/vars.tf.json",
                    FileKind::TerraformJson
                ),
            ]
        );
    }
}
