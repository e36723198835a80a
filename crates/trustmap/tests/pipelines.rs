//! End-to-end: CI/CD pipeline trust on a repository with GitHub Actions workflows, a composite
//! action, a reusable workflow and a GitLab pipeline with a local include
//! (tests/e2e/pipelines).

use std::path::PathBuf;

mod common;

use common::{Row, e2e_dir, rows_where, rule_id};
use serde_json::Value;

fn repo() -> PathBuf {
    e2e_dir("pipelines")
}

fn scan_json(args: &[&str]) -> (Value, i32) {
    common::scan_json(&repo(), args)
}

/// Findings of the pipeline rules (GitHub Actions and GitLab CI).
fn pipeline_findings(json: &Value) -> Vec<Row> {
    rows_where(json, |f| {
        let id = rule_id(f);
        id.starts_with("GHA-") || id.starts_with("GLCI-")
    })
}

#[test]
fn pipeline_findings_follow_composite_actions_reusable_workflows_and_includes() {
    let (json, code) = scan_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        json["errors"].as_array().map(Vec::len),
        Some(0),
        "errors: {}",
        json["errors"]
    );
    let actual = pipeline_findings(&json);
    let action = ".github/actions/setup-app/action.yml";
    let bot = ".github/workflows/comment-bot.yml";
    let deploy = ".github/workflows/deploy.yml";
    let release = ".github/workflows/release.yml";
    let ci = ".github/workflows/ci.yml";
    let expected: Vec<(&str, &str, u64, String)> = vec![
        // The composite action, checked with each caller's trigger and inputs: a comment body
        // reaches its script through `env.COMMENT` and the `greeting` input.
        ("gha-script-injection", action, 10, action.to_string()),
        // The release (tags) restores the cache the comment bot's run can write.
        (
            "gha-cache-poisoning-in-release",
            action,
            15,
            action.to_string(),
        ),
        ("gha-unused-oidc-permission", ci, 6, ci.to_string()),
        (
            "gha-self-hosted-runner-on-public-trigger",
            bot,
            13,
            format!("{bot}#test"),
        ),
        // The head SHA looked up with `gh pr view` and checked out on `issue_comment`.
        (
            "gha-untrusted-checkout-on-privileged-trigger",
            bot,
            21,
            format!("{bot}#test"),
        ),
        // The reusable workflow, called from the release with `secrets: inherit`.
        (
            "gha-deploy-without-environment",
            deploy,
            8,
            format!("{deploy}#deploy"),
        ),
        (
            "gha-unpinned-action",
            deploy,
            11,
            format!("{deploy}#deploy"),
        ),
        (
            "gha-unpinned-action",
            deploy,
            15,
            format!("{deploy}#deploy"),
        ),
        (
            "gha-security-step-continue-on-error",
            deploy,
            16,
            format!("{deploy}#deploy"),
        ),
        (
            "gha-secret-written-to-log",
            deploy,
            22,
            format!("{deploy}#deploy"),
        ),
        (
            "gha-checkout-credentials-in-artifact",
            release,
            12,
            format!("{release}#build"),
        ),
        (
            "gha-secrets-inherit",
            release,
            23,
            format!("{release}#publish"),
        ),
        // GitLab: the root pipeline and the jobs of its local include.
        (
            "gitlab-include-unpinned",
            ".gitlab-ci.yml",
            3,
            ".gitlab-ci.yml".into(),
        ),
        (
            "gitlab-include-unpinned",
            ".gitlab-ci.yml",
            5,
            ".gitlab-ci.yml".into(),
        ),
        (
            "gitlab-docker-in-docker-insecure",
            ".gitlab-ci.yml",
            9,
            ".gitlab-ci.yml#build".into(),
        ),
        (
            "gitlab-secret-in-variables",
            ".gitlab-ci.yml",
            10,
            ".gitlab-ci.yml".into(),
        ),
        (
            "gitlab-image-mutable-tag",
            ".gitlab-ci.yml",
            24,
            ".gitlab-ci.yml#test".into(),
        ),
        (
            "gitlab-pipes-download-to-shell",
            ".gitlab-ci.yml",
            26,
            ".gitlab-ci.yml#test".into(),
        ),
        (
            "gitlab-script-injection",
            ".gitlab-ci.yml",
            29,
            ".gitlab-ci.yml#test".into(),
        ),
        // From the `.kube` template, reported once under the first job that extends it.
        (
            "gitlab-image-mutable-tag",
            "ci/deploy.yml",
            2,
            "ci/deploy.yml#deploy-review".into(),
        ),
        (
            "gitlab-merge-request-pipeline-privileged",
            "ci/deploy.yml",
            4,
            "ci/deploy.yml#deploy-review".into(),
        ),
    ];
    let expected: Vec<(String, String, u64, String)> = expected
        .into_iter()
        .map(|(r, p, l, res)| (r.to_string(), p.to_string(), l, res))
        .collect();
    let mut a = actual.clone();
    let mut e = expected.clone();
    a.sort();
    e.sort();
    assert_eq!(a, e, "\nall pipeline findings: {actual:#?}");
}

#[test]
fn findings_explain_the_path_through_callers() {
    let (json, _) = scan_json(&[
        "--rule",
        "gha-script-injection,gha-cache-poisoning-in-release",
    ]);
    let findings = json["findings"].as_array().expect("findings");
    let injection = findings
        .iter()
        .find(|f| f["rule_name"] == "gha-script-injection")
        .expect("injection");
    let related = injection.to_string();
    // The hops back to the comment body, and where the action is used.
    for needle in [
        "input `greeting` is passed `env.COMMENT` here",
        "`COMMENT` is set from `github.event.comment.body` here",
        ".github/workflows/comment-bot.yml#test",
    ] {
        assert!(related.contains(needle), "missing {needle}: {related}");
    }
    let cache = findings
        .iter()
        .find(|f| f["rule_name"] == "gha-cache-poisoning-in-release")
        .expect("cache poisoning");
    assert_eq!(cache["severity"], "high", "{cache}");
    assert!(
        cache.to_string().contains("started by `issue_comment`"),
        "{cache}"
    );
}
