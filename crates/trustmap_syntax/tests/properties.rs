//! Property tests: the parsers never panic, spans always point into the file, and JSON
//! (which is YAML 1.2) reads back as the same value through both parsers.

use proptest::prelude::*;
use serde_json::Value;
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::{Node, NodeKind, json, yaml};

fn file(text: &str) -> SourceFile {
    SourceFile::new(FileId(1), "input", text)
}

/// Every span of the tree (and of every diagnostic) is a valid range of the file text.
fn assert_spans_inside(f: &SourceFile, node: &Node) {
    let check = |span: Span| {
        assert_eq!(span.file, f.id);
        assert!(span.start <= span.end, "{span:?}");
        assert!(
            f.text.get(span.range()).is_some(),
            "span {span:?} is not a slice of the {}-byte file",
            f.text.len()
        );
    };
    check(node.span);
    node.via.iter().for_each(|v| check(v.span));
    match &node.kind {
        NodeKind::Seq(items) => items.iter().for_each(|n| assert_spans_inside(f, n)),
        NodeKind::Map(entries) => entries.iter().for_each(|e| {
            check(e.key_span);
            assert_spans_inside(f, &e.value);
        }),
        NodeKind::Tagged { value, .. } => assert_spans_inside(f, value),
        _ => {}
    }
}

/// Text made of YAML's significant tokens, to reach far more parser states than random chars.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "a",
        "key",
        ":",
        ": ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "&b ",
        "*b",
        "!Ref ",
        "!!str ",
        "!!int ",
        "<<: ",
        "---\n",
        "...\n",
        "\"",
        "'",
        "#",
        "|\n",
        ">-\n",
        "? ",
        "1",
        "0x1F",
        "~",
        "null",
        "on",
        "%YAML 1.2\n",
        "é",
        "\\",
        "\u{feff}",
    ]);
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // YAML-significant punctuation is safe inside JSON's double quotes; so are escapes.
        "[ -~]{0,12}".prop_map(Value::String),
        "[a-zé日\t\n\"\\\\/]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[ -~]{0,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let f = file(&text);
        let parsed = yaml::parse(&f);
        parsed.docs.iter().for_each(|d| assert_spans_inside(&f, d));
        if let Ok(node) = json::parse(&f) {
            assert_spans_inside(&f, &node);
        }
        let _ = json::parse_str_at(&text, f.id, 0, true, Span::default());
    }

    #[test]
    fn yaml_like_text_never_panics_and_spans_stay_inside(text in yamlish()) {
        let f = file(&text);
        let parsed = yaml::parse(&f);
        parsed.docs.iter().for_each(|d| assert_spans_inside(&f, d));
        for d in &parsed.diagnostics {
            prop_assert!(d.path.is_some());
            let span = d.span.expect("every diagnostic has a span");
            prop_assert!(f.text.get(span.range()).is_some(), "{d:?}");
        }
    }

    #[test]
    fn json_reads_back_the_same_through_both_parsers(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let f = file(&text);

        let from_json = json::parse(&f).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        assert_spans_inside(&f, &from_json);
        prop_assert_eq!(&from_json.to_json(), &value, "json::parse of {}", text);

        let parsed = yaml::parse(&f);
        prop_assert!(parsed.diagnostics.is_empty(), "{:?} for {}", parsed.diagnostics, text);
        prop_assert_eq!(parsed.docs.len(), 1);
        assert_spans_inside(&f, &parsed.docs[0]);
        prop_assert_eq!(&parsed.docs[0].to_json(), &value, "yaml::parse of {}", text);
        // Both parsers agree on where the root value is written.
        prop_assert_eq!(parsed.docs[0].span, from_json.span);
    }
}
