//! `count`, `for_each`, references between resources, `dynamic` blocks, body shape.

mod common;

use common::scan;
use serde_json::json;
use trustmap_syntax::NodeKind;

#[test]
fn count_and_for_each_addresses() {
    let s = scan(&[(
        "main.tf",
        r#"
variable "teams" { default = { exports = "x", analytics = "y" } }
resource "aws_s3_bucket" "logs" { count = 2 }
resource "aws_s3_bucket" "none" { count = 0 }
resource "aws_s3_bucket_acl" "team" {
  for_each = var.teams
  bucket   = "${each.key}-${each.value}"
}
resource "aws_iam_user" "u" {
  for_each = toset(["bob", "alice", "bob"])
  name     = each.value
}
resource "aws_s3_bucket" "empty" { for_each = {} }
"#,
    )]);
    assert_eq!(
        s.addresses(),
        [
            "aws_s3_bucket.logs[0]",
            "aws_s3_bucket.logs[1]",
            r#"aws_s3_bucket_acl.team["analytics"]"#,
            r#"aws_s3_bucket_acl.team["exports"]"#,
            r#"aws_iam_user.u["alice"]"#,
            r#"aws_iam_user.u["bob"]"#,
        ]
    );
    assert_eq!(
        s.json(r#"aws_s3_bucket_acl.team["exports"]"#),
        json!({"bucket": "exports-x"})
    );
    let name = s.attr(r#"aws_iam_user.u["bob"]"#, "name");
    assert_eq!(s.text(name.span), "each.value");
}

#[test]
fn instance_keys_are_quoted_like_terraform() {
    let s = scan(&[(
        "main.tf",
        "resource \"x\" \"y\" { for_each = toset([\"a\\\"b\", \"c\\\\d\"]) }\n",
    )]);
    assert_eq!(s.addresses(), [r#"x.y["a\"b"]"#, r#"x.y["c\\d"]"#]);
}

#[test]
fn unknown_count_and_for_each_are_checked_once() {
    let s = scan(&[(
        "main.tf",
        r#"
data "aws_availability_zones" "az" {}
resource "aws_subnet" "s" {
  count             = length(data.aws_availability_zones.az.names)
  availability_zone = data.aws_availability_zones.az.names[count.index]
  cidr_block        = "10.0.${count.index}.0/24"
  map_public_ip_on_launch = true
}
resource "aws_iam_user" "u" {
  for_each = data.aws_availability_zones.az.zone_ids
  name     = each.key
  path     = "/"
}
"#,
    )]);
    assert_eq!(
        s.addresses(),
        [
            "data.aws_availability_zones.az",
            "aws_subnet.s",
            "aws_iam_user.u"
        ]
    );
    assert!(s.has_diag(
        "evaluation",
        "count of aws_subnet.s is unknown; checked once"
    ));
    assert!(s.has_diag(
        "evaluation",
        "for_each of aws_iam_user.u is unknown; checked once"
    ));
    let subnet = s.resource("aws_subnet.s");
    assert!(
        subnet
            .body
            .get("cidr_block")
            .is_some_and(|n| n.is_unknown())
    );
    // Values that do not depend on the instance are still known and checked.
    assert_eq!(
        subnet
            .body
            .get("map_public_ip_on_launch")
            .and_then(|n| n.as_bool()),
        Some(true)
    );
    assert_eq!(s.json("aws_iam_user.u")["path"], "/");
    let d = s
        .out
        .diagnostics
        .iter()
        .find(|d| d.message.contains("aws_subnet.s"))
        .unwrap();
    assert_eq!(
        s.text(d.span.unwrap()),
        "length(data.aws_availability_zones.az.names)"
    );
}

#[test]
fn references_to_resources_use_configuration_or_refs() {
    let s = scan(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "b" {
  bucket = "acme-logs"
  versioning { enabled = true }
}
resource "aws_s3_bucket" "many" {
  count  = 2
  bucket = "many-${count.index}"
}
resource "aws_s3_bucket" "keyed" {
  for_each = toset(["k"])
  bucket   = each.key
}
resource "aws_s3_bucket_policy" "p" {
  bucket     = aws_s3_bucket.b.bucket
  id         = aws_s3_bucket.b.id
  versioned  = aws_s3_bucket.b.versioning[0].enabled
  second     = aws_s3_bucket.many[1].bucket
  arns       = aws_s3_bucket.many[*].arn
  keyed      = aws_s3_bucket.keyed["k"].arn
  whole      = aws_s3_bucket.b
  tags_all   = aws_s3_bucket.b.tags_all.env
}
"#,
    )]);
    let p = "aws_s3_bucket_policy.p";
    let bucket = s.attr(p, "bucket");
    assert_eq!(bucket.as_str(), Some("acme-logs"));
    assert_eq!(s.text(bucket.span), "aws_s3_bucket.b.bucket");
    assert_eq!(s.text(bucket.via[0].span), "\"acme-logs\"");
    let r = |a: &str, attr: &str| NodeKind::Ref {
        address: a.into(),
        attribute: attr.into(),
    };
    assert_eq!(s.attr(p, "id").kind, r("aws_s3_bucket.b", "id"));
    assert_eq!(s.attr(p, "versioned").as_bool(), Some(true));
    assert_eq!(s.attr(p, "second").as_str(), Some("many-1"));
    let arns: Vec<&NodeKind> = s
        .attr(p, "arns")
        .as_seq()
        .unwrap()
        .iter()
        .map(|n| &n.kind)
        .collect();
    assert_eq!(
        arns,
        [
            &r("aws_s3_bucket.many[0]", "arn"),
            &r("aws_s3_bucket.many[1]", "arn")
        ]
    );
    assert_eq!(
        s.attr(p, "keyed").kind,
        r(r#"aws_s3_bucket.keyed["k"]"#, "arn")
    );
    assert_eq!(s.attr(p, "whole").kind, r("aws_s3_bucket.b", ""));
    assert_eq!(
        s.attr(p, "tags_all").kind,
        r("aws_s3_bucket.b", "tags_all.env")
    );
}

#[test]
fn self_referencing_resources_do_not_loop() {
    let s = scan(&[(
        "main.tf",
        "resource \"a\" \"x\" { v = b.y.v }\nresource \"b\" \"y\" { v = a.x.v }\nresource \"c\" \"z\" { count = c.z.n }\n",
    )]);
    assert_eq!(s.out.resources.len(), 3);
    assert!(s.attr("a.x", "v").is_unknown());
}

#[test]
fn dynamic_blocks_expand() {
    let s = scan(&[(
        "main.tf",
        r#"
variable "ports" { default = [22, 443] }
data "aws_ip_ranges" "r" {}
resource "aws_security_group" "sg" {
  name = "web"
  ingress {
    from_port = 80
  }
  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      from_port   = port.value
      cidr_blocks = ["0.0.0.0/0"]
      dynamic "note" {
        for_each = { a = "x" }
        content { text = "${note.key}=${note.value}@${port.key}" }
      }
    }
  }
  dynamic "egress" {
    for_each = data.aws_ip_ranges.r.cidr_blocks
    content {
      cidr_blocks = [egress.value]
      protocol    = "-1"
    }
  }
}
"#,
    )]);
    insta::assert_json_snapshot!("dynamic_blocks", s.json("aws_security_group.sg"));
    let sg = s.resource("aws_security_group.sg");
    let ingress = sg.body.entry("ingress").unwrap();
    assert_eq!(s.text(ingress.key_span), "ingress");
    let blocks = ingress.value.as_seq().unwrap();
    assert_eq!(blocks.len(), 3);
    assert!(s.text(blocks[1].span).starts_with("dynamic \"ingress\""));
    let egress = sg.body.get("egress").unwrap().as_seq().unwrap();
    assert_eq!(egress.len(), 1);
    assert_eq!(
        egress[0].get("protocol").and_then(|n| n.as_str()),
        Some("-1")
    );
}

#[test]
fn body_shape_and_meta_arguments() {
    let s = scan(&[(
        "main.tf",
        r#"
provider "aws" { region = "us-east-1" }
resource "aws_instance" "web" {
  provider   = aws.west
  depends_on = [aws_s3_bucket.b]
  ami        = "ami-123"
  metadata_options {
    http_tokens = "optional"
  }
  ebs_block_device {
    device_name = "/dev/sdb"
    encrypted   = false
  }
  ebs_block_device {
    device_name = "/dev/sdc"
  }
  lifecycle { ignore_changes = [tags] }
  provisioner "local-exec" { command = "echo hi" }
}
resource "aws_s3_bucket" "b" {}
"#,
    )]);
    insta::assert_json_snapshot!("instance_body", s.json("aws_instance.web"));
    let web = s.resource("aws_instance.web");
    let ebs = web.body.entry("ebs_block_device").unwrap();
    assert_eq!(s.at(ebs.key_span), "main.tf:10");
    let second = &ebs.value.as_seq().unwrap()[1];
    assert_eq!(s.at(second.span), "main.tf:14");
    assert!(
        s.text(web.span)
            .starts_with("resource \"aws_instance\" \"web\" {")
    );
}
