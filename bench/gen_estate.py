#!/usr/bin/env python3
"""Writes a synthetic cloud estate for the graph benchmark (bench/graph.sh).

    python3 bench/gen_estate.py OUT_DIR [RESOURCES]

RESOURCES (default 10000, a multiple of 20) counts Terraform resources, Kubernetes objects and
workflow jobs. The estate is built from services of exactly 20 resources each:

  Terraform (13)  function role + policy, function, function URL, bucket + public access
                  block, secret, CI role (GitHub OIDC) + policy, IRSA role + policy, queue,
                  S3 → function invoke permission
  Kubernetes (6)  ServiceAccount (IRSA annotation), Deployment, Service, Role, RoleBinding,
                  Ingress (every third service) or ConfigMap
  GitHub (1)      a workflow job assuming the service's CI role

Links are dense and cross services, as in a real platform: each function reads its own and its
neighbour's bucket, IRSA roles read their bucket and write their queue, a few roles hold
wildcard grants (`s3:*` on `acme-data-*`, `secretsmanager:GetSecretValue` on `*`), some
function URLs are unauthenticated, some CI roles trust any repository, some Services are
load balancers in front of privileged pods, some RoleBindings grant the `admin` ClusterRole
and a few ClusterRoleBindings grant `cluster-admin`. Deterministic: the same arguments always
write the same files. Standard library only; no network.
"""

import os
import sys

PER_SERVICE = 20
ACCOUNT = "111122223333"
SERVICES_PER_TF_FILE = 25
TEAMS = 25
EKS_ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/BENCHD539D4633E53DE1B71EXAMPLE"


def service_tf(i: int, n: int) -> str:
    s = f"svc{i:05d}"
    nxt = f"svc{(i + 1) % n:05d}"
    public_url = i % 7 == 0
    reads_all_secrets = i % 50 == 0
    wildcard_data = i % 40 == 3
    any_repo = i % 20 == 5
    fn_statements = [
        f"""{{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = ["${{aws_s3_bucket.{s}.arn}}/*", "${{aws_s3_bucket.{nxt}.arn}}/*"]
      }}""",
        f"""{{
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = {'"*"' if reads_all_secrets else f"aws_secretsmanager_secret.{s}.arn"}
      }}""",
        f"""{{
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
        Resource = aws_sqs_queue.{s}.arn
      }}""",
    ]
    if wildcard_data:
        fn_statements.append(
            """{
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = ["arn:aws:s3:::acme-data-*", "arn:aws:s3:::acme-data-*/*"]
      }"""
        )
    fn_body = ",\n      ".join(fn_statements)
    ci_condition = (
        ""
        if any_repo
        else "\n          \"token.actions.githubusercontent.com:sub\" = "
        f'"repo:acme/{s}:ref:refs/heads/main"'
    )
    return f"""
# ---- service {s}
resource "aws_iam_role" "fn_{s}" {{
  name = "fn-{s}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = "lambda.amazonaws.com" }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "fn_{s}" {{
  name = "fn-{s}"
  role = aws_iam_role.fn_{s}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {fn_body}
    ]
  }})
}}

resource "aws_lambda_function" "{s}" {{
  function_name = "{s}"
  role          = aws_iam_role.fn_{s}.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/{s}.zip"
  timeout       = 30
}}

resource "aws_lambda_function_url" "{s}" {{
  function_name      = aws_lambda_function.{s}.function_name
  authorization_type = "{'NONE' if public_url else 'AWS_IAM'}"
}}

resource "aws_lambda_permission" "{s}_uploads" {{
  statement_id  = "AllowS3Invoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.{s}.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.{s}.arn
}}

resource "aws_s3_bucket" "{s}" {{
  bucket = "acme-data-{s}"
}}

resource "aws_s3_bucket_public_access_block" "{s}" {{
  bucket                  = aws_s3_bucket.{s}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_secretsmanager_secret" "{s}" {{
  name = "{s}/api-key"
}}

resource "aws_sqs_queue" "{s}" {{
  name                    = "{s}-events"
  sqs_managed_sse_enabled = true
}}

resource "aws_iam_role" "ci_{s}" {{
  name = "ci-{s}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = {{ Federated = aws_iam_openid_connect_provider.github.arn }}
      Condition = {{
        StringEquals = {{
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"{ci_condition}
        }}
      }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "ci_{s}" {{
  name = "deploy"
  role = aws_iam_role.ci_{s}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "lambda:UpdateFunctionCode"]
      Resource = ["${{aws_s3_bucket.{s}.arn}}/*", aws_lambda_function.{s}.arn]
    }}]
  }})
}}

resource "aws_iam_role" "irsa_{s}" {{
  name = "irsa-{s}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = {{ Federated = aws_iam_openid_connect_provider.eks.arn }}
      Condition = {{
        StringEquals = {{
          "{EKS_ISSUER}:sub" = "system:serviceaccount:team-{i % TEAMS:02d}:{s}"
        }}
      }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "irsa_{s}" {{
  name = "data"
  role = aws_iam_role.irsa_{s}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.{s}.arn, "${{aws_s3_bucket.{s}.arn}}/*"]
      }},
      {{
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = aws_sqs_queue.{s}.arn
      }},
    ]
  }})
}}
"""


def service_k8s(i: int) -> str:
    s = f"svc{i:05d}"
    ns = f"team-{i % TEAMS:02d}"
    lb = i % 4 == 0
    privileged = i % 10 == 0
    # Every 25th service's account is bound to a powerful ClusterRole: `admin` in its
    # namespace, or every 100th `cluster-admin` across the cluster.
    cluster_admin = i % 100 == 0
    admin_binding = i % 25 == 0
    binding_kind = "ClusterRoleBinding" if cluster_admin else "RoleBinding"
    binding_ns = "" if cluster_admin else f"  namespace: {ns}\n"
    role_kind = "ClusterRole" if admin_binding else "Role"
    if admin_binding:
        role_name = "cluster-admin" if cluster_admin else "admin"
    else:
        role_name = f"{s}-config-reader"
    exposure = (
        f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {s}
  namespace: {ns}
spec:
  ingressClassName: nginx
  rules:
    - host: {s}.acme.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {s}
                port:
                  number: 80
"""
        if i % 3 == 0
        else f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {s}-config
  namespace: {ns}
data:
  LOG_LEVEL: info
"""
    )
    return f"""---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {s}
  namespace: {ns}
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::{ACCOUNT}:role/irsa-{s}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {s}
  namespace: {ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {s}
  template:
    metadata:
      labels:
        app: {s}
    spec:
      serviceAccountName: {s}
      containers:
        - name: app
          image: registry.acme.example/{s}:1.{i % 9}.0
          ports:
            - containerPort: 8080
          securityContext:
            privileged: {'true' if privileged else 'false'}
            allowPrivilegeEscalation: {'true' if privileged else 'false'}
---
apiVersion: v1
kind: Service
metadata:
  name: {s}
  namespace: {ns}
spec:
  type: {'LoadBalancer' if lb else 'ClusterIP'}
  selector:
    app: {s}
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {s}-config-reader
  namespace: {ns}
rules:
  - apiGroups: [""]
    resources: ["configmaps", "secrets"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: {binding_kind}
metadata:
  name: {s}
{binding_ns}subjects:
  - kind: ServiceAccount
    name: {s}
    namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: {role_kind}
  name: {role_name}
---
{exposure}"""


def service_workflow(i: int) -> str:
    s = f"svc{i:05d}"
    return f"""name: deploy-{s}
on:
  push:
    branches: [main]
    paths: ["services/{s}/**"]

permissions:
  contents: read
  id-token: write

jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2
        with:
          role-to-assume: arn:aws:iam::{ACCOUNT}:role/ci-{s}
          aws-region: eu-west-1
      - run: make -C services/{s} deploy
"""


PROVIDERS_TF = f"""terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }}
  }}
}}

provider "aws" {{
  region = "eu-west-1"
}}

resource "aws_iam_openid_connect_provider" "github" {{
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}}

resource "aws_iam_openid_connect_provider" "eks" {{
  url             = "https://{EKS_ISSUER}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}}
"""


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = sys.argv[1]
    try:
        resources = int(sys.argv[2]) if len(sys.argv) == 3 else 10000
    except ValueError:
        print(f"RESOURCES must be a number, not `{sys.argv[2]}`", file=sys.stderr)
        return 2
    if resources <= 0 or resources % PER_SERVICE:
        print(f"RESOURCES must be a positive multiple of {PER_SERVICE}", file=sys.stderr)
        return 2
    if os.path.exists(out) and os.listdir(out):
        print(f"`{out}` exists and is not empty", file=sys.stderr)
        return 2
    n = resources // PER_SERVICE
    for d in ("infra", "k8s", ".github/workflows"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    with open(os.path.join(out, "infra/providers.tf"), "w") as f:
        f.write(PROVIDERS_TF)
    for start in range(0, n, SERVICES_PER_TF_FILE):
        with open(os.path.join(out, f"infra/services_{start:05d}.tf"), "w") as f:
            for i in range(start, min(n, start + SERVICES_PER_TF_FILE)):
                f.write(service_tf(i, n))
    for team in range(TEAMS):
        with open(os.path.join(out, f"k8s/team-{team:02d}.yaml"), "w") as f:
            for i in range(team, n, TEAMS):
                f.write(service_k8s(i))
    for i in range(n):
        with open(os.path.join(out, f".github/workflows/deploy-svc{i:05d}.yml"), "w") as f:
            f.write(service_workflow(i))
    # The two OIDC providers are shared infrastructure, not counted in RESOURCES.
    print(f"{out}: {n} services, {resources} resources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
