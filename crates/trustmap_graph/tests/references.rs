//! Joins through references the evaluator keeps inside unknown strings
//! (`"${aws_s3_bucket.b.arn}/*"`, `"integrations/${...id}"`): read from the model, so they
//! also arrive through variables, locals and module inputs, and a reference glued to other
//! text names nothing.

mod common;

use common::{has_edge, paths, scan_files};

const API: &str = r#"
resource "aws_iam_role" "fn" {
  name = "fn-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "hook"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

resource "aws_apigatewayv2_api" "api" {
  name          = "hooks"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "fn" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "post" {
  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "POST /hook"
  authorization_type = "NONE"
  target             = local.target
}

locals {
  target = "integrations/${aws_apigatewayv2_integration.fn.id}"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

module "access" {
  source  = "./modules/access"
  role    = aws_iam_role.fn.id
  objects = "${aws_s3_bucket.data.arn}/*"
}
"#;

fn module(resource: &str) -> String {
    format!(
        r#"
variable "role" {{}}
variable "objects" {{}}
resource "aws_iam_role_policy" "p" {{
  role = var.role
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "s3:PutObject", Resource = {resource} }}]
  }})
}}
"#
    )
}

#[test]
fn routes_and_policy_resources_join_through_variables_locals_and_modules() {
    let r = scan_files(&[
        ("main.tf", API),
        ("modules/access/main.tf", &module("var.objects")),
    ]);
    let g = &r.graph;
    assert!(has_edge(
        g,
        "aws_apigatewayv2_route.post",
        "reaches",
        "aws_lambda_function.fn"
    ));
    assert!(has_edge(
        g,
        "aws_iam_role.fn",
        "writes",
        "aws_s3_bucket.data"
    ));
    assert_eq!(
        paths(&r),
        [
            "internet > aws_apigatewayv2_route.post > aws_lambda_function.fn > aws_iam_role.fn > aws_s3_bucket.data"
        ]
    );
}

#[test]
fn a_reference_glued_to_other_text_names_no_store() {
    // The bucket's name with a suffix: another bucket.
    let main = API.replace(
        r#"objects = "${aws_s3_bucket.data.arn}/*""#,
        "objects = aws_s3_bucket.data.id",
    );
    assert_ne!(main, API);
    let r = scan_files(&[
        ("main.tf", &main),
        (
            "modules/access/main.tf",
            &module(r#""arn:aws:s3:::${var.objects}-logs/*""#),
        ),
    ]);
    assert!(!has_edge(
        &r.graph,
        "aws_iam_role.fn",
        "writes",
        "aws_s3_bucket.data"
    ));
    assert!(paths(&r).is_empty(), "{:?}", paths(&r));
}
