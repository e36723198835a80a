resource "aws_iam_role" "fn" {
  name = "api-fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# A public function URL in front of a function holding a token in plain text.
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  timeout       = 10

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = {
      LOG_LEVEL = "info"
      API_TOKEN = "tok_live_4f9a2b7c1d8e3f6a"
    }
  }
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}

# S3 may invoke it on behalf of any account's bucket.
resource "aws_lambda_permission" "uploads" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "s3.amazonaws.com"
}
