resource "aws_secretsmanager_secret" "ledger_db" {
  name       = "ledger/db-password"
  kms_key_id = aws_kms_key.data.arn
  tags       = local.tags
}

resource "aws_secretsmanager_secret" "stripe" {
  name       = "payments/stripe-api-key"
  kms_key_id = aws_kms_key.data.arn
  tags       = local.tags
}

resource "aws_kms_key" "data" {
  description         = "ledger data at rest"
  enable_key_rotation = true
}

# Release artifacts, written by CI.
resource "aws_s3_bucket" "artifacts" {
  bucket = "acme-ledger-artifacts"
  tags   = local.tags
}

# Customer invoices, read by the orders API through IRSA (eks.tf).
resource "aws_s3_bucket" "invoices" {
  bucket = "acme-ledger-invoices"
  tags   = merge(local.tags, { data = "confidential" })
}

# Seven years of ledger history. Only the nightly compaction job touches it.
resource "aws_s3_bucket" "ledger_archive" {
  bucket = "acme-ledger-archive"
  tags   = merge(local.tags, { data = "confidential" })
}

resource "aws_s3_bucket_public_access_block" "private" {
  for_each = {
    artifacts = aws_s3_bucket.artifacts.id
    invoices  = aws_s3_bucket.invoices.id
    archive   = aws_s3_bucket.ledger_archive.id
  }
  bucket                  = each.value
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# The compaction job: a function on a nightly schedule, with a role scoped to the archive.
resource "aws_iam_role" "archive_compactor" {
  name = "archive-compactor"
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

resource "aws_iam_role_policy" "archive_compactor" {
  name = "archive-rw"
  role = aws_iam_role.archive_compactor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "${aws_s3_bucket.ledger_archive.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = aws_s3_bucket.ledger_archive.arn
      },
    ]
  })
}

resource "aws_lambda_function" "archive_compactor" {
  function_name = "archive-compactor"
  role          = aws_iam_role.archive_compactor.arn
  runtime       = "python3.12"
  handler       = "compact.handler"
  filename      = "build/archive-compactor.zip"
  timeout       = 900
  tags          = local.tags
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "archive-compaction"
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.archive_compactor.arn
}

resource "aws_lambda_permission" "nightly" {
  statement_id  = "AllowNightlySchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.archive_compactor.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.nightly.arn
}
