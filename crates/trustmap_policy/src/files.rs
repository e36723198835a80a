//! Finding policy, test and data files under the `--policy` directories.

use std::path::{Path, PathBuf};

/// What one directory tree holds, each list sorted for a stable load order.
#[derive(Debug, Default)]
pub(crate) struct PolicyFiles {
    pub(crate) policies: Vec<PathBuf>,
    pub(crate) tests: Vec<PathBuf>,
    pub(crate) data: Vec<PathBuf>,
}

/// Walks `root` (a directory or a single `.rego` file); hidden entries are skipped.
pub(crate) fn collect(root: &Path, out: &mut PolicyFiles) -> std::io::Result<()> {
    if root.is_file() {
        classify(root.to_path_buf(), out);
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            classify(path, out);
        }
    }
    Ok(())
}

fn classify(path: PathBuf, out: &mut PolicyFiles) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with("_test.rego") {
        out.tests.push(path);
    } else if name.ends_with(".rego") {
        out.policies.push(path);
    } else if name.ends_with(".json") {
        out.data.push(path);
    }
}

/// A path as shown in messages: `/`-separated.
pub(crate) fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
