//! Deep module trees, `for_each` over `for` expressions, and module instances whose outputs
//! flow back into the caller.

mod common;

use common::scan;
use serde_json::json;
use trustmap_source::ViaKind;

const ROOT: &str = r#"
variable "teams" {
  default = {
    data = { public = true }
    web  = { public = false }
  }
}

module "platform" {
  source = "./modules/platform"
  teams  = var.teams
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = module.platform.buckets["data"]
}
"#;

const PLATFORM: &str = r#"
variable "teams" {}

module "service" {
  source   = "../service"
  for_each = { for name, t in var.teams : name => t }
  name     = each.key
  public   = each.value.public
}

output "buckets" {
  value = { for k, m in module.service : k => m.bucket_name }
}
"#;

const SERVICE: &str = r#"
variable "name" {}
variable "public" {}

module "bucket" {
  source = "../bucket"
  name   = "acme-${var.name}"
  acl    = var.public ? "public-read" : "private"
}

output "bucket_name" { value = module.bucket.name }
"#;

const BUCKET: &str = r#"
variable "name" {}
variable "acl" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_acl" "this" {
  bucket = aws_s3_bucket.this.id
  acl    = var.acl
}

output "name" { value = aws_s3_bucket.this.bucket }
"#;

fn three_levels() -> common::Scan {
    scan(&[
        ("main.tf", ROOT),
        ("modules/platform/main.tf", PLATFORM),
        ("modules/service/main.tf", SERVICE),
        ("modules/bucket/main.tf", BUCKET),
    ])
}

#[test]
fn a_value_in_the_innermost_of_three_modules_names_the_whole_call_chain() {
    let s = three_levels();
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    let acl_address =
        r#"module.platform.module.service["data"].module.bucket.aws_s3_bucket_acl.this"#;
    assert_eq!(
        s.addresses(),
        [
            "aws_s3_bucket_policy.exports",
            r#"module.platform.module.service["data"].module.bucket.aws_s3_bucket.this"#,
            acl_address,
            r#"module.platform.module.service["web"].module.bucket.aws_s3_bucket.this"#,
            r#"module.platform.module.service["web"].module.bucket.aws_s3_bucket_acl.this"#,
        ]
    );
    let r = s.resource(acl_address);
    assert_eq!(s.at(r.span), "modules/bucket/main.tf:9");
    let chain: Vec<(String, String)> = r
        .via
        .iter()
        .map(|v| match &v.kind {
            ViaKind::ModuleCall { name } => (name.clone(), s.at(v.span)),
            other => panic!("unexpected hop {other:?}"),
        })
        .collect();
    assert_eq!(
        chain,
        [
            (
                "bucket".to_string(),
                "modules/service/main.tf:5".to_string()
            ),
            (
                "service".to_string(),
                "modules/platform/main.tf:4".to_string()
            ),
            ("platform".to_string(), "main.tf:9".to_string()),
        ]
    );
    // The value is located at its use in the innermost module; its hops lead to where it
    // was written, in the middle module's call.
    let acl = s.attr(acl_address, "acl");
    assert_eq!(acl.as_str(), Some("public-read"));
    assert_eq!(s.at(acl.span), "modules/bucket/main.tf:11");
    let hops: Vec<String> = acl.via.iter().map(|v| v.describe()).collect();
    assert_eq!(hops, ["variable `acl`", "module call `bucket`"]);
    assert_eq!(s.text(acl.via[0].span), "\"public-read\"");
    // A value passed down unchanged keeps a hop per level, back to the root's default.
    let bucket = s.attr(
        r#"module.platform.module.service["data"].module.bucket.aws_s3_bucket.this"#,
        "bucket",
    );
    assert_eq!(bucket.as_str(), Some("acme-data"));
    let hops: Vec<(String, String)> = bucket
        .via
        .iter()
        .map(|v| (v.describe(), s.at(v.span)))
        .collect();
    let expected = [
        ("variable `name`", "modules/service/main.tf:7"),
        ("module call `bucket`", "modules/service/main.tf:5"),
        ("variable `name`", "modules/platform/main.tf:7"),
        ("module call `service`", "modules/platform/main.tf:4"),
        // The `for_each` key, written in the root variable's default.
        ("each.key", "main.tf:4"),
    ];
    assert_eq!(hops, expected.map(|(a, b)| (a.to_string(), b.to_string())));
}

#[test]
fn module_outputs_flow_back_up_three_levels() {
    let s = three_levels();
    let bucket = s.attr("aws_s3_bucket_policy.exports", "bucket");
    assert_eq!(bucket.as_str(), Some("acme-data"));
    assert_eq!(s.text(bucket.span), "module.platform.buckets[\"data\"]");
}

#[test]
fn for_each_over_for_expressions() {
    let s = scan(&[(
        "main.tf",
        r#"
variable "buckets" {
  default = [
    { name = "logs", enabled = true, versioned = false },
    { name = "tmp", enabled = false, versioned = false },
    { name = "assets", enabled = true, versioned = true },
  ]
}
locals {
  names = ["a", "b", "a"]
}
resource "aws_s3_bucket" "b" {
  for_each = { for b in var.buckets : b.name => b if b.enabled }
  bucket   = "acme-${each.key}"
  tags     = { Versioned = tostring(each.value.versioned) }
}
resource "aws_sns_topic" "t" {
  for_each = toset([for n in local.names : upper(n)])
  name     = each.value
}
resource "aws_s3_bucket_versioning" "v" {
  for_each = { for k, b in aws_s3_bucket.b : k => b if var.buckets[2].versioned && k == "assets" }
  bucket   = each.value.id
}
"#,
    )]);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    assert_eq!(
        s.addresses(),
        [
            r#"aws_s3_bucket.b["assets"]"#,
            r#"aws_s3_bucket.b["logs"]"#,
            r#"aws_sns_topic.t["A"]"#,
            r#"aws_sns_topic.t["B"]"#,
            r#"aws_s3_bucket_versioning.v["assets"]"#,
        ]
    );
    assert_eq!(
        s.json(r#"aws_s3_bucket.b["assets"]"#),
        json!({"bucket": "acme-assets", "tags": {"Versioned": "true"}})
    );
    // `each.value` of a for_each over resource instances is a reference to the instance.
    assert_eq!(
        s.attr(r#"aws_s3_bucket_versioning.v["assets"]"#, "bucket")
            .as_ref_target(),
        Some((r#"aws_s3_bucket.b["assets"]"#, "id"))
    );
    // The for_each key's value points at the element of the list it came from.
    let bucket = s.attr(r#"aws_s3_bucket.b["logs"]"#, "bucket");
    assert_eq!(s.at(bucket.span), "main.tf:14");
}

#[test]
fn module_count_and_for_each_outputs_flow_into_the_caller() {
    let s = scan(&[
        (
            "main.tf",
            r#"
module "replica" {
  source = "./bucket"
  count  = 2
  name   = "replica-${count.index}"
}
module "team" {
  source   = "./bucket"
  for_each = toset(["data", "web"])
  name     = "team-${each.key}"
}
resource "aws_s3_bucket_replication_configuration" "r" {
  bucket      = module.replica[1].name
  all_names   = module.replica[*].name
  team_names  = [for k, m in module.team : m.name]
  team_arns   = values(module.team)[*].arn
  data_bucket = module.team["data"].name
  count_seen  = length(module.replica)
}
"#,
        ),
        (
            "bucket/main.tf",
            r#"
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = var.name }
output "name" { value = aws_s3_bucket.this.bucket }
output "arn"  { value = aws_s3_bucket.this.arn }
"#,
        ),
    ]);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    let r = "aws_s3_bucket_replication_configuration.r";
    assert_eq!(
        s.json(r),
        json!({
            "bucket": "replica-1",
            "all_names": ["replica-0", "replica-1"],
            "team_names": ["team-data", "team-web"],
            "team_arns": [null, null],
            "data_bucket": "team-data",
            "count_seen": 2,
        })
    );
    let arns = s.attr(r, "team_arns").as_seq().unwrap();
    assert_eq!(
        arns[1].as_ref_target(),
        Some((r#"module.team["web"].aws_s3_bucket.this"#, "arn"))
    );
    // The value from an output of a counted module is located at its use in the caller.
    let bucket = s.attr(r, "bucket");
    assert_eq!(s.text(bucket.span), "module.replica[1].name");
}
