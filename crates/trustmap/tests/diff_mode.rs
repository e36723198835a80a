//! `scan --diff-base REF` on a real git history built here: commit 1 has some findings;
//! commit 2 adds one, moves a file, inserts lines above old findings and deletes a file.
//! Only the added finding is new, the deleted file's findings are fixed.

mod common;

use std::path::Path;

use common::{scan_json_with_stderr, trustmap};
use serde_json::Value;

const MAIN_TF: &str = r#"resource "aws_s3_bucket_acl" "logs" {
  bucket = "acme-logs"
  acl    = "public-read"
}
"#;

const SECURITY_GROUP: &str = r#"
resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

const WEB_YAML: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
"#;

const LEGACY_DOCKERFILE: &str = "FROM ubuntu:latest\nCMD [\"sleep\", \"1\"]\n";

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    common::git_at(dir, args, None)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// The two-commit repository; returns the first commit's id.
fn history(root: &Path) -> String {
    git(root, &["init", "-q"]);
    write(root, "infra/main.tf", MAIN_TF);
    write(root, "k8s/web.yaml", WEB_YAML);
    write(root, "legacy/Dockerfile", LEGACY_DOCKERFILE);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    let first = git(root, &["rev-parse", "HEAD"]);
    // Commit 2: lines inserted above the bucket, a new security group, the manifest moved,
    // the legacy Dockerfile deleted.
    write(
        root,
        "infra/main.tf",
        &format!("# Storage\n\n# (logs are public on purpose?)\n{MAIN_TF}{SECURITY_GROUP}"),
    );
    std::fs::create_dir_all(root.join("deploy")).expect("mkdir");
    git(root, &["mv", "k8s/web.yaml", "deploy/web-pod.yaml"]);
    git(root, &["rm", "-q", "legacy/Dockerfile"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "two"]);
    first
}

fn rows(json: &Value) -> Vec<(String, String, u64)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_name"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["start_line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn only_findings_introduced_since_the_base_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = history(dir.path());
    let (full, _, _) = scan_json_with_stderr(dir.path(), &[]);
    let (json, code, stderr) = scan_json_with_stderr(dir.path(), &["--diff-base", "HEAD~1"]);
    assert_eq!(code, 1, "{stderr}");
    let new = rows(&json);
    assert!(!new.is_empty());
    // Every new finding is about the security group, at its lines in the new commit.
    for (rule, path, line) in &new {
        assert_eq!(path, "infra/main.tf", "{rule}");
        assert!((9..=16).contains(line), "{rule} at line {line}");
    }
    assert!(
        new.iter()
            .any(|(r, _, _)| r == "security-group-admin-port-open-to-world"),
        "{new:?}"
    );
    let b = &json["baseline"];
    assert_eq!(b["against"]["kind"], "revision");
    assert_eq!(b["against"]["rev"], "HEAD~1");
    assert_eq!(b["against"]["commit"], first.as_str());
    assert_eq!(b["new"].as_u64(), Some(new.len() as u64));
    let total = full["findings"].as_array().expect("findings").len() as u64;
    assert_eq!(b["unchanged"].as_u64(), Some(total - new.len() as u64));
    // The deleted Dockerfile's findings are fixed, and nothing else is.
    let fixed: Vec<&str> = b["fixed"]
        .as_array()
        .expect("fixed")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or_default())
        .collect();
    assert!(!fixed.is_empty());
    assert!(fixed.iter().all(|p| *p == "legacy/Dockerfile"), "{fixed:?}");
    // Diff mode leaves the repository as it was: nothing checked out, nothing written.
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
}

#[test]
fn uncommitted_changes_count_and_a_clean_diff_exits_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    history(dir.path());
    let (json, code, stderr) = scan_json_with_stderr(dir.path(), &["--diff-base", "HEAD"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows(&json), Vec::<(String, String, u64)>::new());
    assert_eq!(json["baseline"]["fixed"], Value::Array(Vec::new()));
    // A finding added in the working tree only is new against HEAD.
    write(
        dir.path(),
        "infra/extra.tf",
        "resource \"aws_s3_bucket_acl\" \"extra\" {\n  bucket = \"x\"\n  acl    = \"public-read-write\"\n}\n",
    );
    let (json, code, _) = scan_json_with_stderr(dir.path(), &["--diff-base", "HEAD"]);
    assert_eq!(code, 1);
    assert!(
        rows(&json).iter().all(|(_, p, _)| p == "infra/extra.tf"),
        "{json}"
    );
}

#[test]
fn a_sub_directory_compares_with_the_same_directory_at_the_base() {
    let dir = tempfile::tempdir().expect("tempdir");
    history(dir.path());
    let (json, code, stderr) =
        scan_json_with_stderr(&dir.path().join("infra"), &["--diff-base", "HEAD~1"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(rows(&json).iter().all(|(_, p, _)| p == "main.tf"), "{json}");
    assert_eq!(json["baseline"]["fixed"], Value::Array(Vec::new()));
}

fn fails_with(dir: &Path, rev: &str, expected: &str) {
    let out = trustmap()
        .arg("scan")
        .arg(dir)
        .args(["--quiet", "--diff-base", rev])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing is reported on failure");
}

#[test]
fn clear_errors_for_bad_input() {
    let plain = tempfile::tempdir().expect("tempdir");
    write(plain.path(), "main.tf", MAIN_TF);
    fails_with(plain.path(), "main", "is not inside a git repository");

    let dir = tempfile::tempdir().expect("tempdir");
    let first = history(dir.path());
    fails_with(
        dir.path(),
        "no-such-branch",
        "unknown revision `no-such-branch`",
    );

    // A shallow clone lacks the first commit: the error says how to fetch it.
    let shallow = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", dir.path().display());
    git(
        shallow.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
    );
    fails_with(&shallow.path().join("clone"), &first, "shallow clone");
}

const ASSETS_BUCKET: &str = r#"resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
"#;

/// A role any GitHub repository can assume, allowed to write the old bucket.
const OPEN_ROLE: &str = r#"
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
    }]
  })
}

resource "aws_iam_role_policy" "ci" {
  name = "ci"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = "arn:aws:s3:::acme-assets/*"
    }]
  })
}
"#;

#[test]
fn a_new_role_that_reaches_an_old_bucket_is_a_new_attack_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "infra/storage.tf", ASSETS_BUCKET);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "bucket"]);
    let (base, _, _) = scan_json_with_stderr(root, &[]);
    assert_eq!(base["attack_paths"], Value::Array(Vec::new()));
    // The pull request only adds a role in another file; the bucket's file is unchanged.
    write(root, "infra/ci.tf", OPEN_ROLE);
    let (json, code, stderr) = scan_json_with_stderr(root, &["--diff-base", "HEAD"]);
    assert_eq!(code, 1, "{stderr}");
    let paths = json["attack_paths"].as_array().expect("attack_paths");
    assert!(
        paths.iter().any(|p| p["title"]
            .as_str()
            .is_some_and(|t| t.contains("acme-assets"))),
        "{paths:?}"
    );
    assert_eq!(
        json["baseline"]["new_attack_paths"].as_u64(),
        Some(paths.len() as u64)
    );
    assert_eq!(json["baseline"]["unchanged_attack_paths"], 0);
    // The bucket's own findings existed before: none of them is new.
    assert!(
        rows(&json).iter().all(|(_, p, _)| p == "infra/ci.tf"),
        "{:?}",
        rows(&json)
    );
}
