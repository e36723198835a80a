//! Inline suppressions silence exactly the findings they name, and only with a reason.

use std::path::Path;

use trustmap_engine::{NoProgress, Report, Settings, scan};

fn scan_dir(dir: &Path) -> Report {
    scan(&Settings::new(vec![dir.to_path_buf()]), &NoProgress).expect("scan")
}

/// (rule name, line, suppression reason) for every finding in `path`.
fn findings(report: &Report, path: &str) -> Vec<(String, u32, Option<String>)> {
    report
        .findings
        .iter()
        .filter(|f| f.location.path == path)
        .map(|f| {
            (
                f.finding.rule.name.to_string(),
                f.location.start_line,
                f.suppressed.as_ref().and_then(|s| s.reason.clone()),
            )
        })
        .collect()
}

#[test]
fn suppressions_apply_on_the_line_above_and_at_the_resource() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"# trustmap:ignore[AWS-EC2-003] bastion is replaced by SSM next sprint
resource "aws_instance" "bastion" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_instance" "worker" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_lambda_function_url" "hook" {
  function_name      = "hook"
  authorization_type = "NONE" // trustmap:ignore[lambda-function-url-without-auth, AWS-S3-001] webhook verifies HMAC signatures
}

resource "aws_lambda_function_url" "admin" {
  function_name      = "admin"
  authorization_type = "NONE" # trustmap:ignore[lambda-function-url-without-auth]
}
"#,
    )
    .expect("write");
    let report = scan_dir(dir.path());
    let f = findings(&report, "main.tf");
    let get = |rule: &str, line: u32| {
        f.iter()
            .find(|(r, l, _)| r == rule && *l == line)
            .unwrap_or_else(|| panic!("no {rule} at {line}: {f:#?}"))
            .2
            .clone()
    };
    // Directive just above the resource's first line.
    assert_eq!(
        get("ec2-imdsv1-allowed", 2).as_deref(),
        Some("bastion is replaced by SSM next sprint")
    );
    // Same rule on another resource is not silenced.
    assert_eq!(get("ec2-imdsv1-allowed", 7), None);
    // On the offending line, by name, with `//`.
    assert_eq!(
        get("lambda-function-url-without-auth", 14).as_deref(),
        Some("webhook verifies HMAC signatures")
    );
    // Without a reason: not silenced, and reported itself.
    assert_eq!(get("lambda-function-url-without-auth", 19), None);
    assert_eq!(get("suppression-without-reason", 19), None);

    // Suppressed findings do not fail the run; the scorecard counts them apart.
    let threshold = trustmap_rules::Severity::Low;
    let unsuppressed = f.iter().filter(|x| x.2.is_none()).count();
    assert_eq!(report.failing(threshold), unsuppressed);
    let suppressed: u32 = report
        .scorecard
        .capabilities
        .iter()
        .map(|c| c.suppressed)
        .sum();
    assert_eq!(suppressed, 2);
}

#[test]
fn a_directive_in_a_string_is_not_a_suppression() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:latest\nRUN echo \"trustmap:ignore[dockerfile-base-image-mutable-tag] nope\"\n",
    )
    .expect("write");
    let report = scan_dir(dir.path());
    let f = findings(&report, "Dockerfile");
    assert!(
        f.iter()
            .any(|(r, l, s)| r == "dockerfile-base-image-mutable-tag" && *l == 1 && s.is_none()),
        "{f:#?}"
    );
}
