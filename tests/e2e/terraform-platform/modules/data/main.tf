variable "prefix" {
  type = string
}

variable "buckets" {
  type = map(object({
    public  = bool
    enabled = bool
  }))
}

variable "tags" {
  type = map(string)
}

locals {
  enabled = { for name, b in var.buckets : name => b if b.enabled }
}

resource "aws_s3_bucket" "this" {
  for_each = local.enabled
  bucket   = "${var.prefix}-${each.key}"
  tags     = var.tags
}

resource "aws_s3_bucket_acl" "this" {
  for_each = local.enabled
  bucket   = aws_s3_bucket.this[each.key].id
  acl      = each.value.public ? "public-read" : "private"
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = !local.enabled[each.key].public
  block_public_policy     = true
  ignore_public_acls      = !local.enabled[each.key].public
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

output "bucket_arns" {
  value = { for name, b in aws_s3_bucket.this : name => b.arn }
}
