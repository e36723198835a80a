variable "name" {
  type = string
}

variable "github_repos" {
  type = map(object({ branch = optional(string) }))
}

variable "bucket_arns" {
  type = map(string)
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "trust" {
  for_each = var.github_repos

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    dynamic "condition" {
      for_each = each.value.branch == null ? [] : [each.value.branch]
      content {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:sub"
        values   = ["repo:${each.key}:ref:refs/heads/${condition.value}"]
      }
    }
  }
}

resource "aws_iam_role" "deploy" {
  for_each           = var.github_repos
  name               = "${var.name}-deploy-${replace(each.key, "/", "-")}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

resource "aws_iam_role_policy" "deploy_buckets" {
  for_each = aws_iam_role.deploy
  name     = "buckets"
  role     = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject"]
      Resource = [for arn in values(var.bucket_arns) : "${arn}/*"]
    }]
  })
}

# The sandbox may do anything: AWS's managed administrator policy, looked up by name.
data "aws_iam_policy" "admin" {
  name = "AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "sandbox_admin" {
  role       = aws_iam_role.deploy["acme/sandbox"].name
  policy_arn = data.aws_iam_policy.admin.arn
}

output "role_arns" {
  value = { for repo, r in aws_iam_role.deploy : repo => r.arn }
}
