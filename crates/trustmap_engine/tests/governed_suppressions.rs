//! Expiry is judged against `Settings::suppressions.today` (never the wall clock in tests),
//! and a configuration applied to `Settings` suppresses by path, from the engine's API.

use trustmap_engine::config::{Date, parse};
use trustmap_engine::{NoProgress, Report, Settings, scan};

const TF: &str = r#"resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read" # trustmap:ignore[AWS-S3-001] until=2026-06-30 CDN cut-over in July
}
"#;

fn settings(dir: &std::path::Path, today: &str) -> Settings {
    let mut s = Settings::new(vec![dir.to_path_buf()]);
    s.rules = ["AWS-S3-001", "TM-SUP-002"]
        .iter()
        .filter_map(|id| trustmap_rules::find_rule(id))
        .collect();
    s.suppressions.today = Date::parse(today).expect("date");
    s
}

/// `(rule id, line, suppressed)` of every finding.
fn rows(r: &Report) -> Vec<(&str, u32, bool)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.finding.rule.id,
                f.location.start_line,
                f.suppressed.is_some(),
            )
        })
        .collect()
}

#[test]
fn the_scan_date_decides_expiry() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("main.tf"), TF).expect("write");
    let before = scan(&settings(dir.path(), "2026-06-30"), &NoProgress).expect("scan");
    assert_eq!(rows(&before), [("AWS-S3-001", 7, true)]);
    let after = scan(&settings(dir.path(), "2026-07-01"), &NoProgress).expect("scan");
    assert_eq!(
        rows(&after),
        [("AWS-S3-001", 7, false), ("TM-SUP-002", 7, false)]
    );
}

#[test]
fn a_configuration_suppresses_by_path_and_refuses_inline_comments() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join("legacy")).expect("dir");
    std::fs::write(dir.path().join("main.tf"), TF).expect("write");
    std::fs::write(dir.path().join("legacy/main.tf"), TF).expect("write");
    let config = parse(
        &dir.path().join("trustmap.toml"),
        "trustmap.toml".into(),
        "[suppressions]\ninline = false\n\n[[suppressions.paths]]\npaths = [\"legacy/\"]\n\
         rules = [\"AWS-S3\"]\nreason = \"retired in Q3\"\n"
            .into(),
    )
    .expect("valid");
    let mut s = settings(dir.path(), "2026-01-01");
    config.apply(&mut s).expect("applies");
    let report = scan(&s, &NoProgress).expect("scan");
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.location.path.as_str(),
                f.suppressed
                    .as_ref()
                    .map(|s| (s.source.as_str(), s.path.as_str(), s.line)),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("legacy/main.tf", Some(("config", "trustmap.toml", 5))),
            ("main.tf", None),
        ]
    );
    let refused = report.governance.inline_refused.expect("refused");
    assert_eq!(
        (refused.by.as_str(), refused.ignored),
        ("trustmap.toml:2", 2)
    );
}
