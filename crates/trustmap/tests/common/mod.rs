//! Helpers shared by the CLI integration tests: run the real binary, read its JSON report.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// `(rule_name, path, start_line, resource)` of one finding.
pub(crate) type Row = (String, String, u64, String);

/// A repository written for the end-to-end tests, under `tests/e2e/`.
pub(crate) fn e2e_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/e2e")
        .join(name)
}

/// The binary, with machine-independent output (no colour, default width).
pub(crate) fn trustmap() -> Command {
    let mut cmd = Command::cargo_bin("trustmap").expect("binary");
    cmd.env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

/// `trustmap scan DIR --format json --quiet ARGS`: the parsed report and the exit code.
pub(crate) fn scan_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let (json, code, _) = scan_json_with_stderr(dir, args);
    (json, code)
}

/// Like [`scan_json`], also returning what the binary wrote to stderr.
pub(crate) fn scan_json_with_stderr(dir: &Path, args: &[&str]) -> (Value, i32, String) {
    let out = trustmap()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--quiet"])
        .args(args)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (json, out.status.code().unwrap_or(-1), stderr)
}

/// Rows of the findings whose JSON object satisfies `keep`, in report order.
pub(crate) fn rows_where(json: &Value, keep: impl Fn(&Value) -> bool) -> Vec<Row> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| keep(f))
        .map(|f| {
            (
                f["rule_name"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["start_line"].as_u64().unwrap_or_default(),
                f["resource"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Rows of every unsuppressed finding.
pub(crate) fn unsuppressed(json: &Value) -> Vec<Row> {
    rows_where(json, |f| f["suppressed"] != Value::Bool(true))
}

/// The rule id of a finding's JSON object.
pub(crate) fn rule_id(f: &Value) -> &str {
    f["rule_id"].as_str().unwrap_or_default()
}

/// Expected rows written as string slices, as owned rows.
pub(crate) fn owned(expect: &[(&str, &str, u64, &str)]) -> Vec<Row> {
    expect
        .iter()
        .map(|(r, p, l, res)| (r.to_string(), p.to_string(), *l, res.to_string()))
        .collect()
}

/// Runs `git` in `dir` with a fixed identity, no system or user configuration (so the host's
/// settings cannot change results), and — when `date` is given — fixed author and committer
/// dates, so commit ids are the same on every run. Returns trimmed standard output.
pub(crate) fn git_at(dir: &Path, args: &[&str], date: Option<&str>) -> String {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    if let Some(date) = date {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
