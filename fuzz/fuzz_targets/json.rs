//! Arbitrary bytes (lossy UTF-8) into the JSON parsers: no panic, and every span is a slice
//! of the input (for `parse_str_at`, of the input placed at a non-zero offset).
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind, json};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = SourceFile::new(FileId(0), "fuzz.json", text.as_ref());
    match json::parse(&file) {
        Ok(node) => check(&file, &node),
        Err(d) => assert_inside(&file, d.span.expect("diagnostic without a span")),
    }

    // The same text embedded after a prefix, as a Terraform heredoc body would be.
    let prefix = "policy = <<EOF\n";
    let outer = format!("{prefix}{text}");
    let outer = SourceFile::new(FileId(1), "fuzz.tf", outer);
    if let Ok(node) = json::parse_str_at(&text, outer.id, prefix.len(), true, outer.full_span()) {
        check(&outer, &node);
    }
});

fn check(file: &SourceFile, node: &Node) {
    assert_inside(file, node.span);
    match &node.kind {
        NodeKind::Seq(items) => items.iter().for_each(|n| check(file, n)),
        NodeKind::Map(entries) => entries.iter().for_each(|e| {
            assert_inside(file, e.key_span);
            check(file, &e.value);
        }),
        _ => {}
    }
}

fn assert_inside(file: &SourceFile, span: Span) {
    assert_eq!(span.file, file.id);
    assert!(
        file.text.get(span.range()).is_some(),
        "{span:?} outside the input"
    );
}
