//! Arbitrary bytes (lossy UTF-8) as a CloudFormation/SAM template, YAML and JSON: the
//! evaluator never panics, hangs or runs away with memory, every span it hands back
//! (values, `via` hops, resources, diagnostics) is a slice of the input, and the AWS
//! adapter takes whatever the evaluator produced without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustmap_cloudformation::{Options, Template, evaluate};
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind, json, yaml};
use trustmap_terraform::TfOutput;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let opts = Options {
        parameters: vec![
            ("Env".into(), "prod".into()),
            ("AWS::Region".into(), "eu-west-1".into()),
        ],
    };
    let file = SourceFile::new(FileId(0), "template.yaml", text.as_ref());
    // Every document, template or not: the evaluator must cope with any shape.
    let mut templates: Vec<Template> = yaml::parse(&file)
        .docs
        .iter()
        .map(|doc| evaluate(&file, doc, &opts))
        .collect();
    templates.iter().for_each(|t| check_template(&file, t));
    let json_file = SourceFile::new(FileId(1), "template.json", text.as_ref());
    if let Ok(doc) = json::parse(&json_file) {
        let t = evaluate(&json_file, &doc, &opts);
        check_template(&json_file, &t);
        templates.push(t);
    }
    let _ = trustmap_adapt::aws::from_sources(&TfOutput::default(), &templates);
});

fn check_template(file: &SourceFile, t: &Template) {
    for r in &t.resources {
        assert_inside(file, r.span);
        assert_inside(file, r.id_span);
        r.via.iter().for_each(|v| assert_inside(file, v.span));
        check(file, &r.properties);
    }
    for d in &t.diagnostics {
        assert!(d.path.is_some(), "{d:?}");
        assert_inside(file, d.span.expect("diagnostic without a span"));
    }
}

fn check(file: &SourceFile, node: &Node) {
    assert_inside(file, node.span);
    node.via.iter().for_each(|v| assert_inside(file, v.span));
    match &node.kind {
        NodeKind::Seq(items) => items.iter().for_each(|n| check(file, n)),
        NodeKind::Map(entries) => entries.iter().for_each(|e| {
            assert_inside(file, e.key_span);
            check(file, &e.value);
        }),
        NodeKind::Tagged { value, .. } => check(file, value),
        NodeKind::Json { tree, .. } => check(file, tree),
        _ => {}
    }
}

fn assert_inside(file: &SourceFile, span: Span) {
    assert!(
        file.text.get(span.range()).is_some(),
        "{span:?} outside the input"
    );
}
