//! `--format junit|markdown|github` on the shop repository, and the Markdown comment of a
//! pull request in diff mode.

mod common;

use std::path::Path;

use common::{e2e_dir, trustmap};

fn render(dir: &Path, format: &str, extra: &[&str]) -> (String, i32) {
    let out = trustmap()
        .arg("scan")
        .arg(dir)
        .args(["--quiet", "--format", format])
        .args(extra)
        .output()
        .expect("run");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn shop_junit() {
    let (out, code) = render(&e2e_dir("shop"), "junit", &[]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    insta::assert_snapshot!(out);
}

#[test]
fn shop_markdown() {
    let (out, code) = render(&e2e_dir("shop"), "markdown", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn shop_github_annotations() {
    let (out, code) = render(&e2e_dir("shop"), "github", &[]);
    assert_eq!(code, 1);
    for line in out.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
    }
    insta::assert_snapshot!(out);
}

/// Git with fixed identities and dates, so commit ids (shown in the comment) are the same on
/// every run.
fn git(dir: &Path, args: &[&str]) {
    common::git_at(dir, args, Some("2026-01-01T00:00:00Z"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn pull_request_comment_in_diff_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("shop");
    copy_dir(&e2e_dir("shop"), &repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    // The pull request: a privileged debug pod added, the web Dockerfile's root user fixed.
    std::fs::write(
        repo.join("k8s/debug.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: shop\nspec:\n  \
         containers:\n    - name: debug\n      image: busybox:1.36\n      securityContext:\n        \
         privileged: true\n",
    )
    .expect("write");
    let web = std::fs::read_to_string(repo.join("services/web/Dockerfile")).expect("read");
    std::fs::write(
        repo.join("services/web/Dockerfile"),
        format!("{}\nUSER 10001\n", web.trim_end()),
    )
    .expect("write");
    let (out, code) = render(&repo, "markdown", &["--diff-base", "main"]);
    assert_eq!(code, 1);
    assert!(out.contains("k8s/debug.yaml"));
    assert!(!out.contains("infra/main.tf:"), "old findings are not new");
    insta::assert_snapshot!(out);
}
