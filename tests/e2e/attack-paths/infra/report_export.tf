# Finance downloads month-end exports from a public function URL. The function's role may read
# every secret in the account, so anyone who can make the function misbehave holds them all.
resource "aws_iam_role" "report_export" {
  name = "report-export"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "report_export_secrets" {
  name = "read-secrets"
  role = aws_iam_role.report_export.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      Resource = "*"
    }]
  })
}

resource "aws_lambda_function" "report_export" {
  function_name = "report-export"
  role          = aws_iam_role.report_export.arn
  runtime       = "python3.12"
  handler       = "export.handler"
  filename      = "build/report-export.zip"
  timeout       = 30
  tags          = local.tags
}

resource "aws_lambda_function_url" "report_export" {
  function_name      = aws_lambda_function.report_export.function_name
  authorization_type = "NONE"
}
