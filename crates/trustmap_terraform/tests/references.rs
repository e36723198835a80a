//! References into other resources and data sources: configured values are read, computed
//! ones (anything the configuration does not set) are `Ref`s, errors stay where Terraform
//! reports them.

mod common;

use common::scan;
use trustmap_syntax::NodeKind;

fn reference(address: &str, attribute: &str) -> NodeKind {
    NodeKind::Ref {
        address: address.into(),
        attribute: attribute.into(),
    }
}

const CLUSTER: &str = r#"
resource "aws_eks_cluster" "this" {
  count = 1
  name  = "prod"
  vpc_config {
    subnet_ids              = ["subnet-1", "subnet-2"]
    endpoint_public_access  = false
  }
}
"#;

#[test]
fn computed_attributes_inside_configured_nested_blocks_are_references() {
    let s = scan(&[(
        "main.tf",
        &format!(
            r#"{CLUSTER}
resource "aws_ec2_tag" "primary_sg" {{
  resource_id = aws_eks_cluster.this[0].vpc_config[0].cluster_security_group_id
  # Configured values inside the block are still read.
  subnet      = aws_eks_cluster.this[0].vpc_config[0].subnet_ids[1]
  public      = aws_eks_cluster.this[0].vpc_config[0].endpoint_public_access
  # A computed attribute of a computed nested block.
  issuer      = aws_eks_cluster.this[0].identity[0].oidc[0].issuer
  # Splat over configured blocks.
  sg_ids      = aws_eks_cluster.this[0].vpc_config[*].cluster_security_group_id
  vpc         = aws_eks_cluster.this[0].vpc_config.0.vpc_id
}}
"#
        ),
    )]);
    let tag = "aws_ec2_tag.primary_sg";
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
    let rid = s.attr(tag, "resource_id");
    assert_eq!(
        rid.kind,
        reference(
            "aws_eks_cluster.this[0]",
            "vpc_config[0].cluster_security_group_id"
        )
    );
    // The reference is located at its use site.
    assert_eq!(
        s.text(rid.span),
        "aws_eks_cluster.this[0].vpc_config[0].cluster_security_group_id"
    );
    assert_eq!(s.attr(tag, "subnet").as_str(), Some("subnet-2"));
    assert_eq!(s.attr(tag, "public").as_bool(), Some(false));
    assert_eq!(
        s.attr(tag, "issuer").kind,
        reference("aws_eks_cluster.this[0]", "identity[0].oidc[0].issuer")
    );
    let ids = s.attr(tag, "sg_ids").as_seq().expect("a list of one");
    assert_eq!(
        ids[0].kind,
        reference(
            "aws_eks_cluster.this[0]",
            "vpc_config[0].cluster_security_group_id"
        )
    );
    assert_eq!(
        s.attr(tag, "vpc").kind,
        reference("aws_eks_cluster.this[0]", "vpc_config[0].vpc_id")
    );
}

#[test]
fn missing_keys_outside_resource_configuration_are_still_errors() {
    let s = scan(&[(
        "main.tf",
        r#"
locals {
  cfg = { a = 1 }
}
resource "aws_s3_bucket" "b" {
  for_each = { x = { name = "x" } }
  bucket   = each.value.missing
  other    = local.cfg.nope
}
"#,
    )]);
    assert!(s.attr(r#"aws_s3_bucket.b["x"]"#, "bucket").is_unknown());
    assert!(s.has_diag("evaluation", "object has no attribute `missing`"));
    assert!(s.has_diag("evaluation", "object has no attribute `nope`"));
}

#[test]
fn configured_blocks_out_of_range_are_errors() {
    let s = scan(&[(
        "main.tf",
        &format!(
            r#"{CLUSTER}
resource "aws_ec2_tag" "t" {{
  resource_id = aws_eks_cluster.this[0].vpc_config[3].cluster_security_group_id
}}
"#
        ),
    )]);
    assert!(s.has_diag("evaluation", "index 3 is out of range"));
}

#[test]
fn data_source_attributes_are_references() {
    let s = scan(&[(
        "main.tf",
        r#"
data "aws_iam_policy" "admin" {
  name = "AdministratorAccess"
}
data "aws_caller_identity" "me" {}

resource "aws_iam_role_policy_attachment" "a" {
  role       = "ci"
  policy_arn = data.aws_iam_policy.admin.arn
  name       = data.aws_iam_policy.admin.name
  account    = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:root"
  nested     = data.aws_iam_policy.admin.tags["team"]
}
"#,
    )]);
    let a = "aws_iam_role_policy_attachment.a";
    let arn = s.attr(a, "policy_arn");
    assert_eq!(arn.kind, reference("data.aws_iam_policy.admin", "arn"));
    assert_eq!(s.text(arn.span), "data.aws_iam_policy.admin.arn");
    // A configured argument of a data source is known.
    assert_eq!(s.attr(a, "name").as_str(), Some("AdministratorAccess"));
    // Inside a template a reference makes the string unknown, keeping text and reference.
    let account = s.attr(a, "account");
    assert!(account.is_unknown() && account.as_str().is_none());
    assert_eq!(
        account.references().collect::<Vec<_>>(),
        vec![("data.aws_caller_identity.me", "account_id")]
    );
    assert_eq!(
        s.attr(a, "nested").kind,
        reference("data.aws_iam_policy.admin", "tags[\"team\"]")
    );
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
}

#[test]
fn data_sources_with_instances_are_references_per_instance() {
    let s = scan(&[(
        "main.tf",
        r#"
data "aws_partition" "current" {
  count = 1
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = "ci"
  policy_arn = "arn:${data.aws_partition.current[0].partition}:iam::aws:policy/ReadOnlyAccess"
  partition  = data.aws_partition.current[0].partition
}
"#,
    )]);
    assert_eq!(
        s.attr("aws_iam_role_policy_attachment.a", "partition").kind,
        reference("data.aws_partition.current[0]", "partition")
    );
}
