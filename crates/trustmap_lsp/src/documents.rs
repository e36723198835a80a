//! The documents the editor has open, with their current (possibly unsaved) text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::Url;

/// One open document.
pub(crate) struct Document {
    pub(crate) uri: Url,
    pub(crate) version: i32,
    pub(crate) text: String,
}

/// Open documents by file path (documents that are not files are never tracked).
#[derive(Default)]
pub(crate) struct Documents {
    by_path: BTreeMap<PathBuf, Document>,
}

impl Documents {
    /// Records the text of `uri`; false when it is not a file this server scans.
    pub(crate) fn set(&mut self, uri: &Url, version: i32, text: String) -> bool {
        let Some(path) = scannable_path(uri) else {
            return false;
        };
        self.by_path.insert(
            path,
            Document {
                uri: uri.clone(),
                version,
                text,
            },
        );
        true
    }

    pub(crate) fn close(&mut self, uri: &Url) -> bool {
        uri.to_file_path()
            .is_ok_and(|path| self.by_path.remove(&path).is_some())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Path, &Document)> {
        self.by_path.iter().map(|(p, d)| (p.as_path(), d))
    }

    pub(crate) fn get(&self, path: &Path) -> Option<&Document> {
        self.by_path.get(path)
    }
}

/// The file path of `uri` when trustmap scans files of its kind.
pub(crate) fn scannable_path(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    let name = path.file_name()?.to_str()?;
    // Classified by name and parent directories (workflows live under `.github/workflows`).
    let tail: Vec<String> = path
        .components()
        .rev()
        .take(3)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let rel = tail.into_iter().rev().collect::<Vec<_>>().join("/");
    let scanned = trustmap_engine::discover::classify(&rel).is_some()
        || name.ends_with(".tpl")
        || name.ends_with(".tfvars");
    scanned.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str) -> Url {
        Url::from_file_path(path).unwrap()
    }

    #[test]
    fn infrastructure_files_are_scanned_other_files_are_not() {
        for p in [
            "/w/main.tf",
            "/w/prod.tfvars",
            "/w/k8s/deploy.yaml",
            "/w/Dockerfile",
            "/w/.github/workflows/ci.yml",
            "/w/chart/templates/_helpers.tpl",
            "/w/.gitlab-ci.yml",
        ] {
            assert!(scannable_path(&url(p)).is_some(), "{p}");
        }
        for p in ["/w/src/main.rs", "/w/README.md"] {
            assert!(scannable_path(&url(p)).is_none(), "{p}");
        }
        assert!(scannable_path(&Url::parse("untitled:Untitled-1").unwrap()).is_none());
    }

    #[test]
    fn close_forgets_the_buffer() {
        let mut docs = Documents::default();
        let u = url("/w/main.tf");
        assert!(docs.set(&u, 1, "x".into()));
        assert!(docs.get(Path::new("/w/main.tf")).is_some());
        assert!(docs.close(&u));
        assert!(docs.get(Path::new("/w/main.tf")).is_none());
    }
}
