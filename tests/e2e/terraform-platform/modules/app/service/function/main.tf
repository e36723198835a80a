variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "memory" {
  type = number
}

variable "public_url" {
  type = bool
}

variable "subnet_ids" {
  type = list(string)
}

variable "environment" {
  type = map(string)
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/app.zip"
  memory_size   = var.memory

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = []
  }

  environment {
    variables = var.environment
  }
}

resource "aws_lambda_function_url" "this" {
  count              = var.public_url ? 1 : 0
  function_name      = aws_lambda_function.this.function_name
  authorization_type = "NONE"
}

output "url" {
  value = try(aws_lambda_function_url.this[0].function_url, null)
}
