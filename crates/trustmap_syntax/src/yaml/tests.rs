use std::time::{Duration, Instant};

use trustmap_source::{FileId, SourceFile, Span, ViaKind};

use super::*;
use crate::node::NodeKind;

fn file(text: &str) -> SourceFile {
    SourceFile::new(FileId(3), "k8s/app.yaml", text)
}

fn text_of(f: &SourceFile, span: Span) -> &str {
    assert_eq!(span.file, f.id, "span points into another file");
    f.slice(span)
}

fn line_of(f: &SourceFile, span: Span) -> u32 {
    f.line_col(span.start).line
}

fn codes_of(p: &Parsed) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code).collect()
}

const K8S: &str = "\
# Deployment and Service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: \"front\"}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [80, 443]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
";

#[test]
fn kubernetes_stream_keeps_spans_of_keys_and_values() {
    let f = file(K8S);
    let p = parse(&f);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.docs.len(), 2);

    let deploy = &p.docs[0];
    assert_eq!(line_of(&f, deploy.span), 2);
    assert!(text_of(&f, deploy.span).starts_with("apiVersion: apps/v1"));
    assert!(text_of(&f, deploy.span).ends_with("ports: [80, 443]"));

    let kind = deploy.entry("kind").unwrap();
    assert_eq!(text_of(&f, kind.key_span), "kind");
    assert_eq!(text_of(&f, kind.value.span), "Deployment");
    assert_eq!(line_of(&f, kind.value.span), 3);

    let labels = deploy.path(&["metadata", "labels"]).unwrap();
    assert_eq!(text_of(&f, labels.span), "{app: web, tier: \"front\"}");
    let tier = labels.get("tier").unwrap();
    assert_eq!(tier.as_str(), Some("front"));
    assert_eq!(text_of(&f, tier.span), "\"front\"");

    let replicas = deploy.path(&["spec", "replicas"]).unwrap();
    assert_eq!(replicas.as_i64(), Some(3));
    assert_eq!(text_of(&f, replicas.span), "3");

    let container = &deploy
        .path(&["spec", "template", "spec", "containers"])
        .and_then(Node::as_seq)
        .unwrap()[0];
    assert_eq!(line_of(&f, container.span), 12);
    let image = container.entry("image").unwrap();
    assert_eq!(text_of(&f, image.key_span), "image");
    assert_eq!(image.value.as_str(), Some("nginx:1.27"));
    assert_eq!(f.line_col(image.value.span.start).line, 13);
    assert_eq!(f.line_col(image.value.span.start).col, 18);
    let ports = container.get("ports").unwrap();
    assert_eq!(text_of(&f, ports.span), "[80, 443]");
    assert_eq!(text_of(&f, ports.as_seq().unwrap()[1].span), "443");

    let svc = &p.docs[1];
    assert_eq!(line_of(&f, svc.span), 16);
    let ty = svc.path(&["spec", "type"]).unwrap();
    assert_eq!(ty.as_str(), Some("LoadBalancer"));
    assert_eq!(line_of(&f, ty.span), 21);
}

#[test]
fn anchors_are_copied_with_the_anchor_spans_and_an_alias_hop() {
    let src = "\
defaults: &defaults
  runAsUser: 0
  privileged: false
a:
  securityContext: *defaults
b:
  <<: *defaults
  privileged: true
x0: &x {k: from-x, only_x: 1}
y0: &y {k: from-y, only_y: 2}
c:
  <<: [*x, *y]
  z: own
";
    let f = file(src);
    let p = parse(&f);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let doc = &p.docs[0];

    // Plain alias: a copy whose spans point at the anchored definition.
    let sc = doc.path(&["a", "securityContext"]).unwrap();
    assert_eq!(sc.get("runAsUser").unwrap().as_i64(), Some(0));
    let original = doc.get("defaults").unwrap();
    assert_eq!(sc.span, original.span);
    assert_eq!(sc.via.len(), 1);
    assert_eq!(sc.via[0].kind, ViaKind::Alias);
    assert_eq!(text_of(&f, sc.via[0].span), "*defaults");
    assert!(original.via.is_empty());

    // Merge: explicit keys win, merged values keep their source spans plus the alias hop.
    let b = doc.get("b").unwrap();
    assert_eq!(b.get("privileged").unwrap().as_bool(), Some(true));
    let run_as = b.entry("runAsUser").unwrap();
    assert_eq!(run_as.value.as_i64(), Some(0));
    assert_eq!(line_of(&f, run_as.key_span), 2);
    assert_eq!(text_of(&f, run_as.value.via[0].span), "*defaults");
    assert!(b.get("<<").is_none());
    assert_eq!(
        b.as_map().unwrap().len(),
        2,
        "no duplicate of an overridden key"
    );

    // Merge of a list: earlier maps win over later ones.
    let c = doc.get("c").unwrap();
    assert_eq!(c.get("k").unwrap().as_str(), Some("from-x"));
    assert_eq!(c.get("only_x").unwrap().as_i64(), Some(1));
    assert_eq!(c.get("only_y").unwrap().as_i64(), Some(2));
    assert_eq!(c.get("z").unwrap().as_str(), Some("own"));
    assert_eq!(text_of(&f, c.get("only_y").unwrap().via[0].span), "*y");
}

#[test]
fn quoted_merge_key_is_a_plain_key_and_bad_merge_is_reported() {
    let f = file("a: {\"<<\": 1}\nb:\n  <<: 5\n");
    let p = parse(&f);
    let doc = &p.docs[0];
    assert_eq!(doc.path(&["a", "<<"]).unwrap().as_i64(), Some(1));
    assert_eq!(doc.path(&["b", "<<"]).unwrap().as_i64(), Some(5));
    assert_eq!(codes_of(&p), ["parse-error"]);
    assert_eq!(line_of(&f, p.diagnostics[0].span.unwrap()), 3);
}

#[test]
fn cloudformation_tags_become_tagged_nodes() {
    let src = "\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${AWS::StackName}-logs'
      Policy: !Ref PolicyParam
      Cond: !If [IsProd, !Ref AWS::NoValue, !GetAtt Role.Arn]
      Data: !Base64
        Fn::Sub: x-${Bucket}
      Plain: !!str 123
      Count: !!int \"7\"
";
    let f = file(src);
    let p = parse(&f);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let props = p.docs[0]
        .path(&["Resources", "Bucket", "Properties"])
        .unwrap();

    let NodeKind::Tagged { tag, value } = &props.get("Policy").unwrap().kind else {
        panic!("not tagged");
    };
    assert_eq!(tag, "!Ref");
    assert_eq!(value.as_str(), Some("PolicyParam"));
    assert_eq!(text_of(&f, value.span), "PolicyParam");
    assert_eq!(
        text_of(&f, props.get("Policy").unwrap().span),
        "!Ref PolicyParam"
    );

    let sub = props.get("BucketName").unwrap();
    assert_eq!(sub.untagged().as_str(), Some("${AWS::StackName}-logs"));

    let cond = props.get("Cond").unwrap();
    let NodeKind::Tagged { tag, value } = &cond.kind else {
        panic!("not tagged");
    };
    assert_eq!(tag, "!If");
    let items = value.as_seq().unwrap();
    assert_eq!(items[0].as_str(), Some("IsProd"));
    assert!(matches!(&items[1].kind, NodeKind::Tagged { tag, .. } if tag == "!Ref"));
    assert!(matches!(&items[2].kind, NodeKind::Tagged { tag, .. } if tag == "!GetAtt"));
    assert_eq!(text_of(&f, items[2].span), "!GetAtt Role.Arn");
    assert_eq!(
        cond.to_json(),
        serde_json::json!({"!If": ["IsProd", {"!Ref": "AWS::NoValue"}, {"!GetAtt": "Role.Arn"}]})
    );

    let data = props.get("Data").unwrap();
    let NodeKind::Tagged { tag, value } = &data.kind else {
        panic!("not tagged");
    };
    assert_eq!(tag, "!Base64");
    assert_eq!(value.get("Fn::Sub").unwrap().as_str(), Some("x-${Bucket}"));
    assert_eq!(line_of(&f, data.span), 8);

    // Core tags are applied, not kept.
    assert_eq!(
        props.get("Plain").unwrap().kind,
        NodeKind::String("123".into())
    );
    assert_eq!(props.get("Count").unwrap().as_i64(), Some(7));
    assert!(matches!(
        props.get("Count").unwrap().kind,
        NodeKind::Number(_)
    ));
}

#[test]
fn an_error_in_document_two_of_three_keeps_one_and_three() {
    let src = "\
kind: One
---
kind: Two
items: [a, b
oops: here
---
kind: Three
";
    let f = file(src);
    let p = parse(&f);
    let kinds: Vec<_> = p
        .docs
        .iter()
        .map(|d| d.get("kind").and_then(Node::as_str).unwrap())
        .collect();
    assert_eq!(kinds, ["One", "Three"]);
    assert_eq!(codes_of(&p), ["parse-error"]);
    let d = &p.diagnostics[0];
    assert_eq!(d.path.as_deref(), Some("k8s/app.yaml"));
    assert_eq!(line_of(&f, d.span.unwrap()), 5, "{d:?}");
    assert!(d.message.contains("':'"), "{}", d.message);
    // Spans of the recovered document are still file offsets.
    assert_eq!(line_of(&f, p.docs[1].get("kind").unwrap().span), 7);
}

#[test]
fn an_error_in_the_first_document_says_what_is_wrong() {
    let f = file("a: 1\n b: 2\n---\nc: 3\n");
    let p = parse(&f);
    assert_eq!(p.docs.len(), 1);
    assert_eq!(p.docs[0].get("c").unwrap().as_i64(), Some(3));
    assert_eq!(codes_of(&p), ["parse-error"]);
    assert!(
        p.diagnostics[0]
            .message
            .contains("mapping values are not allowed"),
        "{}",
        p.diagnostics[0].message
    );
    assert_eq!(line_of(&f, p.diagnostics[0].span.unwrap()), 2);
}

#[test]
fn errors_in_every_document_are_each_reported_once() {
    let f = file("--- [\n---\n{a: 1\n---\nok: 1\n---\n\"open\n");
    let p = parse(&f);
    assert_eq!(p.docs.len(), 1);
    assert_eq!(p.docs[0].get("ok").unwrap().as_i64(), Some(1));
    assert_eq!(codes_of(&p), ["parse-error", "parse-error", "parse-error"]);
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut src = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let p = i - 1;
        src.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    src.push_str("---\nnext: doc\n");
    let f = file(&src);
    let started = Instant::now();
    let p = parse(&f);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(codes_of(&p), ["yaml-budget"]);
    assert_eq!(
        p.docs.len(),
        1,
        "the bomb is dropped, the next document kept"
    );
    assert_eq!(p.docs[0].get("next").unwrap().as_str(), Some("doc"));
    assert!(p.diagnostics[0].path.is_some());
}

#[test]
fn many_small_documents_share_one_node_budget() {
    let limits = Limits {
        max_nodes: 10,
        max_depth: 8,
    };
    // Each document is a map with one entry: 3 nodes (map, key, value).
    let f = file("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n");
    let p = parse_with_limits(&f, limits);
    assert_eq!(p.docs.len(), 3);
    assert_eq!(codes_of(&p), ["yaml-budget"]);
}

#[test]
fn deep_nesting_is_refused_with_a_diagnostic() {
    let depth = MAX_DEPTH + 10;
    let mut src = "[".repeat(depth);
    src.push_str(&"]".repeat(depth));
    src.push_str("\n---\nfine: true\n");
    let f = file(&src);
    let p = parse(&f);
    assert_eq!(p.docs.len(), 1);
    assert_eq!(p.docs[0].get("fine").unwrap().as_bool(), Some(true));
    assert_eq!(codes_of(&p), ["yaml-budget"]);

    // Block and flow nesting add up.
    let mut src = String::new();
    for i in 0..MAX_DEPTH / 2 {
        src.push_str(&" ".repeat(i));
        src.push_str("k:\n");
    }
    src.push_str(&" ".repeat(MAX_DEPTH / 2));
    src.push_str(&"[".repeat(MAX_DEPTH / 2 + 5));
    src.push_str(&"]".repeat(MAX_DEPTH / 2 + 5));
    let p = parse(&file(&src));
    assert!(p.docs.is_empty());
    assert_eq!(codes_of(&p), ["yaml-budget"]);

    // Aliases cannot smuggle depth past the limit either.
    let half = MAX_DEPTH / 2 + 10;
    let src = format!(
        "a: &a {}1{}\nb: {}*a{}\n",
        "[".repeat(half),
        "]".repeat(half),
        "[".repeat(half),
        "]".repeat(half)
    );
    let p = parse(&file(&src));
    assert!(p.docs.is_empty());
    assert_eq!(codes_of(&p), ["yaml-budget"]);
}

#[test]
fn github_on_key_and_yaml_1_1_words_stay_strings() {
    let src = "\
on:
  push:
    branches: [main]
env:
  A: yes
  B: off
  C: true
  D: ~
  E: 010
  F: 0x1F
  G: 1.5e3
  H: .inf
  I:
  J: 'true'
";
    let f = file(src);
    let p = parse(&f);
    let doc = &p.docs[0];
    let on = doc.entry("on").unwrap();
    assert_eq!(on.key, "on");
    assert_eq!(text_of(&f, on.key_span), "on");
    assert!(doc.path(&["on", "push", "branches"]).is_some());

    let env = doc.get("env").unwrap();
    assert_eq!(env.get("A").unwrap().kind, NodeKind::String("yes".into()));
    assert_eq!(env.get("B").unwrap().kind, NodeKind::String("off".into()));
    assert_eq!(env.get("C").unwrap().kind, NodeKind::Bool(true));
    assert!(env.get("D").unwrap().is_null());
    let NodeKind::Number(e) = &env.get("E").unwrap().kind else {
        panic!()
    };
    assert_eq!((e.text.as_str(), e.value), ("010", 10.0));
    assert_eq!(env.get("F").unwrap().as_i64(), Some(31));
    assert_eq!(env.get("G").unwrap().as_f64(), Some(1500.0));
    assert_eq!(env.get("H").unwrap().as_f64(), Some(f64::INFINITY));
    assert!(env.get("I").unwrap().is_null());
    assert_eq!(env.get("J").unwrap().kind, NodeKind::String("true".into()));
}

#[test]
fn non_string_keys_are_rendered_as_their_text() {
    let f = file("1: a\ntrue: b\nnull: c\n? [x, y]\n: d\n~: e\n");
    let p = parse(&f);
    let keys: Vec<_> = p.docs[0]
        .as_map()
        .unwrap()
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(keys, ["1", "true", "null", "[x, y]", "~"]);
}

#[test]
fn duplicate_keys_keep_both_entries_and_warn() {
    let f = file("a: 1\nb: 2\na: 3\n");
    let p = parse(&f);
    let doc = &p.docs[0];
    assert_eq!(doc.as_map().unwrap().len(), 3);
    assert_eq!(doc.get("a").unwrap().as_i64(), Some(3));
    assert_eq!(codes_of(&p), ["duplicate-key"]);
    let d = &p.diagnostics[0];
    assert_eq!(line_of(&f, d.span.unwrap()), 3);
    assert!(d.message.contains("line 1"), "{}", d.message);
}

#[test]
fn empty_documents_and_comment_only_files_yield_nothing() {
    let p = parse(&file("# just a comment\n# and another\n"));
    assert!(p.docs.is_empty() && p.diagnostics.is_empty());
    let p = parse(&file(""));
    assert!(p.docs.is_empty() && p.diagnostics.is_empty());
    let p = parse(&file("---\n---\n# nothing\n---\na: 1\n---\n...\n"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.docs.len(), 1);
    // A document that says `null` is content, not an empty document.
    let p = parse(&file("--- null\n"));
    assert_eq!(p.docs.len(), 1);
}

#[test]
fn unknown_and_recursive_aliases_become_null_with_a_diagnostic() {
    let f = file("a: *missing\nb: &r [1, *r]\nc: 2\n");
    let p = parse(&f);
    let doc = &p.docs[0];
    assert!(doc.get("a").unwrap().is_null());
    assert!(doc.get("b").unwrap().as_seq().unwrap()[1].is_null());
    assert_eq!(doc.get("c").unwrap().as_i64(), Some(2));
    assert_eq!(codes_of(&p), ["parse-error", "parse-error"]);
    assert_eq!(line_of(&f, p.diagnostics[1].span.unwrap()), 2);
}

#[test]
fn block_scalars_and_crlf_keep_spans() {
    let f = file("script: |\r\n  echo hi\r\n  echo there\r\nnext: x\r\n");
    let p = parse(&f);
    let doc = &p.docs[0];
    assert_eq!(
        doc.get("script").unwrap().as_str(),
        Some("echo hi\necho there\n")
    );
    let next = doc.get("next").unwrap();
    assert_eq!(text_of(&f, next.span), "x");
    assert_eq!(line_of(&f, next.span), 4);
}

#[test]
fn non_ascii_text_keeps_byte_spans() {
    let f = file("名前: \"値\" # コメント\nnext: é\n");
    let p = parse(&f);
    let doc = &p.docs[0];
    let e = doc.entry("名前").unwrap();
    assert_eq!(text_of(&f, e.key_span), "名前");
    assert_eq!(text_of(&f, e.value.span), "\"値\"");
    assert_eq!(text_of(&f, doc.get("next").unwrap().span), "é");
}

#[test]
fn nested_anchors_count_their_copies() {
    let limits = Limits {
        max_nodes: 1_000,
        max_depth: 100,
    };
    let levels = 50;
    let list = vec!["x"; 100].join(", ");
    let mut src = String::new();
    for i in 0..levels {
        src.push_str(&format!("&a{i} ["));
    }
    src.push_str(&list);
    src.push_str(&"]".repeat(levels));
    // Without anchors the same document fits easily.
    let plain = src
        .replace('&', "")
        .replace(|c: char| c.is_ascii_digit(), "");
    let plain = plain.replace("a [", "[");
    assert!(
        parse_with_limits(&file(&plain), limits)
            .diagnostics
            .is_empty()
    );
    let p = parse_with_limits(&file(&src), limits);
    assert!(p.docs.is_empty());
    assert_eq!(codes_of(&p), ["yaml-budget"]);
}

#[test]
fn block_scalar_at_end_of_file_gets_no_extra_line_break() {
    let p = parse(&file("a: |\n  x\n  y"));
    assert_eq!(p.docs[0].get("a").unwrap().as_str(), Some("x\ny"));
    let p = parse(&file("a: |\n  x\n"));
    assert_eq!(p.docs[0].get("a").unwrap().as_str(), Some("x\n"));
}
