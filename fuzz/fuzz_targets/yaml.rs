//! Arbitrary bytes (lossy UTF-8) into the YAML parser: no panic, no hang, no runaway
//! memory, and every span it returns is a slice of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind, yaml};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = SourceFile::new(FileId(0), "fuzz.yaml", text.as_ref());
    let parsed = yaml::parse(&file);
    for doc in &parsed.docs {
        check(&file, doc);
    }
    for d in &parsed.diagnostics {
        assert!(d.path.is_some(), "{d:?}");
        assert_inside(&file, d.span.expect("diagnostic without a span"));
    }
});

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
        _ => {}
    }
}

fn assert_inside(file: &SourceFile, span: Span) {
    assert!(
        file.text.get(span.range()).is_some(),
        "{span:?} outside the input"
    );
}
