//! Variables: precedence, provenance, `--var`, types, locals.

mod common;

use std::sync::Arc;

use common::{files, scan, scan_with};
use trustmap_source::{FileId, SourceFile, ViaKind};
use trustmap_syntax::NodeKind;
use trustmap_terraform::{TfOptions, evaluate};

const VARS: &str = r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "g" { default = "default" }
resource "t" "r" {
  a = var.a
  b = var.b
  c = var.c
  d = var.d
  e = var.e
  f = var.f
  g = var.g
}
"#;

#[test]
fn tfvars_precedence_follows_terraform() {
    let list = [
        ("main.tf", VARS),
        (
            "terraform.tfvars",
            "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\nf = \"tfvars\"\ng = \"tfvars\"\n",
        ),
        (
            "terraform.tfvars.json",
            r#"{"c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json", "f": "tfvars.json", "g": "tfvars.json"}"#,
        ),
        (
            "b.auto.tfvars",
            "e = \"b.auto\"\nf = \"b.auto\"\ng = \"b.auto\"\n",
        ),
        (
            "a.auto.tfvars",
            "d = \"a.auto\"\ne = \"a.auto\"\nf = \"a.auto\"\ng = \"a.auto\"\n",
        ),
        // Not auto-loaded: only --var-file would apply it.
        ("prod.tfvars", "a = \"prod\"\n"),
    ];
    let fs = files(&list);
    let var_file = Arc::new(SourceFile::new(
        FileId(99),
        "extra.tfvars",
        "f = \"var-file\"\ng = \"var-file\"\n",
    ));
    let opts = TfOptions {
        var_files: vec![var_file],
        vars: vec![("g".into(), "cli".into())],
        ..TfOptions::default()
    };
    let out = evaluate(&fs, &opts);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(
        out.resources[0].body.to_json(),
        serde_json::json!({
            "a": "default",
            "b": "tfvars",
            "c": "tfvars.json",
            "d": "a.auto",
            "e": "b.auto",
            "f": "var-file",
            "g": "cli",
        })
    );
}

#[test]
fn a_variable_use_points_at_the_resource_and_names_the_definition() {
    let s = scan(&[
        (
            "main.tf",
            r#"variable "acl" {
  default = "private"
}

resource "aws_s3_bucket_acl" "a" {
  acl = var.acl
}
"#,
        ),
        ("prod.auto.tfvars", "# production\nacl = \"public-read\"\n"),
    ]);
    let acl = s.attr("aws_s3_bucket_acl.a", "acl");
    assert_eq!(acl.as_str(), Some("public-read"));
    assert_eq!(
        (s.at(acl.span), s.text(acl.span)),
        ("main.tf:6".into(), "var.acl")
    );
    assert_eq!(acl.via.len(), 1);
    assert_eq!(acl.via[0].kind, ViaKind::Variable { name: "acl".into() });
    assert_eq!(s.at(acl.via[0].span), "prod.auto.tfvars:2");

    // Without tfvars, the definition is the default.
    let s = scan(&[(
        "main.tf",
        "variable \"acl\" {\n  default = \"private\"\n}\nresource \"x\" \"y\" { acl = var.acl }\n",
    )]);
    let acl = s.attr("x.y", "acl");
    assert_eq!(s.text(acl.via[0].span), "\"private\"");
    assert_eq!(s.at(acl.via[0].span), "main.tf:2");
}

#[test]
fn a_path_into_a_variable_points_at_the_leaf_definition() {
    let s = scan(&[
        (
            "main.tf",
            "variable \"cfg\" {}\nresource \"x\" \"y\" { acl = var.cfg.acl }\n",
        ),
        (
            "terraform.tfvars",
            "cfg = {\n  acl = \"public-read\"\n  other = 1\n}\n",
        ),
    ]);
    let acl = s.attr("x.y", "acl");
    assert_eq!(s.text(acl.span), "var.cfg.acl");
    assert_eq!(s.at(acl.via[0].span), "terraform.tfvars:2");
    assert_eq!(s.text(acl.via[0].span), "\"public-read\"");
}

#[test]
fn a_variable_without_any_value_is_unknown() {
    let s = scan(&[(
        "main.tf",
        "variable \"name\" {\n  type = string\n}\nresource \"x\" \"y\" { n = var.name }\n",
    )]);
    let n = s.attr("x.y", "n");
    assert_eq!(n.kind, NodeKind::Unknown);
    assert_eq!(
        n.via[0].kind,
        ViaKind::Variable {
            name: "name".into()
        }
    );
    assert_eq!(s.out.unknown_values, 1);
}

#[test]
fn cli_vars_parse_as_hcl_or_stay_strings() {
    let opts = TfOptions {
        var_files: Vec::new(),
        vars: vec![
            ("region".into(), "us-east-1".into()),
            ("ids".into(), "[\"a\", \"b\"]".into()),
            ("n".into(), "3".into()),
            ("env".into(), "prod".into()),
        ],
        ..TfOptions::default()
    };
    let s = scan_with(
        &[(
            "main.tf",
            r#"
variable "region" {}
variable "ids" { type = list(string) }
variable "n" { type = string }
variable "env" {}
resource "x" "y" {
  region = var.region
  ids    = var.ids
  n      = var.n
  env    = var.env
}
"#,
        )],
        &opts,
    );
    assert_eq!(
        s.json("x.y"),
        serde_json::json!({"region": "us-east-1", "ids": ["a", "b"], "n": "3", "env": "prod"})
    );
    let region = s.attr("x.y", "region");
    assert!(
        region
            .via
            .iter()
            .any(|v| matches!(&v.kind, ViaKind::Other { note } if note.contains("--var region"))),
        "{:?}",
        region.via
    );
    // The --var value has no file of its own: it is located at the declaration.
    assert_eq!(s.at(region.via[0].span), "main.tf:2");
}

#[test]
fn declared_types_convert_values() {
    let s = scan(&[
        (
            "main.tf",
            r#"
variable "port" { type = number }
variable "on" { type = bool }
variable "names" { type = set(string) }
variable "cfg" {
  type = object({
    name    = string
    public  = optional(bool, false)
    tags    = optional(map(string))
  })
}
resource "x" "y" {
  port  = var.port + 1
  on    = !var.on
  names = var.names
  cfg   = var.cfg
}
"#,
        ),
        (
            "terraform.tfvars",
            "port = \"8080\"\non = \"true\"\nnames = [\"b\", \"a\", \"b\"]\ncfg = { name = \"n\", extra = 1 }\n",
        ),
    ]);
    assert_eq!(
        s.json("x.y"),
        serde_json::json!({
            "port": 8081,
            "on": false,
            "names": ["a", "b"],
            "cfg": {"name": "n", "public": false, "tags": null},
        })
    );
}

#[test]
fn locals_are_lazy_memoized_and_cycle_safe() {
    let s = scan(&[(
        "main.tf",
        r#"
locals {
  a = local.b
  b = "${local.c}-b"
  c = "c"
  loop1 = local.loop2
  loop2 = local.loop1
  unused = local.loop1
}
resource "x" "y" {
  a    = local.a
  loop = local.loop1
}
"#,
    )]);
    let a = s.attr("x.y", "a");
    assert_eq!(a.as_str(), Some("c-b"));
    assert_eq!(s.text(a.span), "local.a");
    assert_eq!(a.via[0].kind, ViaKind::Local { name: "a".into() });
    assert!(s.attr("x.y", "loop").is_unknown());
    assert!(
        s.has_diag("evaluation", "refers to itself"),
        "{:?}",
        s.out.diagnostics
    );
}

#[test]
fn undeclared_references_are_diagnosed_and_unknown() {
    let s = scan(&[(
        "main.tf",
        "resource \"x\" \"y\" {\n  a = var.nope\n  b = local.nope\n  c = \"ok\"\n}\n",
    )]);
    assert!(s.attr("x.y", "a").is_unknown());
    assert!(s.attr("x.y", "b").is_unknown());
    assert_eq!(s.attr("x.y", "c").as_str(), Some("ok"));
    assert!(s.has_diag("evaluation", "undeclared input variable `nope`"));
    let d = s
        .out
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`nope`"))
        .unwrap();
    assert_eq!(d.path.as_deref(), Some("main.tf"));
}
