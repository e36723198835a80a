//! History scanning against a real repository built with the `git` CLI: a secret added in one
//! commit and deleted in the next is found, with the commit that introduced it and its author.

use std::path::Path;
use std::process::Command;

use trustmap_secrets::history::{self, HistoryOptions};
use trustmap_secrets::scanner;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", empty_config())
        .env("GIT_CONFIG_SYSTEM", empty_config())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn commit(dir: &Path, author: &str, date: &str, msg: &str) -> String {
    git(dir, &["add", "-A"]);
    let out = Command::new("git")
        .args(["commit", "-q", "--allow-empty", "-m", msg])
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", empty_config())
        .env("GIT_CONFIG_SYSTEM", empty_config())
        .env("GIT_AUTHOR_NAME", author)
        .env(
            "GIT_AUTHOR_EMAIL",
            format!("{}@acme.test", author.to_lowercase()),
        )
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "ci@acme.test")
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git commit runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(dir, &["rev-parse", "HEAD"])
}

/// A Slack bot token in the format Slack publishes (made up here).
const TOKEN: &str = "xoxb-482910573641-5920385716243-Qm7TzR2vKx9LpWc4NbYs8HdJ";

fn repo() -> (tempfile::TempDir, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("README.md"), "# app\n").unwrap();
    commit(dir, "Alice", "2024-01-01T10:00:00Z", "initial");
    std::fs::create_dir_all(dir.join("deploy")).unwrap();
    std::fs::write(
        dir.join("deploy/notify.env"),
        format!("CHANNEL=ops\nSLACK_BOT_TOKEN={TOKEN}\n"),
    )
    .unwrap();
    let added = commit(dir, "Mallory", "2024-02-02T12:30:00Z", "add notifier");
    std::fs::write(dir.join("deploy/notify.env"), "CHANNEL=ops\n").unwrap();
    let removed = commit(dir, "Alice", "2024-02-03T09:00:00Z", "remove token");
    (tmp, added, removed)
}

#[test]
fn finds_a_deleted_secret_with_the_commit_that_added_it() {
    let (tmp, added, _) = repo();
    let report = history::scan(tmp.path(), scanner(), &HistoryOptions::default()).unwrap();
    assert_eq!(report.commits, 3);
    assert_eq!(report.missing_objects, 0);
    let hits: Vec<_> = report
        .hits
        .iter()
        .filter(|h| h.detector.id == "SEC-SLACK-001")
        .collect();
    assert_eq!(hits.len(), 1, "{:?}", report.hits);
    let h = hits[0];
    assert_eq!(h.commit.id, added);
    assert_eq!(h.commit.author_name, "Mallory");
    assert_eq!(h.commit.author_email, "mallory@acme.test");
    assert_eq!(h.commit.date, "2024-02-02T12:30:00Z");
    assert_eq!(h.path, "deploy/notify.env");
    assert_eq!(h.line, 2);
    assert_eq!(&h.content[h.secret.clone()], TOKEN.as_bytes());
}

#[test]
fn since_skips_commits_reachable_from_the_ref() {
    let (tmp, added, _) = repo();
    let opts = HistoryOptions {
        since: Some(added),
        ..HistoryOptions::default()
    };
    let report = history::scan(tmp.path(), scanner(), &opts).unwrap();
    assert_eq!(report.commits, 1);
    assert!(report.hits.iter().all(|h| h.detector.id != "SEC-SLACK-001"));
}

#[test]
fn secrets_on_other_branches_are_found_once() {
    let (tmp, _, _) = repo();
    let dir = tmp.path();
    git(dir, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(dir.join("a.env"), format!("SLACK_BOT_TOKEN={TOKEN}\n")).unwrap();
    let branch_commit = commit(dir, "Bob", "2024-03-01T00:00:00Z", "feature");
    std::fs::write(dir.join("b.env"), format!("TOKEN={TOKEN}\n")).unwrap();
    commit(dir, "Bob", "2024-03-02T00:00:00Z", "more");
    git(dir, &["checkout", "-q", "main"]);
    let report = history::scan(dir, scanner(), &HistoryOptions::default()).unwrap();
    let hits: Vec<_> = report
        .hits
        .iter()
        .filter(|h| h.detector.id == "SEC-SLACK-001")
        .collect();
    // One finding for the one secret, attributed to its oldest commit; counted in 3 blobs.
    assert_eq!(hits.len(), 1);
    assert_ne!(hits[0].commit.id, branch_commit);
    assert_eq!(hits[0].blobs, 3);
}

#[test]
fn a_directory_that_is_not_a_repository_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(history::scan(tmp.path(), scanner(), &HistoryOptions::default()).is_err());
}

/// An empty git config file, so the user's and the system's settings do not leak in (not
/// `/dev/null`: a test must not depend on a device file being intact).
fn empty_config() -> std::path::PathBuf {
    static FILE: std::sync::OnceLock<tempfile::NamedTempFile> = std::sync::OnceLock::new();
    FILE.get_or_init(|| tempfile::NamedTempFile::new().expect("temp file"))
        .path()
        .to_path_buf()
}
