//! One test per kind of edge, on tiny repositories scanned end to end, with the near-miss
//! next to each (the same shape that must not give the edge or the path).

mod common;

use common::{has_edge, paths, scan_files};

const LAMBDA_ROLE_TRUST: &str = r#"
resource "aws_iam_role" "fn" {
  name = "fn-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "export"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_iam_role_policy" "fn" {
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}
"#;

fn function_url(auth: &str) -> String {
    format!(
        r#"{LAMBDA_ROLE_TRUST}
resource "aws_lambda_function_url" "fn" {{
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "{auth}"
}}
"#
    )
}

#[test]
fn public_function_url_reaches_every_secret_its_role_reads() {
    let r = scan_files(&[("main.tf", &function_url("NONE"))]);
    let g = &r.graph;
    assert!(has_edge(
        g,
        "internet",
        "exposes",
        "aws_lambda_function_url.fn"
    ));
    assert!(has_edge(
        g,
        "aws_lambda_function_url.fn",
        "reaches",
        "aws_lambda_function.fn"
    ));
    assert!(has_edge(
        g,
        "aws_lambda_function.fn",
        "runs-as",
        "aws_iam_role.fn"
    ));
    assert!(has_edge(
        g,
        "aws_iam_role.fn",
        "reads",
        "aws_secretsmanager_secret.db"
    ));
    assert_eq!(
        paths(&r),
        [
            "internet > aws_lambda_function_url.fn > aws_lambda_function.fn > aws_iam_role.fn > aws_secretsmanager_secret.db"
        ]
    );
    let p = &r.attack_paths[0].path;
    assert_eq!((p.severity.as_str(), p.score), ("critical", 18));
}

#[test]
fn iam_authenticated_function_url_is_no_path() {
    let r = scan_files(&[("main.tf", &function_url("AWS_IAM"))]);
    assert!(has_edge(
        &r.graph,
        "aws_iam_role.fn",
        "reads",
        "aws_secretsmanager_secret.db"
    ));
    assert!(paths(&r).is_empty(), "{:?}", paths(&r));
}

fn oidc_role(condition: &str) -> String {
    format!(
        r#"
resource "aws_iam_openid_connect_provider" "github" {{
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}}

resource "aws_iam_role" "ci" {{
  name = "ci"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = {{ Federated = aws_iam_openid_connect_provider.github.arn }}
      Condition = {{ StringEquals = {{ {condition} }} }}
    }}]
  }})
}}

resource "aws_s3_bucket" "releases" {{
  bucket = "acme-releases"
}}

resource "aws_iam_role_policy" "ci" {{
  role = aws_iam_role.ci.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["s3:PutObject"], Resource = "${{aws_s3_bucket.releases.arn}}/*" }}]
  }})
}}
"#
    )
}

const PUSH_WORKFLOW: &str = r#"
on:
  push:
    branches: [main]
permissions:
  id-token: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/ci
          aws-region: eu-west-1
"#;

#[test]
fn any_repository_can_assume_an_oidc_role_without_sub() {
    let tf = oidc_role(r#""token.actions.githubusercontent.com:aud" = "sts.amazonaws.com""#);
    let r = scan_files(&[
        ("main.tf", &tf),
        (".github/workflows/release.yml", PUSH_WORKFLOW),
    ]);
    let g = &r.graph;
    assert!(has_edge(
        g,
        "github:any-repo",
        "can-assume",
        "aws_iam_role.ci"
    ));
    // The resource is a computed reference: joined through the policy's source text.
    assert!(has_edge(
        g,
        "aws_iam_role.ci",
        "writes",
        "aws_s3_bucket.releases"
    ));
    assert!(has_edge(
        g,
        ".github/workflows/release.yml#release",
        "can-assume",
        "aws_iam_role.ci"
    ));
    assert_eq!(
        paths(&r),
        ["github:any-repo > aws_iam_role.ci > aws_s3_bucket.releases"]
    );
    assert_eq!(r.attack_paths[0].path.severity.as_str(), "critical");
}

#[test]
fn oidc_role_pinned_to_one_repository_and_branch_is_no_path() {
    let tf = oidc_role(
        r#""token.actions.githubusercontent.com:sub" = "repo:acme/app:ref:refs/heads/main""#,
    );
    let r = scan_files(&[
        ("main.tf", &tf),
        (".github/workflows/release.yml", PUSH_WORKFLOW),
    ]);
    let g = &r.graph;
    assert!(!has_edge(
        g,
        "github:any-repo",
        "can-assume",
        "aws_iam_role.ci"
    ));
    // The workflow on main matches the trust, but a push to main is not untrusted.
    assert!(has_edge(
        g,
        ".github/workflows/release.yml#release",
        "can-assume",
        "aws_iam_role.ci"
    ));
    assert!(paths(&r).is_empty(), "{:?}", paths(&r));
}

#[test]
fn a_workflow_whose_branch_the_trust_does_not_name_gets_no_edge() {
    let tf = oidc_role(
        r#""token.actions.githubusercontent.com:sub" = "repo:acme/app:ref:refs/heads/release""#,
    );
    let r = scan_files(&[
        ("main.tf", &tf),
        (".github/workflows/release.yml", PUSH_WORKFLOW),
    ]);
    assert!(!has_edge(
        &r.graph,
        ".github/workflows/release.yml#release",
        "can-assume",
        "aws_iam_role.ci"
    ));
}

#[test]
fn a_forks_code_run_by_pull_request_target_reaches_the_role() {
    let tf =
        oidc_role(r#""token.actions.githubusercontent.com:sub" = "repo:acme/app:pull_request""#);
    let workflow = r#"
on: pull_request_target
permissions:
  id-token: write
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/ci
          aws-region: eu-west-1
      - run: make preview
"#;
    let r = scan_files(&[
        ("main.tf", &tf),
        (".github/workflows/preview.yml", workflow),
    ]);
    assert!(has_edge(
        &r.graph,
        "github:fork-pull-request",
        "exposes",
        ".github/workflows/preview.yml#preview"
    ));
    assert_eq!(
        paths(&r),
        [
            "github:fork-pull-request > .github/workflows/preview.yml#preview > aws_iam_role.ci > aws_s3_bucket.releases"
        ]
    );
}

fn storefront(service_type: &str, bind: bool) -> String {
    let binding = if bind {
        r#"---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: web-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: web
    namespace: shop
"#
    } else {
        ""
    };
    format!(
        r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: {service_type}
  selector: {{app: web}}
  ports:
    - port: 80
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: secret-reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get"]
{binding}"#
    )
}

#[test]
fn load_balancer_to_privileged_pod_bound_to_cluster_admin() {
    let r = scan_files(&[("k8s.yaml", &storefront("LoadBalancer", true))]);
    let g = &r.graph;
    assert!(has_edge(g, "internet", "exposes", "Service/shop/web"));
    assert!(has_edge(
        g,
        "Service/shop/web",
        "reaches",
        "Deployment/shop/web"
    ));
    assert!(has_edge(
        g,
        "Deployment/shop/web",
        "runs-as",
        "ServiceAccount/shop/web"
    ));
    assert!(has_edge(
        g,
        "Deployment/shop/web",
        "escalates",
        "k8s:node-root"
    ));
    assert!(has_edge(
        g,
        "ServiceAccount/shop/web",
        "administers",
        "k8s:cluster-admin"
    ));
    let mut got = paths(&r);
    got.sort();
    assert_eq!(
        got,
        [
            "internet > Service/shop/web > Deployment/shop/web > ServiceAccount/shop/web > k8s:cluster-admin",
            "internet > Service/shop/web > Deployment/shop/web > k8s:node-root",
        ]
    );
}

#[test]
fn cluster_ip_service_and_unbound_role_give_no_path() {
    let r = scan_files(&[("k8s.yaml", &storefront("ClusterIP", false))]);
    let g = &r.graph;
    assert!(!has_edge(g, "internet", "exposes", "Service/shop/web"));
    // The Role exists but nothing binds it: the account holds nothing.
    assert!(
        g.outgoing(g.by_key("ServiceAccount/shop/web").expect("sa"))
            .next()
            .is_none()
    );
    assert!(paths(&r).is_empty(), "{:?}", paths(&r));
}

#[test]
fn irsa_annotation_joins_the_service_account_to_its_role() {
    let tf = r#"
resource "aws_iam_role" "orders" {
  name = "orders-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
      Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "system:serviceaccount:shop:orders" } }
    }]
  })
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}

resource "aws_iam_role_policy" "orders" {
  role = aws_iam_role.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-invoices/*" }]
  })
}
"#;
    let sa = |name: &str| {
        format!(
            r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: shop
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/orders-api
"#
        )
    };
    let r = scan_files(&[("main.tf", tf), ("sa.yaml", &sa("orders"))]);
    assert!(has_edge(
        &r.graph,
        "ServiceAccount/shop/orders",
        "can-assume",
        "aws_iam_role.orders"
    ));
    assert!(has_edge(
        &r.graph,
        "aws_iam_role.orders",
        "reads",
        "aws_s3_bucket.invoices"
    ));
    // Another account annotated with the same role is refused by the trust's `sub`.
    let r = scan_files(&[("main.tf", tf), ("sa.yaml", &sa("billing"))]);
    assert!(!has_edge(
        &r.graph,
        "ServiceAccount/shop/billing",
        "can-assume",
        "aws_iam_role.orders"
    ));
}

#[test]
fn public_bucket_acl_is_read_by_the_internet() {
    let tf = r#"
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
}
"#;
    let r = scan_files(&[("main.tf", tf)]);
    assert!(has_edge(
        &r.graph,
        "internet",
        "reads",
        "aws_s3_bucket.site"
    ));
    assert_eq!(paths(&r), ["internet > aws_s3_bucket.site"]);
    assert_eq!(r.attack_paths[0].path.severity.as_str(), "high");
}

#[test]
fn administrator_and_escalation_grants_reach_the_account_admin() {
    let tf = r#"
resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user_policy" "ops" {
  user = aws_iam_user.ops.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:AttachUserPolicy"], Resource = "*" }]
  })
}
"#;
    let r = scan_files(&[("main.tf", tf)]);
    let g = &r.graph;
    assert!(has_edge(
        g,
        "aws:any-account",
        "can-assume",
        "aws_iam_role.admin"
    ));
    assert!(has_edge(
        g,
        "aws_iam_role.admin",
        "administers",
        "aws:account-admin"
    ));
    assert!(has_edge(
        g,
        "aws_iam_user.ops",
        "escalates",
        "aws:account-admin"
    ));
    assert_eq!(
        paths(&r),
        ["aws:any-account > aws_iam_role.admin > aws:account-admin"]
    );
    // Any AWS account needs an account of its own: exposure 2 × admin 3 × 3.
    assert_eq!(r.attack_paths[0].path.score, 18);
}

#[test]
fn google_cloud_grants_use_the_role_classification() {
    let tf = r#"
resource "google_storage_bucket" "site" {
  name     = "acme-site"
  location = "EU"
}

resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.site.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_project_iam_member" "ci_owner" {
  project = "acme"
  role    = "roles/owner"
  member  = "serviceAccount:ci@acme.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "ci_metrics" {
  project = "acme"
  role    = "roles/monitoring.viewer"
  member  = "serviceAccount:metrics@acme.iam.gserviceaccount.com"
}
"#;
    let r = scan_files(&[("main.tf", tf)]);
    let g = &r.graph;
    assert!(has_edge(
        g,
        "internet",
        "reads",
        "google_storage_bucket.site"
    ));
    assert!(has_edge(
        g,
        "gcp-service-account:ci@acme.iam.gserviceaccount.com",
        "administers",
        "gcp:project-admin"
    ));
    let metrics = g
        .by_key("gcp-service-account:metrics@acme.iam.gserviceaccount.com")
        .expect("named by its grant");
    assert!(g.outgoing(metrics).next().is_none());
    assert_eq!(paths(&r), ["internet > google_storage_bucket.site"]);
}

#[test]
fn a_queue_anyone_can_write_triggers_the_function_that_reads_a_secret() {
    let template = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
  JobsPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Jobs]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sqs:SendMessage
            Resource: !GetAtt Jobs.Arn
  Token:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: worker/token
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: "*"
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"#;
    let r = scan_files(&[("template.yaml", template)]);
    let g = &r.graph;
    assert!(has_edge(g, "aws:any-account", "writes", "Jobs"));
    assert!(has_edge(g, "Jobs", "triggers", "Worker"));
    assert!(has_edge(g, "WorkerRole", "reads", "Token"));
    assert_eq!(
        paths(&r),
        [
            "aws:any-account > Jobs > Worker > WorkerRole > Token",
            "aws:any-account > Jobs",
        ]
    );
}

#[test]
fn pods_that_mount_a_secret_read_it() {
    let yaml = r#"apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: not-real
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: api:1.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: ["10.0.0.0/8"]
  selector: {app: api}
  ports:
    - port: 443
"#;
    let r = scan_files(&[("k8s.yaml", yaml)]);
    let g = &r.graph;
    assert!(has_edge(
        g,
        "Deployment/shop/api",
        "reads",
        "Secret/shop/db"
    ));
    assert!(has_edge(
        g,
        "Deployment/shop/api",
        "runs-as",
        "ServiceAccount/shop/default"
    ));
    // A load balancer limited to private ranges is not the internet's.
    assert!(!has_edge(g, "internet", "exposes", "Service/shop/api"));
    assert!(paths(&r).is_empty(), "{:?}", paths(&r));
}
