//! Strings built around references (`"${aws_s3_bucket.b.arn}/*"`), evaluated for real:
//! the adapters join on the references the evaluator keeps, and the values stay unknown.

use std::sync::Arc;

use trustmap_model::aws::Aws;
use trustmap_source::{FileId, SourceFile};
use trustmap_terraform::{TfOptions, evaluate};

fn adapt(main_tf: &str) -> Aws {
    let files = vec![Arc::new(SourceFile::new(FileId(0), "main.tf", main_tf))];
    super::from_terraform(&evaluate(&files, &TfOptions::default()))
}

#[test]
fn a_v2_route_links_the_integration_its_target_template_names() {
    let aws = adapt(
        r#"
resource "aws_apigatewayv2_api" "api" {
  name          = "hooks"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "other" {
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "HTTP_PROXY"
}
resource "aws_apigatewayv2_integration" "hook" {
  api_id           = aws_apigatewayv2_api.api.id
  integration_type = "AWS_PROXY"
}
locals {
  target = "integrations/${aws_apigatewayv2_integration.hook.id}"
}
resource "aws_apigatewayv2_route" "post" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "POST /hook"
  target    = local.target
}
resource "aws_apigatewayv2_route" "glued" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "GET /x"
  target    = "integrations/x${aws_apigatewayv2_integration.hook.id}"
}
"#,
    );
    let gw = &aws.apigw;
    let route = |address: &str| {
        gw.routes
            .iter()
            .find(|r| r.meta.address == address)
            .expect("route")
    };
    let post = route("aws_apigatewayv2_route.post");
    let joined = &gw.integrations[post.integration.target.expect("linked")];
    assert_eq!(joined.meta.address, "aws_apigatewayv2_integration.hook");
    assert_eq!(
        post.integration.text.as_deref(),
        Some("aws_apigatewayv2_integration.hook")
    );
    // A reference glued to other text names something else: no link.
    assert_eq!(
        route("aws_apigatewayv2_route.glued").integration.target,
        None
    );
}

#[test]
fn policy_resources_keep_the_references_they_are_built_from() {
    let aws = adapt(
        r#"
resource "aws_s3_bucket" "b" {}
data "aws_caller_identity" "me" {}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = [
        "${aws_s3_bucket.b.arn}/*",
        aws_s3_bucket.b.arn,
        "arn:aws:s3:::${aws_s3_bucket.b.id}-logs/*",
        "arn:aws:s3:::known/*",
      ]
    }]
  })
}
resource "aws_lambda_permission" "invoke" {
  function_name = "f"
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::${aws_s3_bucket.b.id}"
}
"#,
    );
    let doc = aws.iam.policies[0].document.get().expect("document read");
    let res = &doc.statements[0].resources;
    assert_eq!(res.len(), 4);
    // Unknown to rules, whatever it references.
    assert!(res[..3].iter().all(|r| r.is_unknown() && r.get().is_none()));
    let refs = |i: usize| res[i].segment_references().collect::<Vec<_>>();
    assert_eq!(refs(0), vec![("aws_s3_bucket.b", "arn")]);
    assert_eq!(refs(1), vec![("aws_s3_bucket.b", "arn")]);
    // `…${id}-logs` is another bucket: referenced, but not named.
    assert!(refs(2).is_empty());
    assert_eq!(
        res[2].references().collect::<Vec<_>>(),
        vec![("aws_s3_bucket.b", "id")]
    );
    let glob = res[0]
        .template
        .as_ref()
        .expect("template")
        .glob(|_, _| Some("arn:aws:s3:::my-bucket".into()));
    assert_eq!(glob, "arn:aws:s3:::my-bucket/*");
    assert_eq!(
        res[3].get().map(String::as_str),
        Some("arn:aws:s3:::known/*")
    );
    assert!(res[3].template.is_none());
    let perm = &aws.lambda.permissions[0];
    assert!(perm.source_arn.is_unknown());
    assert_eq!(
        perm.source_arn.segment_references().collect::<Vec<_>>(),
        vec![("aws_s3_bucket.b", "id")]
    );
}
