//! CloudFormation and SAM into the AWS model: defaults located at the resource that omitted
//! them, joins by `Ref`/`Fn::GetAtt` scoped to their template, positions shared with
//! Terraform, and what SAM generates (implicit roles, function URLs, triggers and routes).

use trustmap_cloudformation::{Options, Template};
use trustmap_model::aws::Aws;
use trustmap_model::aws::iam::{IdentityKind, PolicyKind};
use trustmap_model::aws::lambda::TriggerKind;
use trustmap_source::{FileId, SourceFile};
use trustmap_syntax::Node;
use trustmap_terraform::{Mode, TfOutput, TfResource};

fn template(id: u32, text: &str) -> (SourceFile, Template) {
    let file = SourceFile::new(FileId(id), format!("t{id}.yaml"), text);
    let parsed = trustmap_syntax::yaml::parse(&file);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let t = trustmap_cloudformation::evaluate(&file, &parsed.docs[0], &Options::default());
    assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
    (file, t)
}

fn adapt(templates: &[Template]) -> Aws {
    crate::aws::from_sources(&TfOutput::default(), templates)
}

fn text(file: &SourceFile, span: trustmap_source::Span) -> &str {
    file.slice(span)
}

#[test]
fn s3_defaults_are_located_at_the_bucket_that_omits_them() {
    let (file, t) = template(
        0,
        "Resources:
  Plain:
    Type: AWS::S3::Bucket
  Partial:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicReadWrite
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
",
    );
    let aws = adapt(&[t]);
    let s3 = &aws.s3;
    assert_eq!(s3.buckets.len(), 2);
    // The default ACL of `Plain`, at the bucket.
    let plain_acl: Vec<_> = s3.acls_of(0).collect();
    assert_eq!(plain_acl.len(), 1);
    let canned = plain_acl[0].canned.as_ref().expect("canned");
    assert!(canned.is_default() && canned.get().map(String::as_str) == Some("private"));
    assert!(text(&file, canned.span).starts_with("Plain:"));
    // An explicit ACL in CloudFormation's spelling, normalised to S3's.
    let partial_acl: Vec<_> = s3.acls_of(1).collect();
    let canned = partial_acl[0].canned.as_ref().expect("canned");
    assert_eq!(canned.get().map(String::as_str), Some("public-read-write"));
    assert_eq!(text(&file, canned.span), "PublicReadWrite");
    // Flags left out default to false, located at the configuration block.
    let block = s3.blocks_for(1).next().expect("block");
    assert!(block.block_public_acls.is_true());
    assert!(block.restrict_public_buckets.is_default());
    assert!(text(&file, block.restrict_public_buckets.span).starts_with("BlockPublicAcls"));
}

#[test]
fn iam_policies_attach_to_every_listed_identity() {
    let (_, t) = template(
        0,
        "Resources:
  A:
    Type: AWS::IAM::Role
  B:
    Type: AWS::IAM::Role
  U:
    Type: AWS::IAM::User
  G:
    Type: AWS::IAM::Group
  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: shared
      Roles: [!Ref A, !Ref B]
      PolicyDocument: {Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Users: [!Ref U]
      PolicyDocument: {Statement: [{Effect: Allow, Action: 'ec2:*', Resource: '*'}]}
  Membership:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: !Ref G
      Users: [!Ref U]
",
    );
    let aws = adapt(&[t]);
    let iam = &aws.iam;
    let owners: Vec<_> = iam
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Inline)
        .filter_map(|p| p.owner.as_ref().map(|o| (o.kind, o.link.target)))
        .collect();
    assert_eq!(
        owners,
        [(IdentityKind::Role, Some(0)), (IdentityKind::Role, Some(1))]
    );
    let attachment = &iam.attachments[0];
    assert_eq!(attachment.to.kind, IdentityKind::User);
    assert_eq!(attachment.to.link.target, Some(0));
    assert!(attachment.policy_arn.is_unknown());
    let managed = &iam.policies[attachment.policy.expect("joined")];
    assert_eq!(managed.meta.address, "Managed");
    assert_eq!(iam.memberships.len(), 1);
    assert_eq!(iam.memberships[0].group.target, Some(0));
}

#[test]
fn instance_profiles_join_roles_instances_and_launch_templates() {
    let (_, t) = template(
        0,
        "Resources:
  Role:
    Type: AWS::IAM::Role
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Sg:
    Type: AWS::EC2::SecurityGroup
  Web:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
      NetworkInterfaces:
        - DeviceIndex: '0'
          AssociatePublicIpAddress: true
          GroupSet: [!Ref Sg]
  Private:
    Type: AWS::EC2::Instance
    Properties:
      SecurityGroupIds: [!GetAtt Sg.GroupId]
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile: {Arn: !GetAtt Profile.Arn}
",
    );
    let aws = adapt(&[t]);
    assert_eq!(
        aws.iam.instance_profiles[0]
            .role
            .as_ref()
            .and_then(|l| l.target),
        Some(0)
    );
    let web = &aws.ec2.instances[0];
    assert_eq!(
        web.instance_profile.as_ref().and_then(|l| l.target),
        Some(0)
    );
    assert_eq!(web.public_ip.get(), Some(&Some(true)));
    assert_eq!(web.security_groups[0].target, Some(0));
    let private = &aws.ec2.instances[1];
    assert!(private.instance_profile.is_none());
    assert_eq!(private.public_ip.get(), Some(&None));
    assert_eq!(private.security_groups[0].target, Some(0));
    let lt = &aws.ec2.launch_templates[0];
    assert_eq!(lt.instance_profile.as_ref().and_then(|l| l.target), Some(0));
}

#[test]
fn ec2_instances_defer_to_their_launch_template_and_rules_join_their_group() {
    let (file, t) = template(
        0,
        "Resources:
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required}
  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Lt, Version: '1'}
  Bare:
    Type: AWS::EC2::Instance
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Sg.GroupId
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
",
    );
    let aws = adapt(&[t]);
    let ec2 = &aws.ec2;
    assert!(ec2.instances[0].metadata.is_none());
    assert_eq!(
        ec2.instances[0]
            .launch_template
            .as_ref()
            .and_then(|l| l.target),
        Some(0)
    );
    let bare = ec2.instances[1].metadata.as_ref().expect("defaults");
    assert_eq!(bare.allows_v1(), Some(true));
    assert!(text(&file, bare.http_tokens.span).starts_with("Bare:"));
    assert_eq!(ec2.launch_templates[0].metadata.allows_v1(), Some(false));
    assert_eq!(ec2.sg_rules[0].group.target, Some(0));
    assert_eq!(ec2.sg_rules[0].opens_tcp_port(22), Some(true));
}

#[test]
fn sam_functions_get_their_role_url_triggers_and_routes() {
    let (file, t) = template(
        0,
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      FunctionUrlConfig: {AuthType: NONE}
      Policies: [AmazonS3ReadOnlyAccess]
      Events:
        Get:
          Type: HttpApi
          Properties: {Path: /items, Method: get}
        Post:
          Type: Api
          Properties:
            Path: /items
            Method: post
            RestApiId: !Ref Shop
            Auth: {Authorizer: AWS_IAM}
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}
        Queue:
          Type: SQS
          Properties: {Queue: arn:aws:sqs:eu-west-1:111122223333:jobs}
  Shop:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod}
  Uploads:
    Type: AWS::S3::Bucket
",
    );
    let aws = adapt(&[t]);
    let f = &aws.lambda.functions[0];
    // The implicit role, joined by the reference SAM writes.
    let role = &aws.iam.roles[f.role.target.expect("implicit role")];
    assert_eq!(role.meta.address, "FnRole");
    assert_eq!(
        aws.iam
            .attachments
            .iter()
            .filter_map(|a| a.aws_managed_name())
            .collect::<Vec<_>>(),
        ["AWSLambdaBasicExecutionRole", "AmazonS3ReadOnlyAccess"]
    );
    assert_eq!(aws.lambda.urls[0].function.target, Some(0));
    assert_eq!(aws.lambda.urls[0].meta.address, "FnUrl");
    // Triggers, with their sources.
    let kinds: Vec<_> = f
        .triggers
        .iter()
        .map(|t| (t.kind.clone(), t.source.get().cloned()))
        .collect();
    assert_eq!(
        kinds,
        [
            (TriggerKind::HttpApi, Some("GET /items".to_string())),
            (TriggerKind::Api, Some("POST /items".to_string())),
            (TriggerKind::S3, Some("Uploads".to_string())),
            (
                TriggerKind::Sqs,
                Some("arn:aws:sqs:eu-west-1:111122223333:jobs".to_string())
            ),
        ]
    );
    // API events are routes of the API they name (the implicit HTTP API here), with the
    // function as their integration and their authorization on the trigger.
    let get = &aws.apigw.routes[f.triggers[0].route.expect("route")];
    let api = &aws.apigw.apis[get.api.target.expect("implicit API")];
    assert_eq!(api.meta.address, "ServerlessHttpApi");
    let auth = f.triggers[0].auth.as_ref().expect("auth");
    assert!(auth.is_default() && auth.get().map(String::as_str) == Some("NONE"));
    assert!(text(&file, auth.span).starts_with("Get:"));
    let integration = &aws.apigw.integrations[get.integration.target.expect("integration")];
    assert_eq!(
        integration.function.as_ref().and_then(|l| l.target),
        Some(0)
    );
    let post = &aws.apigw.routes[f.triggers[1].route.expect("route")];
    assert_eq!(
        aws.apigw.apis[post.api.target.expect("api")].meta.address,
        "Shop"
    );
    assert_eq!(
        post.authorization.get().map(String::as_str),
        Some("AWS_IAM")
    );
    // S3 pushes events through a generated permission; SQS is polled and needs none.
    let principals: Vec<_> = aws
        .lambda
        .permissions
        .iter()
        .map(|p| {
            (
                p.meta.address.as_str(),
                p.principal.get().cloned(),
                p.function.target,
            )
        })
        .collect();
    assert!(
        principals.contains(&(
            "FnUploadPermission",
            Some("s3.amazonaws.com".into()),
            Some(0)
        )),
        "{principals:?}"
    );
    assert!(!principals.iter().any(|(a, ..)| *a == "FnQueuePermission"));
}

#[test]
fn cloudformation_rows_follow_terraform_rows_in_every_list() {
    let body = Node::new(
        trustmap_syntax::NodeKind::Map(vec![trustmap_syntax::Entry {
            key: "bucket".into(),
            key_span: Default::default(),
            value: Node::string("tf-bucket", Default::default()),
        }]),
        Default::default(),
    );
    let tf = TfOutput {
        resources: vec![TfResource {
            mode: Mode::Managed,
            rtype: "aws_s3_bucket".into(),
            name: "tf".into(),
            address: "aws_s3_bucket.tf".into(),
            body,
            span: Default::default(),
            via: Vec::new(),
        }],
        ..TfOutput::default()
    };
    let (_, a) = template(
        1,
        "Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument: {Statement: []}
  ByName:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: tf-bucket
      PolicyDocument: {Statement: []}
",
    );
    // The same logical id in another template is another bucket.
    let (_, b) = template(2, "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n");
    let aws = crate::aws::from_sources(&tf, &[a, b]);
    let addresses: Vec<_> = aws
        .s3
        .buckets
        .iter()
        .map(|b| b.meta.address.as_str())
        .collect();
    assert_eq!(addresses, ["aws_s3_bucket.tf", "Bucket", "Bucket"]);
    assert_eq!(aws.s3.policies[0].bucket.target, Some(1));
    assert_eq!(aws.s3.policies[1].bucket.target, Some(0), "joined by name");
}

#[test]
fn resources_whose_properties_are_unknown_are_left_out() {
    let (_, t) = template(
        0,
        "Parameters:
  Mode: {Type: String}
Conditions:
  Open: !Equals [!Ref Mode, open]
Resources:
  Maybe:
    Type: AWS::S3::Bucket
    Properties: !If [Open, {AccessControl: PublicRead}, {AccessControl: Private}]
",
    );
    assert!(t.resources[0].properties.is_unknown());
    let aws = adapt(&[t]);
    assert!(aws.s3.buckets.is_empty());
    assert!(aws.s3.acls.is_empty());
}
