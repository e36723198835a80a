//! One scan of a directory from disk, with open documents' buffers overriding their files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use trustmap_engine::{NoProgress, Overlay, Report, Settings, config};

use crate::documents::Documents;

/// The directories to scan: the workspace root, plus the directory of each open document
/// that lies outside it (a file opened on its own).
pub(crate) fn roots(workspace: &Path, docs: &Documents) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::from([workspace.to_path_buf()]);
    for (path, _) in docs.iter() {
        if !path.starts_with(workspace)
            && let Some(dir) = path.parent()
        {
            out.insert(dir.to_path_buf());
        }
    }
    out
}

/// Scans `root`, honouring its `trustmap.toml` (found as `trustmap scan` finds it).
pub(crate) fn scan_root(root: &Path, docs: &Documents) -> anyhow::Result<Report> {
    let mut settings = Settings::new(vec![root.to_path_buf()]);
    if let Some(loaded) = config::find_and_load(&settings.roots, None, false)? {
        loaded.apply(&mut settings)?;
    }
    let overlay: Overlay = docs
        .iter()
        .filter(|(path, _)| path.starts_with(root))
        .map(|(path, doc)| (path.to_path_buf(), doc.text.clone()))
        .collect();
    // A bug on odd input must not take the editor's server down with it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        trustmap_engine::scan_overlaid(&settings, &overlay, &NoProgress)
    }))
    .map_err(|_| anyhow::anyhow!("internal error (panic) scanning {}", root.display()))?
    .with_context(|| format!("scanning {}", root.display()))
}
