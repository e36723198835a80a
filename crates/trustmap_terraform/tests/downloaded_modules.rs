//! Registry and git modules downloaded by `terraform init`, found through
//! `.terraform/modules/modules.json`.

mod common;

use common::scan;
use trustmap_source::ViaKind;

const ROOT: &str = r#"
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  name    = "prod"
}

module "app" {
  source = "git::https://example.com/platform.git//modules/web?ref=v1"
  count  = 2
  vpc_id = module.vpc.vpc_id
}

module "later" {
  source = "example/not-downloaded/aws"
}
"#;

const MANIFEST: &str = r#"{"Modules":[
  {"Key":"","Source":"","Dir":"."},
  {"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"},
  {"Key":"vpc.flow","Source":"./modules/flow","Dir":".terraform/modules/vpc/modules/flow"},
  {"Key":"app","Source":"git::https://example.com/platform.git//modules/web?ref=v1","Dir":".terraform/modules/app/modules/web"}
]}"#;

const VPC: &str = r#"
variable "name" {}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = var.name, Module = path.module }
}

module "flow" {
  source = "./modules/flow"
  vpc_id = aws_vpc.this.id
}

output "vpc_id" { value = aws_vpc.this.id }
"#;

const FLOW: &str = r#"
variable "vpc_id" {}

resource "aws_flow_log" "this" {
  vpc_id       = var.vpc_id
  traffic_type = "ALL"
}
"#;

const WEB: &str = r#"
variable "vpc_id" {}

resource "aws_security_group" "web" {
  vpc_id = var.vpc_id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

fn project() -> common::Scan {
    scan(&[
        ("infra/main.tf", ROOT),
        ("infra/.terraform/modules/modules.json", MANIFEST),
        ("infra/.terraform/modules/vpc/main.tf", VPC),
        ("infra/.terraform/modules/vpc/modules/flow/main.tf", FLOW),
        ("infra/.terraform/modules/app/modules/web/main.tf", WEB),
    ])
}

#[test]
fn downloaded_modules_are_evaluated_through_their_calls() {
    let s = project();
    assert_eq!(
        s.addresses(),
        [
            "module.vpc.aws_vpc.this",
            "module.vpc.module.flow.aws_flow_log.this",
            "module.app[0].aws_security_group.web",
            "module.app[1].aws_security_group.web",
        ]
    );
    let vpc = s.attr("module.vpc.aws_vpc.this", "tags");
    assert_eq!(vpc.get("Name").and_then(|n| n.as_str()), Some("prod"));
    // `path.module` is where Terraform itself would see the module.
    assert_eq!(
        vpc.get("Module").and_then(|n| n.as_str()),
        Some(".terraform/modules/vpc")
    );
    // Outputs flow between downloaded modules and back through the caller.
    let sg = s.attr("module.app[1].aws_security_group.web", "vpc_id");
    assert_eq!(sg.as_ref_target(), Some(("module.vpc.aws_vpc.this", "id")));
    let flow = s.attr("module.vpc.module.flow.aws_flow_log.this", "vpc_id");
    assert_eq!(
        flow.as_ref_target(),
        Some(("module.vpc.aws_vpc.this", "id"))
    );
}

#[test]
fn findings_in_downloaded_modules_point_at_their_files_and_name_the_calls() {
    let s = project();
    let r = s.resource("module.vpc.module.flow.aws_flow_log.this");
    assert_eq!(
        s.at(r.span),
        "infra/.terraform/modules/vpc/modules/flow/main.tf:4"
    );
    let calls: Vec<(String, String)> = r
        .via
        .iter()
        .map(|v| match &v.kind {
            ViaKind::ModuleCall { name } => (name.clone(), s.at(v.span)),
            other => panic!("unexpected hop {other:?}"),
        })
        .collect();
    assert_eq!(
        calls,
        [
            (
                "flow".to_string(),
                "infra/.terraform/modules/vpc/main.tf:9".to_string()
            ),
            ("vpc".to_string(), "infra/main.tf:2".to_string()),
        ]
    );
    let ingress = s.attr("module.app[0].aws_security_group.web", "ingress");
    let cidr = ingress.as_seq().unwrap()[0].get("cidr_blocks").unwrap();
    assert_eq!(
        s.at(cidr.span),
        "infra/.terraform/modules/app/modules/web/main.tf:10"
    );
}

#[test]
fn calls_missing_from_the_manifest_stay_unsupported() {
    let s = project();
    let unsupported: Vec<&str> = s
        .out
        .diagnostics
        .iter()
        .filter(|d| d.code == "unsupported")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unsupported.len(), 1, "{:?}", s.out.diagnostics);
    assert!(unsupported[0].contains("not listed in .terraform/modules/modules.json"));
    assert_eq!(s.codes(), ["unsupported"]);
}

#[test]
fn a_listed_directory_without_files_is_diagnosed() {
    let s = scan(&[
        (
            "main.tf",
            "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n",
        ),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"vpc","Source":"x","Dir":".terraform/modules/vpc"}]}"#,
        ),
    ]);
    assert!(s.out.resources.is_empty());
    assert!(
        s.has_diag("evaluation", "was downloaded to .terraform/modules/vpc"),
        "{:?}",
        s.out.diagnostics
    );
}

#[test]
fn a_broken_manifest_is_a_parse_error_and_calls_stay_unsupported() {
    let s = scan(&[
        (
            "main.tf",
            "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n",
        ),
        (".terraform/modules/modules.json", "{\"Modules\": ["),
        (
            ".terraform/modules/vpc/main.tf",
            "resource \"aws_vpc\" \"v\" {}\n",
        ),
    ]);
    assert!(s.out.resources.is_empty(), "{:?}", s.addresses());
    assert!(s.codes().contains(&"parse-error"));
    assert!(s.has_diag("unsupported", "was not downloaded"));
}
