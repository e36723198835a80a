//! Terraform and CloudFormation adapt into one model, so the same infrastructure written in
//! either language must yield the same findings: the same rules, as many times, with the
//! same messages once each Terraform address is replaced by the logical id that names the
//! same resource in the template. Each service has a pair of fixtures under
//! `tests/parity/<service>/{terraform,cloudformation}/` and an address map below; a
//! Terraform address missing from the map fails the test, so the map stays complete.

use std::path::{Path, PathBuf};

use trustmap_engine::{NoProgress, Report, Settings, scan};
use trustmap_model::Language;

fn dir(service: &str, language: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/parity")
        .join(service)
        .join(language)
}

fn run(path: &Path) -> Report {
    let report = scan(&Settings::new(vec![path.to_path_buf()]), &NoProgress).expect("scan");
    let diagnostics: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|(d, _)| d.code != "unsupported")
        .map(|(d, _)| format!("{} {:?}: {}", d.code, d.path, d.message))
        .collect();
    assert!(
        diagnostics.is_empty(),
        "{}: {diagnostics:#?}",
        path.display()
    );
    report
}

/// `(rule id, resource, message)` of every finding of a rule that reads the model for both
/// languages (not, say, the secret scanner, which reads text), sorted.
fn findings(report: &Report) -> Vec<(String, String, String)> {
    let both = |langs: &[Language]| {
        langs.contains(&Language::Terraform) && langs.contains(&Language::CloudFormation)
    };
    let mut out: Vec<_> = report
        .findings
        .iter()
        .filter(|f| both(f.finding.rule.languages))
        .map(|f| {
            (
                f.finding.rule.id.to_string(),
                f.finding.resource.clone(),
                f.finding.message.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Replaces each mapped Terraform address, as a resource and inside backticks in messages.
fn translate(
    findings: Vec<(String, String, String)>,
    map: &[(&str, &str)],
) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = findings
        .into_iter()
        .map(|(rule, resource, message)| {
            let resource = map.iter().find(|(tf, _)| *tf == resource).map_or_else(
                || panic!("Terraform address `{resource}` ({rule}) is not in the map"),
                |(_, cfn)| (*cfn).to_string(),
            );
            let message = map.iter().fold(message, |m, (tf, cfn)| {
                m.replace(&format!("`{tf}`"), &format!("`{cfn}`"))
            });
            (rule, resource, message)
        })
        .collect();
    out.sort();
    out
}

fn assert_parity(service: &str, map: &[(&str, &str)]) {
    let tf = findings(&run(&dir(service, "terraform")));
    let cfn = findings(&run(&dir(service, "cloudformation")));
    assert!(
        !tf.is_empty(),
        "{service}: the fixtures should have findings"
    );
    let tf = translate(tf, map);
    if tf != cfn {
        let only = |a: &[(String, String, String)], b: &[(String, String, String)]| {
            a.iter()
                .filter(|x| !b.contains(x))
                .map(|(r, res, m)| format!("  {r} {res}: {m}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{service}: Terraform and CloudFormation disagree\nonly in Terraform:\n{}\nonly in CloudFormation:\n{}",
            only(&tf, &cfn),
            only(&cfn, &tf)
        );
    }
}

#[test]
fn s3_parity() {
    assert_parity(
        "s3",
        &[
            ("aws_s3_bucket.reports", "ReportsBucket"),
            ("aws_s3_bucket_acl.reports", "ReportsBucket"),
            ("aws_s3_bucket.logs", "LogsBucket"),
            ("aws_s3_bucket_public_access_block.logs", "LogsBucket"),
            (
                "aws_s3_bucket_server_side_encryption_configuration.logs",
                "LogsBucket",
            ),
            ("aws_s3_bucket.site", "SiteBucket"),
            ("aws_s3_bucket_public_access_block.site", "SiteBucket"),
            ("aws_s3_bucket_logging.site", "SiteBucket"),
            (
                "aws_s3_bucket_server_side_encryption_configuration.site",
                "SiteBucket",
            ),
            ("aws_s3_bucket_policy.site", "SiteBucketPolicy"),
        ],
    );
}

#[test]
fn iam_parity() {
    assert_parity(
        "iam",
        &[
            ("aws_iam_role.ops", "OpsRole"),
            ("aws_iam_policy.deployer", "DeployerPolicy"),
            ("aws_iam_user.ci", "CiUser"),
            ("aws_iam_user_policy_attachment.ci", "DeployerPolicy"),
            ("aws_iam_access_key.ci", "CiAccessKey"),
            ("aws_iam_openid_connect_provider.github", "GitHubOidc"),
            ("aws_iam_role.deploy", "DeployRole"),
        ],
    );
}

#[test]
fn ec2_parity() {
    assert_parity(
        "ec2",
        &[
            ("aws_instance.web", "WebInstance"),
            ("aws_launch_template.workers", "WorkersTemplate"),
            ("aws_launch_template.hardened", "HardenedTemplate"),
            ("aws_security_group.bastion", "BastionSecurityGroup"),
            ("aws_security_group_rule.all", "AllTrafficIngress"),
            ("aws_security_group.web", "WebSecurityGroup"),
        ],
    );
}

#[test]
fn lambda_parity() {
    assert_parity(
        "lambda",
        &[
            ("aws_iam_role.fn", "FunctionRole"),
            ("aws_lambda_function.api", "ApiFunction"),
            ("aws_lambda_function_url.api", "ApiFunctionUrl"),
            ("aws_lambda_permission.uploads", "UploadsPermission"),
        ],
    );
}
