use trustmap_source::{FileId, SourceFile, Span};

use super::*;

fn file(text: &str) -> SourceFile {
    SourceFile::new(FileId(7), "iam/policy.json", text)
}

#[test]
fn comments_and_trailing_commas_are_tolerated_and_spans_are_bytes() {
    // Non-ASCII before the values: spans must be byte offsets, not character counts.
    let src = r#"// policy for the ünïcödé team
{
  /* statement list */
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:*",], "Resource": "*", "Max": 10,},
  ],
}
"#;
    let f = file(src);
    let doc = parse(&f).unwrap();
    assert_eq!(f.slice(doc.span).chars().next(), Some('{'));
    assert_eq!(f.slice(doc.span).chars().last(), Some('}'));
    let version = doc.entry("Version").unwrap();
    assert_eq!(f.slice(version.key_span), "\"Version\"");
    assert_eq!(f.slice(version.value.span), "\"2012-10-17\"");
    assert_eq!(f.line_col(version.value.span.start).line, 4);

    let stmt = &doc.get("Statement").unwrap().as_seq().unwrap()[0];
    assert_eq!(f.line_col(stmt.span.start).line, 6);
    let action = stmt.get("Action").unwrap();
    assert_eq!(f.slice(action.span), "[\"s3:*\",]");
    assert_eq!(action.as_seq().unwrap()[0].as_str(), Some("s3:*"));
    let max = stmt.get("Max").unwrap();
    assert_eq!(f.slice(max.span), "10");
    assert_eq!(max.as_i64(), Some(10));
    assert_eq!(
        doc.to_json(),
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*", "Max": 10}
        ]})
    );
}

#[test]
fn values_keep_their_kinds() {
    let f = file(r#"[null, true, false, -1.5e2, 12345678901234567890, "a\"b\u00e9"]"#);
    let doc = parse(&f).unwrap();
    let items = doc.as_seq().unwrap();
    assert!(items[0].is_null());
    assert_eq!(items[1].as_bool(), Some(true));
    assert_eq!(items[2].as_bool(), Some(false));
    assert_eq!(items[3].as_f64(), Some(-150.0));
    let NodeKind::Number(big) = &items[4].kind else {
        panic!()
    };
    assert_eq!(big.text, "12345678901234567890");
    assert_eq!(
        items[4].to_json(),
        serde_json::json!(12345678901234567890_u64)
    );
    assert_eq!(items[5].as_str(), Some("a\"bé"));
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let f = file("{\n  \"a\": 1\n  \"b\": 2\n}\n");
    let d = parse(&f).unwrap_err();
    assert_eq!(d.code, "parse-error");
    assert_eq!(d.path.as_deref(), Some("iam/policy.json"));
    // jsonc-parser points where the comma belongs: right after `1` on line 2.
    assert_eq!(
        f.line_col(d.span.unwrap().start),
        trustmap_source::LineCol { line: 2, col: 9 }
    );
    assert!(d.message.contains("Expected comma"), "{}", d.message);

    for bad in [
        "",
        "// nothing\n",
        "{'a': 1}",
        "{a: 1}",
        "[1] [2]",
        "[0x10]",
        "{\"a\": ",
    ] {
        let f = file(bad);
        let d = parse(&f).unwrap_err();
        assert_eq!(d.code, "parse-error", "{bad:?}");
        assert!(d.span.is_some(), "{bad:?}");
    }
}

#[test]
fn byte_order_mark_is_skipped() {
    let f = file("\u{feff}{\"a\": 1}");
    let doc = parse(&f).unwrap();
    assert_eq!(f.slice(doc.get("a").unwrap().span), "1");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&file(&ok)).is_ok());
    for depth in [MAX_DEPTH + 1, 600, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let d = parse(&file(&deep)).unwrap_err();
        assert_eq!(d.code, "parse-error");
    }
}

#[test]
fn parse_str_at_maps_offsets_into_the_file() {
    // A Terraform heredoc whose body is JSON: the body starts at byte 37 of the file.
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"Statement\": [{\"Action\": \"*\"}]}\nEOF\n}\n";
    let body_start = tf.find("{\"Statement").unwrap();
    let body_end = tf.find("\nEOF").unwrap();
    let body = &tf[body_start..body_end];
    let f = SourceFile::new(FileId(9), "main.tf", tf);
    let fallback = f.span(body_start, body_end);

    let doc = parse_str_at(body, f.id, body_start, true, fallback).unwrap();
    assert_eq!(doc.span, fallback);
    let action = doc.get("Statement").unwrap().as_seq().unwrap()[0]
        .entry("Action")
        .unwrap();
    assert_eq!(action.key_span.file, FileId(9));
    assert_eq!(f.slice(action.key_span), "\"Action\"");
    assert_eq!(f.slice(action.value.span), "\"*\"");
    assert_eq!(f.line_col(action.value.span.start).line, 3);

    // Not a verbatim slice (escapes were applied): every span is the fallback.
    let rewritten = "{\"Statement\": [{\"Action\": \"s3:Get*\"}]}";
    let doc = parse_str_at(rewritten, f.id, body_start, false, fallback).unwrap();
    let action = &doc.get("Statement").unwrap().as_seq().unwrap()[0];
    assert_eq!(action.span, fallback);
    assert_eq!(action.entry("Action").unwrap().key_span, fallback);
    assert_eq!(action.get("Action").unwrap().span, fallback);

    let err = parse_str_at("{\n\"a\": 1,\n x}", f.id, 0, true, Span::default()).unwrap_err();
    assert!(err.contains("line 3, column 2"), "{err}");
}
