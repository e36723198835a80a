//! Where a scan's files come from: the disk under the scan roots, or a commit's tree in the
//! git object database. Discovery, loading and Helm's chart reads go through [`Source`], so
//! everything after loading is the same for both.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::discover::{self, Discovered, FileKind};
use crate::git_tree::{Blob, GitTree};
use crate::load::{self, Loaded};

/// The files of one scan.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    /// Directories and files on disk (`.gitignore` honoured).
    Disk(&'a [PathBuf]),
    /// A commit's tree; [`Discovered::abs`] holds the path relative to the scanned directory.
    Git(&'a GitTree),
    /// Disk, except that the files named in the overlay (by [`Discovered::abs`]) read as the
    /// given text: an editor's unsaved buffers (`trustmap lsp`).
    Overlaid(&'a [PathBuf], &'a Overlay),
}

/// In-memory contents that override files on disk, keyed by the path as discovered
/// (the scan root joined with the file's relative path).
pub type Overlay = std::collections::HashMap<PathBuf, String>;

impl Source<'_> {
    /// Scannable files, classified and sorted by path.
    pub(crate) fn discover(self) -> std::io::Result<Vec<Discovered>> {
        match self {
            Source::Disk(roots) | Source::Overlaid(roots, _) => discover::discover(roots),
            Source::Git(tree) => Ok(discover_tree(tree)),
        }
    }

    pub(crate) fn load_all(self, files: &[Discovered], max_bytes: u64) -> Vec<Loaded> {
        match self {
            Source::Disk(_) => load::load_all(files, max_bytes),
            Source::Overlaid(_, overlay) => {
                let mut loaded = load::load_all(files, max_bytes);
                for (f, l) in files.iter().zip(loaded.iter_mut()) {
                    if let Some(text) = overlay.get(&f.abs) {
                        *l = load::from_bytes(f, text.clone().into_bytes(), max_bytes);
                    }
                }
                loaded
            }
            Source::Git(tree) => files
                .par_iter()
                .map_init(
                    || tree.handle(),
                    |repo, f| match tree.read(repo, &f.rel, max_bytes) {
                        Blob::Bytes(b) => load::from_bytes(f, b, max_bytes),
                        Blob::TooLarge => load::too_large(f, max_bytes),
                        Blob::Missing(e) => load::unreadable(f, &e),
                    },
                )
                .collect(),
        }
    }

    /// True when `path` (as found in [`Discovered::abs`]) is a file of the source.
    pub(crate) fn is_file(self, path: &Path) -> bool {
        match self {
            Source::Disk(_) | Source::Overlaid(..) => path.is_file(),
            Source::Git(tree) => tree.contains(&slash(path)),
        }
    }

    /// Every file under the chart directory `dir`, relative to it and sorted, honouring
    /// `.helmignore` (and on disk `.gitignore`).
    pub(crate) fn chart_files(self, dir: &Path) -> Vec<String> {
        match self {
            Source::Disk(_) | Source::Overlaid(..) => disk_chart_files(dir),
            Source::Git(tree) => tree_chart_files(tree, &slash(dir)),
        }
    }

    /// A small UTF-8 text file, or nothing (binary, too large, unreadable).
    pub(crate) fn read_text(self, path: &Path, max_bytes: u64) -> Option<String> {
        let buf = match self {
            Source::Overlaid(_, overlay) if overlay.contains_key(path) => {
                overlay.get(path).map(|t| t.as_bytes().to_vec())?
            }
            Source::Disk(_) | Source::Overlaid(..) => {
                use std::io::Read;
                let mut buf = Vec::new();
                std::fs::File::open(path)
                    .ok()?
                    .take(max_bytes + 1)
                    .read_to_end(&mut buf)
                    .ok()?;
                buf
            }
            Source::Git(tree) => match tree.read(&tree.handle(), &slash(path), max_bytes) {
                Blob::Bytes(b) => b,
                Blob::TooLarge | Blob::Missing(_) => return None,
            },
        };
        if buf.len() as u64 > max_bytes || memchr::memchr(0, &buf[..buf.len().min(8192)]).is_some()
        {
            return None;
        }
        String::from_utf8(buf).ok()
    }
}

/// The tree's files as a directory walk would find them (the tree holds committed files
/// only, so ignore files have nothing left to exclude; the directories a walk skips are
/// skipped here too).
fn discover_tree(tree: &GitTree) -> Vec<Discovered> {
    let mut out = Vec::new();
    for rel in tree.paths() {
        if rel
            .split('/')
            .any(|c| c == ".git" || c == ".terraform" || c == "node_modules")
        {
            continue;
        }
        let Some(mut kind) = discover::classify(rel).or_else(|| discover::text_kind(rel)) else {
            continue;
        };
        if kind == FileKind::Yaml && in_chart_templates(rel, |p| tree.contains(p)) {
            kind = FileKind::HelmTemplate;
        }
        out.push(Discovered {
            abs: PathBuf::from(rel),
            rel: rel.to_string(),
            kind,
        });
    }
    out
}

/// True for `<chart>/templates/…` where `<chart>/Chart.yaml` is a file.
fn in_chart_templates(rel: &str, is_file: impl Fn(&str) -> bool) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    (0..parts.len().saturating_sub(1)).any(|i| {
        parts[i] == "templates" && {
            let chart = parts[..i].join("/");
            is_file(&if chart.is_empty() {
                "Chart.yaml".to_string()
            } else {
                format!("{chart}/Chart.yaml")
            })
        }
    })
}

fn disk_chart_files(dir: &Path) -> Vec<String> {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .add_custom_ignore_filename(".helmignore")
        .filter_entry(|e| e.file_name() != ".git")
        .sort_by_file_path(Path::cmp)
        .build();
    walker
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(slash))
        .collect()
}

fn tree_chart_files(tree: &GitTree, dir: &str) -> Vec<String> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let helmignore = {
        let mut b = ignore::gitignore::GitignoreBuilder::new("");
        let path = PathBuf::from(format!("{prefix}.helmignore"));
        if let Some(text) = Source::Git(tree).read_text(&path, load::MAX_FILE_BYTES) {
            for line in text.lines() {
                // A bad pattern is ignored, as Helm ignores it.
                let _ = b.add_line(None, line);
            }
        }
        b.build().ok()
    };
    tree.paths()
        .filter_map(|p| p.strip_prefix(prefix.as_str()))
        .filter(|inner| !inner.split('/').any(|c| c == ".git"))
        .filter(|inner| {
            helmignore
                .as_ref()
                .is_none_or(|g| !g.matched_path_or_any_parents(inner, false).is_ignore())
        })
        .map(str::to_string)
        .collect()
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_templates_need_a_chart_yaml() {
        let files = ["web/Chart.yaml", "web/templates/d.yaml"];
        let is_file = |p: &str| files.contains(&p);
        assert!(in_chart_templates("web/templates/d.yaml", is_file));
        assert!(in_chart_templates("web/templates/sub/d.yaml", is_file));
        assert!(!in_chart_templates("other/templates/d.yaml", is_file));
        assert!(!in_chart_templates("web/d.yaml", is_file));
        assert!(in_chart_templates("templates/d.yaml", |p| p == "Chart.yaml"));
    }
}
