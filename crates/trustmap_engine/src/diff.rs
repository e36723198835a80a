//! Diff mode (`scan --diff-base REF`): the working tree and REF's tree are both scanned
//! whole, and only findings whose fingerprints REF lacks are reported. Evaluating the whole
//! repository on both sides matters: a new role that makes an old bucket reachable adds an
//! attack path (and changes what depends on reachability), which then counts as new.

use crate::baseline::{Against, Known, compare};
use crate::{GitTree, Progress, Report, ScanError, Settings, scan, scan_git};

/// Scans `settings.roots` (one directory inside a git work tree) and the tree of `rev` for
/// the same directory, and keeps only what `rev` did not have.
pub fn scan_diff(
    settings: &Settings,
    rev: &str,
    progress: &dyn Progress,
) -> Result<Report, ScanError> {
    let [root] = settings.roots.as_slice() else {
        return Err(ScanError::DiffRoots);
    };
    // The revision first: a bad REF fails before the long scan.
    let tree = GitTree::open(root, rev)?;
    let mut report = scan(settings, progress)?;
    let base = scan_git(settings, &tree, progress)?;
    compare(
        &mut report,
        &Known::of(&base),
        Against::Revision {
            rev: rev.to_string(),
            commit: tree.commit.clone(),
        },
        Some(base.scorecard),
    );
    Ok(report)
}
