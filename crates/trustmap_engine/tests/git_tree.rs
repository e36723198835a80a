//! Scanning a commit straight from the object database gives the same report as scanning
//! its checkout: Terraform modules, Helm charts and Kustomize overlays read their files from
//! the tree, with the same size limits and binary skipping, and nothing is written.

use std::path::Path;
use std::process::Command;

use trustmap_engine::{GitTree, NoProgress, Report, Settings, scan, scan_git};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
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

/// Everything comparable of a report: findings with their locations and fingerprints,
/// diagnostics, unanalysed parts, and the counts.
fn summary(r: &Report) -> Vec<String> {
    let mut out: Vec<String> = r
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}-{} {} {}",
                f.finding.rule.id,
                f.location.path,
                f.location.start_line,
                f.location.end_line,
                f.finding.resource,
                f.fingerprint
            )
        })
        .collect();
    out.extend(r.diagnostics.iter().map(|(d, l)| {
        format!(
            "error {} {:?} {:?}",
            d.code,
            d.path,
            l.as_ref().map(|l| l.start_line)
        )
    }));
    out.extend(r.incomplete.iter().map(|i| format!("incomplete {i}")));
    out.extend(
        r.attack_paths
            .iter()
            .map(|p| format!("path {}", p.path.fingerprint)),
    );
    out.push(format!(
        "files {} skipped {} helm {}/{}",
        r.stats.files_scanned,
        r.stats.files_skipped,
        r.stats.helm_templates_rendered,
        r.stats.helm_templates
    ));
    out
}

#[test]
fn a_commit_scans_like_its_checkout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    for name in [
        "shop",
        "helm-shop",
        "helm-partial",
        "kustomize-app",
        "terraform-platform",
    ] {
        copy_dir(&e2e.join(name), &repo.join(name));
    }
    // A binary file and one over the size limit are skipped the same way from either source.
    std::fs::write(repo.join("shop/logo.bin"), b"\x89PNG\0\0binary").expect("write");
    std::fs::write(repo.join("shop/big.yaml"), "a: b\n".repeat(64)).expect("write");
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "all"]);
    let mut settings = Settings::new(vec![repo.to_path_buf()]);
    settings.max_file_bytes = 256;
    let from_disk = scan(&settings, &NoProgress).expect("disk scan");
    let tree = GitTree::open(repo, "HEAD").expect("tree");
    assert_eq!(tree.commit, git(repo, &["rev-parse", "HEAD"]));
    assert_eq!(
        tree.time.to_string(),
        git(repo, &["log", "-1", "--format=%ct", "HEAD"])
    );
    let from_git = scan_git(&settings, &tree, &NoProgress).expect("git scan");
    // With the real limit too, so Helm and Kustomize have their findings.
    let settings = Settings::new(vec![repo.to_path_buf()]);
    let full_disk = scan(&settings, &NoProgress).expect("disk scan");
    let full_git = scan_git(&settings, &tree, &NoProgress).expect("git scan");
    assert!(
        full_disk.stats.helm_charts > 0 && full_disk.findings.len() > 50,
        "the fixture exercises charts and rules"
    );
    assert!(
        full_disk
            .findings
            .iter()
            .any(|f| f.location.path.starts_with("kustomize-app/")),
        "the fixture exercises Kustomize"
    );
    assert_eq!(summary(&from_disk), summary(&from_git));
    assert_eq!(summary(&full_disk), summary(&full_git));
    // Nothing was checked out or written.
    assert_eq!(git(repo, &["status", "--porcelain"]), "");
}

#[test]
fn a_sub_directory_and_an_older_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("infra")).expect("mkdir");
    let tf =
        "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"a\"\n  acl    = \"public-read\"\n}\n";
    std::fs::write(repo.join("infra/main.tf"), tf).expect("write");
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "one"]);
    std::fs::remove_file(repo.join("infra/main.tf")).expect("rm");
    std::fs::write(repo.join("README.md"), "nothing here\n").expect("write");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "two"]);

    let tree = GitTree::open(&repo.join("infra"), "HEAD~1").expect("tree");
    assert_eq!(tree.paths().collect::<Vec<_>>(), ["main.tf"]);
    let settings = Settings::new(vec![repo.join("infra")]);
    let r = scan_git(&settings, &tree, &NoProgress).expect("scan");
    assert!(r.findings.iter().all(|f| f.location.path == "main.tf"));
    assert!(!r.findings.is_empty());
    // The directory does not exist at HEAD: an empty tree, not an error.
    let head = GitTree::open(&repo.join("infra"), "HEAD").expect("tree");
    assert_eq!(head.paths().count(), 0);
}
