//! Secrets in a git repository's history: every commit on every branch and tag, each distinct
//! blob scanned once, each distinct (detector, secret) reported with the first commit that
//! introduced it — also when a later commit deleted it.
//!
//! This module is the only place that touches gix (pinned exactly: it is pre-1.0 and breaks
//! its API in minor releases). Objects are read straight from the object database; nothing is
//! checked out and nothing is written. Objects missing from a partial or shallow clone are
//! counted and reported, never fatal.

use std::collections::{HashMap, HashSet, hash_map::Entry};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use gix::ObjectId;
use gix::prelude::Find as _;
use rayon::prelude::*;

use crate::detector::{Detector, Severity};
use crate::scanner::{FileContext, Scanner, line_of};

/// What to read.
#[derive(Clone, Debug)]
pub struct HistoryOptions {
    /// Only commits not reachable from this revision (`main`, a tag, a commit id).
    pub since: Option<String>,
    /// Blobs larger than this are skipped (and counted).
    pub max_blob_bytes: u64,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        Self {
            since: None,
            max_blob_bytes: 8 * 1024 * 1024,
        }
    }
}

/// The commit that introduced a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full hexadecimal id.
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    /// Author time, seconds since the Unix epoch.
    pub time: i64,
    /// Author time as RFC 3339 in UTC (`2024-05-01T12:00:00Z`).
    pub date: String,
}

/// One distinct secret found in history.
#[derive(Clone, Debug)]
pub struct HistoryHit {
    pub detector: &'static Detector,
    pub severity: Severity,
    pub notes: Vec<&'static str>,
    /// The first commit (oldest by author time) whose tree contains a blob with this secret.
    pub commit: CommitInfo,
    /// Path of that blob in that commit, relative to the repository root (or to the scanned
    /// sub-directory), `/`-separated.
    pub path: String,
    /// 1-based line of the secret in that blob.
    pub line: usize,
    /// The blob's id and text (the report shows a code frame from it).
    pub blob: String,
    pub content: Arc<Vec<u8>>,
    /// The match and the secret, as byte ranges of `content`.
    pub span: Range<usize>,
    pub secret: Range<usize>,
    /// How many distinct blobs contain this secret.
    pub blobs: usize,
}

/// Everything one history scan found.
#[derive(Debug, Default)]
pub struct HistoryReport {
    pub hits: Vec<HistoryHit>,
    pub commits: usize,
    pub trees: usize,
    pub blobs: usize,
    pub bytes_scanned: u64,
    /// Blobs skipped as too large or binary.
    pub blobs_skipped: usize,
    /// Objects that are referenced but not in the object database (partial/shallow clones).
    pub missing_objects: usize,
    /// Problems that did not stop the scan, one sentence each.
    pub problems: Vec<String>,
}

/// Why history could not be read at all.
#[derive(Debug)]
pub struct HistoryError(pub String);

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HistoryError {}

fn err(what: &str, e: impl std::fmt::Display) -> HistoryError {
    HistoryError(format!("{what}: {e}"))
}

/// Delta-base cache per blob-reading worker.
const PACK_CACHE_BYTES: usize = 24 * 1024 * 1024;

struct CommitRow {
    id: ObjectId,
    tree: ObjectId,
    time: i64,
}

/// Scans the history of the repository containing `path`. When `path` is a sub-directory of
/// the work tree, only blobs under it are read and paths are relative to it.
pub fn scan(
    path: &Path,
    scanner: &Scanner,
    opts: &HistoryOptions,
) -> Result<HistoryReport, HistoryError> {
    let mut repo = gix::discover(path).map_err(|e| err("not a git repository", e))?;
    repo.object_cache_size_if_unset(32 * 1024 * 1024);
    let prefix = sub_path(&repo, path);
    let mut report = HistoryReport::default();

    // Every ref (branches, remote branches, tags, notes, stash) and HEAD, peeled to commits.
    let mut tips: Vec<ObjectId> = Vec::new();
    let refs = repo.references().map_err(|e| err("cannot read refs", e))?;
    for r in refs.all().map_err(|e| err("cannot read refs", e))? {
        let Ok(mut r) = r else {
            report.problems.push("a reference could not be read".into());
            continue;
        };
        match r.peel_to_id() {
            Ok(id) => tips.push(id.detach()),
            Err(e) => report.problems.push(format!(
                "reference {} cannot be resolved: {e}",
                r.name().as_bstr()
            )),
        }
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    tips.sort();
    tips.dedup();
    tips.retain(|id| match repo.try_find_header(*id) {
        Ok(Some(h)) => h.kind().is_commit(),
        Ok(None) => {
            report.missing_objects += 1;
            false
        }
        Err(_) => false,
    });
    let mut hidden = Vec::new();
    if let Some(since) = &opts.since {
        let id = repo
            .rev_parse_single(since.as_str())
            .map_err(|e| err(&format!("cannot resolve --since `{since}`"), e))?;
        hidden.push(id.detach());
    }

    // Commits, oldest first: trees are visited in that order, so the first commit that shows
    // a blob is the one that introduced it.
    let mut commits: Vec<CommitRow> = Vec::new();
    if !tips.is_empty() {
        let walk = repo
            .rev_walk(tips)
            .with_hidden(hidden)
            .all()
            .map_err(|e| err("cannot walk commits", e))?;
        for info in walk {
            let info = match info {
                Ok(i) => i,
                Err(e) => {
                    report.missing_objects += 1;
                    report
                        .problems
                        .push(format!("commit walk stopped early: {e}"));
                    break;
                }
            };
            let Ok(commit) = info.object() else {
                report.missing_objects += 1;
                continue;
            };
            let Ok(tree) = commit.tree_id() else {
                report.missing_objects += 1;
                continue;
            };
            let time = commit
                .author()
                .ok()
                .and_then(|a| a.time().ok())
                .map_or(0, |t| t.seconds);
            commits.push(CommitRow {
                id: info.id,
                tree: tree.detach(),
                time,
            });
        }
    }
    commits.reverse();
    commits.sort_by_key(|c| c.time);
    report.commits = commits.len();

    // Each tree once; each blob with its first commit and path.
    let mut seen_trees: HashSet<ObjectId> = HashSet::new();
    let mut blobs: HashMap<ObjectId, (usize, String)> = HashMap::new();
    let mut order: Vec<ObjectId> = Vec::new();
    let mut buf = Vec::new();
    for (ci, c) in commits.iter().enumerate() {
        let root = match &prefix {
            None => Some(c.tree),
            Some(p) => subtree(&repo, c.tree, p, &mut report),
        };
        let Some(root) = root else { continue };
        let mut stack: Vec<(ObjectId, String)> = vec![(root, String::new())];
        while let Some((tid, dir)) = stack.pop() {
            if !seen_trees.insert(tid) {
                continue;
            }
            let tree = match repo.objects.try_find(&tid, &mut buf) {
                Ok(Some(data)) if data.kind.is_tree() => data.decode().ok().and_then(|o| {
                    o.as_tree().map(|t| {
                        t.entries
                            .iter()
                            .map(|e| (e.mode, e.filename.to_string(), e.oid.to_owned()))
                            .collect::<Vec<_>>()
                    })
                }),
                Ok(_) => {
                    report.missing_objects += 1;
                    None
                }
                Err(_) => None,
            };
            let Some(entries) = tree else { continue };
            for (mode, name, oid) in entries {
                let path = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                if mode.is_tree() {
                    stack.push((oid, path));
                } else if mode.is_blob()
                    && let Entry::Vacant(v) = blobs.entry(oid)
                {
                    v.insert((ci, path));
                    order.push(oid);
                }
            }
        }
    }
    report.trees = seen_trees.len();
    report.blobs = blobs.len();

    // Read and scan every blob once, in parallel: a few chunks per thread, each with its own
    // repository handle (no object cache: every blob is read once), keeping only blobs with
    // hits.
    let sync = repo.clone().into_sync();
    let max = opts.max_blob_bytes;
    #[derive(Default)]
    struct Chunk {
        bytes: u64,
        skipped: usize,
        missing: usize,
        /// (blob, hit, the secret's bytes, 1-based line): no blob text is kept, so a
        /// history full of fixture secrets does not hold every version of every file.
        found: Vec<(ObjectId, crate::scanner::Hit, Vec<u8>, usize)>,
    }
    let per_chunk = order
        .len()
        .div_ceil(rayon::current_num_threads().max(1) * 8)
        .max(64);
    let chunks: Vec<Chunk> = order
        .par_chunks(per_chunk)
        .map(|ids| {
            let mut repo = sync.to_thread_local();
            repo.object_cache_size(0);
            // A bounded delta-base cache per worker (gix's default is sized for one handle).
            repo.objects.set_pack_cache(|| {
                Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                    PACK_CACHE_BYTES,
                ))
            });
            let mut buf = Vec::new();
            let mut c = Chunk::default();
            for id in ids {
                match repo.try_find_header(*id) {
                    Ok(Some(h)) if h.size() > max => {
                        c.skipped += 1;
                        continue;
                    }
                    Ok(Some(_)) => {}
                    _ => {
                        c.missing += 1;
                        continue;
                    }
                }
                let data = match repo.objects.try_find(id, &mut buf) {
                    Ok(Some(d)) => d.data,
                    _ => {
                        c.missing += 1;
                        continue;
                    }
                };
                if memchr::memchr(0, &data[..data.len().min(8192)]).is_some() {
                    c.skipped += 1;
                    continue;
                }
                c.bytes += data.len() as u64;
                for hit in scanner.scan(data, &FileContext::from_path(&blobs[id].1)) {
                    let secret = data[hit.secret.clone()].to_vec();
                    let line = line_of(data, hit.span.start);
                    c.found.push((*id, hit, secret, line));
                }
            }
            c
        })
        .collect();

    // One finding per (detector, secret): the occurrence in the oldest commit.
    struct Best {
        ci: usize,
        path: String,
        line: usize,
        blob: ObjectId,
        hit: crate::scanner::Hit,
        blobs: HashSet<ObjectId>,
    }
    let mut best: HashMap<(&'static str, Vec<u8>), Best> = HashMap::new();
    for c in chunks {
        report.bytes_scanned += c.bytes;
        report.blobs_skipped += c.skipped;
        report.missing_objects += c.missing;
        for (blob_id, hit, secret, line) in c.found {
            let (ci, path) = &blobs[&blob_id];
            match best.entry((hit.detector.id, secret)) {
                Entry::Vacant(v) => {
                    v.insert(Best {
                        ci: *ci,
                        path: path.clone(),
                        line,
                        blob: blob_id,
                        hit,
                        blobs: HashSet::from([blob_id]),
                    });
                }
                Entry::Occupied(mut o) => {
                    let b = o.get_mut();
                    b.blobs.insert(blob_id);
                    if (*ci, path.as_str(), line) < (b.ci, b.path.as_str(), b.line) {
                        b.ci = *ci;
                        b.path = path.clone();
                        b.line = line;
                        b.blob = blob_id;
                        b.hit = hit;
                    }
                }
            }
        }
    }
    // The text of the blobs that are reported (for code frames), read once each.
    let mut texts: HashMap<ObjectId, Arc<Vec<u8>>> = HashMap::new();
    for b in best.values() {
        if let Entry::Vacant(v) = texts.entry(b.blob) {
            let data = repo
                .objects
                .try_find(&b.blob, &mut buf)
                .ok()
                .flatten()
                .map(|d| d.data.to_vec())
                .unwrap_or_default();
            v.insert(Arc::new(data));
        }
    }
    best.retain(|_, b| texts[&b.blob].len() >= b.hit.span.end);
    let mut infos: HashMap<usize, CommitInfo> = HashMap::new();
    let mut hits: Vec<HistoryHit> = best
        .into_values()
        .map(|b| {
            let commit = infos
                .entry(b.ci)
                .or_insert_with(|| commit_info(&repo, &commits[b.ci]))
                .clone();
            HistoryHit {
                detector: b.hit.detector,
                severity: b.hit.severity,
                notes: b.hit.notes,
                commit,
                path: b.path,
                line: b.line,
                blob: b.blob.to_string(),
                content: texts[&b.blob].clone(),
                span: b.hit.span,
                secret: b.hit.secret,
                blobs: b.blobs.len(),
            }
        })
        .collect();
    hits.sort_by(|a, b| {
        (a.commit.time, &a.path, a.line, a.detector.id).cmp(&(
            b.commit.time,
            &b.path,
            b.line,
            b.detector.id,
        ))
    });
    report.hits = hits;
    if report.missing_objects > 0 {
        report.problems.push(format!(
            "{} object(s) referenced by the history are missing (a partial or shallow clone?); \
             their content was not scanned",
            report.missing_objects
        ));
    }
    Ok(report)
}

/// `path` relative to the work tree, when it is a proper sub-directory of it.
fn sub_path(repo: &gix::Repository, path: &Path) -> Option<Vec<String>> {
    let wd = repo.workdir()?.canonicalize().ok()?;
    let p = path.canonicalize().ok()?;
    let rel = p.strip_prefix(&wd).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then_some(parts)
}

/// The tree at `parts` under `root`, if any.
fn subtree(
    repo: &gix::Repository,
    root: ObjectId,
    parts: &[String],
    report: &mut HistoryReport,
) -> Option<ObjectId> {
    let mut cur = root;
    for part in parts {
        let tree = match repo.try_find_object(cur) {
            Ok(Some(o)) => o.try_into_tree().ok()?,
            Ok(None) => {
                report.missing_objects += 1;
                return None;
            }
            Err(_) => return None,
        };
        let decoded = tree.decode().ok()?;
        let e = decoded
            .entries
            .iter()
            .find(|e| e.filename == part.as_str() && e.mode.is_tree())?;
        cur = e.oid.to_owned();
    }
    Some(cur)
}

fn commit_info(repo: &gix::Repository, row: &CommitRow) -> CommitInfo {
    let (name, email) = repo
        .find_commit(row.id)
        .ok()
        .and_then(|c| {
            c.author()
                .ok()
                .map(|a| (a.name.to_string(), a.email.to_string()))
        })
        .unwrap_or_default();
    CommitInfo {
        id: row.id.to_string(),
        author_name: name.trim().to_string(),
        author_email: email.trim().to_string(),
        time: row.time,
        date: rfc3339(row.time),
    }
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
