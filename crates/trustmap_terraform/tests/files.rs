//! `file()` and `templatefile()`: reading files of the scanned tree only.

mod common;

use common::scan_tree;
use serde_json::json;
use trustmap_syntax::NodeKind;

fn items(n: &trustmap_syntax::Node) -> &[trustmap_syntax::Node] {
    match &n.kind {
        NodeKind::Seq(items) => items,
        _ => panic!("not a list: {n:?}"),
    }
}

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
"#;

#[test]
fn file_of_a_json_policy_is_json_spanned_in_the_policy_file() {
    let s = scan_tree(&[
        (
            "main.tf",
            r#"
resource "aws_iam_policy" "p" {
  policy = file("${path.module}/policy.json")
}
"#,
        ),
        ("policy.json", POLICY),
    ]);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    let policy = s.attr("aws_iam_policy.p", "policy");
    let NodeKind::Json { text, tree } = &policy.kind else {
        panic!("not JSON: {policy:?}");
    };
    assert_eq!(text, POLICY);
    assert_eq!(s.file_of(policy.span).path, "policy.json");
    assert_eq!(s.text(policy.span), POLICY);
    let stmt = &items(tree.get("Statement").unwrap())[0];
    let action = stmt.get("Action").unwrap();
    assert_eq!(s.at(action.span), "policy.json:6");
    assert_eq!(s.text(action.span), "\"*\"");
    assert_eq!(s.at(stmt.get("Resource").unwrap().span), "policy.json:7");
    assert_eq!(s.out.unknown_values, 0);
}

#[test]
fn file_resolves_against_the_root_module_and_reads_text() {
    let s = scan_tree(&[
        (
            "envs/prod/main.tf",
            r#"
module "app" {
  source = "../../modules/app"
}
resource "t" "root" {
  v = file("../../shared/./motd.txt")
}
"#,
        ),
        (
            "modules/app/main.tf",
            r#"
resource "aws_iam_policy" "p" {
  policy = file("${path.module}/policy.json")
}
"#,
        ),
        ("modules/app/policy.json", POLICY),
        ("shared/motd.txt", "hello\n"),
    ]);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    let v = s.attr("t.root", "v");
    assert_eq!(v.to_json(), json!("hello\n"));
    assert_eq!(s.file_of(v.span).path, "shared/motd.txt");
    let policy = s.attr("module.app.aws_iam_policy.p", "policy");
    assert!(matches!(policy.kind, NodeKind::Json { .. }), "{policy:?}");
    assert_eq!(s.file_of(policy.span).path, "modules/app/policy.json");
}

#[test]
fn templatefile_renders_with_its_vars_only() {
    let s = scan_tree(&[
        (
            "main.tf",
            r#"
variable "bucket" {
  default = "logs"
}
resource "aws_iam_policy" "p" {
  policy = templatefile("${path.module}/policy.json.tftpl", {
    bucket  = var.bucket
    actions = ["s3:GetObject", "s3:PutObject"]
    arn     = aws_s3_bucket.b.arn
  })
}
resource "t" "text" {
  v = templatefile("greeting.tftpl", { names = ["a", "b"] })
}
resource "t" "scoped" {
  v = templatefile("scoped.tftpl", {})
}
resource "aws_s3_bucket" "b" {}
"#,
        ),
        (
            "policy.json.tftpl",
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ${jsonencode(actions)},
      "Resource": "arn:aws:s3:::${bucket}/*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "${arn}"
    }
  ]
}
"#,
        ),
        (
            "greeting.tftpl",
            "%{ for n in names ~}\nhello ${upper(n)}\n%{ endfor ~}\n",
        ),
        ("scoped.tftpl", "${var.bucket}"),
    ]);
    let policy = s.attr("aws_iam_policy.p", "policy");
    let NodeKind::Json { tree, .. } = &policy.kind else {
        panic!("not JSON: {policy:?}");
    };
    assert_eq!(s.file_of(policy.span).path, "policy.json.tftpl");
    let stmts = items(tree.get("Statement").unwrap());
    assert_eq!(
        stmts[0].get("Action").unwrap().to_json(),
        json!(["s3:GetObject", "s3:PutObject"])
    );
    let resource = stmts[0].get("Resource").unwrap();
    assert_eq!(resource.to_json(), json!("arn:aws:s3:::logs/*"));
    assert_eq!(s.at(resource.span), "policy.json.tftpl:7");
    let effect = stmts[1].get("Effect").unwrap();
    assert_eq!(s.text(effect.span), "\"Allow\"");
    assert_eq!(s.at(effect.span), "policy.json.tftpl:10");
    // An unknown variable is an unknown leaf; the rest of the policy stays known.
    assert!(matches!(
        stmts[1].get("Resource").unwrap().kind,
        NodeKind::Ref { .. } | NodeKind::Unknown
    ));
    assert_eq!(s.attr("t.text", "v").to_json(), json!("hello A\nhello B\n"));
    // Only `vars` are in scope: `var.bucket` is an error, so the value is unknown.
    assert!(s.attr("t.scoped", "v").is_unknown());
    assert!(
        s.out
            .diagnostics
            .iter()
            .any(|d| d.code == "evaluation" && d.path.as_deref() == Some("scoped.tftpl")),
        "{:?}",
        s.out.diagnostics
    );
}

#[test]
fn paths_escaping_the_root_are_unknown() {
    let s = scan_tree(&[
        (
            "envs/main.tf",
            r#"
resource "t" "r" {
  up      = file("../../secret.txt")
  abs     = file("/etc/passwd")
  home    = file("~/.ssh/id_rsa")
  tmpl    = templatefile("../../x.tftpl", {})
}
"#,
        ),
        ("secret.txt", "root level, but the path leaves the scan\n"),
    ]);
    for key in ["up", "abs", "home", "tmpl"] {
        assert!(s.attr("t.r", key).is_unknown(), "{key}");
    }
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
}

#[test]
fn missing_files_are_unknown_with_a_note() {
    let s = scan_tree(&[(
        "main.tf",
        r#"
resource "aws_iam_policy" "p" {
  policy = file("${path.module}/missing.json")
  other  = templatefile("missing.tftpl", { a = 1 })
}
"#,
    )]);
    assert!(s.attr("aws_iam_policy.p", "policy").is_unknown());
    assert!(s.attr("aws_iam_policy.p", "other").is_unknown());
    let notes: Vec<&str> = s
        .out
        .diagnostics
        .iter()
        .filter(|d| d.code == "evaluation")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("missing.json"), "{notes:?}");
}
