//! EC2 instances: instance profile → role (`runs-as`, with IMDSv1 called out), and
//! internet exposure through a public IP and a security group open to the world.

mod common;

use common::{has_edge, paths, scan_files};
use trustmap_graph::Relation;

/// A role the instance profile holds, allowed to read one secret.
const ROLE_AND_SECRET: &str = r#"
resource "aws_iam_role" "web" {
  name = "web"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "web" {
  role = aws_iam_role.web.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

resource "aws_iam_instance_profile" "web" {
  name = "web"
  role = aws_iam_role.web.name
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

fn instance(extra: &str) -> String {
    format!(
        r#"{ROLE_AND_SECRET}
resource "aws_instance" "web" {{
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  iam_instance_profile   = aws_iam_instance_profile.web.name
  vpc_security_group_ids = [aws_security_group.web.id]
{extra}
}}
"#
    )
}

/// The instance runs as the profile's role and nothing exposes it.
fn assert_runs_as_role_unexposed(r: &trustmap_engine::Report) {
    let g = &r.graph;
    assert!(has_edge(
        g,
        "aws_instance.web",
        "runs-as",
        "aws_iam_role.web"
    ));
    assert!(!has_edge(g, "internet", "exposes", "aws_instance.web"));
}

fn runs_as_edge(r: &trustmap_engine::Report) -> trustmap_graph::Edge {
    let g = &r.graph;
    g.edges()
        .find(|(_, a, _, e)| e.relation == Relation::RunsAs && g.node(*a).key == "aws_instance.web")
        .map(|(_, _, _, e)| e.clone())
        .expect("runs-as edge")
}

#[test]
fn public_instance_with_imdsv1_reads_the_secret_its_profile_role_reads() {
    let r = scan_files(&[("main.tf", &instance("  associate_public_ip_address = true"))]);
    let g = &r.graph;
    assert!(has_edge(g, "internet", "exposes", "aws_instance.web"));
    assert!(has_edge(
        g,
        "aws_instance.web",
        "runs-as",
        "aws_iam_role.web"
    ));
    let runs_as = runs_as_edge(&r);
    assert!(runs_as.why.contains("IMDSv1"), "{}", runs_as.why);
    assert!(runs_as.conditions.is_empty(), "{:?}", runs_as.conditions);
    assert_eq!(
        paths(&r),
        ["internet > aws_instance.web > aws_iam_role.web > aws_secretsmanager_secret.db"]
    );
}

#[test]
fn imdsv2_keeps_the_edge_with_the_obstacle_as_a_condition() {
    let r = scan_files(&[(
        "main.tf",
        &instance(
            "  associate_public_ip_address = true\n  metadata_options {\n    http_tokens = \"required\"\n  }",
        ),
    )]);
    let runs_as = runs_as_edge(&r);
    assert!(!runs_as.why.contains("IMDSv1"), "{}", runs_as.why);
    assert!(
        runs_as.conditions.iter().any(|c| c.contains("IMDSv2")),
        "{:?}",
        runs_as.conditions
    );
}

#[test]
fn an_instance_without_a_public_ip_is_not_exposed() {
    let r = scan_files(&[(
        "main.tf",
        &instance("  associate_public_ip_address = false"),
    )]);
    assert_runs_as_role_unexposed(&r);
    assert!(paths(&r).is_empty(), "{:?}", paths(&r));
}

#[test]
fn a_subnet_decided_public_ip_is_an_assumed_condition() {
    let r = scan_files(&[("main.tf", &instance(""))]);
    let g = &r.graph;
    let exposes = g
        .edges()
        .find(|(_, a, b, _)| g.node(*a).key == "internet" && g.node(*b).key == "aws_instance.web")
        .map(|(_, _, _, e)| e.clone())
        .expect("exposes edge");
    assert!(
        exposes.conditions.iter().any(|c| c.contains("subnet")),
        "{:?}",
        exposes.conditions
    );
}

#[test]
fn the_launch_template_profile_is_the_instance_role() {
    let tf = format!(
        r#"{ROLE_AND_SECRET}
resource "aws_launch_template" "web" {{
  name = "web"
  iam_instance_profile {{
    name = aws_iam_instance_profile.web.name
  }}
}}

resource "aws_instance" "web" {{
  launch_template {{
    id = aws_launch_template.web.id
  }}
}}
"#
    );
    let r = scan_files(&[("main.tf", &tf)]);
    // Without a security group the instance is behind the VPC's default group.
    assert_runs_as_role_unexposed(&r);
}

#[test]
fn cloudformation_instance_profiles_resolve_to_their_role() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WebRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: ec2.amazonaws.com }
            Action: sts:AssumeRole
  WebProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref WebRole]
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 80
          ToPort: 80
          CidrIp: 0.0.0.0/0
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      IamInstanceProfile: !Ref WebProfile
      NetworkInterfaces:
        - DeviceIndex: "0"
          AssociatePublicIpAddress: true
          GroupSet: [!Ref WebSg]
"#;
    let r = scan_files(&[("stack.yaml", template)]);
    assert!(has_edge(&r.graph, "Web", "runs-as", "WebRole"));
    assert!(has_edge(&r.graph, "internet", "exposes", "Web"));
}
