//! Secrets end to end: files of every kind, suppressions, rule selection, redaction in every
//! output format (and `--show-secrets`), and `--history` on a real git repository.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use serde_json::Value;

/// Made-up values in the providers' published formats.
const GITHUB: &str = "ghp_R8sKw2VnT4yBq7LmZ1cXa9DfH3jP6gUeNi0Mbq";
const STRIPE: &str = "sk_live_51Hq8ZtLx2VbN7cR4mPkW9sYdE3fGaJ6uTo0iQ";
const DOCKER_PW: &str = "Pr0d-Sup3r-S3cret!x";

fn trustmap() -> Command {
    let mut cmd = Command::cargo_bin("trustmap").expect("binary");
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

/// A repository with secrets in a text file, Terraform, YAML and a Dockerfile, one of them
/// suppressed with a reason.
fn tree() -> tempfile::TempDir {
    // The GitHub token needs a valid checksum: build one from a fixed random part.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join(".env"),
        format!("APP=orders\nGITHUB_TOKEN={}\n", github()),
    )
    .unwrap();
    std::fs::write(
        d.join("main.tf"),
        format!(
            "resource \"null_resource\" \"x\" {{\n  triggers = {{\n    key = \"{STRIPE}\"\n  }}\n}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("values.yaml"),
        format!("# trustmap:ignore[SEC-STRIPE-001] test-mode account, revoked\nstripe: {STRIPE}\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("Dockerfile"),
        format!("FROM alpine:3.20\nENV DB_PASSWORD={DOCKER_PW}\nUSER app\n"),
    )
    .unwrap();
    tmp
}

/// A classic GitHub token with a correct CRC32 checksum.
fn github() -> String {
    let body = &GITHUB[4..34];
    let sum = trustmap_secrets::validate::crc32(body.as_bytes());
    format!(
        "ghp_{body}{}",
        String::from_utf8(trustmap_secrets::validate::base62(sum, 6)).unwrap()
    )
}

fn run(args: &[&str], dir: &Path) -> (String, i32) {
    let out = trustmap().args(args).arg(dir).output().expect("run");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn secrets_in_every_file_kind_become_findings() {
    let t = tree();
    let (out, code) = run(&["secrets", "--format", "json", "--quiet"], t.path());
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(String, String, bool)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["suppressed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        found.contains(&("SEC-GH-001".into(), ".env".into(), false)),
        "{found:?}"
    );
    assert!(found.contains(&("SEC-STRIPE-001".into(), "main.tf".into(), false)));
    assert!(found.contains(&("SEC-STRIPE-001".into(), "values.yaml".into(), true)));
    assert!(found.contains(&("SEC-GEN-001".into(), "Dockerfile".into(), false)));
    // Only secret rules run under `secrets`.
    assert!(found.iter().all(|(id, _, _)| id.starts_with("SEC-")));
    let gh = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "SEC-GH-001")
        .unwrap();
    assert_eq!(gh["capability"], "identity");
    assert_eq!(gh["start_line"], 2);
}

#[test]
fn rule_selection_and_listing_include_detectors() {
    let t = tree();
    let (out, _) = run(
        &[
            "scan",
            "--rule",
            "SEC-GH-001",
            "--format",
            "json",
            "--quiet",
        ],
        t.path(),
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["SEC-GH-001"]);
    let list = trustmap().args(["rules"]).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains("SEC-AWS-001") && list.contains("github-classic-token"));
    let show = trustmap()
        .args(["rules", "show", "SEC-GH-001"])
        .output()
        .unwrap();
    assert!(show.status.success());
    assert!(String::from_utf8_lossy(&show.stdout).contains("checksum"));
    let bad = trustmap()
        .args(["secrets", "--rule", "DKR-004"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn every_format_redacts_secrets_by_default() {
    let t = tree();
    let gh = github();
    for format in ["text", "json", "sarif"] {
        let (out, _) = run(&["scan", "--format", format, "--quiet"], t.path());
        for secret in [gh.as_str(), STRIPE, DOCKER_PW] {
            assert!(
                !out.contains(secret),
                "{format} output shows a secret:\n{out}"
            );
            // Not even most of it.
            assert!(
                !out.contains(&secret[..12]),
                "{format} shows a prefix of a secret"
            );
        }
        assert!(
            out.contains("ghp_\u{2026}"),
            "{format}: no preview in the message"
        );
    }
    // The Dockerfile rule's frame is masked too (its value span is marked secret).
    let (text, _) = run(&["scan", "--rule", "DKR-004", "--quiet"], t.path());
    assert!(text.contains("ENV DB_PASSWORD=Pr0d***"), "{text}");
}

#[test]
fn show_secrets_reveals_them() {
    let t = tree();
    let gh = github();
    for format in ["text", "json", "sarif"] {
        let (out, _) = run(
            &["secrets", "--format", format, "--quiet", "--show-secrets"],
            t.path(),
        );
        assert!(out.contains(&gh), "{format}: --show-secrets did not reveal");
    }
}

fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Std::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", empty_config())
        .env("GIT_CONFIG_SYSTEM", empty_config())
        .env("GIT_AUTHOR_NAME", "Dana Dev")
        .env("GIT_AUTHOR_EMAIL", "dana@acme.test")
        .env("GIT_COMMITTER_NAME", "Dana Dev")
        .env("GIT_COMMITTER_EMAIL", "dana@acme.test")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn history_reports_deleted_secrets_with_their_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let date = "2024-05-06T07:08:09Z";
    git(d, &["init", "-q", "-b", "main"], date);
    std::fs::write(d.join("app.env"), format!("STRIPE_KEY={STRIPE}\n")).unwrap();
    git(d, &["add", "-A"], date);
    git(d, &["commit", "-q", "-m", "add key"], date);
    let added = git(d, &["rev-parse", "HEAD"], date);
    std::fs::write(d.join("app.env"), "STRIPE_KEY=\n").unwrap();
    git(
        d,
        &["commit", "-q", "-am", "remove key"],
        "2024-05-07T00:00:00Z",
    );

    // Without --history the tree is clean.
    let (out, code) = run(&["secrets", "--format", "json", "--quiet"], d);
    assert_eq!(code, 0, "{out}");

    let (out, code) = run(&["secrets", "--history", "--format", "json", "--quiet"], d);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "SEC-STRIPE-001")
        .expect("history finding");
    assert_eq!(f["path"], "app.env");
    assert_eq!(f["start_line"], 1);
    assert_eq!(f["commit"]["id"], added.as_str());
    assert_eq!(f["commit"]["author"], "Dana Dev");
    assert_eq!(f["commit"]["date"], date);
    assert!(v["stats"]["commits_scanned"].as_u64() == Some(2));

    let (text, _) = run(&["secrets", "--history", "--quiet"], d);
    assert!(
        text.contains(&added[..12]) && text.contains("Dana Dev"),
        "{text}"
    );
    assert!(!text.contains(STRIPE));
    let (sarif, _) = run(&["secrets", "--history", "--format", "sarif", "--quiet"], d);
    let s: Value = serde_json::from_str(&sarif).unwrap();
    let result = &s["runs"][0]["results"][0];
    assert_eq!(result["properties"]["commit"]["id"], added.as_str());
    assert!(!sarif.contains(STRIPE));
}

/// An empty git config file, so the user's and the system's settings do not leak in (not
/// `/dev/null`: a test must not depend on a device file being intact).
fn empty_config() -> std::path::PathBuf {
    static FILE: std::sync::OnceLock<tempfile::NamedTempFile> = std::sync::OnceLock::new();
    FILE.get_or_init(|| tempfile::NamedTempFile::new().expect("temp file"))
        .path()
        .to_path_buf()
}
