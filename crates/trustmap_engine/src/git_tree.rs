//! A commit's tree, read straight from the git object database: no checkout, nothing written.
//!
//! [`GitTree::open`] resolves a revision and lists the blobs of its tree (under the scanned
//! sub-directory when the path given is one); [`crate::scan_git`] then scans those files
//! exactly as it scans a directory. Used by diff mode (`scan --diff-base REF`) and for scans
//! of sampled commits.

use std::collections::BTreeMap;
use std::path::Path;

use gix::ObjectId;

/// Why a commit's tree could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum GitTreeError {
    #[error("`{path}` is not inside a git repository ({reason})")]
    NotARepository { path: String, reason: String },
    #[error("unknown revision `{rev}` in the repository of `{repo}`{hint}")]
    UnknownRevision {
        rev: String,
        repo: String,
        /// Extra advice, e.g. for shallow clones; empty or starting with "; ".
        hint: String,
    },
    #[error("cannot read revision `{rev}`: {reason}")]
    Unreadable { rev: String, reason: String },
}

/// The files of one commit's tree.
pub struct GitTree {
    repo: gix::ThreadSafeRepository,
    /// Full hexadecimal id of the commit.
    pub commit: String,
    /// Committer time, seconds since the Unix epoch (0 when unreadable).
    pub time: i64,
    /// Blob path, relative to the scanned directory and `/`-separated → blob id.
    files: BTreeMap<String, ObjectId>,
}

/// One blob read for the scan.
pub(crate) enum Blob {
    Bytes(Vec<u8>),
    TooLarge,
    Missing(String),
}

impl GitTree {
    /// Opens the repository containing `path` and lists the tree of `rev` under `path` (the
    /// work tree root or a sub-directory of it; paths are relative to it, as on disk).
    pub fn open(path: &Path, rev: &str) -> Result<Self, GitTreeError> {
        let repo = gix::discover(path).map_err(|e| GitTreeError::NotARepository {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let shallow = repo.is_shallow().unwrap_or(false);
        let shallow_hint = if shallow {
            "; this is a shallow clone that may lack it: fetch the history (`git fetch \
             --unshallow`, or `fetch-depth: 0` in actions/checkout)"
                .to_string()
        } else {
            String::new()
        };
        let unknown = || GitTreeError::UnknownRevision {
            rev: rev.to_string(),
            repo: path.display().to_string(),
            hint: shallow_hint.clone(),
        };
        let unreadable = |reason: String| GitTreeError::Unreadable {
            rev: rev.to_string(),
            reason,
        };
        // Objects borrow the repository until dropped: keep them in this block.
        let (commit_id, time, mut tree) = {
            let id = repo.rev_parse_single(rev).map_err(|_| unknown())?;
            let object = id.object().map_err(|e| {
                if shallow {
                    unknown()
                } else {
                    unreadable(e.to_string())
                }
            })?;
            let commit = object
                .peel_to_commit()
                .map_err(|e| unreadable(format!("not a commit: {e}")))?;
            let tree = commit
                .tree_id()
                .map_err(|e| unreadable(e.to_string()))?
                .detach();
            let time = commit.time().map_or(0, |t| t.seconds);
            (commit.id.to_string(), time, tree)
        };
        let mut files = BTreeMap::new();
        for part in sub_path(&repo, path) {
            let entries = tree_entries(&repo, tree).map_err(unreadable)?;
            match entries
                .into_iter()
                .find(|(mode, name, _)| *name == part && mode.is_tree())
            {
                Some((_, _, oid)) => tree = oid,
                // The directory does not exist at that commit: no files.
                None => {
                    return Ok(Self {
                        commit: commit_id,
                        time,
                        repo: repo.into_sync(),
                        files,
                    });
                }
            }
        }
        let mut stack = vec![(tree, String::new())];
        while let Some((tid, dir)) = stack.pop() {
            for (mode, name, oid) in tree_entries(&repo, tid).map_err(unreadable)? {
                let path = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                // Symbolic links and submodules are not followed, as on disk.
                if mode.is_tree() {
                    stack.push((oid, path));
                } else if mode.is_blob() {
                    files.insert(path, oid);
                }
            }
        }
        Ok(Self {
            commit: commit_id,
            time,
            repo: repo.into_sync(),
            files,
        })
    }

    /// Blob paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// A repository handle for the current thread.
    pub(crate) fn handle(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    /// Reads one blob, refusing (by its header) one larger than `max_bytes`.
    pub(crate) fn read(&self, repo: &gix::Repository, path: &str, max_bytes: u64) -> Blob {
        let Some(oid) = self.files.get(path) else {
            return Blob::Missing("not in the commit".into());
        };
        match repo.find_header(*oid) {
            Ok(h) if h.size() > max_bytes => return Blob::TooLarge,
            Ok(_) => {}
            Err(e) => return Blob::Missing(e.to_string()),
        }
        match repo.find_blob(*oid) {
            Ok(mut b) => Blob::Bytes(b.take_data()),
            Err(e) => Blob::Missing(e.to_string()),
        }
    }
}

type TreeEntry = (gix::objs::tree::EntryMode, String, ObjectId);

fn tree_entries(repo: &gix::Repository, id: ObjectId) -> Result<Vec<TreeEntry>, String> {
    let tree = repo.find_tree(id).map_err(|e| e.to_string())?;
    let decoded = tree.decode().map_err(|e| e.to_string())?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| (e.mode, e.filename.to_string(), e.oid.to_owned()))
        .collect())
}

/// The components of `path` below the work tree root (none at the root or in a bare repo).
fn sub_path(repo: &gix::Repository, path: &Path) -> Vec<String> {
    let (Some(wd), Ok(p)) = (
        repo.workdir().and_then(|w| w.canonicalize().ok()),
        path.canonicalize(),
    ) else {
        return Vec::new();
    };
    p.strip_prefix(&wd)
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}
