//! JSON in Terraform: `jsonencode` trees, heredoc/literal JSON, `jsondecode`, and
//! `data "aws_iam_policy_document"`.

mod common;

use common::scan;
use serde_json::json;
use trustmap_syntax::{Node, NodeKind};

fn tree(n: &Node) -> &Node {
    match &n.kind {
        NodeKind::Json { tree, .. } => tree,
        other => panic!("expected a JSON-carrying string, got {other:?}"),
    }
}

#[test]
fn jsonencode_keeps_the_hcl_spans() {
    let s = scan(&[(
        "iam.tf",
        r#"resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = aws_s3_bucket.b.arn
    }]
  })
}
resource "aws_s3_bucket" "b" {}
"#,
    )]);
    let policy = s.attr("aws_iam_policy.admin", "policy");
    let NodeKind::Json { text, .. } = &policy.kind else {
        panic!("not JSON: {policy:?}");
    };
    assert_eq!(
        text,
        r#"{"Statement":[{"Action":"*","Effect":"Allow","Resource":null}],"Version":"2012-10-17"}"#
    );
    let st = &tree(policy).get("Statement").unwrap().as_seq().unwrap()[0];
    let action = st.get("Action").unwrap();
    assert_eq!(action.as_str(), Some("*"));
    assert_eq!(s.at(action.span), "iam.tf:7");
    assert_eq!(s.text(action.span), "\"*\"");
    assert_eq!(s.text(st.entry("Action").unwrap().key_span), "Action");
    assert!(matches!(
        st.get("Resource").unwrap().kind,
        NodeKind::Ref { .. }
    ));
}

#[test]
fn heredoc_and_literal_json_are_decoded_with_spans() {
    let s = scan(&[(
        "main.tf",
        r#"resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
{
  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
}
EOF
  inline = <<-EOT
    {
      "Action": "s3:*"
    }
  EOT
  escaped_policy = "{\"Action\": \"iam:*\"}"
  not_json = "[default]"
}
"#,
    )]);
    let r = "aws_iam_role.r";
    let assume = s.attr(r, "assume_role_policy");
    let principal = tree(assume).path(&["Statement"]).unwrap().as_seq().unwrap()[0]
        .path(&["Principal", "AWS"])
        .unwrap();
    assert_eq!(s.text(principal.span), "\"*\"");
    assert_eq!(s.at(principal.span), "main.tf:4");

    // `<<-` strips indentation, so the value is not verbatim in the file; JSON ignores
    // that indentation, so the spans still point at the exact tokens.
    let inline = s.attr(r, "inline");
    assert_eq!(inline.as_str(), Some("{\n  \"Action\": \"s3:*\"\n}\n"));
    let action = tree(inline).get("Action").unwrap();
    assert_eq!(
        (s.at(action.span), s.text(action.span)),
        ("main.tf:9".into(), "\"s3:*\"")
    );

    // With escapes the text is not in the file: every node points at the literal.
    let escaped = s.attr(r, "escaped_policy");
    let action = tree(escaped).get("Action").unwrap();
    assert_eq!(action.as_str(), Some("iam:*"));
    assert_eq!(s.text(action.span), r#""{\"Action\": \"iam:*\"}""#);

    assert!(matches!(s.attr(r, "not_json").kind, NodeKind::String(_)));
}

#[test]
fn policy_attributes_built_by_templates_are_decoded() {
    let s = scan(&[(
        "main.tf",
        r#"
variable "action" { default = "s3:GetObject" }
resource "aws_iam_role_policy" "p" {
  policy = "{\"Statement\": [{\"Action\": \"${var.action}\"}]}"
  description = "{\"not\": \"decoded\"}x"
}
"#,
    )]);
    let policy = s.attr("aws_iam_role_policy.p", "policy");
    let action = tree(policy).get("Statement").unwrap().as_seq().unwrap()[0]
        .get("Action")
        .unwrap();
    assert_eq!(action.as_str(), Some("s3:GetObject"));
    assert_eq!(s.at(action.span), "main.tf:4");
}

#[test]
fn json_templates_with_unknown_interpolations_stay_readable() {
    let s = scan(&[(
        "main.tf",
        r#"variable "actions" { default = "s3:*" }
resource "aws_s3_bucket" "b" {}
resource "aws_iam_policy" "p" {
  policy = <<-EOF
    {
      "Statement": [{
        "Effect": "Allow",
        "Action": "${var.actions}",
        "Resource": ["${aws_s3_bucket.b.arn}", "${aws_s3_bucket.b.arn}/*"],
        "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ${data.x.y.age}}}
      }]
    }
  EOF
}
data "x" "y" {}
"#,
    )]);
    let policy = s.attr("aws_iam_policy.p", "policy");
    let NodeKind::Json { text, .. } = &policy.kind else {
        panic!("not JSON: {policy:?}");
    };
    assert!(
        text.contains("\"Resource\": [\"(known after apply)\""),
        "{text}"
    );
    let st = &tree(policy).get("Statement").unwrap().as_seq().unwrap()[0];
    let effect = st.get("Effect").unwrap();
    assert_eq!(
        (s.at(effect.span), s.text(effect.span)),
        ("main.tf:7".into(), "\"Allow\"")
    );
    // A known interpolation keeps its value, its span in the heredoc and its provenance.
    let action = st.get("Action").unwrap();
    assert_eq!(action.as_str(), Some("s3:*"));
    assert_eq!(s.text(action.span), "\"${var.actions}\"");
    assert!(
        matches!(&action.via[0].kind, trustmap_source::ViaKind::Variable { name } if name == "actions")
    );
    // An interpolation that is the whole string becomes the reference; a partial one a
    // template of its text and reference.
    let resources = st.get("Resource").unwrap().as_seq().unwrap();
    assert_eq!(
        resources[0].kind,
        NodeKind::Ref {
            address: "aws_s3_bucket.b".into(),
            attribute: "arn".into()
        }
    );
    assert_eq!(s.at(resources[0].span), "main.tf:9");
    assert_eq!(
        resources[1].kind,
        NodeKind::Template(vec![
            trustmap_syntax::Part::Ref {
                address: "aws_s3_bucket.b".into(),
                attribute: "arn".into()
            },
            trustmap_syntax::Part::Text("/*".into()),
        ])
    );
    assert!(resources[1].is_unknown());
    let age = st
        .path(&["Condition", "NumericLessThan", "aws:MultiFactorAuthAge"])
        .unwrap();
    assert!(age.is_unknown());
    assert_eq!(s.text(age.span), "data.x.y.age");
}

#[test]
fn jsondecode_of_a_heredoc_keeps_file_spans() {
    let s = scan(&[(
        "main.tf",
        r#"locals {
  doc = jsondecode(<<EOF
{"Statement": [{"Action": "ec2:*"}]}
EOF
  )
}
resource "x" "y" { action = local.doc.Statement[0].Action }
"#,
    )]);
    let a = s.attr("x.y", "action");
    assert_eq!(a.as_str(), Some("ec2:*"));
    assert_eq!(s.text(a.span), "local.doc.Statement[0].Action");
    assert_eq!(s.text(a.via[0].span), "\"ec2:*\"");
    assert_eq!(s.at(a.via[0].span), "main.tf:3");
}

const POLICY_DOC: &str = r#"data "aws_iam_policy_document" "p" {
  statement {
    sid       = "Admin"
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    effect  = "Deny"
    actions = ["s3:DeleteBucket", "s3:DeleteObject"]
    not_resources = [aws_s3_bucket.keep.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-123"]
    }
  }
  dynamic "statement" {
    for_each = ["sqs", "sns"]
    content {
      actions   = ["${statement.value}:*"]
      resources = ["*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }
}
resource "aws_s3_bucket" "keep" {}
resource "aws_iam_policy" "admin" {
  policy = data.aws_iam_policy_document.p.json
}
"#;

#[test]
fn policy_documents_render_iam_json_with_hcl_spans() {
    let s = scan(&[("policy.tf", POLICY_DOC)]);
    let doc = s.attr("data.aws_iam_policy_document.p", "json");
    insta::assert_json_snapshot!("policy_document", tree(doc).to_json());
    let NodeKind::Json { text, .. } = &doc.kind else {
        unreachable!()
    };
    let parsed: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        parsed["Statement"][0],
        json!({"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"})
    );

    let statements = tree(doc).get("Statement").unwrap().as_seq().unwrap();
    let admin = &statements[0];
    let action = admin.get("Action").unwrap();
    assert_eq!(
        (s.at(action.span), s.text(action.span)),
        ("policy.tf:4".into(), "\"*\"")
    );
    assert_eq!(s.text(admin.entry("Action").unwrap().key_span), "actions");
    // The default effect is located at the statement block that omitted it.
    let effect = admin.get("Effect").unwrap();
    assert_eq!(effect.as_str(), Some("Allow"));
    assert!(s.text(effect.span).starts_with("statement {"));
    // Principals of one type merge; condition values keep their spans.
    let deny = &statements[1];
    let aws = deny.path(&["Principal", "AWS"]).unwrap().as_seq().unwrap();
    assert_eq!(aws.len(), 2);
    assert_eq!(s.at(aws[1].span), "policy.tf:17");
    let org = deny
        .path(&["Condition", "StringEquals", "aws:PrincipalOrgID"])
        .unwrap();
    assert_eq!(s.text(org.span), "\"o-123\"");
    // dynamic statements, and `type = "*"` principals are the bare "*".
    assert_eq!(statements[3].get("Action").unwrap().as_str(), Some("sns:*"));
    assert_eq!(statements[3].get("Principal").unwrap().as_str(), Some("*"));

    // A policy that references the document gets the same tree.
    let policy = s.attr("aws_iam_policy.admin", "policy");
    assert_eq!(s.text(policy.span), "data.aws_iam_policy_document.p.json");
    let action = tree(policy).get("Statement").unwrap().as_seq().unwrap()[0]
        .get("Action")
        .unwrap();
    assert_eq!(s.at(action.span), "policy.tf:4");
}

#[test]
fn policy_documents_merge_source_documents() {
    let s = scan(&[(
        "main.tf",
        r#"
data "aws_iam_policy_document" "base" {
  statement { actions = ["s3:GetObject"] }
}
data "aws_iam_policy_document" "all" {
  source_policy_documents = [data.aws_iam_policy_document.base.json, jsonencode({Statement = [{Action = "kms:*"}]})]
  statement { actions = ["ec2:*"] }
}
"#,
    )]);
    let doc = s.attr("data.aws_iam_policy_document.all", "json");
    let actions: Vec<serde_json::Value> = tree(doc)
        .get("Statement")
        .unwrap()
        .as_seq()
        .unwrap()
        .iter()
        .map(|st| st.get("Action").unwrap().to_json())
        .collect();
    assert_eq!(
        actions,
        [json!("s3:GetObject"), json!("kms:*"), json!("ec2:*")]
    );
}
