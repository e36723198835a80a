//! A SAM function's `Policies`: managed policy names or ARNs, inline policy documents, and
//! SAM policy templates (`S3ReadPolicy: {BucketName: x}`), which expand into statements.
//!
//! The statements below are the documented permissions of each template (facts from the SAM
//! documentation, written here by hand). Actions are spanned at the template's name, and each
//! resource at the argument that fills it, so a finding points at what to change. A resource
//! that needs something unknown (the region, the account, a generated name) is unknown.

use trustmap_source::Span;
use trustmap_syntax::{Entry, Node, NodeKind, Part};

use super::{entry, map};
use crate::codes;
use crate::eval::Eval;

/// One statement of a template: actions, and resources as ARN patterns where `{Name}` is a
/// template parameter or `Partition`, `Region`, `AccountId`.
struct Statement {
    actions: &'static [&'static str],
    resources: &'static [&'static str],
}

const S3_BUCKET: &[&str] = &[
    "arn:{Partition}:s3:::{BucketName}",
    "arn:{Partition}:s3:::{BucketName}/*",
];
const DYNAMODB_TABLE: &[&str] = &[
    "arn:{Partition}:dynamodb:{Region}:{AccountId}:table/{TableName}",
    "arn:{Partition}:dynamodb:{Region}:{AccountId}:table/{TableName}/index/*",
];

/// `(template, statements)`.
const TEMPLATES: &[(&str, &[Statement])] = &[
    (
        "S3ReadPolicy",
        &[Statement {
            actions: &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            resources: S3_BUCKET,
        }],
    ),
    (
        "S3WritePolicy",
        &[Statement {
            actions: &[
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:PutLifecycleConfiguration",
            ],
            resources: S3_BUCKET,
        }],
    ),
    (
        "S3CrudPolicy",
        &[Statement {
            actions: &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            resources: S3_BUCKET,
        }],
    ),
    (
        "S3FullAccessPolicy",
        &[
            Statement {
                actions: &[
                    "s3:GetObject",
                    "s3:GetObjectAcl",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:DeleteObject",
                    "s3:DeleteObjectTagging",
                    "s3:DeleteObjectVersionTagging",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                resources: &["arn:{Partition}:s3:::{BucketName}/*"],
            },
            Statement {
                actions: &[
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                resources: &["arn:{Partition}:s3:::{BucketName}"],
            },
        ],
    ),
    (
        "DynamoDBCrudPolicy",
        &[Statement {
            actions: &[
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            resources: DYNAMODB_TABLE,
        }],
    ),
    (
        "DynamoDBReadPolicy",
        &[Statement {
            actions: &[
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
            ],
            resources: DYNAMODB_TABLE,
        }],
    ),
    (
        "DynamoDBWritePolicy",
        &[Statement {
            actions: &[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
            ],
            resources: DYNAMODB_TABLE,
        }],
    ),
    (
        "DynamoDBStreamReadPolicy",
        &[
            Statement {
                actions: &[
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                ],
                resources: &[
                    "arn:{Partition}:dynamodb:{Region}:{AccountId}:table/{TableName}/stream/{StreamName}",
                ],
            },
            Statement {
                actions: &["dynamodb:ListStreams"],
                resources: &[
                    "arn:{Partition}:dynamodb:{Region}:{AccountId}:table/{TableName}/stream/*",
                ],
            },
        ],
    ),
    (
        "AWSSecretsManagerGetSecretValuePolicy",
        &[Statement {
            actions: &["secretsmanager:GetSecretValue"],
            resources: &["{SecretArn}"],
        }],
    ),
    (
        "SQSPollerPolicy",
        &[Statement {
            actions: &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            resources: &["arn:{Partition}:sqs:{Region}:{AccountId}:{QueueName}"],
        }],
    ),
    (
        "SQSSendMessagePolicy",
        &[Statement {
            actions: &["sqs:SendMessage*"],
            resources: &["arn:{Partition}:sqs:{Region}:{AccountId}:{QueueName}"],
        }],
    ),
    (
        "SNSPublishMessagePolicy",
        &[Statement {
            actions: &["sns:Publish"],
            resources: &["arn:{Partition}:sns:{Region}:{AccountId}:{TopicName}"],
        }],
    ),
    (
        "LambdaInvokePolicy",
        &[Statement {
            actions: &["lambda:InvokeFunction"],
            resources: &["arn:{Partition}:lambda:{Region}:{AccountId}:function:{FunctionName}*"],
        }],
    ),
    (
        "KMSDecryptPolicy",
        &[Statement {
            actions: &["kms:Decrypt"],
            resources: &["arn:{Partition}:kms:{Region}:{AccountId}:key/{KeyId}"],
        }],
    ),
    (
        "KMSEncryptPolicy",
        &[Statement {
            actions: &["kms:Encrypt"],
            resources: &["arn:{Partition}:kms:{Region}:{AccountId}:key/{KeyId}"],
        }],
    ),
    (
        "SSMParameterReadPolicy",
        &[
            Statement {
                actions: &["ssm:DescribeParameters"],
                resources: &["*"],
            },
            Statement {
                actions: &[
                    "ssm:GetParameters",
                    "ssm:GetParameter",
                    "ssm:GetParametersByPath",
                ],
                resources: &["arn:{Partition}:ssm:{Region}:{AccountId}:parameter/{ParameterName}"],
            },
        ],
    ),
    (
        "StepFunctionsExecutionPolicy",
        &[Statement {
            actions: &["states:StartExecution"],
            resources: &[
                "arn:{Partition}:states:{Region}:{AccountId}:stateMachine:{StateMachineName}",
            ],
        }],
    ),
    (
        "EventBridgePutEventsPolicy",
        &[Statement {
            actions: &["events:PutEvents"],
            resources: &["arn:{Partition}:events:{Region}:{AccountId}:event-bus/{EventBusName}"],
        }],
    ),
    (
        "CloudWatchPutMetricPolicy",
        &[Statement {
            actions: &["cloudwatch:PutMetricData"],
            resources: &["*"],
        }],
    ),
    (
        "VPCAccessPolicy",
        &[Statement {
            actions: &[
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DetachNetworkInterface",
            ],
            resources: &["*"],
        }],
    ),
    (
        "AMIDescribePolicy",
        &[Statement {
            actions: &["ec2:DescribeImages"],
            resources: &["*"],
        }],
    ),
    (
        "EC2DescribePolicy",
        &[Statement {
            actions: &["ec2:DescribeRegions", "ec2:DescribeInstances"],
            resources: &["*"],
        }],
    ),
];

/// AWS-managed policies that live under a path; SAM resolves bare names to these ARNs.
const MANAGED_PATHS: &[(&str, &str)] = &[
    ("AWSLambdaBasicExecutionRole", "service-role/"),
    ("AWSLambdaVPCAccessExecutionRole", "service-role/"),
    ("AWSLambdaRole", "service-role/"),
    ("AWSLambdaSQSQueueExecutionRole", "service-role/"),
    ("AWSLambdaDynamoDBExecutionRole", "service-role/"),
    ("AWSLambdaKinesisExecutionRole", "service-role/"),
    ("AWSLambdaENIManagementAccess", "service-role/"),
    ("AWSLambdaMSKExecutionRole", "service-role/"),
    ("AWSConfigRulesExecutionRole", "service-role/"),
];

/// The ARN SAM uses for a managed policy written by name.
pub fn managed_policy_arn(name: &str) -> String {
    let path = MANAGED_PATHS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, p)| *p);
    format!("arn:aws:iam::aws:policy/{path}{name}")
}

/// True when trustmap knows the permissions of this policy template.
pub fn is_known_template(name: &str) -> bool {
    TEMPLATES.iter().any(|(n, _)| *n == name)
}

/// Sorts the evaluated `Policies` into managed policy ARNs and inline documents.
pub(crate) fn read(
    ev: &mut Eval<'_>,
    policies: &Node,
    managed: &mut Vec<Node>,
    inline: &mut Vec<Node>,
) {
    let items: Vec<&Node> = match &policies.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![policies],
    };
    for item in items {
        match &item.kind {
            NodeKind::String(name) => {
                if name.starts_with("arn:") {
                    managed.push(item.clone());
                } else {
                    let mut n = Node::string(managed_policy_arn(name), item.span);
                    n.via = item.via.clone();
                    managed.push(n);
                }
            }
            // A reference to a managed policy of the template, or an unknown ARN.
            NodeKind::Ref { .. } | NodeKind::Template(_) | NodeKind::Unknown => {
                managed.push(item.clone());
            }
            NodeKind::Map(entries) => {
                if item.get("Statement").is_some() {
                    inline.push(item.clone());
                } else if let [only] = entries.as_slice() {
                    inline.push(template(ev, only));
                } else {
                    ev.diagnose(
                        codes::EVALUATION,
                        "a `Policies` item must be a policy name, a policy document or one policy template",
                        item.span,
                    );
                }
            }
            _ => {}
        }
    }
}

/// One policy template as a policy document; unknown when trustmap does not know it.
fn template(ev: &mut Eval<'_>, t: &Entry) -> Node {
    let span = t.key_span.to(t.value.span);
    let Some((_, statements)) = TEMPLATES.iter().find(|(n, _)| *n == t.key) else {
        ev.diagnose(
            codes::UNSUPPORTED,
            format!(
                "SAM policy template `{}` is not known to trustmap; its permissions are not checked",
                t.key
            ),
            t.key_span,
        );
        return Node::unknown(span);
    };
    let at = t.key_span;
    let statements = statements
        .iter()
        .map(|s| {
            let actions = s.actions.iter().map(|a| Node::string(*a, at)).collect();
            let resources = s
                .resources
                .iter()
                .map(|r| fill(ev, r, &t.value, at))
                .collect();
            map(
                vec![
                    entry("Effect", at, Node::string("Allow", at)),
                    entry("Action", at, Node::new(NodeKind::Seq(actions), at)),
                    entry("Resource", at, Node::new(NodeKind::Seq(resources), at)),
                ],
                span,
            )
        })
        .collect();
    map(
        vec![
            entry("Version", at, Node::string("2012-10-17", at)),
            entry("Statement", at, Node::new(NodeKind::Seq(statements), span)),
        ],
        span,
    )
}

/// An ARN pattern with its placeholders filled from the template's arguments. A pattern
/// that is one placeholder is the argument itself (its span, kind and provenance); otherwise
/// the result is spanned at the argument it used, or the template name.
fn fill(ev: &mut Eval<'_>, pattern: &str, args: &Node, at: Span) -> Node {
    let arg = |name: &str| args.get(name).filter(|_| args.as_map().is_some());
    if let Some(name) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}'))
        && !name.contains('{')
    {
        return arg(name).cloned().unwrap_or_else(|| Node::unknown(at));
    }
    let mut out = String::new();
    let mut span = at;
    let mut via = Vec::new();
    let mut rest = pattern;
    // Pieces once a placeholder is unknown: the ARN stays unknown but keeps the resources
    // it is built from (`arn:…:s3:::${Bucket}/*`), so the graph can join on them.
    let mut parts: Option<Vec<Part>> = None;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        let value = match name {
            "Partition" | "Region" | "AccountId" => ev.reference(&format!("AWS::{name}"), at),
            _ => arg(name).cloned().inspect(|a| {
                span = a.span;
                via.clone_from(&a.via);
            }),
        };
        match value.as_ref().and_then(Node::scalar_text) {
            Some(v) => out.push_str(&v),
            None => {
                let parts = parts.get_or_insert_with(Vec::new);
                parts.push(Part::Text(std::mem::take(&mut out)));
                match value.as_ref().and_then(Node::template_parts) {
                    Some(inner) => parts.extend(inner.iter().cloned()),
                    None => parts.push(Part::Unknown),
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let mut n = match parts {
        None => Node::string(out, span),
        Some(mut parts) => {
            parts.push(Part::Text(out));
            parts.retain(|p| !matches!(p, Part::Text(t) if t.is_empty()));
            if parts.iter().any(|p| matches!(p, Part::Ref { .. })) {
                Node::new(NodeKind::Template(parts), span)
            } else {
                Node::unknown(span)
            }
        }
    };
    n.via = via;
    n
}
