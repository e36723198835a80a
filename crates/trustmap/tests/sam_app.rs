//! End-to-end: the real binary on a realistic SAM application (tests/e2e/sam-app): Globals,
//! parameters with defaults, conditions, implicit roles from policy templates, an HTTP API
//! event, a function URL, an S3-triggered function and a public bucket policy.

use std::path::PathBuf;

mod common;

use common::{Row, e2e_dir, owned, unsuppressed};
use serde_json::Value;

fn app() -> PathBuf {
    e2e_dir("sam-app")
}

fn scan_json(args: &[&str]) -> (Value, i32) {
    common::scan_json(&app(), args)
}

fn summary(json: &Value) -> Vec<Row> {
    unsuppressed(json)
}

/// What the application deploys with its defaults (`Stage=prod`, no debug endpoint).
const DEFAULT_FINDINGS: &[(&str, &str, u64, &str)] = &[
    // The public route's function may read every secret: the policy template's `SecretArn`.
    (
        "iam-policy-sensitive-action-on-all-resources",
        "template.yaml",
        56,
        "GetOrderFunctionRole",
    ),
    // No authorizer on the HTTP API route, and no access logs on the implicit API.
    (
        "apigw-route-without-auth",
        "template.yaml",
        59,
        "GetOrderFunction",
    ),
    (
        "apigw-access-logging-disabled",
        "template.yaml",
        59,
        "ServerlessHttpApi",
    ),
    // The parameter's default is a live key, located where it is used.
    (
        "lambda-env-plaintext-secret",
        "template.yaml",
        74,
        "PaymentsWebhookFunction",
    ),
    (
        "lambda-function-url-without-auth",
        "template.yaml",
        76,
        "PaymentsWebhookFunctionUrl",
    ),
    // S3 invokes asynchronously; nothing catches events that keep failing.
    (
        "lambda-async-without-failure-destination",
        "template.yaml",
        81,
        "ThumbnailFunction",
    ),
    (
        "s3-bucket-public-access-block-missing",
        "template.yaml",
        148,
        "AssetsBucket",
    ),
    (
        "s3-bucket-policy-public",
        "template.yaml",
        169,
        "AssetsBucketPolicy",
    ),
];

#[test]
fn sam_app_findings_are_exactly_the_expected_ones() {
    let (json, code) = scan_json(&[]);
    assert_eq!(code, 1, "findings at or above low must exit 1");
    assert_eq!(
        json["errors"].as_array().map(Vec::len),
        Some(0),
        "errors: {}",
        json["errors"]
    );
    assert_eq!(summary(&json), owned(DEFAULT_FINDINGS));
}

#[test]
fn findings_carry_the_sam_provenance() {
    let (json, _) = scan_json(&[]);
    let findings = json["findings"].as_array().expect("findings");
    let secret = findings
        .iter()
        .find(|f| f["rule_name"] == "lambda-env-plaintext-secret")
        .expect("secret finding");
    let related = secret.to_string();
    assert!(
        related.contains("parameter `PaymentsApiKey` default"),
        "the parameter default is a related location: {related}"
    );
    let role = findings
        .iter()
        .find(|f| f["rule_name"] == "iam-policy-sensitive-action-on-all-resources")
        .expect("role finding");
    assert!(
        role.to_string()
            .contains("instantiated by SAM function `GetOrderFunction`"),
        "{role}"
    );
}

#[test]
fn parameters_change_what_is_deployed() {
    // The debug endpoint exists only with EnableDebugEndpoint=true.
    let (json, _) = scan_json(&["--parameter", "EnableDebugEndpoint=true"]);
    let f = summary(&json);
    assert!(
        f.iter()
            .any(|(r, _, _, res)| r == "lambda-function-url-without-auth"
                && res == "DebugFunctionUrl"),
        "{f:#?}"
    );
    // Outside prod the nightly report is not deployed, and the rest is unchanged.
    let (json, _) = scan_json(&["--parameter", "Stage=dev"]);
    assert_eq!(summary(&json), owned(DEFAULT_FINDINGS));
    // A rotated key in place of the default: no secret in the template any more.
    let (json, _) = scan_json(&["--parameter", "PaymentsApiKey="]);
    let f = summary(&json);
    assert!(
        !f.iter().any(|(r, ..)| r == "lambda-env-plaintext-secret"),
        "{f:#?}"
    );
}

#[test]
fn malformed_parameters_are_usage_errors() {
    let out = common::trustmap()
        .args(["scan", "--quiet", "--parameter", "NoEquals"])
        .arg(app())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--parameter `NoEquals` must be NAME=VALUE")
    );
}
