//! `trustmap capability`: repositories with a known history built here, CODEOWNERS teams,
//! the stored history, the organisation roll-up and the HTML report in headless Chromium.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use serde_json::Value;

fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, args, "2026-01-01T12:00:00Z")
}

/// `git` with author and committer dates set to `date`.
fn git_at(dir: &Path, args: &[&str], date: &str) -> String {
    common::git_at(dir, args, Some(date))
}

fn policy(name: &str, action: &str, resource: &str) -> String {
    format!(
        r#"resource "aws_iam_policy" "{name}" {{
  name = "{name}"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {action}, Resource = "{resource}" }}]
  }})
}}
"#
    )
}

const PLATFORM: &str = r#"resource "aws_iam_policy" "logs" {
  name = "logs"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "arn:aws:logs:eu-west-1:123456789012:log-group:app:*" }]
  })
}
"#;

/// The payments policies at each step: all wildcards, then one scoped per commit.
fn payments(fixed: usize) -> String {
    let specs = [
        (
            "deploy",
            r#""*""#,
            "*",
            r#"["ecs:UpdateService"]"#,
            "arn:aws:ecs:eu-west-1:123456789012:service/pay/api",
        ),
        (
            "reports",
            r#""s3:*""#,
            "*",
            r#"["s3:GetObject"]"#,
            "arn:aws:s3:::pay-reports/*",
        ),
        (
            "keys",
            r#""kms:*""#,
            "*",
            r#"["kms:Decrypt"]"#,
            "arn:aws:kms:eu-west-1:123456789012:key/1111",
        ),
    ];
    specs
        .iter()
        .enumerate()
        .map(|(i, (name, bad_a, bad_r, good_a, good_r))| {
            if i < fixed {
                policy(name, good_a, good_r)
            } else {
                policy(name, bad_a, bad_r)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A repository where @org/payments fixes its IAM over three commits after the first;
/// @org/platform's policy is fine throughout. Returns the four commit ids, oldest first.
fn iam_fix_repo(dir: &Path, codeowners: &str) -> Vec<String> {
    std::fs::create_dir_all(dir.join("payments")).unwrap();
    std::fs::create_dir_all(dir.join("platform")).unwrap();
    std::fs::create_dir_all(dir.join(".github")).unwrap();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join(".github/CODEOWNERS"), codeowners).unwrap();
    std::fs::write(dir.join("platform/main.tf"), PLATFORM).unwrap();
    let messages = [
        "payments: first IAM policies",
        "payments: scope the deploy policy",
        "payments: scope the reports policy",
        "payments: scope the keys policy",
    ];
    let mut commits = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        std::fs::write(dir.join("payments/iam.tf"), payments(i)).unwrap();
        git(dir, &["add", "-A"]);
        // A week apart, as a team would.
        git_at(
            dir,
            &["commit", "-q", "-m", m],
            &format!("2026-01-{:02}T12:00:00Z", 1 + 7 * i),
        );
        commits.push(git(dir, &["rev-parse", "HEAD"]));
    }
    commits
}

const OWNERS: &str =
    "# Teams own their directories.\n/payments/ @org/payments\n/platform/ @org/platform\n";

fn capability(args: &[&str]) -> (Value, String) {
    let out = common::trustmap()
        .arg("capability")
        .args(["--quiet", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (json, stderr)
}

fn identity(scores: &Value, team: &str) -> Option<u64> {
    scores.as_array()?.iter().find(|t| t["team"] == team)?["capabilities"]
        .as_array()?
        .iter()
        .find(|c| c["capability"] == "identity")?["score"]
        .as_u64()
}

#[test]
fn identity_score_rises_as_a_team_fixes_its_iam_and_the_history_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    let commits = iam_fix_repo(&repo, OWNERS);
    let db = tmp.path().join("db/capability.sqlite");
    let db = db.to_str().unwrap();
    let (json, _) = capability(&[repo.to_str().unwrap(), "--history", "4", "--db", db]);

    let r = &json["repositories"][0];
    assert_eq!(r["name"], "shop");
    assert_eq!(r["commit"]["id"], commits[3].as_str());
    let points = r["trend"]["points"].as_array().expect("trend points");
    let ids: Vec<&str> = points
        .iter()
        .map(|p| p["commit"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, commits.iter().map(String::as_str).collect::<Vec<_>>());
    let payments: Vec<u64> = points
        .iter()
        .map(|p| identity(&p["scores"], "@org/payments").expect("payments identity score"))
        .collect();
    assert!(
        payments.windows(2).all(|w| w[0] < w[1]),
        "identity must rise at each fix: {payments:?}"
    );
    assert_eq!(payments.last(), Some(&100));
    let platform: Vec<Option<u64>> = points
        .iter()
        .map(|p| identity(&p["scores"], "@org/platform"))
        .collect();
    assert!(platform.iter().all(|s| *s == Some(100)), "{platform:?}");
    // The current assessment agrees with the last point.
    assert_eq!(identity(&r["scores"], "@org/payments"), Some(100));

    // The commit that moved the payments team most is one of its fixes, found exactly.
    let mover = r["trend"]["movers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["team"] == "@org/payments" && m["capability"] == "identity")
        .expect("a payments identity mover");
    assert!(mover["delta"].as_i64().unwrap() > 0);
    assert!(
        commits[1..]
            .iter()
            .any(|c| mover["commit"]["id"] == c.as_str())
    );
    assert_eq!(mover["exact"], true);

    // Stored: a second run appends; --show-history reads the four commits back in order.
    capability(&[repo.to_str().unwrap(), "--db", db]);
    let (stored, _) = capability(&[repo.to_str().unwrap(), "--db", db, "--show-history"]);
    let stored_ids: Vec<&str> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["commit"].as_str().unwrap())
        .collect();
    assert_eq!(
        stored_ids,
        commits.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let first = &stored[0]["scores"].as_array().unwrap();
    assert!(first.iter().any(|s| s["team"] == "@org/payments"
        && s["capability"] == "identity"
        && s["score"] == payments[0]));
}

#[test]
fn the_repository_row_is_the_scan_scorecard() {
    let shop = common::e2e_dir("shop");
    let (scan, _) = common::scan_json(&shop, &[]);
    let (cap, _) = capability(&[shop.to_str().unwrap(), "--no-store"]);
    let repo_row = &cap["repositories"][0]["scores"][0];
    assert_eq!(repo_row["team"], "(repository)");
    for (card, cell) in scan["scorecard"]["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .zip(repo_row["capabilities"].as_array().unwrap())
    {
        assert_eq!(card["capability"], cell["capability"]);
        assert_eq!(card["score"], cell["score"], "{}", cell["capability"]);
        assert_eq!(
            card["checks"], cell["evaluations"],
            "{}",
            cell["capability"]
        );
    }
    // No CODEOWNERS and no [owners]: every file is reported unowned.
    assert!(
        !cap["repositories"][0]["unowned_files"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn output_matches_the_json_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    iam_fix_repo(&repo, OWNERS);
    let (json, _) = capability(&[repo.to_str().unwrap(), "--history", "2", "--no-store"]);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/capability.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn organisation_rolls_teams_up_across_a_directory_of_clones() {
    let tmp = tempfile::tempdir().unwrap();
    let clones = tmp.path().join("clones");
    iam_fix_repo(&clones.join("shop"), OWNERS);
    iam_fix_repo(&clones.join("billing"), "* @org/payments\n");
    std::fs::create_dir_all(clones.join("not-a-repo")).unwrap();
    let (json, _) = capability(&["--repos-in", clones.to_str().unwrap(), "--no-store"]);
    let names: Vec<&str> = json["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["billing", "shop"]);
    let org = json["organisation"]
        .as_array()
        .expect("organisation roll-up");
    assert_eq!(org[0]["team"], "(all repositories)");
    let evaluations = |rows: &Value, team: &str| -> u64 {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == team)
            .map_or(0, |t| t["capabilities"][0]["evaluations"].as_u64().unwrap())
    };
    let per_repo: u64 = json["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| evaluations(&r["scores"], "@org/payments"))
        .sum();
    assert!(per_repo > 0);
    assert_eq!(
        evaluations(&json["organisation"], "@org/payments"),
        per_repo
    );
}

#[test]
fn history_needs_a_git_repository_and_a_valid_date() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("main.tf"), PLATFORM).unwrap();
    let out = common::trustmap()
        .args(["capability", "--no-store", "--history", "3"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a git repository"));
    let out = common::trustmap()
        .args(["capability", "--no-store", "--since", "2024-13-01"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a date"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

#[test]
fn html_report_is_self_contained_escaped_and_renders_in_headless_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    // A hostile owner name must come out escaped.
    iam_fix_repo(
        &repo,
        "/payments/ @org/payments\n/platform/ @org/<script>alert(1)</script>\n",
    );
    // Then the platform team adds an over-broad policy: a gap to show, a drop in the trend.
    std::fs::write(
        repo.join("platform/admin.tf"),
        policy("admin", r#""iam:*""#, "*"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git_at(
        &repo,
        &["commit", "-q", "-m", "platform: admin policy"],
        "2026-01-29T12:00:00Z",
    );
    let html = tmp.path().join("report.html");
    let out = common::trustmap()
        .args([
            "capability",
            "--quiet",
            "--no-store",
            "--history",
            "5",
            "--format",
            "html",
            "-o",
        ])
        .arg(&html)
        .arg(&repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        !text.contains("http://") && !text.contains("https://"),
        "external URL in the report"
    );
    assert!(!text.contains("<script>alert"), "unescaped owner name");
    assert!(
        text.contains("&#60;script&#62;alert(1)"),
        "owner name missing or not escaped"
    );
    assert!(
        text.contains("iam-policy-wildcard-action"),
        "gap with its rule"
    );

    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but chromium is not installed: .ci/run installs it"
        );
        eprintln!("skipped the browser check: chromium is not installed");
        return;
    };
    let profile = tmp.path().join("profile");
    let png = tmp.path().join("report.png");
    let url = format!("file://{}", html.display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ];
    let profile_flag = format!("--user-data-dir={}", profile.display());
    let shot = Std::new(&browser)
        .args(flags)
        .arg(&profile_flag)
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2000")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        png.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // A blank 1280×2000 page compresses to a few kilobytes; the report is far richer.
    assert!(
        bytes.len() > 40_000,
        "screenshot looks blank: {} bytes",
        bytes.len()
    );
    if let Ok(keep) = std::env::var("TRUSTMAP_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }

    let dom = Std::new(&browser)
        .args(flags)
        .arg(&profile_flag)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains(r#"<svg class="matrix""#),
        "heat map missing from the DOM"
    );
    assert_eq!(
        dom.matches(r#"<svg class="trend-chart""#).count(),
        4,
        "one trend per capability"
    );
    assert!(dom.contains("<polyline"), "trend lines missing");
    assert!(dom.contains(r#"<tr class="gap">"#), "gaps missing");
    assert!(dom.contains("@org/payments"));
}

#[test]
fn text_scorecard() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("shop");
    iam_fix_repo(&repo, OWNERS);
    std::fs::write(
        repo.join("platform/admin.tf"),
        policy("admin", r#""iam:*""#, "*"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git_at(
        &repo,
        &["commit", "-q", "-m", "platform: admin policy"],
        "2026-01-29T12:00:00Z",
    );
    let out = common::trustmap()
        .args(["capability", "--quiet", "--no-store", "--history", "5"])
        .arg(&repo)
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
