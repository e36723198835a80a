//! Capability over git history: sampled first-parent commits, each scanned straight from the
//! object database (no checkout), in parallel; trends and the commits that moved them.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use schemars::JsonSchema;
use serde::Serialize;
use trustmap_engine::{GitTree, NoProgress, Settings};
use trustmap_rules::Capability;

use crate::assess::{self, Assessment};
use crate::score::TeamScores;

/// Why history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("`{path}` is not inside a git repository: {reason}")]
    NotARepository { path: String, reason: String },
    #[error("cannot read the history of `{path}`: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(transparent)]
    Scan(#[from] trustmap_engine::ScanError),
}

/// One commit of the first-parent history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CommitRef {
    pub id: String,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// The same as RFC 3339 in UTC.
    pub date: String,
    pub summary: String,
    pub author: String,
    /// Tree id: equal trees are scanned once.
    #[serde(skip)]
    pub tree: String,
}

/// The first-parent history of HEAD, oldest first, from `since` (seconds) on.
pub fn first_parent(path: &Path, since: Option<i64>) -> Result<Vec<CommitRef>, HistoryError> {
    walk(path, since, usize::MAX)
}

/// The HEAD commit of the repository containing `path`.
pub fn head(path: &Path) -> Result<CommitRef, HistoryError> {
    walk(path, None, 1)?
        .pop()
        .ok_or_else(|| HistoryError::Unreadable {
            path: path.display().to_string(),
            reason: "no HEAD commit".into(),
        })
}

fn walk(path: &Path, since: Option<i64>, max: usize) -> Result<Vec<CommitRef>, HistoryError> {
    let repo = gix::discover(path).map_err(|e| HistoryError::NotARepository {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let unreadable = |reason: String| HistoryError::Unreadable {
        path: path.display().to_string(),
        reason,
    };
    let mut id = repo
        .head_id()
        .map_err(|e| unreadable(format!("no HEAD commit: {e}")))?
        .detach();
    let mut out = Vec::new();
    loop {
        let commit = repo
            .find_commit(id)
            .map_err(|e| unreadable(e.to_string()))?;
        let time = commit.time().map_or(0, |t| t.seconds);
        if since.is_some_and(|s| time < s) {
            break;
        }
        let summary = commit
            .message()
            .map(|m| m.summary().to_string())
            .unwrap_or_default();
        let author = commit
            .author()
            .map(|a| a.name.to_string())
            .unwrap_or_default();
        let tree = commit
            .tree_id()
            .map(|t| t.to_string())
            .map_err(|e| unreadable(e.to_string()))?;
        out.push(CommitRef {
            id: id.to_string(),
            time,
            date: crate::date::rfc3339(time),
            summary,
            author,
            tree,
        });
        match commit.parent_ids().next() {
            Some(p) if out.len() < max => id = p.detach(),
            _ => break,
        }
    }
    out.reverse();
    Ok(out)
}

/// `points` commits spread evenly in time over `history` (oldest first): for each of the
/// evenly spaced instants, the last commit at or before it; the newest commit is always one.
pub fn sample(history: &[CommitRef], points: usize) -> Vec<CommitRef> {
    let (Some(first), Some(last)) = (history.first(), history.last()) else {
        return Vec::new();
    };
    if points == 0 {
        return Vec::new();
    }
    if history.len() <= points {
        return history.to_vec();
    }
    let span = (last.time - first.time).max(0);
    let mut picked: Vec<usize> = Vec::new();
    for k in 0..points {
        let target = if points == 1 {
            last.time
        } else {
            first.time
                + span * i64::try_from(k).unwrap_or(0) / i64::try_from(points - 1).unwrap_or(1)
        };
        // History is in first-parent order; times are usually, not always, increasing.
        let i = history.iter().rposition(|c| c.time <= target).unwrap_or(0);
        if picked.last() != Some(&i) {
            picked.push(i);
        }
    }
    let newest = history.len() - 1;
    if picked.last() != Some(&newest) {
        picked.push(newest);
    }
    picked.sort_unstable();
    picked.dedup();
    picked.into_iter().map(|i| history[i].clone()).collect()
}

/// One evaluated commit.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Point {
    pub commit: CommitRef,
    pub scores: Vec<TeamScores>,
}

/// The commit that moved a capability most.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Mover {
    pub team: String,
    pub capability: String,
    /// Score before and after `commit` (or across the sampled interval when `exact` is false).
    pub before: Option<u32>,
    pub after: Option<u32>,
    pub delta: i64,
    pub commit: CommitRef,
    /// True when the interval was bisected down to this one commit.
    pub exact: bool,
}

/// Scores over sampled commits and the commits that moved them.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Trend {
    pub points: Vec<Point>,
    pub movers: Vec<Mover>,
    /// Commits scanned in all (sampled points plus bisection steps).
    pub commits_scanned: usize,
}

/// Scans commits of one repository from its object database, each tree once.
pub struct Evaluator<'a> {
    root: &'a Path,
    settings: &'a Settings,
    cache: Mutex<HashMap<String, Assessment>>,
}

impl<'a> Evaluator<'a> {
    pub fn new(root: &'a Path, settings: &'a Settings) -> Self {
        Self {
            root,
            settings,
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn cached(&self, tree: &str) -> Option<Assessment> {
        self.cache.lock().ok()?.get(tree).cloned()
    }

    /// The assessment of one commit (a cached one when its tree was already scanned).
    pub fn assess(&self, commit: &CommitRef) -> Result<Assessment, HistoryError> {
        if let Some(a) = self.cached(&commit.tree) {
            return Ok(a);
        }
        let tree =
            GitTree::open(self.root, &commit.id).map_err(trustmap_engine::ScanError::from)?;
        let report = trustmap_engine::scan_git(self.settings, &tree, &NoProgress)?;
        let repo = gix::discover(self.root).ok();
        let read = |p: &str| repo.as_ref().and_then(|r| read_at(r, &commit.id, p));
        let a = assess::assess(&report, &read);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(commit.tree.clone(), a.clone());
        }
        Ok(a)
    }

    fn scanned(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.len())
    }

    /// Scans the sampled commits in parallel and finds, per capability of the repository
    /// row and of each team, the interval with the largest change; the repository's are
    /// bisected down to one commit when the interval is at most `bisect_limit` commits.
    pub fn trend(
        &self,
        history: &[CommitRef],
        sampled: &[CommitRef],
        bisect_limit: usize,
    ) -> Result<Trend, HistoryError> {
        let assessed: Vec<Assessment> =
            crate::parallel::map(sampled, crate::parallel::default_threads(), |c| {
                self.assess(c)
            })
            .into_iter()
            .collect::<Result<_, _>>()?;
        let points: Vec<Point> = sampled
            .iter()
            .zip(&assessed)
            .map(|(c, a)| Point {
                commit: c.clone(),
                scores: a.scores.clone(),
            })
            .collect();
        let mut movers = Vec::new();
        let mut teams: Vec<String> = Vec::new();
        for p in &points {
            for t in &p.scores {
                if !teams.contains(&t.team) {
                    teams.push(t.team.clone());
                }
            }
        }
        for team in &teams {
            for cap in Capability::ALL {
                let Some((i, delta)) = biggest_step(&points, team, cap) else {
                    continue;
                };
                let before = score_of(&points[i - 1].scores, team, cap);
                let after = score_of(&points[i].scores, team, cap);
                let mut mover = Mover {
                    team: team.clone(),
                    capability: cap.as_str().to_string(),
                    before,
                    after,
                    delta,
                    commit: points[i].commit.clone(),
                    exact: false,
                };
                if team == crate::score::REPOSITORY {
                    self.bisect(
                        history,
                        &points[i - 1].commit,
                        &mut mover,
                        cap,
                        bisect_limit,
                    )?;
                } else {
                    mover.exact = is_adjacent(history, &points[i - 1].commit, &points[i].commit);
                }
                movers.push(mover);
            }
        }
        movers.sort_by(|a, b| b.delta.abs().cmp(&a.delta.abs()).then(a.team.cmp(&b.team)));
        Ok(Trend {
            points,
            movers,
            commits_scanned: self.scanned(),
        })
    }

    /// Narrows `mover` (the interval ending at `mover.commit`, starting at `from`) to the
    /// single commit whose change from its first parent is largest, halving the interval and
    /// keeping the half with the larger change. Stops when over `limit` commits remain.
    fn bisect(
        &self,
        history: &[CommitRef],
        from: &CommitRef,
        mover: &mut Mover,
        cap: Capability,
        limit: usize,
    ) -> Result<(), HistoryError> {
        let team = crate::score::REPOSITORY;
        let (Some(mut lo), Some(mut hi)) = (
            history.iter().position(|c| c.id == from.id),
            history.iter().position(|c| c.id == mover.commit.id),
        ) else {
            return Ok(());
        };
        if hi <= lo || hi - lo > limit {
            return Ok(());
        }
        let mut s_lo = mover.before;
        let mut s_hi = mover.after;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            let s_mid = score_of(&self.assess(&history[mid])?.scores, team, cap);
            // Without evidence at `mid`, the change happened after it.
            if s_mid.is_some() && diff(s_lo, s_mid).abs() >= diff(s_mid, s_hi).abs() {
                hi = mid;
                s_hi = s_mid;
            } else {
                lo = mid;
                s_lo = s_mid;
            }
        }
        mover.before = s_lo;
        mover.after = s_hi;
        mover.delta = diff(s_lo, s_hi);
        mover.commit = history[hi].clone();
        mover.exact = true;
        Ok(())
    }
}

fn is_adjacent(history: &[CommitRef], a: &CommitRef, b: &CommitRef) -> bool {
    let pa = history.iter().position(|c| c.id == a.id);
    let pb = history.iter().position(|c| c.id == b.id);
    matches!((pa, pb), (Some(x), Some(y)) if y == x + 1)
}

fn score_of(scores: &[TeamScores], team: &str, cap: Capability) -> Option<u32> {
    scores
        .iter()
        .find(|t| t.team == team)
        .and_then(|t| t.cell(cap).score)
}

/// A change between two scores; none when either has no evidence (a score appearing from
/// nothing is not an improvement).
fn diff(a: Option<u32>, b: Option<u32>) -> i64 {
    match (a, b) {
        (Some(a), Some(b)) => i64::from(b) - i64::from(a),
        _ => 0,
    }
}

/// The sampled interval (index of its end) with the largest non-zero change.
fn biggest_step(points: &[Point], team: &str, cap: Capability) -> Option<(usize, i64)> {
    (1..points.len())
        .map(|i| {
            let a = score_of(&points[i - 1].scores, team, cap);
            let b = score_of(&points[i].scores, team, cap);
            (i, diff(a, b))
        })
        .filter(|(_, d)| *d != 0)
        .max_by_key(|(i, d)| (d.abs(), std::cmp::Reverse(*i)))
}

/// A text file of a commit, by its path from the repository root.
pub fn read_at(repo: &gix::Repository, commit: &str, path: &str) -> Option<String> {
    let id = gix::ObjectId::from_hex(commit.as_bytes()).ok()?;
    let tree = repo.find_commit(id).ok()?.tree().ok()?;
    let entry = tree.lookup_entry_by_path(path).ok()??;
    let object = entry.object().ok()?;
    String::from_utf8(object.data.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(i: usize, time: i64) -> CommitRef {
        CommitRef {
            id: format!("{i:040}"),
            time,
            date: String::new(),
            summary: String::new(),
            author: String::new(),
            tree: format!("t{i}"),
        }
    }

    #[test]
    fn sampling_spreads_points_in_time_and_keeps_the_newest() {
        // Ten commits a day apart, then a burst of five on the last day.
        let mut h: Vec<CommitRef> = (0..10).map(|i| c(i, i as i64 * 86_400)).collect();
        h.extend((10..15).map(|i| c(i, 9 * 86_400 + i as i64)));
        let s = sample(&h, 4);
        let ids: Vec<usize> = s
            .iter()
            .map(|c| h.iter().position(|x| x.id == c.id).unwrap())
            .collect();
        assert_eq!(ids, vec![0, 3, 6, 14]);
        assert_eq!(sample(&h, 100).len(), 15);
        assert!(sample(&[], 3).is_empty());
    }
}
