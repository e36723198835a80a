//! `trustmap baseline` and `scan --baseline FILE`: the baseline survives inserted lines and
//! moved files, reports exactly the new findings and the fixed ones, and refuses bad files.

mod common;

use std::path::Path;

use common::{scan_json_with_stderr, trustmap};
use serde_json::Value;

const BUCKET: &str = r#"resource "aws_s3_bucket_acl" "logs" {
  bucket = "acme-logs"
  acl    = "public-read"
}
"#;

const SECURITY_GROUP: &str = r#"resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

const DOCKERFILE: &str = "FROM ubuntu:latest\nCMD [\"sleep\", \"1\"]\n";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// `trustmap baseline ARGS`: exit code and stderr.
fn baseline(args: &[&str]) -> (i32, String) {
    let out = trustmap()
        .arg("baseline")
        .arg("--quiet")
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn new_rules(json: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_name"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn baseline_workflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "infra/storage.tf", BUCKET);
    write(root, "app/Dockerfile", DOCKERFILE);
    let (full, code, _) = scan_json_with_stderr(root, &[]);
    assert_eq!(code, 1);
    let total = full["findings"].as_array().expect("findings").len();

    // Written to the default place, sorted, versioned, one entry per finding.
    let (code, stderr) = baseline(&[root.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("wrote {total} findings")),
        "{stderr}"
    );
    let file = root.join(".trustmap-baseline.json");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("baseline")).expect("json");
    assert_eq!(written["baseline_version"], 1);
    let entries = written["findings"].as_array().expect("findings");
    assert_eq!(entries.len(), total);
    assert!(entries.iter().all(|e| e.get("start_line").is_none()));
    let file_arg = file.to_str().expect("utf-8");

    // Nothing new: exit 0, no findings, all unchanged.
    let (json, code, stderr) = scan_json_with_stderr(root, &["--baseline", file_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(new_rules(&json), Vec::<(String, String)>::new());
    assert_eq!(json["baseline"]["unchanged"].as_u64(), Some(total as u64));
    assert_eq!(json["baseline"]["against"]["kind"], "file");

    // Lines inserted above, the Dockerfile moved: still nothing new. A security group
    // added: exactly its findings are new.
    write(
        root,
        "infra/storage.tf",
        &format!("# Buckets\n\n{BUCKET}\n{SECURITY_GROUP}"),
    );
    std::fs::create_dir_all(root.join("services/app")).expect("mkdir");
    std::fs::rename(
        root.join("app/Dockerfile"),
        root.join("services/app/Dockerfile"),
    )
    .expect("move");
    let (json, code, _) = scan_json_with_stderr(root, &["--baseline", file_arg]);
    assert_eq!(code, 1);
    let new = new_rules(&json);
    assert!(new.iter().all(|(_, p)| p == "infra/storage.tf"), "{new:?}");
    assert!(new.contains(&(
        "security-group-admin-port-open-to-world".to_string(),
        "infra/storage.tf".to_string()
    )));
    assert_eq!(json["baseline"]["fixed"], Value::Array(Vec::new()));
    assert_eq!(json["baseline"]["unchanged"].as_u64(), Some(total as u64));

    // The Dockerfile deleted: its findings are listed as fixed, with rule, path, resource.
    std::fs::remove_file(root.join("services/app/Dockerfile")).expect("rm");
    let (json, _, _) = scan_json_with_stderr(root, &["--baseline", file_arg]);
    let fixed = json["baseline"]["fixed"].as_array().expect("fixed");
    assert!(!fixed.is_empty());
    for f in fixed {
        assert_eq!(f["path"], "app/Dockerfile");
        assert!(f["rule_id"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(f["resource"].as_str().is_some());
    }

    // One command updates it; then nothing is new or fixed.
    let (code, stderr) = baseline(&[root.to_str().expect("utf-8"), "--update"]);
    assert_eq!(code, 0, "{stderr}");
    let (json, code, _) = scan_json_with_stderr(root, &["--baseline", file_arg]);
    assert_eq!(code, 0);
    assert_eq!(json["baseline"]["new"], 0);
    assert_eq!(json["baseline"]["fixed"], Value::Array(Vec::new()));
}

#[test]
fn text_output_says_what_was_compared() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.tf", BUCKET);
    let file = dir.path().join("accepted.json");
    let (code, _) = baseline(&[
        dir.path().to_str().expect("utf-8"),
        "-o",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0);
    let out = trustmap()
        .arg("scan")
        .arg(dir.path())
        .args(["--quiet", "--baseline"])
        .arg(&file)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Compared with the baseline"), "{stdout}");
    assert!(stdout.contains("0 new"), "{stdout}");
}

fn scan_fails(dir: &Path, baseline: &Path, expected: &str) {
    let out = trustmap()
        .arg("scan")
        .arg(dir)
        .args(["--quiet", "--format", "json", "--baseline"])
        .arg(baseline)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_baselines_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "main.tf", BUCKET);
    let missing = dir.path().join("missing.json");
    scan_fails(dir.path(), &missing, "cannot read the baseline");

    let corrupt = dir.path().join("corrupt.json");
    std::fs::write(&corrupt, "{\"baseline_version\": 1, \"findings\": [").expect("write");
    scan_fails(dir.path(), &corrupt, "not a trustmap baseline");

    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        "{\"baseline_version\": 99, \"generated_by\": \"trustmap 9\", \"findings\": []}",
    )
    .expect("write");
    scan_fails(dir.path(), &newer, "baseline version 99 is newer");

    // --update needs something to update.
    let (code, stderr) = baseline(&[dir.path().to_str().expect("utf-8"), "--update"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no baseline to update"), "{stderr}");
    assert!(!dir.path().join(".trustmap-baseline.json").exists());
}
