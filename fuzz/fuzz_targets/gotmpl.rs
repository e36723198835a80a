//! Arbitrary bytes (lossy UTF-8, split at NUL into a template, a helpers file and a values
//! file) rendered as a Helm chart: no panic, no hang, no runaway memory (render budgets),
//! and every span handed back lies inside the chart file it names.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trustmap_gotmpl::Limits;
use trustmap_gotmpl::helm::{ChartFile, ChartInput, HelmOptions, render_chart};
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let template = parts.next().unwrap_or_default();
    let helpers = parts.next().unwrap_or_default();
    let values = parts.next().unwrap_or_default();
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: fuzz\nversion: 0.1.0\n"),
        ("values.yaml", values),
        ("templates/t.yaml", template),
        ("templates/_helpers.tpl", helpers),
    ];
    let input = ChartInput {
        dir: String::new(),
        files: files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| ChartFile {
                path: (*path).to_string(),
                file: Arc::new(SourceFile::new(FileId(i as u32), *path, *text)),
            })
            .collect(),
        other_files: Vec::new(),
    };
    let opts = HelmOptions {
        // Small budgets keep each run fast; what is checked is that they hold.
        limits: Limits {
            max_bytes: 1 << 20,
            max_work: 200_000,
            max_call_depth: 200,
            max_list: 10_000,
        },
        ..HelmOptions::default()
    };
    let out = render_chart(&input, &opts);
    let inside = |span: Span| {
        let f = input
            .files
            .iter()
            .find(|f| f.file.id == span.file)
            .unwrap_or_else(|| panic!("{span:?} names no chart file"));
        assert!(
            f.file.text.get(span.range()).is_some(),
            "{span:?} outside {}",
            f.path
        );
    };
    for t in &out.templates {
        for doc in &t.docs {
            check(doc, &inside);
        }
    }
    for d in &out.diagnostics {
        if let Some(s) = d.span {
            inside(s);
        }
    }
});

fn check(node: &Node, inside: &dyn Fn(Span)) {
    inside(node.span);
    node.via.iter().for_each(|v| inside(v.span));
    match &node.kind {
        NodeKind::Seq(items) => items.iter().for_each(|n| check(n, inside)),
        NodeKind::Map(entries) => entries.iter().for_each(|e| {
            inside(e.key_span);
            check(&e.value, inside);
        }),
        NodeKind::Tagged { value, .. } => check(value, inside),
        _ => {}
    }
}
