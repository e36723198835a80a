//! Module discovery, module calls, instance addresses and provenance through modules.

mod common;

use common::scan;
use trustmap_source::ViaKind;
use trustmap_syntax::NodeKind;

const ROOT: &str = r#"
module "web" {
  source   = "./modules/site"
  for_each = { a = "alpha", b = "beta" }
  name     = each.value
}
"#;

const SITE: &str = r#"
variable "name" {}

module "store" {
  source = "../store"
  count  = 2
  prefix = "${var.name}-${count.index}"
}

output "first_bucket" { value = module.store[0].bucket }
"#;

const STORE: &str = r#"
variable "prefix" { type = string }

resource "aws_s3_bucket" "b" {
  count  = 1
  bucket = "${var.prefix}-logs"
}

output "bucket" { value = aws_s3_bucket.b[0].bucket }
output "arn"    { value = aws_s3_bucket.b[0].arn }
"#;

#[test]
fn nested_module_instances_have_terraform_addresses() {
    let s = scan(&[
        ("main.tf", ROOT),
        ("modules/site/main.tf", SITE),
        ("modules/store/main.tf", STORE),
    ]);
    assert_eq!(
        s.addresses(),
        [
            r#"module.web["a"].module.store[0].aws_s3_bucket.b[0]"#,
            r#"module.web["a"].module.store[1].aws_s3_bucket.b[0]"#,
            r#"module.web["b"].module.store[0].aws_s3_bucket.b[0]"#,
            r#"module.web["b"].module.store[1].aws_s3_bucket.b[0]"#,
        ]
    );
    let r = s.resource(r#"module.web["b"].module.store[1].aws_s3_bucket.b[0]"#);
    assert_eq!(
        r.body.get("bucket").and_then(|n| n.as_str()),
        Some("beta-1-logs")
    );
    assert_eq!(
        (r.mode, r.rtype.as_str(), r.name.as_str()),
        (trustmap_terraform::Mode::Managed, "aws_s3_bucket", "b")
    );
    // One module-call hop per level, innermost first, each spanning its module block.
    let hops: Vec<(String, String)> = r
        .via
        .iter()
        .map(|v| match &v.kind {
            ViaKind::ModuleCall { name } => (name.clone(), s.at(v.span)),
            other => panic!("unexpected hop {other:?}"),
        })
        .collect();
    assert_eq!(
        hops,
        [
            ("store".to_string(), "modules/site/main.tf:4".to_string()),
            ("web".to_string(), "main.tf:2".to_string()),
        ]
    );
    assert!(s.text(r.via[1].span).starts_with("module \"web\" {"));
    assert_eq!(s.at(r.span), "modules/store/main.tf:4");
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
}

#[test]
fn called_directories_are_not_roots() {
    let s = scan(&[
        ("main.tf", ROOT),
        ("modules/site/main.tf", SITE),
        ("modules/store/main.tf", STORE),
    ]);
    // The store module's resources exist only through the calls (4 instances), never as
    // a root of their own (which would add an `aws_s3_bucket.b[0]` without prefix).
    assert!(s.addresses().iter().all(|a| a.starts_with("module.web[")));
}

#[test]
fn a_module_directory_scanned_alone_is_a_root() {
    let s = scan(&[("modules/store/main.tf", STORE)]);
    assert_eq!(s.addresses(), ["aws_s3_bucket.b[0]"]);
    // `prefix` has no value anywhere: the bucket name is unknown, never guessed.
    assert!(s.attr("aws_s3_bucket.b[0]", "bucket").is_unknown());
}

#[test]
fn module_outputs_resolve_configured_values_and_refs() {
    let s = scan(&[
        (
            "main.tf",
            r#"
module "store" {
  source = "./store"
  prefix = "acme"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = module.store.bucket
  arn    = module.store.arn
}
"#,
        ),
        ("store/main.tf", STORE),
    ]);
    let p = "aws_s3_bucket_policy.p";
    let bucket = s.attr(p, "bucket");
    assert_eq!(bucket.as_str(), Some("acme-logs"));
    assert_eq!(s.text(bucket.span), "module.store.bucket");
    let arn = s.attr(p, "arn");
    assert_eq!(
        arn.kind,
        NodeKind::Ref {
            address: "module.store.aws_s3_bucket.b[0]".into(),
            attribute: "arn".into()
        }
    );
}

#[test]
fn module_inputs_carry_the_call_argument_hop() {
    let s = scan(&[
        (
            "main.tf",
            r#"
variable "acl" {}
module "m" {
  source = "./m"
  acl    = var.acl
}
"#,
        ),
        ("terraform.tfvars", "acl = \"public-read\"\n"),
        (
            "m/main.tf",
            r#"
variable "acl" {}
resource "aws_s3_bucket_acl" "a" {
  acl = var.acl
}
"#,
        ),
    ]);
    let acl = s.attr("module.m.aws_s3_bucket_acl.a", "acl");
    assert_eq!(acl.as_str(), Some("public-read"));
    // The finding points at the line in the module, and the chain names every hop.
    assert_eq!(s.at(acl.span), "m/main.tf:4");
    assert_eq!(s.text(acl.span), "var.acl");
    let hops: Vec<String> = acl
        .via
        .iter()
        .map(|v| format!("{} @ {}", v.describe(), s.at(v.span)))
        .collect();
    assert_eq!(
        hops,
        [
            "variable `acl` @ main.tf:5",
            "module call `m` @ main.tf:3",
            "variable `acl` @ terraform.tfvars:1",
        ]
    );
    assert_eq!(s.text(acl.via[2].span), "\"public-read\"");
}

#[test]
fn remote_modules_are_reported_once_and_not_scanned() {
    let s = scan(&[(
        "main.tf",
        r#"
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  count  = 3
}
module "git" {
  source = "git::https://example.com/mod.git?ref=v1"
}
resource "aws_vpc" "main" { cidr_block = module.vpc[0].vpc_cidr }
"#,
    )]);
    assert_eq!(s.addresses(), ["aws_vpc.main"]);
    assert!(s.attr("aws_vpc.main", "cidr_block").is_unknown());
    let unsupported: Vec<&str> = s
        .out
        .diagnostics
        .iter()
        .filter(|d| d.code == "unsupported")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unsupported.len(), 2, "{unsupported:?}");
    assert!(unsupported[0].contains("\"terraform-aws-modules/vpc/aws\" is not local"));
    let d = s
        .out
        .diagnostics
        .iter()
        .find(|d| d.code == "unsupported")
        .unwrap();
    assert_eq!(d.path.as_deref(), Some("main.tf"));
}

#[test]
fn missing_local_module_is_an_evaluation_diagnostic() {
    let s = scan(&[(
        "main.tf",
        "module \"gone\" {\n  source = \"./nowhere\"\n}\n",
    )]);
    assert!(s.out.resources.is_empty());
    assert!(
        s.has_diag("evaluation", "\"./nowhere\" has no Terraform files"),
        "{:?}",
        s.out.diagnostics
    );
}

#[test]
fn recursive_modules_stop_at_the_depth_limit() {
    let s = scan(&[(
        "main.tf",
        r#"
module "again" { source = "./" }
resource "null_resource" "n" {}
"#,
    )]);
    // Root plus 16 nested levels, then a diagnostic instead of infinite recursion.
    assert_eq!(s.out.resources.len(), 17);
    assert!(s.has_diag("evaluation", "nested more than 16 deep"));
    assert_eq!(
        s.addresses()[2],
        "module.again.module.again.null_resource.n"
    );
}

#[test]
fn each_root_reads_only_its_own_tfvars() {
    let s = scan(&[
        (
            "envs/dev/main.tf",
            "variable \"x\" {}\nresource \"t\" \"r\" { v = var.x }\n",
        ),
        ("envs/dev/terraform.tfvars", "x = \"dev\"\n"),
        (
            "envs/prod/main.tf",
            "variable \"x\" {}\nresource \"t\" \"r\" { v = var.x }\n",
        ),
        ("envs/prod/terraform.tfvars", "x = \"prod\"\n"),
    ]);
    let vals: Vec<(String, Option<String>)> = s
        .out
        .resources
        .iter()
        .map(|r| {
            (
                s.at(r.span),
                r.body.get("v").and_then(|n| n.as_str()).map(String::from),
            )
        })
        .collect();
    assert_eq!(
        vals,
        [
            ("envs/dev/main.tf:2".to_string(), Some("dev".to_string())),
            ("envs/prod/main.tf:2".to_string(), Some("prod".to_string())),
        ]
    );
}

#[test]
fn unknown_module_count_is_checked_once() {
    let s = scan(&[
        (
            "main.tf",
            r#"
data "aws_availability_zones" "az" {}
module "m" {
  source = "./m"
  count  = length(data.aws_availability_zones.az.names)
}
"#,
        ),
        ("m/main.tf", "resource \"aws_subnet\" \"s\" {}\n"),
    ]);
    assert_eq!(
        s.addresses(),
        ["data.aws_availability_zones.az", "module.m.aws_subnet.s"]
    );
    assert!(s.has_diag("evaluation", "count of module.m is unknown; checked once"));
}

#[test]
fn path_references_are_relative() {
    let s = scan(&[
        (
            "live/main.tf",
            "module \"m\" { source = \"../mods/m\" }\nresource \"t\" \"r\" { p = path.module }\n",
        ),
        (
            "mods/m/main.tf",
            "resource \"t\" \"r\" {\n  m = path.module\n  r = path.root\n  w = terraform.workspace\n}\n",
        ),
    ]);
    assert_eq!(s.json("t.r")["p"], ".");
    assert_eq!(
        s.json("module.m.t.r"),
        serde_json::json!({"m": "../mods/m", "r": ".", "w": "default"})
    );
}
