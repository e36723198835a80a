# Grafana for the ledger team: a public instance that reads its admin password from
# Secrets Manager through its instance profile. No `metadata_options`, so the metadata
# service answers IMDSv1 (the provider's default).

resource "aws_secretsmanager_secret" "grafana_admin" {
  name = "ledger/grafana-admin"
  tags = local.tags
}

resource "aws_iam_role" "grafana" {
  name = "ledger-grafana"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "grafana_secret" {
  role = aws_iam_role.grafana.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.grafana_admin.arn
    }]
  })
}

resource "aws_iam_instance_profile" "grafana" {
  name = "ledger-grafana"
  role = aws_iam_role.grafana.name
}

resource "aws_security_group" "grafana" {
  name        = "ledger-grafana"
  description = "Grafana UI"
  ingress {
    description = "HTTPS from anywhere"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "grafana" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.small"
  associate_public_ip_address = true
  iam_instance_profile        = aws_iam_instance_profile.grafana.name
  vpc_security_group_ids      = [aws_security_group.grafana.id]
  tags                        = local.tags
}
