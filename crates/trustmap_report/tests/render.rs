//! Snapshot of every renderer on the shared hand-made report.

mod common;

use trustmap_report::text::{self, TextOptions};
use trustmap_report::{json, rules_doc, sarif};

const VERSION: &str = "0.1.0";

#[test]
fn text_default() {
    let out = text::render(&common::report(), &TextOptions::default());
    insta::assert_snapshot!(out);
}

#[test]
fn text_with_suppressed_narrow() {
    let opts = TextOptions {
        color: false,
        show_suppressed: true,
        width: 72,
    };
    let out = text::render(&common::report(), &opts);
    for line in out.lines() {
        assert!(
            line.chars().count() <= 72,
            "line longer than the width: {line:?}"
        );
    }
    insta::assert_snapshot!(out);
}

#[test]
fn text_in_colour_has_escapes_and_plain_has_none() {
    let report = common::report();
    let plain = text::render(&report, &TextOptions::default());
    assert!(!plain.contains('\u{1b}'));
    let coloured = text::render(
        &report,
        &TextOptions {
            color: true,
            ..TextOptions::default()
        },
    );
    assert!(coloured.contains("\u{1b}["));
}

#[test]
fn json() {
    insta::assert_snapshot!(json::render(&common::report(), VERSION, false));
}

#[test]
fn json_always_includes_suppressed_findings() {
    let report = common::report();
    for show in [false, true] {
        let v: serde_json::Value =
            serde_json::from_str(&json::render(&report, VERSION, show)).unwrap();
        let suppressed: Vec<_> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["suppressed"] == true)
            .collect();
        assert_eq!(suppressed.len(), 1);
        assert_eq!(
            suppressed[0]["suppression_reason"],
            "reviewed in SEC-42, trust limited by external id"
        );
    }
}

#[test]
fn sarif() {
    insta::assert_snapshot!(sarif::render(&common::report(), VERSION));
}

#[test]
fn rules_list_text() {
    let r = common::report();
    insta::assert_snapshot!(rules_doc::list_text(&r.rules, false));
}

#[test]
fn rules_list_json() {
    let r = common::report();
    insta::assert_snapshot!(rules_doc::list_json(&r.rules));
}

#[test]
fn rules_show() {
    insta::assert_snapshot!(rules_doc::show(common::S3, false));
}

#[test]
fn rules_markdown_index() {
    let r = common::report();
    insta::assert_snapshot!(rules_doc::markdown_index(&r.rules));
}

#[test]
fn output_is_deterministic() {
    let a = common::report();
    let b = common::report();
    assert_eq!(
        json::render(&a, VERSION, true),
        json::render(&b, VERSION, true)
    );
    assert_eq!(sarif::render(&a, VERSION), sarif::render(&b, VERSION));
    assert_eq!(
        text::render(&a, &TextOptions::default()),
        text::render(&b, &TextOptions::default())
    );
}
