# Used by .github/workflows/publish.yml to upload release artifacts. The trust checks the
# audience only: no `sub` condition, so a workflow in any repository can assume it.
resource "aws_iam_role" "ci_artifacts" {
  name = "ci-artifacts"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "ci_artifacts_write" {
  name = "artifacts-write"
  role = aws_iam_role.ci_artifacts.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:DeleteObject"]
      Resource = "${aws_s3_bucket.artifacts.arn}/*"
    }]
  })
}
