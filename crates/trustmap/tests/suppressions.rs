//! Governed suppressions end to end: expiry, central refusal, peers' comments honoured for
//! migration, path-scoped suppressions from trustmap.toml, and how each output shows them.

mod common;

use std::path::Path;

use common::{rule_id, trustmap};
use serde_json::Value;

/// A repository in a temporary directory (with `.git`, so configuration discovery stops there).
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

/// `trustmap scan DIR --format json` on a fixed date; the report and the exit code.
fn scan(dir: &Path, today: &str, args: &[&str]) -> (Value, i32) {
    let out = trustmap()
        .env("TRUSTMAP_TODAY", today)
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

/// The findings of one rule.
fn of<'a>(json: &'a Value, id: &str) -> Vec<&'a Value> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| rule_id(f) == id)
        .collect()
}

/// The single finding of `id`.
fn one<'a>(json: &'a Value, id: &str) -> &'a Value {
    let found = of(json, id);
    assert_eq!(found.len(), 1, "{id}: {found:#?}");
    found[0]
}

fn public_acl(comment_line: &str) -> String {
    format!(
        "resource \"aws_s3_bucket\" \"site\" {{\n  bucket = \"acme-site\"\n}}\n\n\
         resource \"aws_s3_bucket_acl\" \"site\" {{\n  bucket = aws_s3_bucket.site.id\n\
         {comment_line}\n  acl = \"public-read\"\n}}\n"
    )
}

#[test]
fn an_expired_suppression_stops_suppressing_and_is_reported() {
    let dir = repo(&[(
        "main.tf",
        &public_acl(
            "  # trustmap:ignore[AWS-S3-001] until=2026-03-31 public until the CDN cut-over",
        ),
    )]);
    let (json, code) = scan(
        dir.path(),
        "2026-03-31",
        &["--rule", "AWS-S3-001,TM-SUP-002"],
    );
    let f = one(&json, "AWS-S3-001");
    assert_eq!(f["suppressed"], true, "the last day is still covered");
    assert_eq!(f["suppression"]["until"], "2026-03-31");
    assert_eq!(f["suppression"]["kind"], "inline");
    assert!(of(&json, "TM-SUP-002").is_empty());
    assert_eq!(code, 0);

    let (json, code) = scan(
        dir.path(),
        "2026-04-01",
        &["--rule", "AWS-S3-001,TM-SUP-002"],
    );
    assert_eq!(one(&json, "AWS-S3-001")["suppressed"], false);
    let expired = one(&json, "TM-SUP-002");
    assert_eq!(expired["start_line"], 7);
    assert_eq!(expired["severity"], "medium");
    assert!(
        expired["message"]
            .as_str()
            .is_some_and(|m| m.contains("expired on 2026-03-31")),
        "{expired}"
    );
    assert_eq!(code, 1);
}

#[test]
fn inline_suppressions_can_be_refused_by_flag_or_configuration() {
    let tf = public_acl("  # trustmap:ignore[AWS-S3-001] static site");
    let dir = repo(&[("main.tf", &tf)]);
    let (json, _) = scan(dir.path(), "2026-01-01", &["--rule", "AWS-S3-001"]);
    assert_eq!(one(&json, "AWS-S3-001")["suppressed"], true);
    assert!(json.get("inline_suppressions_disabled").is_none());

    let (json, code) = scan(
        dir.path(),
        "2026-01-01",
        &["--rule", "AWS-S3-001", "--no-inline-suppressions"],
    );
    assert_eq!(one(&json, "AWS-S3-001")["suppressed"], false);
    assert_eq!(
        json["inline_suppressions_disabled"],
        serde_json::json!({"by": "--no-inline-suppressions", "ignored": 1})
    );
    assert_eq!(code, 1);

    let dir = repo(&[
        ("main.tf", &tf),
        ("trustmap.toml", "[suppressions]\ninline = false\n"),
    ]);
    let (json, code) = scan(dir.path(), "2026-01-01", &["--rule", "AWS-S3-001"]);
    assert_eq!(one(&json, "AWS-S3-001")["suppressed"], false);
    let by = json["inline_suppressions_disabled"]["by"]
        .as_str()
        .expect("by");
    assert!(by.ends_with("trustmap.toml:2"), "{by}");
    assert_eq!(code, 1);

    // Text says it once, in the summary.
    let out = trustmap()
        .args(["scan", "--quiet", "--rule", "AWS-S3-001"])
        .arg(dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("inline suppressions are disabled").count(),
        1,
        "{text}"
    );
}

#[test]
fn peers_comments_are_honoured_through_equivalents() {
    let cases = [
        (
            "checkov",
            "  #checkov:skip=CKV_AWS_20:public downloads bucket",
        ),
        ("tfsec", "  #tfsec:ignore:AVD-AWS-0092"),
        ("trivy", "  #trivy:ignore:AVD-AWS-0092"),
    ];
    for (kind, comment) in cases {
        let dir = repo(&[("main.tf", &public_acl(comment))]);
        let (json, code) = scan(dir.path(), "2026-01-01", &["--rule", "AWS-S3-001"]);
        let f = one(&json, "AWS-S3-001");
        assert_eq!(f["suppressed"], true, "{kind}: {f}");
        assert_eq!(f["suppression"]["kind"], kind);
        assert_eq!(f["suppression"]["line"], 7);
        assert_eq!(code, 0, "{kind}");
    }
    // A checkov id of another check does not reach this rule.
    let dir = repo(&[(
        "main.tf",
        &public_acl("  #checkov:skip=CKV_AWS_18:logs elsewhere"),
    )]);
    let (json, _) = scan(dir.path(), "2026-01-01", &["--rule", "AWS-S3-001"]);
    assert_eq!(one(&json, "AWS-S3-001")["suppressed"], false);
}

#[test]
fn kics_comments_cover_a_line_a_block_or_a_file() {
    let compose = |before_service: &str, before_line: &str| {
        format!(
            "{before_service}services:\n  worker:\n    image: registry.example.com/worker:1.8.2\n\
             {before_line}    privileged: true\n"
        )
    };
    let cases = [
        (
            "ignore-line",
            compose("", "    # kics-scan ignore-line\n"),
            true,
        ),
        (
            "ignore-block",
            compose("# kics-scan ignore-block\n", ""),
            true,
        ),
        (
            "disable",
            compose(
                "# kics-scan disable=ae5b6871-7f45-42e0-bb4c-ab300c4d2026\n",
                "",
            ),
            true,
        ),
        (
            "disable of another query",
            compose(
                "# kics-scan disable=451d79dc-0588-476a-ad03-3c7f0320abb3\n",
                "",
            ),
            false,
        ),
    ];
    for (what, text, suppressed) in cases {
        let dir = repo(&[("docker-compose.yml", &text)]);
        let (json, _) = scan(dir.path(), "2026-01-01", &["--rule", "CMP-001"]);
        let f = one(&json, "CMP-001");
        assert_eq!(f["suppressed"], suppressed, "{what}: {f}");
        if suppressed {
            assert_eq!(f["suppression"]["kind"], "kics", "{what}");
        }
    }
}

#[test]
fn migration_can_be_narrowed_or_turned_off_in_configuration() {
    let files = |toml: &'static str| {
        repo(&[
            (
                "main.tf",
                &public_acl("  #checkov:skip=CKV_AWS_20:public downloads bucket"),
            ),
            ("trustmap.toml", toml),
        ])
    };
    for (toml, suppressed) in [
        ("[suppressions]\nmigrate = [\"checkov\"]\n", true),
        ("[suppressions]\nmigrate = [\"trivy\", \"kics\"]\n", false),
        ("[suppressions]\nmigrate = []\n", false),
    ] {
        let dir = files(toml);
        let (json, _) = scan(dir.path(), "2026-01-01", &["--rule", "AWS-S3-001"]);
        assert_eq!(one(&json, "AWS-S3-001")["suppressed"], suppressed, "{toml}");
    }
}

#[test]
fn path_scoped_suppressions_come_from_the_configuration_with_their_location() {
    let toml = "\
[[suppressions.paths]]
paths = [\"sites/\"]
rules = [\"AWS-S3\"]
reason = \"public marketing sites\"

[[suppressions.paths]]
paths = [\"old/\"]
rules = [\"s3-bucket-public-acl\"]
reason = \"decommissioned in Q1\"
until = 2026-03-31
";
    let acl = public_acl("");
    let dir = repo(&[
        ("sites/main.tf", &acl),
        ("old/main.tf", &acl),
        ("other/main.tf", &acl),
        ("trustmap.toml", toml),
    ]);
    let (json, code) = scan(
        dir.path(),
        "2026-06-01",
        &["--rule", "AWS-S3-001,TM-SUP-002"],
    );
    let by_path = |p: &str| {
        of(&json, "AWS-S3-001")
            .into_iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("{p}"))
            .clone()
    };
    let site = by_path("sites/main.tf");
    assert_eq!(
        site["suppression"],
        serde_json::json!({
            "kind": "config",
            "reason": "public marketing sites",
            "path": "trustmap.toml",
            "line": 2
        })
    );
    assert_eq!(by_path("old/main.tf")["suppressed"], false, "expired entry");
    assert_eq!(by_path("other/main.tf")["suppressed"], false, "not covered");
    let expired = one(&json, "TM-SUP-002");
    assert_eq!(expired["path"], "trustmap.toml");
    assert_eq!(expired["start_line"], 7);
    assert_eq!(code, 1);

    // SARIF: configuration entries are `external`, comments `inSource`.
    let out = trustmap()
        .env("TRUSTMAP_TODAY", "2026-01-01")
        .args([
            "scan",
            "--quiet",
            "--format",
            "sarif",
            "--rule",
            "AWS-S3-001",
        ])
        .arg(dir.path())
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let kinds: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["external", "external"]);
}
