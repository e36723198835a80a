variable "name" {
  type = string
}

variable "config" {
  type = object({
    memory      = number
    public_url  = bool
    db_password = string
  })
}

variable "subnet_ids" {
  type = list(string)
}

variable "exports_arn" {
  type = string
}

resource "aws_iam_role" "exec" {
  name = "${var.name}-exec"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

module "function" {
  source     = "./function"
  name       = var.name
  role_arn   = aws_iam_role.exec.arn
  memory     = var.config.memory
  public_url = var.config.public_url
  subnet_ids = var.subnet_ids
  environment = merge(
    { EXPORTS_BUCKET = var.exports_arn },
    var.config.db_password == null ? {} : { DB_PASSWORD = var.config.db_password },
  )
}

output "url" {
  value = module.function.url
}
