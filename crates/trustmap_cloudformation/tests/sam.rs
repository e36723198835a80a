//! The SAM transform: Globals, implicit roles with policy templates, function URLs and
//! implicit APIs.

mod common;

use common::yaml;
use trustmap_syntax::Node;

const APP: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: prod}
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        STAGE: !Ref Stage
        SHARED: "1"
  HttpApi:
    Auth:
      DefaultAuthorizer: Jwt
Resources:
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Environment:
        Variables:
          OWN: "2"
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: "*"
        - S3ReadPolicy:
            BucketName: !Ref Data
        - DynamoDBCrudPolicy:
            TableName: items
        - AmazonS3ReadOnlyAccess
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: "*"
        - FancyNewPolicy: {}
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /items
            Method: get
        Old:
          Type: Api
          Properties:
            Path: /old
            Method: get
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt ReaderRole.Arn
  Data:
    Type: AWS::S3::Bucket
"#;

fn ids(e: &common::Evaluated) -> Vec<(&str, &str)> {
    e.template
        .resources
        .iter()
        .map(|r| (r.logical_id.as_str(), r.rtype.as_str()))
        .collect()
}

#[test]
fn generated_resources_follow_their_function() {
    let e = yaml(APP);
    assert!(e.template.sam);
    assert_eq!(
        ids(&e),
        [
            ("Reader", "AWS::Serverless::Function"),
            ("ReaderRole", "AWS::IAM::Role"),
            ("ReaderUrl", "AWS::Lambda::Url"),
            ("ReaderGetPermission", "AWS::Lambda::Permission"),
            ("ReaderOldPermission", "AWS::Lambda::Permission"),
            ("Worker", "AWS::Serverless::Function"),
            ("Data", "AWS::S3::Bucket"),
            ("ServerlessRestApi", "AWS::Serverless::Api"),
            ("ServerlessHttpApi", "AWS::Serverless::HttpApi"),
        ]
    );
    assert_eq!(
        e.diagnostics(),
        [
            "unsupported 35: SAM policy template `FancyNewPolicy` is not known to trustmap; its permissions are not checked"
        ]
    );
}

#[test]
fn globals_are_merged_under_the_function() {
    let e = yaml(APP);
    let vars = e.prop("Reader", &["Environment", "Variables"]);
    let keys: Vec<_> = vars
        .as_map()
        .unwrap()
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(keys, ["STAGE", "SHARED", "OWN"]);
    let stage = vars.get("STAGE").unwrap();
    assert_eq!(stage.as_str(), Some("prod"));
    // Spanned in Globals, where it is written.
    assert_eq!(e.line(stage.span), 10);
    assert_eq!(e.prop("Worker", &["Runtime"]).as_str(), Some("python3.12"));
    // The implicit HTTP API takes Globals.HttpApi.
    assert_eq!(
        e.prop("ServerlessHttpApi", &["Auth", "DefaultAuthorizer"])
            .as_str(),
        Some("Jwt")
    );
    // The implicit REST API deploys to `Prod`.
    assert_eq!(
        e.prop("ServerlessRestApi", &["StageName"]).as_str(),
        Some("Prod")
    );
}

#[test]
fn pushed_events_get_a_permission_for_their_service() {
    let e = yaml(APP);
    let p = e.props("ReaderGetPermission");
    assert_eq!(
        p.get("Principal").and_then(Node::as_str),
        Some("apigateway.amazonaws.com")
    );
    assert_eq!(
        p.get("FunctionName").and_then(Node::as_ref_target),
        Some(("Reader", ""))
    );
    assert!(p.get("SourceArn").is_some_and(Node::is_unknown));
}

#[test]
fn the_implicit_role_holds_the_policies() {
    let e = yaml(APP);
    let role = e.template.resource("ReaderRole").unwrap();
    assert_eq!(e.line(role.span), 16, "spanned at the function");
    assert_eq!(role.via.len(), 1);
    let reader_role = e.prop("Reader", &["Role"]);
    assert_eq!(reader_role.as_ref_target(), Some(("ReaderRole", "Arn")));
    let managed: Vec<_> = e
        .prop("ReaderRole", &["ManagedPolicyArns"])
        .as_seq()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        managed,
        [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ]
    );
    let policies = e.prop("ReaderRole", &["Policies"]).as_seq().unwrap();
    // Three templates, one inline document, one unknown template.
    assert_eq!(policies.len(), 5);
    let doc = |i: usize| policies[i].get("PolicyDocument").unwrap();
    let statement = |i: usize| &doc(i).get("Statement").unwrap().as_seq().unwrap()[0];
    // The secret template: the action at the template name, the resource at its argument.
    let s = statement(0);
    let action = &s.get("Action").unwrap().as_seq().unwrap()[0];
    assert_eq!(action.as_str(), Some("secretsmanager:GetSecretValue"));
    assert_eq!(e.text(action.span), "AWSSecretsManagerGetSecretValuePolicy");
    let resource = &s.get("Resource").unwrap().as_seq().unwrap()[0];
    assert_eq!(resource.as_str(), Some("*"));
    assert_eq!(e.text(resource.span), "\"*\"");
    // A bucket named by reference: its ARNs are unknown.
    let s3 = statement(1);
    assert!(s3.get("Resource").unwrap().as_seq().unwrap()[0].is_unknown());
    // A table in an unknown region and account: unknown too.
    assert!(statement(2).get("Resource").unwrap().as_seq().unwrap()[0].is_unknown());
    assert_eq!(
        doc(3)
            .path(&["Statement"])
            .and_then(Node::as_seq)
            .map(<[_]>::len),
        Some(1)
    );
    assert!(doc(4).is_unknown());
    assert_eq!(
        policies[0].get("PolicyName").and_then(Node::as_str),
        Some("ReaderRolePolicy0")
    );
    // A function with its own role gets none.
    assert!(e.template.resource("WorkerRole").is_none());
    assert_eq!(
        e.prop("Worker", &["Role"]).as_ref_target(),
        Some(("ReaderRole", "Arn"))
    );
}

#[test]
fn the_function_url_is_its_own_resource() {
    let e = yaml(APP);
    let url = e.template.resource("ReaderUrl").unwrap();
    assert!(e.text(url.span).starts_with("FunctionUrlConfig:"));
    assert_eq!(
        e.prop("ReaderUrl", &["TargetFunctionArn"]).as_ref_target(),
        Some(("Reader", ""))
    );
    let auth = e.prop("ReaderUrl", &["AuthType"]);
    assert_eq!(auth.as_str(), Some("NONE"));
    assert_eq!(e.line(auth.span), 37);
}

#[test]
fn templates_without_the_transform_are_not_sam() {
    let e = yaml(
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: x}\n",
    );
    assert!(!e.template.sam);
    assert_eq!(e.template.resources.len(), 1);
}
