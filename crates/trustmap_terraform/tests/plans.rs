//! Plans (`terraform show -json plan.out`) as input, alone and next to their configuration.

mod common;

use common::scan;
use serde_json::json;
use trustmap_syntax::NodeKind;

/// A plan in the shape `terraform show -json` prints (format 1.2), trimmed to what matters.
const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.7.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.logs",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "logs",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "bucket": "acme-prod-logs",
            "force_destroy": false,
            "tags": { "Team": "data" },
            "object_lock_enabled": null
          },
          "sensitive_values": { "tags": {} }
        },
        {
          "address": "aws_s3_bucket_policy.p",
          "mode": "managed",
          "type": "aws_s3_bucket_policy",
          "name": "p",
          "values": {
            "policy": "{\"Statement\":[{\"Action\":\"s3:*\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"
          }
        }
      ],
      "child_modules": [
        {
          "address": "module.net",
          "resources": [
            {
              "address": "module.net.aws_security_group.web[0]",
              "mode": "managed",
              "type": "aws_security_group",
              "name": "web",
              "index": 0,
              "values": {
                "name": "web-0",
                "ingress": [
                  { "cidr_blocks": ["0.0.0.0/0"], "from_port": 22, "to_port": 22, "protocol": "tcp" }
                ]
              }
            },
            {
              "address": "module.net.aws_security_group.web[1]",
              "mode": "managed",
              "type": "aws_security_group",
              "name": "web",
              "index": 1,
              "values": {
                "name": "web-1",
                "ingress": [
                  { "cidr_blocks": ["10.0.0.0/8"], "from_port": 443, "to_port": 443, "protocol": "tcp" }
                ]
              }
            }
          ]
        }
      ]
    }
  },
  "resource_changes": [
    {
      "address": "aws_s3_bucket.logs",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "logs",
      "change": {
        "actions": ["create"],
        "before": null,
        "after_unknown": { "arn": true, "id": true, "tags": {}, "versioning": [{ "enabled": true }] }
      }
    },
    {
      "address": "aws_s3_bucket_policy.p",
      "mode": "managed",
      "type": "aws_s3_bucket_policy",
      "name": "p",
      "change": { "actions": ["create"], "after_unknown": { "bucket": true, "id": true } }
    }
  ],
  "prior_state": {
    "format_version": "1.0",
    "values": {
      "root_module": {
        "resources": [
          {
            "address": "data.aws_caller_identity.me",
            "mode": "data",
            "type": "aws_caller_identity",
            "name": "me",
            "values": { "account_id": "123456789012" }
          }
        ]
      }
    }
  },
  "configuration": { "root_module": {} }
}
"#;

const MAIN: &str = r#"
variable "env" {}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-${var.env}-logs"
  tags   = { Team = "data" }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "*"
    }]
  })
}

resource "aws_iam_user" "only_in_source" {
  name = "ops"
}

module "net" {
  source = "./net"
  cidrs  = var.cidrs_by_env
}

variable "cidrs_by_env" {}
"#;

const NET: &str = r#"
variable "cidrs" {}
variable "n" { default = null }

resource "aws_security_group" "web" {
  count = var.n
  name  = "web-${count.index}"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
"#;

#[test]
fn a_plan_alone_gives_resources_with_known_values_spanned_in_the_plan() {
    let s = scan(&[("plan.json", PLAN)]);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    assert_eq!(
        s.addresses(),
        [
            "aws_s3_bucket.logs",
            "aws_s3_bucket_policy.p",
            "module.net.aws_security_group.web[0]",
            "module.net.aws_security_group.web[1]",
            "data.aws_caller_identity.me",
        ]
    );
    let logs = s.resource("aws_s3_bucket.logs");
    assert_eq!(logs.rtype, "aws_s3_bucket");
    assert_eq!(logs.name, "logs");
    // Nulls are left out; values known only after apply are unknown.
    assert_eq!(
        logs.body.to_json(),
        json!({
            "bucket": "acme-prod-logs",
            "force_destroy": false,
            "tags": { "Team": "data" },
            "arn": null,
            "id": null,
        })
    );
    assert_eq!(s.attr("aws_s3_bucket.logs", "arn").kind, NodeKind::Unknown);
    assert_eq!(s.at(logs.span), "plan.json:7");
    assert_eq!(
        s.at(s.attr("aws_s3_bucket.logs", "bucket").span),
        "plan.json:15"
    );
    // A JSON policy string is decoded.
    let policy = s.attr("aws_s3_bucket_policy.p", "policy");
    let NodeKind::Json { tree, .. } = &policy.kind else {
        panic!("not JSON: {policy:?}");
    };
    assert_eq!(
        tree.path(&["Statement"]).unwrap().as_seq().unwrap().len(),
        1
    );
    let me = s.resource("data.aws_caller_identity.me");
    assert_eq!(me.mode, trustmap_terraform::Mode::Data);
    assert_eq!(s.unknowns(), 4);
}

#[test]
fn next_to_its_configuration_a_plan_is_located_in_the_tf_files() {
    let s = scan(&[("main.tf", MAIN), ("net/main.tf", NET), ("plan.json", PLAN)]);
    // Each resource once; the plan's expansion of `count` replaces the one evaluated instance.
    let mut addresses = s.addresses();
    addresses.sort_unstable();
    assert_eq!(
        addresses,
        [
            "aws_iam_user.only_in_source",
            "aws_s3_bucket.logs",
            "aws_s3_bucket_policy.p",
            "data.aws_caller_identity.me",
            "module.net.aws_security_group.web[0]",
            "module.net.aws_security_group.web[1]",
        ]
    );
    // The plan knows what the configuration left unknown, spanned where it is written.
    let bucket = s.attr("aws_s3_bucket.logs", "bucket");
    assert_eq!(bucket.as_str(), Some("acme-prod-logs"));
    assert_eq!(s.text(bucket.span), r#""acme-${var.env}-logs""#);
    assert_eq!(s.at(bucket.span), "main.tf:5");
    let logs = s.resource("aws_s3_bucket.logs");
    assert_eq!(s.at(logs.span), "main.tf:4");
    // A provider-set value the configuration does not write points at the resource block.
    let fd = s.attr("aws_s3_bucket.logs", "force_destroy");
    assert_eq!(fd.as_bool(), Some(false));
    assert_eq!(fd.span, logs.span);
    // Unknown after apply: the configuration's reference is kept (adapters join on it).
    assert_eq!(
        s.attr("aws_s3_bucket_policy.p", "bucket").as_ref_target(),
        Some(("aws_s3_bucket.logs", "id"))
    );
    // The plan's normalized policy JSON is located at the jsonencode() argument.
    let policy = s.attr("aws_s3_bucket_policy.p", "policy");
    let NodeKind::Json { tree, .. } = &policy.kind else {
        panic!("not JSON: {policy:?}");
    };
    let action = tree.path(&["Statement"]).unwrap().as_seq().unwrap()[0]
        .get("Action")
        .unwrap();
    assert_eq!(action.as_str(), Some("s3:*"));
    assert_eq!(s.at(action.span), "main.tf:16");
    // Instances the evaluator could not expand take their block's spans and module hop.
    let web = s.resource("module.net.aws_security_group.web[1]");
    assert_eq!(s.at(web.span), "net/main.tf:5");
    assert_eq!(s.at(web.via[0].span), "main.tf:26");
    let ingress = &s
        .attr("module.net.aws_security_group.web[1]", "ingress")
        .as_seq()
        .unwrap()[0];
    let cidrs = ingress.get("cidr_blocks").unwrap();
    assert_eq!(cidrs.to_json(), json!(["10.0.0.0/8"]));
    assert_eq!(s.text(cidrs.span), "var.cidrs");
    assert_eq!(
        s.at(ingress.get("from_port").unwrap().span),
        "net/main.tf:9"
    );
    // A resource only in the configuration is still there, evaluated.
    assert_eq!(
        s.attr("aws_iam_user.only_in_source", "name").as_str(),
        Some("ops")
    );
}

#[test]
fn json_that_is_not_a_plan_is_ignored() {
    let s = scan(&[
        ("package.json", r#"{"name": "x", "format_version": "1"}"#),
        ("broken.json", "{"),
        ("main.tf", "resource \"x\" \"y\" {}\n"),
    ]);
    assert_eq!(s.addresses(), ["x.y"]);
    // A broken JSON file is reported (the engine only hands plan-looking files over).
    assert_eq!(s.codes(), ["parse-error"]);
}
