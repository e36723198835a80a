//! Template evaluation: parameters, pseudo parameters, mappings, conditions and every
//! intrinsic function, in YAML short form, long form and JSON.

mod common;

use common::{json, yaml, yaml_with};
use trustmap_cloudformation::is_template;
use trustmap_source::ViaKind;
use trustmap_syntax::NodeKind;

const PARAMS: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: dev
  Names:
    Type: CommaDelimitedList
    Default: "a, b,c"
  Secret:
    Type: String
    NoEcho: true
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Env
      Tags: !Ref Names
      Secret: !Ref Secret
      Ami: !Ref Ami
      Partition: !Ref AWS::Partition
      Region: !Ref "AWS::Region"
"#;

#[test]
fn parameters_take_their_default_and_remember_it() {
    let e = yaml(PARAMS);
    assert!(e.diagnostics().is_empty(), "{:?}", e.diagnostics());
    let name = e.prop("Bucket", &["BucketName"]);
    assert_eq!(name.as_str(), Some("dev"));
    // Spanned at the use site, with the default as a hop.
    assert_eq!(e.text(name.span), "!Ref Env");
    assert_eq!(name.via.len(), 1);
    assert_eq!(e.text(name.via[0].span), "dev");
    assert_eq!(
        name.via[0].kind,
        ViaKind::Other {
            note: "parameter `Env` default".into()
        }
    );
    let tags: Vec<_> = e
        .prop("Bucket", &["Tags"])
        .as_seq()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    assert_eq!(tags, ["a", "b", "c"]);
    assert!(e.prop("Bucket", &["Secret"]).is_unknown());
    assert!(e.prop("Bucket", &["Ami"]).is_unknown(), "SSM-backed");
    assert_eq!(e.prop("Bucket", &["Partition"]).as_str(), Some("aws"));
    assert!(e.prop("Bucket", &["Region"]).is_unknown());
}

#[test]
fn parameter_overrides_win_and_say_so() {
    let e = yaml_with(
        PARAMS,
        &[
            ("Env", "prod"),
            ("Secret", "hunter2"),
            ("AWS::Region", "eu-west-1"),
        ],
    );
    let name = e.prop("Bucket", &["BucketName"]);
    assert_eq!(name.as_str(), Some("prod"));
    assert_eq!(e.text(name.via[0].span), "Env");
    assert_eq!(
        name.via[0].kind,
        ViaKind::Other {
            note: "parameter `Env` (set with --parameter)".into()
        }
    );
    assert_eq!(e.prop("Bucket", &["Secret"]).as_str(), Some("hunter2"));
    assert_eq!(e.prop("Bucket", &["Region"]).as_str(), Some("eu-west-1"));
}

#[test]
fn short_and_long_forms_agree() {
    let e = yaml(
        r#"Parameters:
  Env: {Type: String, Default: prod}
Mappings:
  Sizes:
    prod: {Memory: 1024, Zones: [a, b]}
Resources:
  Short:
    Type: AWS::Lambda::Function
    Properties:
      A: !Sub "arn:${AWS::Partition}:s3:::${Env}-logs/*"
      B: !Join ["-", [x, !Ref Env, y]]
      C: !Select [1, !Split [",", "p,q,r"]]
      D: !FindInMap [Sizes, !Ref Env, Memory]
      E: !Base64 plain
      F: !GetAtt Long.Arn
      G: !Sub ["${Name}-${!Literal}", {Name: !Ref Env}]
      H: !Select [1, !FindInMap [Sizes, prod, Zones]]
  Long:
    Type: AWS::Lambda::Function
    Properties:
      A: {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Env}-logs/*"}
      B: {"Fn::Join": ["-", [x, {Ref: Env}, y]]}
      C: {"Fn::Select": [1, {"Fn::Split": [",", "p,q,r"]}]}
      D: {"Fn::FindInMap": [Sizes, {Ref: Env}, Memory]}
      E: {"Fn::Base64": plain}
      F: {"Fn::GetAtt": [Long, Arn]}
      G: {"Fn::Sub": ["${Name}-${!Literal}", {Name: {Ref: Env}}]}
      H: {"Fn::Select": [1, {"Fn::FindInMap": [Sizes, prod, Zones]}]}
"#,
    );
    assert!(e.diagnostics().is_empty(), "{:?}", e.diagnostics());
    for id in ["Short", "Long"] {
        assert_eq!(
            e.prop(id, &["A"]).as_str(),
            Some("arn:aws:s3:::prod-logs/*")
        );
        assert_eq!(e.prop(id, &["B"]).as_str(), Some("x-prod-y"));
        assert_eq!(e.prop(id, &["C"]).as_str(), Some("q"));
        assert_eq!(e.prop(id, &["D"]).as_i64(), Some(1024));
        assert_eq!(e.prop(id, &["E"]).as_str(), Some("plain"));
        assert_eq!(e.prop(id, &["G"]).as_str(), Some("prod-${Literal}"));
        assert_eq!(e.prop(id, &["H"]).as_str(), Some("b"));
        let f = e.prop(id, &["F"]);
        assert_eq!(f.as_ref_target(), Some(("Long", "Arn")));
    }
    // A mapping value is located where it is used, with the mapping as a hop.
    let d = e.prop("Short", &["D"]);
    assert_eq!(e.text(d.span), "!FindInMap [Sizes, !Ref Env, Memory]");
    assert_eq!(e.text(d.via[0].span), "1024");
    // A Sub that used a parameter keeps its hop.
    assert_eq!(e.text(e.prop("Short", &["A"]).via[0].span), "prod");
}

#[test]
fn references_to_resources_stay_references() {
    let e = yaml(
        r#"Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      Whole: !Sub "${Bucket}"
      Arn: !Sub "${Bucket.Arn}"
      Mixed: !Sub "arn:aws:s3:::${Bucket}/*"
      Joined: !Join ["", ["arn:aws:s3:::", !Ref Bucket]]
      TwoResources: !Sub "${Bucket}-${Policy}"
      Azs: !GetAZs ""
      Imported: !ImportValue shared-vpc
      Cidr: !Cidr ["10.0.0.0/16", 2, 8]
"#,
    );
    assert!(e.diagnostics().is_empty(), "{:?}", e.diagnostics());
    let r = |k| e.prop("Policy", &[k]);
    assert_eq!(r("Bucket").as_ref_target(), Some(("Bucket", "")));
    assert_eq!(e.text(r("Bucket").span), "!Ref Bucket");
    assert_eq!(r("Whole").as_ref_target(), Some(("Bucket", "")));
    assert_eq!(r("Arn").as_ref_target(), Some(("Bucket", "Arn")));
    // Strings built around one resource are unknown, but still name it.
    assert_eq!(r("Mixed").as_ref_target(), Some(("Bucket", "")));
    assert_eq!(r("Joined").as_ref_target(), Some(("Bucket", "")));
    assert_eq!(r("TwoResources").kind, NodeKind::Unknown);
    for k in ["Azs", "Imported", "Cidr"] {
        assert!(matches!(r(k).kind, NodeKind::Unknown), "{k}: {:?}", r(k));
    }
}

#[test]
fn no_value_removes_properties_and_items() {
    let e = yaml(
        r#"Conditions:
  Never: !Equals [a, b]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !If [Never, named, !Ref "AWS::NoValue"]
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - !If [Never, arn:aws:iam::aws:policy/AdministratorAccess, !Ref AWS::NoValue]
"#,
    );
    assert!(e.diagnostics().is_empty(), "{:?}", e.diagnostics());
    assert!(e.props("Role").get("RoleName").is_none());
    assert_eq!(
        e.prop("Role", &["ManagedPolicyArns"])
            .as_seq()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn conditions_decide_resources_and_values() {
    let e = yaml_with(
        r#"Parameters:
  Env: {Type: String, Default: dev}
  Region: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  DevOrProd: {"Fn::Or": [{"Condition": IsProd}, {"Condition": IsDev}]}
  DevAndEu: !And [!Condition IsDev, !Equals [!Ref Region, eu]]
  DevAndNotProd: !And [!Condition IsDev, !Not [!Condition IsProd]]
Resources:
  ProdOnly:
    Type: AWS::S3::Bucket
    Condition: IsProd
  DevOnly:
    Type: AWS::S3::Bucket
    Condition: DevAndNotProd
    Properties:
      AccessControl: !If [IsProd, Private, PublicRead]
      Either: !If [DevAndEu, same, same]
      Differs: !If [DevAndEu, one, two]
      Always: !If [DevOrProd, yes, no]
  Maybe:
    Type: AWS::S3::Bucket
    Condition: DevAndEu
"#,
        &[],
    );
    assert!(e.diagnostics().is_empty(), "{:?}", e.diagnostics());
    let ids: Vec<_> = e
        .template
        .resources
        .iter()
        .map(|r| r.logical_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["DevOnly", "Maybe"],
        "a false condition removes ProdOnly"
    );
    assert_eq!(
        e.prop("DevOnly", &["AccessControl"]).as_str(),
        Some("PublicRead")
    );
    assert_eq!(e.prop("DevOnly", &["Either"]).as_str(), Some("same"));
    assert!(e.prop("DevOnly", &["Differs"]).is_unknown());
    assert_eq!(e.prop("DevOnly", &["Always"]).as_str(), Some("yes"));
    let maybe = e.template.resource("Maybe").unwrap();
    let cond = maybe.condition.as_ref().unwrap();
    assert_eq!((cond.name.as_str(), cond.value), ("DevAndEu", None));
}

#[test]
fn resources_span_from_their_logical_id() {
    let e = yaml(
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: b\n  Other:\n    Type: AWS::S3::Bucket\n",
    );
    let b = e.template.resource("Bucket").unwrap();
    assert_eq!(e.line(b.span), 2);
    assert!(e.text(b.span).starts_with("Bucket:"));
    assert!(e.text(b.span).trim_end().ends_with("BucketName: b"));
    // No Properties: an empty map at the resource.
    let o = e.template.resource("Other").unwrap();
    assert_eq!(o.properties.as_map().map(<[_]>::len), Some(0));
    assert_eq!(o.properties.span, o.span);
}

#[test]
fn json_templates_evaluate_the_same() {
    let e = json(
        r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
  "Resources": {
    "Bucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": {"Fn::Sub": "${Env}-data"},
        "AccessControl": {"Fn::If": ["IsProd", "Private", "PublicRead"]}
      }
    },
    "Policy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {"Bucket": {"Ref": "Bucket"}}
    }
  }
}"#,
    );
    assert!(e.diagnostics().is_empty(), "{:?}", e.diagnostics());
    assert!(is_template(
        &trustmap_syntax::json::parse(&e.file).expect("json")
    ));
    assert_eq!(
        e.prop("Bucket", &["BucketName"]).as_str(),
        Some("prod-data")
    );
    assert_eq!(
        e.prop("Bucket", &["AccessControl"]).as_str(),
        Some("Private")
    );
    let b = e.prop("Policy", &["Bucket"]);
    assert_eq!(b.as_ref_target(), Some(("Bucket", "")));
    assert_eq!(e.text(b.span), r#"{"Ref": "Bucket"}"#);
}

#[test]
fn bad_templates_become_located_diagnostics() {
    let e = yaml(
        r#"Conditions:
  Loop: !Condition Loop
Resources:
  NoType:
    Properties: {}
  NotAMap: 3
  Bucket:
    Type: AWS::S3::Bucket
    Condition: Missing
    Properties:
      A: !Ref Nowhere
      B: !GetAtt Nothing.Arn
      C: !FindInMap [None, a, b]
      D: !If [Loop, a, b]
      E: !Select [5, [a]]
      F: !Frobnicate x
      G: {"Fn::Frobnicate": x}
      H: !Ref AWS::Nope
      I: !Join [",", notalist]
"#,
    );
    let d = e.diagnostics();
    let expect = [
        "evaluation 2: condition `Loop` depends on itself",
        "evaluation 4: resource `NoType` has no `Type`",
        "evaluation 6: resource `NotAMap` is not a mapping",
        "evaluation 9: condition `Missing` is not defined in `Conditions`",
        "evaluation 11: `Ref` to `Nowhere`, which is neither a parameter nor a resource",
        "evaluation 12: `!GetAtt` names `Nothing`, which is not a resource",
        "evaluation 13: `!FindInMap`: mapping `None` has no `a` / `b`",
        "evaluation 15: `!Select` index 5 is out of range for a list of 1",
        "evaluation 16: `!Frobnicate` is not a CloudFormation intrinsic function",
        "unsupported 17: intrinsic function `Fn::Frobnicate` is not supported",
        "evaluation 18: `AWS::Nope` is not a pseudo parameter",
        "evaluation 19: `!Join` expects a list of values to join",
    ];
    for x in expect {
        assert!(d.iter().any(|l| l == x), "missing {x:?} in {d:#?}");
    }
    assert_eq!(d.len(), expect.len(), "{d:#?}");
    // The resource with an unknown condition is still there.
    assert!(e.template.resource("Bucket").is_some());
    assert!(e.prop("Bucket", &["D"]).is_unknown());
}

#[test]
fn detection() {
    let doc = |t: &str| {
        let f = trustmap_source::SourceFile::new(trustmap_source::FileId(0), "x.yaml", t);
        trustmap_syntax::yaml::parse(&f).docs.remove(0)
    };
    assert!(is_template(&doc(
        "AWSTemplateFormatVersion: '2010-09-09'\n"
    )));
    assert!(is_template(&doc(
        "Resources:\n  X:\n    Type: Custom::Thing\n"
    )));
    assert!(is_template(&doc(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
    )));
    assert!(!is_template(&doc("Resources:\n  X:\n    Type: Other\n")));
    assert!(!is_template(&doc(
        "apiVersion: v1\nkind: ConfigMap\nResources:\n  X:\n    Type: AWS::S3::Bucket\n"
    )));
    assert!(!is_template(&doc("- a\n- b\n")));
}

#[test]
fn macros_and_loops_are_reported_as_not_expanded() {
    let e = yaml(
        r#"Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [a, b]
    - Bucket${Name}:
        Type: AWS::S3::Bucket
  Plain:
    Type: AWS::S3::Bucket
"#,
    );
    assert_eq!(
        e.diagnostics(),
        [
            "unsupported 1: transform `AWS::LanguageExtensions` is not expanded; what it generates is not checked",
            "unsupported 3: `Fn::ForEach::Buckets` is not expanded; the resources it generates are not checked",
        ]
    );
    assert!(e.template.sam);
    assert_eq!(e.template.resources.len(), 1);
}
