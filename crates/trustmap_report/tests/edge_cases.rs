//! The text renderer on awkward input: long lines, multi-line spans, CRLF, zero-width spans,
//! hostile text, files without source, and many widths. Nothing may panic or overflow.

mod common;

use trustmap_report::text::{self, TextOptions};
use trustmap_report::{json, sarif};

#[test]
fn awkward_input_renders_within_the_width_without_escapes() {
    let report = common::awkward::report();
    for width in [0, 60, 69, 80, 100, 160] {
        let out = text::render(
            &report,
            &TextOptions {
                color: false,
                show_suppressed: true,
                width,
            },
        );
        assert!(!out.contains('\u{1b}'), "escape leaked at width {width}");
        assert!(
            !out.contains('\u{202e}'),
            "bidi override leaked at width {width}"
        );
        let limit = width.max(60);
        for line in out.lines() {
            // A single word longer than the width may stand alone; nothing else may overflow.
            if line.split_whitespace().count() > 1 || !line.starts_with(' ') {
                assert!(line.chars().count() <= limit, "width {width}: {line:?}");
            }
        }
    }
    insta::assert_snapshot!(text::render(
        &report,
        &TextOptions {
            color: false,
            show_suppressed: false,
            width: 80,
        }
    ));
}

#[test]
fn awkward_input_in_machine_formats() {
    let report = common::awkward::report();
    let v: serde_json::Value = serde_json::from_str(&json::render(&report, "dev", true)).unwrap();
    // The multi-line block ends at the end of its last line, not at column 1 of the next.
    assert_eq!(v["findings"][0]["end_line"], 32);
    assert_eq!(v["findings"][0]["end_column"], 2);
    let s: serde_json::Value = serde_json::from_str(&sarif::render(&report, "dev")).unwrap();
    let loc = &s["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "dir%20with%20space/main.tf");
    assert!(
        s["runs"][0]["tool"]["driver"]
            .get("semanticVersion")
            .is_none()
    );
}
