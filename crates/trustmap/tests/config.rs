//! trustmap.toml end to end: discovery upward, errors with file and line, flags over the
//! file, rule selection, severity overrides, excludes and per-path overrides.

mod common;

use std::path::Path;

use common::{rule_id, trustmap};
use serde_json::Value;

/// A repository in a temporary directory (with `.git`, so discovery stops there).
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn scan(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = trustmap()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--quiet"])
        .args(args)
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

/// `(rule id, path, severity)` of every finding.
fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                rule_id(f).to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const PUBLIC_ACL: &str = "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"acme-site\"\n}\n\n\
resource \"aws_s3_bucket_acl\" \"site\" {\n  bucket = aws_s3_bucket.site.id\n  acl    = \"public-read\"\n}\n";

#[test]
fn an_unknown_key_is_a_usage_error_with_file_and_line() {
    let dir = repo(&[
        ("main.tf", PUBLIC_ACL),
        (
            "trustmap.toml",
            "[rules]\nselect = [\"AWS\"]\nseverty = { \"AWS-S3-001\" = \"low\" }\n",
        ),
    ]);
    let out = trustmap()
        .current_dir(dir.path())
        .args(["scan", "--quiet", "infra-does-not-matter"])
        .output()
        .expect("run");
    // The path does not exist: usage error before the configuration is read.
    assert_eq!(out.status.code(), Some(2));

    let out = trustmap()
        .current_dir(dir.path())
        .args(["scan", "--quiet", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!(stderr.trim_end(), @"error: trustmap.toml:3:1: unknown field `severty`, expected one of `select`, `ignore`, `severity`");
    assert!(out.stdout.is_empty(), "nothing is scanned");

    // `--no-config` scans without it.
    let (_, code) = scan(dir.path(), &["--no-config", "--rule", "AWS-S3-001"]);
    assert_eq!(code, 1);
}

#[test]
fn the_configuration_is_found_upward_and_flags_override_it() {
    let toml = "fail-on = \"critical\"\n\n[rules]\nselect = [\"AWS-S3\"]\nignore = [\"s3-bucket-unencrypted\"]\n\n[rules.severity]\n\"AWS-S3-001\" = \"medium\"\n";
    let dir = repo(&[("infra/prod/main.tf", PUBLIC_ACL), ("trustmap.toml", toml)]);
    let sub = dir.path().join("infra/prod");
    let (json, code) = scan(&sub, &[]);
    let got = findings(&json);
    assert!(
        got.iter().all(|(id, _, _)| id.starts_with("AWS-S3-")),
        "{got:?}"
    );
    assert!(
        got.contains(&("AWS-S3-001".into(), "main.tf".into(), "medium".into())),
        "{got:?}"
    );
    assert_eq!(code, 0, "fail-on = critical from the file");

    let (_, code) = scan(&sub, &["--fail-on", "medium"]);
    assert_eq!(code, 1, "--fail-on wins");

    // `--rule` replaces the file's selection; the severity override still applies.
    let (json, _) = scan(&sub, &["--rule", "TM-SUP-001,AWS-S3-001"]);
    let ids: Vec<String> = findings(&json)
        .into_iter()
        .map(|(id, _, s)| format!("{id} {s}"))
        .collect();
    assert_eq!(ids, ["AWS-S3-001 medium"]);

    // `--config` names another file; `--no-config` ignores both.
    let other = dir.path().join("strict.toml");
    std::fs::write(&other, "[rules]\nselect = [\"TM\"]\n").expect("write");
    let (json, _) = scan(&sub, &["--config", other.to_str().expect("utf-8")]);
    assert!(findings(&json).is_empty());
    let (json, code) = scan(&sub, &["--no-config", "--rule", "AWS-S3-001"]);
    assert_eq!(findings(&json)[0].2, "high");
    assert_eq!(code, 1);
}

#[test]
fn excludes_and_per_path_overrides_apply_relative_to_the_file() {
    let toml = "\
exclude = [\"vendor/\"]

[[overrides]]
paths = [\"sandbox/**\"]
ignore = [\"AWS-S3-001\"]

[[overrides]]
paths = [\"prod/\"]
select = [\"AWS-S3-001\"]
severity = { \"s3-bucket-public-acl\" = \"critical\" }

[owners]
\"*.tf\" = \"infra\"
\"prod/\" = \"platform\"
";
    let dir = repo(&[
        ("vendor/main.tf", PUBLIC_ACL),
        ("sandbox/main.tf", PUBLIC_ACL),
        ("prod/main.tf", PUBLIC_ACL),
        ("trustmap.toml", toml),
    ]);
    let (json, _) = scan(dir.path(), &[]);
    let got = findings(&json);
    assert!(
        !got.iter().any(|(_, p, _)| p.starts_with("vendor/")),
        "{got:?}"
    );
    assert!(
        !got.iter()
            .any(|(id, p, _)| id == "AWS-S3-001" && p.starts_with("sandbox/")),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(_, p, _)| p.starts_with("sandbox/")),
        "other rules still report"
    );
    // Owners: the last matching pattern wins.
    for f in json["findings"].as_array().expect("findings") {
        let expected = if f["path"] == "prod/main.tf" {
            "platform"
        } else {
            "infra"
        };
        assert_eq!(f["owner"], expected, "{f}");
    }
    let prod: Vec<_> = got
        .iter()
        .filter(|(_, p, _)| p.starts_with("prod/"))
        .collect();
    assert_eq!(
        prod,
        [&(
            "AWS-S3-001".to_string(),
            "prod/main.tf".to_string(),
            "critical".to_string()
        )]
    );
}

#[test]
fn terraform_variables_come_from_the_file_and_var_wins() {
    let tf = "variable \"acl\" {\n  default = \"private\"\n}\n\n\
resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"acme-site\"\n}\n\n\
resource \"aws_s3_bucket_acl\" \"site\" {\n  bucket = aws_s3_bucket.site.id\n  acl    = var.acl\n}\n";
    let dir = repo(&[
        ("main.tf", tf),
        (
            "trustmap.toml",
            "[terraform]\nvars = { acl = \"public-read\" }\n",
        ),
    ]);
    let (json, _) = scan(dir.path(), &["--rule", "AWS-S3-001"]);
    assert_eq!(findings(&json).len(), 1, "the file's variable applies");
    let (json, _) = scan(
        dir.path(),
        &["--rule", "AWS-S3-001", "--var", "acl=private"],
    );
    assert!(findings(&json).is_empty(), "--var is applied after it");
}
