data "aws_iam_policy_document" "p" {
  statement {
    sid       = "All"
    actions   = ["*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1"]
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
  inline = data.aws_iam_policy_document.p.json
}
