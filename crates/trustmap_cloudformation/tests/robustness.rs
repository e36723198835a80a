//! Hostile templates: amplification, deep condition chains, garbage in every slot.

mod common;

use std::fmt::Write as _;

use common::yaml;
use proptest::prelude::*;
use trustmap_cloudformation::{Options, evaluate};
use trustmap_source::{FileId, SourceFile};

#[test]
fn substitution_bombs_hit_the_budget() {
    // A 1 MiB default substituted 200 times would be 200 MiB of output.
    let big = "x".repeat(1 << 20);
    let mut t = format!("Parameters:\n  P:\n    Type: String\n    Default: {big}\nResources:\n");
    for i in 0..200 {
        writeln!(
            t,
            "  R{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${{P}}\""
        )
        .unwrap();
    }
    let e = yaml(&t);
    let d = e.diagnostics();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("size budget"), "{d:?}");
    // Past the budget everything is unknown, the properties map included.
    assert!(e.template.resource("R199").unwrap().properties.is_unknown());
}

#[test]
fn mapping_copies_hit_the_budget() {
    let list: Vec<String> = (0..5000).map(|i| format!("v{i}")).collect();
    let mut t = format!(
        "Mappings:\n  M:\n    k:\n      l: [{}]\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      L:\n",
        list.join(", ")
    );
    for _ in 0..1000 {
        t.push_str("        - !FindInMap [M, k, l]\n");
    }
    let e = yaml(&t);
    assert!(e.diagnostics().iter().any(|d| d.contains("size budget")));
}

#[test]
fn long_condition_chains_stop_with_a_diagnostic() {
    let mut t = String::from("Conditions:\n  C0: !Equals [a, a]\n");
    for i in 1..200 {
        writeln!(t, "  C{i}: !Condition C{}", i - 1).unwrap();
    }
    t.push_str("Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: C199\n");
    let e = yaml(&t);
    assert!(
        e.diagnostics()
            .iter()
            .any(|d| d.contains("conditions nested too deeply")),
        "{:?}",
        e.diagnostics()
    );
    // Unknown, so the resource is kept.
    assert!(e.template.resource("R").is_some());
}

#[test]
fn deeply_nested_intrinsics_do_not_overflow() {
    let depth = 240;
    let mut v = String::from("x");
    for _ in 0..depth {
        v = format!("{{\"Fn::Base64\": {v}}}");
    }
    let t = format!("Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: {v}\n");
    let e = yaml(&t);
    assert_eq!(e.prop("R", &["A"]).as_str(), Some("x"));
}

/// Short templates made of CloudFormation words, evaluated without panicking; every span
/// handed back lies inside the input.
fn template_text() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "!Ref",
        "!Sub",
        "!GetAtt",
        "!If",
        "!Join",
        "!Select",
        "!Split",
        "!FindInMap",
        "!Equals",
        "!And",
        "!Or",
        "!Not",
        "!Condition",
        "!Base64",
        "!Cidr",
        "AWS::NoValue",
        "AWS::Region",
        "P",
        "C",
        "R",
        "M",
        "${P}",
        "${R.Arn}",
        "${!x}",
        "[",
        "]",
        "{",
        "}",
        ",",
        "-1",
        "0",
        "1",
        "a",
        "\"\"",
    ]);
    prop::collection::vec(word, 0..12).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn random_values_never_panic(a in template_text(), b in template_text(), c in template_text()) {
        let text = format!(
            "Parameters:\n  P:\n    Type: String\n    Default: v\nMappings:\n  M:\n    a:\n      b: c\nConditions:\n  C: {c}\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: C\n    Properties:\n      A: {a}\n      B: [{b}]\n"
        );
        let file = SourceFile::new(FileId(0), "t.yaml", text.as_str());
        let parsed = trustmap_syntax::yaml::parse(&file);
        for doc in &parsed.docs {
            let t = evaluate(&file, doc, &Options::default());
            for d in &t.diagnostics {
                let s = d.span.expect("located");
                prop_assert!(file.text.get(s.range()).is_some());
            }
        }
    }
}
