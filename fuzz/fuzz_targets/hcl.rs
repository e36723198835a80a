//! Arbitrary bytes (lossy UTF-8) into the Terraform evaluator: no panic, no hang, and every
//! span it hands back (resources, values, via hops, diagnostics) is a slice of an input file.
//!
//! The input is split at `\0` into up to five files — a root module, a local module it may
//! call as `./mod`, `terraform.tfvars`, a `.tf.json` file of that module (Terraform JSON
//! syntax, whose spans are mapped back from synthesized HCL) and a `plan.json` (read when it
//! is a `terraform show -json` plan) — so module calls, variables, JSON syntax and plans are
//! exercised too.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::{TfOptions, evaluate};

const PATHS: [&str; 5] = [
    "main.tf",
    "mod/main.tf",
    "terraform.tfvars",
    "mod/extra.tf.json",
    "plan.json",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<Arc<SourceFile>> = text
        .splitn(PATHS.len(), '\0')
        .zip(PATHS)
        .enumerate()
        .map(|(i, (t, p))| Arc::new(SourceFile::new(FileId(i as u32), p, t)))
        .collect();
    let out = evaluate(&files, &TfOptions::default());
    for r in &out.resources {
        assert_inside(&files, r.span);
        r.via.iter().for_each(|v| assert_inside(&files, v.span));
        check(&files, &r.body);
    }
    for d in &out.diagnostics {
        if let Some(span) = d.span {
            assert_inside(&files, span);
        }
    }
});

fn check(files: &[Arc<SourceFile>], node: &Node) {
    assert_inside(files, node.span);
    node.via.iter().for_each(|v| assert_inside(files, v.span));
    match &node.kind {
        NodeKind::Seq(items) => items.iter().for_each(|n| check(files, n)),
        NodeKind::Map(entries) => entries.iter().for_each(|e| {
            assert_inside(files, e.key_span);
            check(files, &e.value);
        }),
        NodeKind::Json { tree, .. } => check(files, tree),
        _ => {}
    }
}

fn assert_inside(files: &[Arc<SourceFile>], span: Span) {
    let file = files
        .get(span.file.0 as usize)
        .unwrap_or_else(|| panic!("{span:?} names no input file"));
    assert!(file.text.get(span.range()).is_some(), "{span:?} outside {}", file.path);
}
