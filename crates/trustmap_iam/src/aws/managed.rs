//! AWS-managed policies that are attached by ARN and whose documents are not in the scan.
//!
//! A small table of the ones that matter for reach, summarised from their published
//! documents (AWS Managed Policy Reference Guide): the action patterns and resources that
//! decide what data they expose. A summary never narrows a policy: where AWS lists many
//! read actions one by one, the table uses the service's `Get*`/`List*`/`Describe*`
//! patterns. A policy not in the table is an [`super::UnknownPolicy`].

use trustmap_model::Value;
use trustmap_model::aws::policy::{Effect, PolicyDocument, Statement};
use trustmap_source::Span;

/// `(effect, NotAction?, action patterns, resource patterns)`.
type Stmt = (
    Effect,
    bool,
    &'static [&'static str],
    &'static [&'static str],
);

use Effect::Allow;

const ALL: &[&str] = &["*"];

/// Name → statements.
const POLICIES: &[(&str, &[Stmt])] = &[
    ("AdministratorAccess", &[(Allow, false, &["*"], ALL)]),
    (
        "PowerUserAccess",
        &[
            (Allow, true, &["iam:*", "organizations:*", "account:*"], ALL),
            (
                Allow,
                false,
                &[
                    "iam:CreateServiceLinkedRole",
                    "iam:DeleteServiceLinkedRole",
                    "iam:ListRoles",
                    "organizations:DescribeOrganization",
                    "account:ListRegions",
                    "account:GetAccountInformation",
                ],
                ALL,
            ),
        ],
    ),
    (
        "ReadOnlyAccess",
        &[(
            Allow,
            false,
            &[
                "*:Get*",
                "*:List*",
                "*:Describe*",
                "*:BatchGet*",
                "*:Query",
                "*:Scan",
                "*:Select*",
            ],
            ALL,
        )],
    ),
    (
        "ViewOnlyAccess",
        &[(Allow, false, &["*:List*", "*:Describe*"], ALL)],
    ),
    (
        "SecurityAudit",
        &[(Allow, false, &["*:Get*", "*:List*", "*:Describe*"], ALL)],
    ),
    (
        "IAMFullAccess",
        &[(
            Allow,
            false,
            &["iam:*", "organizations:Describe*", "organizations:List*"],
            ALL,
        )],
    ),
    (
        "IAMReadOnlyAccess",
        &[(
            Allow,
            false,
            &[
                "iam:Get*",
                "iam:List*",
                "iam:GenerateCredentialReport",
                "iam:GenerateServiceLastAccessedDetails",
                "iam:SimulateCustomPolicy",
                "iam:SimulatePrincipalPolicy",
            ],
            ALL,
        )],
    ),
    (
        "AmazonS3FullAccess",
        &[(Allow, false, &["s3:*", "s3-object-lambda:*"], ALL)],
    ),
    (
        "AmazonS3ReadOnlyAccess",
        &[(
            Allow,
            false,
            &[
                "s3:Get*",
                "s3:List*",
                "s3:Describe*",
                "s3-object-lambda:Get*",
                "s3-object-lambda:List*",
            ],
            ALL,
        )],
    ),
    (
        "SecretsManagerReadWrite",
        &[(
            Allow,
            false,
            &[
                "secretsmanager:*",
                "kms:Decrypt",
                "kms:DescribeKey",
                "kms:ListAliases",
                "kms:ListKeys",
                "rds:DescribeDBInstances",
                "rds:DescribeDBClusters",
                "lambda:ListFunctions",
                "tag:GetResources",
            ],
            ALL,
        )],
    ),
    (
        "AmazonDynamoDBFullAccess",
        &[(Allow, false, &["dynamodb:*", "dax:*"], ALL)],
    ),
    (
        "AmazonDynamoDBReadOnlyAccess",
        &[(
            Allow,
            false,
            &[
                "dynamodb:BatchGet*",
                "dynamodb:Describe*",
                "dynamodb:Get*",
                "dynamodb:List*",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:PartiQLSelect",
            ],
            ALL,
        )],
    ),
    (
        "AmazonRDSFullAccess",
        &[(Allow, false, &["rds:*", "rds-db:*"], ALL)],
    ),
    ("AmazonSQSFullAccess", &[(Allow, false, &["sqs:*"], ALL)]),
    (
        "AmazonSQSReadOnlyAccess",
        &[(Allow, false, &["sqs:Get*", "sqs:List*"], ALL)],
    ),
    ("AmazonSNSFullAccess", &[(Allow, false, &["sns:*"], ALL)]),
    (
        "AmazonEC2FullAccess",
        &[(
            Allow,
            false,
            &[
                "ec2:*",
                "elasticloadbalancing:*",
                "cloudwatch:*",
                "autoscaling:*",
            ],
            ALL,
        )],
    ),
    (
        "AmazonSSMFullAccess",
        &[(
            Allow,
            false,
            &["ssm:*", "ec2messages:*", "ssmmessages:*"],
            ALL,
        )],
    ),
    (
        "AmazonSSMReadOnlyAccess",
        &[(
            Allow,
            false,
            &["ssm:Describe*", "ssm:Get*", "ssm:List*"],
            ALL,
        )],
    ),
    (
        "AmazonSSMManagedInstanceCore",
        &[(
            Allow,
            false,
            &[
                "ssm:DescribeAssociation",
                "ssm:GetDeployablePatchSnapshotForInstance",
                "ssm:GetDocument",
                "ssm:DescribeDocument",
                "ssm:GetManifest",
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:ListAssociations",
                "ssm:ListInstanceAssociations",
                "ssm:PutInventory",
                "ssm:PutComplianceItems",
                "ssm:PutConfigurePackageResult",
                "ssm:UpdateAssociationStatus",
                "ssm:UpdateInstanceAssociationStatus",
                "ssm:UpdateInstanceInformation",
                "ssmmessages:*",
                "ec2messages:*",
            ],
            ALL,
        )],
    ),
    (
        "AWSKeyManagementServicePowerUser",
        &[(
            Allow,
            false,
            &[
                "kms:CreateAlias",
                "kms:CreateKey",
                "kms:DeleteAlias",
                "kms:Describe*",
                "kms:GenerateRandom",
                "kms:Get*",
                "kms:List*",
                "kms:TagResource",
                "kms:UntagResource",
                "iam:ListGroups",
                "iam:ListRoles",
                "iam:ListUsers",
            ],
            ALL,
        )],
    ),
    (
        "AWSLambda_FullAccess",
        &[(
            Allow,
            false,
            &[
                "lambda:*",
                "s3:GetBucketLocation",
                "s3:ListAllMyBuckets",
                "logs:*",
                "iam:PassRole",
            ],
            ALL,
        )],
    ),
    (
        "AWSLambdaBasicExecutionRole",
        &[(
            Allow,
            false,
            &[
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            ALL,
        )],
    ),
    (
        "AWSLambdaVPCAccessExecutionRole",
        &[(
            Allow,
            false,
            &[
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "ec2:CreateNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses",
            ],
            ALL,
        )],
    ),
    (
        "AmazonECSTaskExecutionRolePolicy",
        &[(
            Allow,
            false,
            &[
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            ALL,
        )],
    ),
    (
        "AmazonEC2ContainerRegistryReadOnly",
        &[(
            Allow,
            false,
            &[
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:GetRepositoryPolicy",
                "ecr:DescribeRepositories",
                "ecr:ListImages",
                "ecr:DescribeImages",
                "ecr:BatchGetImage",
                "ecr:GetLifecyclePolicy",
                "ecr:GetLifecyclePolicyPreview",
                "ecr:ListTagsForResource",
                "ecr:DescribeImageScanFindings",
            ],
            ALL,
        )],
    ),
    (
        "AmazonEC2ContainerRegistryPowerUser",
        &[(
            Allow,
            false,
            &[
                "ecr:Get*",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "ecr:Describe*",
                "ecr:List*",
                "ecr:InitiateLayerUpload",
                "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload",
                "ecr:PutImage",
            ],
            ALL,
        )],
    ),
    (
        "AmazonEKSWorkerNodePolicy",
        &[(
            Allow,
            false,
            &[
                "ec2:DescribeInstances",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVolumes",
                "ec2:DescribeVolumesModifications",
                "ec2:DescribeVpcs",
                "eks:DescribeCluster",
                "eks-auth:AssumeRoleForPodIdentity",
            ],
            ALL,
        )],
    ),
    (
        "CloudWatchLogsFullAccess",
        &[(Allow, false, &["logs:*", "cloudwatch:GenerateQuery"], ALL)],
    ),
];

/// The names in the table.
pub fn managed_policy_names() -> impl Iterator<Item = &'static str> {
    POLICIES.iter().map(|(n, _)| *n)
}

/// The document of an AWS-managed policy named by ARN or name, every element located at
/// `span` (where the attachment names it). `None` when the table does not have it.
pub fn managed_policy(arn_or_name: &str, span: Span) -> Option<PolicyDocument> {
    let name =
        trustmap_model::aws::iam::aws_managed_policy_name(arn_or_name).unwrap_or(arn_or_name);
    let (_, stmts) = POLICIES.iter().find(|(n, _)| *n == name)?;
    let v = |s: &str| Value::explicit(s.to_string(), span);
    let statements = stmts
        .iter()
        .map(|(effect, not_action, actions, resources)| {
            let list: Vec<Value<String>> = actions.iter().map(|a| v(a)).collect();
            let (actions, not_actions) = if *not_action {
                (Vec::new(), list)
            } else {
                (list, Vec::new())
            };
            Statement {
                span,
                sid: None,
                effect: Value::explicit(*effect, span),
                actions,
                not_actions,
                resources: resources.iter().map(|r| v(r)).collect(),
                not_resources: Vec::new(),
                principals: Vec::new(),
                not_principals: Vec::new(),
                conditions: Vec::new(),
            }
        })
        .collect();
    Some(PolicyDocument { span, statements })
}
