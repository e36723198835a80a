//! End-to-end Terraform: the real binary on a multi-module platform (tests/e2e/terraform-platform),
//! and on repositories with downloaded modules and plan files (built in temporary directories,
//! so no `.terraform/` directory is committed).

use std::path::{Path, PathBuf};

mod common;

use common::{Row, e2e_dir, owned, rows_where};
use serde_json::Value;

fn platform() -> PathBuf {
    e2e_dir("terraform-platform")
}

fn scan_json(dir: &Path) -> (Value, i32) {
    common::scan_json(dir, &["--rule", RULES])
}

fn summary(json: &Value) -> Vec<Row> {
    rows_where(json, |_| true)
}

/// The rules this file asserts on: the findings of other rules may change as rules are added.
const RULES: &str = "security-group-admin-port-open-to-world,security-group-all-ports-open-to-world,\
s3-bucket-public-acl,s3-bucket-public-access-block-missing,s3-bucket-unencrypted,s3-bucket-policy-public,\
iam-oidc-trust-without-subject-condition,iam-admin-policy-attached,iam-policy-wildcard-action,\
iam-policy-sensitive-action-on-all-resources,iam-role-trust-any-principal,lambda-env-plaintext-secret,\
lambda-function-url-without-auth,ec2-imdsv1-allowed";

fn errors(json: &Value) -> Vec<String> {
    json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| format!("{} {}: {}", e["code"], e["path"], e["message"]))
        .collect()
}

/// The `related` notes of the finding of `rule` on `resource`.
fn related(json: &Value, rule: &str, resource: &str) -> Vec<(String, u64, String)> {
    let f = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_name"] == rule && f["resource"] == resource)
        .unwrap_or_else(|| panic!("no {rule} finding on {resource}"));
    f["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or_default().to_string(),
                r["start_line"].as_u64().unwrap_or_default(),
                r["note"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_platform_reports_exactly_its_planted_findings() {
    let (json, code) = scan_json(&platform());
    assert_eq!(code, 1);
    assert_eq!(errors(&json), Vec::<String>::new());
    let orders = r#"module.app.module.service["orders"].module.function"#;
    let expect = [
        // Three modules deep (app → service → function), one instance of a for_each.
        (
            "lambda-function-url-without-auth",
            "modules/app/service/function/main.tf",
            46,
            &*format!("{orders}.aws_lambda_function_url.this[0]"),
        ),
        // The secret is written in terraform.tfvars; it enters the environment map here.
        (
            "lambda-env-plaintext-secret",
            "modules/app/service/main.tf",
            42,
            &*format!("{orders}.aws_lambda_function.this"),
        ),
        // for_each over a `for` expression that drops disabled buckets (`scratch`).
        (
            "s3-bucket-public-acl",
            "modules/data/main.tf",
            29,
            r#"module.data.aws_s3_bucket_acl.this["exports"]"#,
        ),
        (
            "s3-bucket-public-access-block-missing",
            "modules/data/main.tf",
            35,
            r#"module.data.aws_s3_bucket_public_access_block.this["exports"]"#,
        ),
        (
            "s3-bucket-public-access-block-missing",
            "modules/data/main.tf",
            37,
            r#"module.data.aws_s3_bucket_public_access_block.this["exports"]"#,
        ),
        // The trust document is a data source per repository; the sandbox has no `sub` pin.
        (
            "iam-oidc-trust-without-subject-condition",
            "modules/iam/main.tf",
            26,
            r#"module.iam.aws_iam_role.deploy["acme/sandbox"]"#,
        ),
        // `data "aws_iam_policy" "admin" { name = "AdministratorAccess" }`, resolved by name.
        (
            "iam-admin-policy-attached",
            "modules/iam/main.tf",
            71,
            "module.iam.aws_iam_role_policy_attachment.sandbox_admin",
        ),
        // Terraform JSON syntax: the line of the JSON value.
        (
            "security-group-admin-port-open-to-world",
            "monitoring.tf.json",
            14,
            "aws_security_group.monitoring",
        ),
        // `0.0.0.0/0` is written in terraform.tfvars and reaches a dynamic block's iterator.
        (
            "security-group-admin-port-open-to-world",
            "terraform.tfvars",
            5,
            "module.network.aws_security_group.bastion",
        ),
    ];
    assert_eq!(summary(&json), owned(&expect));

    // The innermost finding names the whole chain of module calls that instantiated it.
    let chain: Vec<(String, u64, String)> = related(
        &json,
        "lambda-function-url-without-auth",
        &format!("{orders}.aws_lambda_function_url.this[0]"),
    )
    .into_iter()
    .filter(|(_, _, note)| note.starts_with("instantiated by"))
    .collect();
    assert_eq!(
        chain,
        [
            (
                "modules/app/service/main.tf".to_string(),
                33,
                "instantiated by module call `function`".to_string()
            ),
            (
                "modules/app/main.tf".to_string(),
                21,
                "instantiated by module call `service`".to_string()
            ),
            (
                "main.tf".to_string(),
                31,
                "instantiated by module call `app`".to_string()
            ),
        ]
    );
    // The plaintext secret points back to the tfvars line that wrote it.
    let secret = related(
        &json,
        "lambda-env-plaintext-secret",
        &format!("{orders}.aws_lambda_function.this"),
    );
    assert!(
        secret.contains(&(
            "terraform.tfvars".to_string(),
            19,
            "value comes from variable `config`".to_string()
        )),
        "{secret:#?}"
    );
}

/// Writes `files` under a new temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

const SG_MODULE: &str = r#"variable "name" {}
variable "ingress_cidrs" { type = list(string) }

resource "aws_security_group" "this" {
  name = var.name
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.ingress_cidrs
  }
}
"#;

const ROOT: &str = r#"module "admin_sg" {
  source        = "terraform-aws-modules/security-group/aws"
  version       = "5.1.0"
  name          = "admin"
  ingress_cidrs = ["0.0.0.0/0"]
}

variable "acl" {}

resource "aws_s3_bucket_acl" "site" {
  bucket = "acme-site"
  acl    = var.acl
}
"#;

const MANIFEST: &str = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"admin_sg","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Version":"5.1.0","Dir":".terraform/modules/admin_sg"}]}"#;

/// What `terraform show -json` prints for the plan of `ROOT` with `acl = "public-read"`.
const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.7.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket_acl.site",
          "mode": "managed",
          "type": "aws_s3_bucket_acl",
          "name": "site",
          "values": { "bucket": "acme-site", "acl": "public-read", "expected_bucket_owner": null }
        }
      ]
    }
  },
  "resource_changes": [
    {
      "address": "aws_s3_bucket_acl.site",
      "mode": "managed",
      "type": "aws_s3_bucket_acl",
      "name": "site",
      "change": { "actions": ["create"], "after_unknown": { "id": true } }
    }
  ]
}
"#;

#[test]
fn downloaded_modules_and_plans_are_scanned_at_their_source_lines() {
    let dir = tree(&[
        ("infra/main.tf", ROOT),
        // `.terraform/` is usually git-ignored; the downloaded modules are read anyway.
        ("infra/.gitignore", ".terraform/\n"),
        ("infra/.terraform/modules/modules.json", MANIFEST),
        ("infra/.terraform/modules/admin_sg/main.tf", SG_MODULE),
        // Not listed in the manifest: never read.
        ("infra/.terraform/modules/stale/main.tf", SG_MODULE),
        ("infra/plan.json", PLAN),
    ]);
    let (json, code) = scan_json(dir.path());
    assert_eq!(code, 1);
    assert_eq!(errors(&json), Vec::<String>::new());
    let expect = [
        // Inside the registry module as `terraform init` downloaded it, at the module's line.
        (
            "security-group-admin-port-open-to-world",
            "infra/.terraform/modules/admin_sg/main.tf",
            10,
            "module.admin_sg.aws_security_group.this",
        ),
        // The value the plan knows, at the `.tf` line that sets it.
        (
            "s3-bucket-public-acl",
            "infra/main.tf",
            12,
            "aws_s3_bucket_acl.site",
        ),
    ];
    assert_eq!(summary(&json), owned(&expect));
    let hops = related(
        &json,
        "security-group-admin-port-open-to-world",
        "module.admin_sg.aws_security_group.this",
    );
    // The calling module block is named, and the value leads back to the call argument.
    assert!(
        hops.contains(&(
            "infra/main.tf".to_string(),
            1,
            "instantiated by module call `admin_sg`".to_string()
        )),
        "{hops:#?}"
    );
    assert!(
        hops.iter()
            .any(|(p, l, note)| p == "infra/main.tf" && *l == 5 && note.contains("ingress_cidrs")),
        "{hops:#?}"
    );
}

#[test]
fn a_plan_alone_is_scanned_at_its_json_lines() {
    let dir = tree(&[("plan.json", PLAN), ("package.json", r#"{"name": "web"}"#)]);
    let (json, code) = scan_json(dir.path());
    assert_eq!(code, 1);
    assert_eq!(errors(&json), Vec::<String>::new());
    assert_eq!(
        summary(&json),
        owned(&[(
            "s3-bucket-public-acl",
            "plan.json",
            12,
            "aws_s3_bucket_acl.site"
        )])
    );
}

#[test]
fn without_a_manifest_remote_modules_stay_unsupported() {
    let dir = tree(&[("main.tf", ROOT)]);
    let (json, _) = scan_json(dir.path());
    let errs = errors(&json);
    assert!(
        errs.iter()
            .any(|e| e.contains("unsupported") && e.contains("was not downloaded")),
        "{errs:#?}"
    );
}
