//! Joins between AWS resources, declared in one place.
//!
//! A part names its parent either by reference (`bucket = aws_s3_bucket.b.id`, evaluated to a
//! `Ref` carrying the address), by name (`bucket = "logs"`) or by ARN
//! (`role = "arn:aws:iam::123456789012:role/ci"`). [`TARGETS`] lists, for each kind of parent,
//! the resource types that define it and the argument holding its name; [`Index::link`]
//! resolves any of the three forms to the parent's position in its model list.

use std::collections::HashMap;

use trustmap_cloudformation::{Resource as CfnResource, Template};
use trustmap_model::aws::Link;
use trustmap_model::aws::policy::host_of_url;
use trustmap_source::FileId;
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::{Mode, TfResource};

use super::read;

/// What a reference can point at; each is one list of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Bucket,
    Role,
    User,
    Group,
    ManagedPolicy,
    SecurityGroup,
    LaunchTemplate,
    Function,
    OidcProvider,
    DbCluster,
    Api,
    ApiIntegration,
    ApiStage,
    Queue,
    Topic,
    KmsKey,
    Secret,
    Repository,
    Vpc,
    InstanceProfile,
}

/// `(target, mode, resource type, argument that holds the name)`, in model-list order: the
/// position of a resource among the rows of its target is its index in the model list.
pub(crate) const TARGETS: &[(Target, Mode, &str, Option<&str>)] = &[
    (
        Target::Bucket,
        Mode::Managed,
        "aws_s3_bucket",
        Some("bucket"),
    ),
    (Target::Role, Mode::Managed, "aws_iam_role", Some("name")),
    (Target::User, Mode::Managed, "aws_iam_user", Some("name")),
    (Target::Group, Mode::Managed, "aws_iam_group", Some("name")),
    (
        Target::ManagedPolicy,
        Mode::Managed,
        "aws_iam_policy",
        Some("name"),
    ),
    (
        Target::SecurityGroup,
        Mode::Managed,
        "aws_security_group",
        None,
    ),
    (
        Target::LaunchTemplate,
        Mode::Managed,
        "aws_launch_template",
        Some("name"),
    ),
    (
        Target::LaunchTemplate,
        Mode::Managed,
        "aws_launch_configuration",
        Some("name"),
    ),
    (
        Target::Function,
        Mode::Managed,
        "aws_lambda_function",
        Some("function_name"),
    ),
    (
        Target::OidcProvider,
        Mode::Managed,
        "aws_iam_openid_connect_provider",
        Some("url"),
    ),
    (
        Target::OidcProvider,
        Mode::Data,
        "aws_iam_openid_connect_provider",
        Some("url"),
    ),
    (
        Target::DbCluster,
        Mode::Managed,
        "aws_rds_cluster",
        Some("cluster_identifier"),
    ),
    // REST APIs first, then v2 APIs: the order `apigw::adapt` fills `ApiGateway::apis`.
    (Target::Api, Mode::Managed, "aws_api_gateway_rest_api", None),
    (Target::Api, Mode::Managed, "aws_apigatewayv2_api", None),
    // `apigw::adapt` appends one more integration per quick-create `aws_apigatewayv2_api`
    // (one with `target`) after these rows: integrations from other languages go after those.
    (
        Target::ApiIntegration,
        Mode::Managed,
        "aws_api_gateway_integration",
        None,
    ),
    (
        Target::ApiIntegration,
        Mode::Managed,
        "aws_apigatewayv2_integration",
        None,
    ),
    (
        Target::ApiStage,
        Mode::Managed,
        "aws_api_gateway_stage",
        Some("stage_name"),
    ),
    (
        Target::ApiStage,
        Mode::Managed,
        "aws_apigatewayv2_stage",
        Some("name"),
    ),
    (Target::Queue, Mode::Managed, "aws_sqs_queue", Some("name")),
    (Target::Topic, Mode::Managed, "aws_sns_topic", Some("name")),
    (Target::KmsKey, Mode::Managed, "aws_kms_key", None),
    (
        Target::Secret,
        Mode::Managed,
        "aws_secretsmanager_secret",
        Some("name"),
    ),
    (
        Target::Repository,
        Mode::Managed,
        "aws_ecr_repository",
        Some("name"),
    ),
    (Target::Vpc, Mode::Managed, "aws_vpc", None),
    (Target::Vpc, Mode::Managed, "aws_default_vpc", None),
    (
        Target::InstanceProfile,
        Mode::Managed,
        "aws_iam_instance_profile",
        Some("name"),
    ),
];

/// CloudFormation's rows of the join table: `(target, resource type, property that holds
/// the name)`. Their positions follow the Terraform rows of the same target, in this order
/// (every template's resources of the first type, then of the next), which is the order the
/// CloudFormation adapters append to the model lists.
pub(crate) const CFN_TARGETS: &[(Target, &str, Option<&str>)] = &[
    (Target::Bucket, "AWS::S3::Bucket", Some("BucketName")),
    (Target::Role, "AWS::IAM::Role", Some("RoleName")),
    (Target::User, "AWS::IAM::User", Some("UserName")),
    (Target::Group, "AWS::IAM::Group", Some("GroupName")),
    (
        Target::ManagedPolicy,
        "AWS::IAM::ManagedPolicy",
        Some("ManagedPolicyName"),
    ),
    (Target::SecurityGroup, "AWS::EC2::SecurityGroup", None),
    (
        Target::LaunchTemplate,
        "AWS::EC2::LaunchTemplate",
        Some("LaunchTemplateName"),
    ),
    (
        Target::LaunchTemplate,
        "AWS::AutoScaling::LaunchConfiguration",
        Some("LaunchConfigurationName"),
    ),
    (
        Target::Function,
        "AWS::Lambda::Function",
        Some("FunctionName"),
    ),
    (
        Target::Function,
        "AWS::Serverless::Function",
        Some("FunctionName"),
    ),
    (Target::OidcProvider, "AWS::IAM::OIDCProvider", Some("Url")),
    // REST APIs first, then v2 APIs, as `cloudformation::apigw::adapt` appends them.
    (Target::Api, "AWS::ApiGateway::RestApi", None),
    (Target::Api, "AWS::Serverless::Api", None),
    (Target::Api, "AWS::ApiGatewayV2::Api", None),
    (Target::Api, "AWS::Serverless::HttpApi", None),
    (
        Target::ApiIntegration,
        "AWS::ApiGatewayV2::Integration",
        None,
    ),
    (Target::ApiStage, "AWS::ApiGateway::Stage", None),
    (Target::ApiStage, "AWS::ApiGatewayV2::Stage", None),
    (Target::Vpc, "AWS::EC2::VPC", None),
    (
        Target::DbCluster,
        "AWS::RDS::DBCluster",
        Some("DBClusterIdentifier"),
    ),
    (Target::Queue, "AWS::SQS::Queue", Some("QueueName")),
    (Target::Topic, "AWS::SNS::Topic", Some("TopicName")),
    (Target::KmsKey, "AWS::KMS::Key", None),
    (Target::Secret, "AWS::SecretsManager::Secret", Some("Name")),
    (
        Target::Repository,
        "AWS::ECR::Repository",
        Some("RepositoryName"),
    ),
    (
        Target::InstanceProfile,
        "AWS::IAM::InstanceProfile",
        Some("InstanceProfileName"),
    ),
];

/// Resources grouped by type, plus the lookups that resolve links.
pub(crate) struct Index<'a> {
    by_type: HashMap<(Mode, String), Vec<&'a TfResource>>,
    by_address: HashMap<&'a str, &'a TfResource>,
    positions: HashMap<(Target, &'a str), usize>,
    names: HashMap<(Target, String), usize>,
    /// CloudFormation resources by type, in template order.
    cfn_by_type: HashMap<&'a str, Vec<&'a CfnResource>>,
    /// Logical ids are scoped to their template (file).
    cfn_by_id: HashMap<(FileId, &'a str), &'a CfnResource>,
    cfn_positions: HashMap<(Target, FileId, &'a str), usize>,
}

impl<'a> Index<'a> {
    /// Terraform resources and CloudFormation templates, joined in one table.
    pub(crate) fn with_templates(resources: &'a [TfResource], templates: &'a [Template]) -> Self {
        let mut by_type: HashMap<(Mode, String), Vec<&TfResource>> = HashMap::new();
        let mut by_address = HashMap::new();
        for r in resources {
            by_type
                .entry((r.mode, r.rtype.clone()))
                .or_default()
                .push(r);
            by_address.entry(r.address.as_str()).or_insert(r);
        }
        let mut index = Self {
            by_type,
            by_address,
            positions: HashMap::new(),
            names: HashMap::new(),
            cfn_by_type: HashMap::new(),
            cfn_by_id: HashMap::new(),
            cfn_positions: HashMap::new(),
        };
        for r in templates.iter().flat_map(|t| &t.resources) {
            // Properties decided by an unknown condition as a whole: nothing to read, and
            // reading an unknown map as empty would invent provider defaults.
            if r.properties.as_map().is_some() {
                index
                    .cfn_by_type
                    .entry(r.rtype.as_str())
                    .or_default()
                    .push(r);
            }
            index
                .cfn_by_id
                .entry((r.span.file, r.logical_id.as_str()))
                .or_insert(r);
        }
        let mut next: HashMap<Target, usize> = HashMap::new();
        for &(target, mode, rtype, name_arg) in TARGETS {
            let rows = index.of(mode, rtype).to_vec();
            for r in rows {
                let pos = next.entry(target).or_insert(0);
                index.positions.insert((target, r.address.as_str()), *pos);
                if let Some(name) = name_arg
                    .and_then(|a| read::attr(&r.body, a))
                    .and_then(Node::as_str)
                {
                    index
                        .names
                        .entry((target, name_key(target, name)))
                        .or_insert(*pos);
                }
                *pos += 1;
            }
        }
        for &(target, rtype, name_prop) in CFN_TARGETS {
            for r in index.cfn(rtype).to_vec() {
                let pos = next.entry(target).or_insert(0);
                index
                    .cfn_positions
                    .insert((target, r.span.file, r.logical_id.as_str()), *pos);
                if let Some(name) = name_prop
                    .and_then(|p| read::attr(&r.properties, p))
                    .and_then(Node::as_str)
                {
                    index
                        .names
                        .entry((target, name_key(target, name)))
                        .or_insert(*pos);
                }
                *pos += 1;
            }
        }
        index
    }

    /// Every CloudFormation resource of a type, in template order.
    pub(crate) fn cfn(&self, rtype: &str) -> &[&'a CfnResource] {
        self.cfn_by_type.get(rtype).map_or(&[][..], Vec::as_slice)
    }

    /// The CloudFormation resource with a logical id in the template of `file`.
    pub(crate) fn cfn_resource(&self, file: FileId, logical_id: &str) -> Option<&'a CfnResource> {
        self.cfn_by_id.get(&(file, logical_id)).copied()
    }

    /// The position of a CloudFormation resource in its target's model list.
    pub(crate) fn cfn_position(
        &self,
        target: Target,
        file: FileId,
        logical_id: &str,
    ) -> Option<usize> {
        self.cfn_positions.get(&(target, file, logical_id)).copied()
    }

    /// Every resource (or data source) of a type, in input order.
    pub(crate) fn of(&self, mode: Mode, rtype: &str) -> &[&'a TfResource] {
        self.by_type
            .get(&(mode, rtype.to_string()))
            .map_or(&[][..], Vec::as_slice)
    }

    pub(crate) fn managed(&self, rtype: &str) -> &[&'a TfResource] {
        self.of(Mode::Managed, rtype)
    }

    /// The resource or data source at an address.
    pub(crate) fn resource(&self, address: &str) -> Option<&'a TfResource> {
        self.by_address.get(address).copied()
    }

    /// The position of a resource in its target's model list.
    pub(crate) fn position(&self, target: Target, address: &str) -> Option<usize> {
        self.positions.get(&(target, address)).copied()
    }

    /// Resolves an argument that names a `target` by reference, name or ARN.
    pub(crate) fn link(&self, target: Target, n: &Node) -> Link {
        let (text, found) = match &n.kind {
            // A Terraform address, or a CloudFormation logical id of the template the
            // reference is written in (the two never collide: addresses contain a dot).
            NodeKind::Ref { address, .. } => (
                Some(address.clone()),
                self.position(target, address)
                    .or_else(|| self.cfn_position(target, n.span.file, address)),
            ),
            // `integrations/${aws_apigatewayv2_integration.i.id}`, `${aws_sqs_queue.q.arn}/*`:
            // a reference that is a whole segment of the string names the target.
            NodeKind::Template(_) => {
                crate::terraform_join::template_link(n, |address| self.position(target, address))
            }
            _ => match n.scalar_text() {
                Some(s) => {
                    let found = name_in(target, &s)
                        .and_then(|name| self.names.get(&(target, name_key(target, name))))
                        .copied();
                    (Some(s), found)
                }
                None => (None, None),
            },
        };
        Link {
            text,
            span: n.span,
            via: n.via.clone(),
            target: found,
        }
    }

    /// A link from a name or ARN found inside another value (an invoke URI), spanned at `at`.
    pub(crate) fn link_text(&self, target: Target, text: &str, at: &Node) -> Link {
        let found = name_in(target, text)
            .and_then(|name| self.names.get(&(target, name_key(target, name))))
            .copied();
        Link {
            text: Some(text.to_string()),
            span: at.span,
            via: at.via.clone(),
            target: found,
        }
    }

    /// [`Index::link`] on an argument of `body`; unknown when the argument is omitted.
    pub(crate) fn link_at(
        &self,
        target: Target,
        body: &Node,
        key: &str,
        at: trustmap_source::Span,
    ) -> Link {
        read::attr(body, key).map_or_else(|| Link::unknown(at), |n| self.link(target, n))
    }
}

/// A link the model keeps unresolved (nothing in the scan is its target): its text is the
/// referenced address or logical id, or the literal as written.
pub(crate) fn unresolved(n: &Node) -> Link {
    Link {
        text: n
            .as_ref_target()
            .map(|(address, _)| address.to_string())
            .or_else(|| n.scalar_text()),
        span: n.span,
        via: n.via.clone(),
        target: None,
    }
}

/// The name a literal denotes for a target: the literal itself, or the name inside an ARN.
fn name_in(target: Target, s: &str) -> Option<&str> {
    // A queue is also named by its URL: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.
    if target == Target::Queue && s.starts_with("https://") {
        return s.trim_end_matches('/').rsplit('/').next();
    }
    if !s.starts_with("arn:") {
        return Some(s);
    }
    // arn:partition:service:region:account:resource
    let mut parts = s.splitn(6, ':');
    let account = parts.nth(4)?;
    let resource = parts.next()?;
    // AWS-managed policies are never defined in the scan.
    if account == "aws" {
        return None;
    }
    let after = |prefix: &str| resource.strip_prefix(prefix);
    match target {
        Target::Bucket => Some(resource.split('/').next().unwrap_or(resource)),
        Target::Role => after("role/").and_then(|r| r.rsplit('/').next()),
        Target::User => after("user/").and_then(|r| r.rsplit('/').next()),
        Target::Group => after("group/").and_then(|r| r.rsplit('/').next()),
        Target::ManagedPolicy => after("policy/").and_then(|r| r.rsplit('/').next()),
        Target::Function => after("function:").map(|r| r.split(':').next().unwrap_or(r)),
        Target::OidcProvider => after("oidc-provider/"),
        Target::DbCluster => after("cluster:"),
        Target::Queue | Target::Topic => Some(resource),
        // arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf (a random suffix).
        Target::Secret => after("secret:").map(|r| match r.rsplit_once('-') {
            Some((name, suffix)) if suffix.len() == 6 => name,
            _ => r,
        }),
        Target::Repository => after("repository/"),
        Target::InstanceProfile => after("instance-profile/").and_then(|r| r.rsplit('/').next()),
        Target::SecurityGroup
        | Target::LaunchTemplate
        | Target::Api
        | Target::ApiIntegration
        | Target::ApiStage
        | Target::KmsKey
        | Target::Vpc => None,
    }
}

/// Names are compared as AWS compares them: OIDC providers by issuer host.
fn name_key(target: Target, name: &str) -> String {
    match target {
        Target::OidcProvider => host_of_url(name),
        _ => name.to_string(),
    }
}
