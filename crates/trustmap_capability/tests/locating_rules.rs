//! Every built-in rule records its passes with a location, so the capability check can credit
//! them to the team owning the file: scanned over its own fixtures
//! (`crates/trustmap_rules/fixtures/<rule>/<language>/{pass,fail}/`), each pass it records is in
//! one of the scanned files. Secret detectors record no passes (a file without a secret is not
//! an evaluation), so they have nothing to locate.

use std::path::{Path, PathBuf};

use trustmap_engine::{NoProgress, Settings};
use trustmap_rules::all_rules;

/// Rules that never record a pass: every object they look at is a finding.
const NO_PASSES: &[&str] = &[
    // Any user-managed service account key.
    "GCP-IAM-003",
];

/// Decided passing targets for rules whose own passing fixtures hold only undecided ones
/// (values known at apply time), so that every rule shows where it passes.
const DECIDED: &str = r#"
resource "aws_iam_role" "fn" {
  name = "fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "scoped" {
  name = "scoped"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::reports/*" }]
  })
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "report.zip"
  environment {
    variables = { LOG_LEVEL = "info" }
  }
  dead_letter_config {
    target_arn = "arn:aws:sqs:eu-west-1:111122223333:report-failures"
  }
}

resource "aws_lambda_permission" "report" {
  statement_id   = "AllowS3"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.report.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::acme-uploads"
  source_account = "111122223333"
}

resource "aws_ecs_task_definition" "api" {
  family        = "api"
  task_role_arn = aws_iam_role.fn.arn
  container_definitions = jsonencode([
    {
      name        = "api"
      image       = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.0.1"
      environment = [{ name = "LOG_LEVEL", value = "info" }]
    }
  ])
}
"#;

#[test]
fn every_rule_locates_every_pass_in_its_fixtures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../trustmap_rules/fixtures");
    let decided = tempfile::tempdir().unwrap();
    std::fs::write(decided.path().join("main.tf"), DECIDED).unwrap();
    let mut problems = Vec::new();
    let mut silent = Vec::new();
    let mut located = 0u32;
    for rule in all_rules() {
        let meta = rule.meta();
        if trustmap_rules::secret_detector(meta).is_some() {
            continue;
        }
        let mut passes = 0u32;
        let dirs: Vec<PathBuf> = meta
            .languages
            .iter()
            .flat_map(|l| {
                ["pass", "fail"].map(|case| fixtures.join(meta.name).join(l.as_str()).join(case))
            })
            // Missing fixtures are reported by trustmap_engine's `rules` test.
            .filter(|d| d.is_dir())
            .chain([decided.path().to_path_buf()])
            .collect();
        for dir in dirs {
            let mut settings = Settings::new(vec![dir.clone()]);
            settings.rules = vec![*rule];
            let report = trustmap_engine::scan(&settings, &NoProgress).expect("fixture scan");
            for p in report.passes.iter().filter(|p| p.rule.id == meta.id) {
                passes += p.count;
                match &p.path {
                    None => problems.push(format!(
                        "{}: {} pass(es) without a location in {}",
                        meta.id,
                        p.count,
                        dir.display()
                    )),
                    Some(path) if !is_fixture_file(&dir, path) => problems.push(format!(
                        "{}: pass located in `{path}`, not a file of {}",
                        meta.id,
                        dir.display()
                    )),
                    Some(_) => located += p.count,
                }
            }
        }
        if passes == 0 && !NO_PASSES.contains(&meta.id) {
            silent.push(meta.id);
        }
    }
    // Without a passing target the invariant would say nothing about the rule.
    if !silent.is_empty() {
        problems.push(format!("no pass recorded over the fixtures of {silent:?}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(located > 0, "no rule recorded a pass over its fixtures");
}

/// Whether the report path `path` names a file of the fixture directory `dir`.
fn is_fixture_file(dir: &Path, path: &str) -> bool {
    let p = Path::new(path);
    if p.is_absolute() {
        p.starts_with(dir) && p.is_file()
    } else {
        dir.join(p).is_file()
    }
}
