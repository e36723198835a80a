# Used by .github/workflows/deploy.yml. Administrator, but only the main branch of this
# repository can assume it.
data "aws_iam_policy_document" "deploy_prod_trust" {
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
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/ledger-platform:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "deploy_prod" {
  name               = "deploy-prod"
  assume_role_policy = data.aws_iam_policy_document.deploy_prod_trust.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "deploy_prod_admin" {
  role       = aws_iam_role.deploy_prod.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
