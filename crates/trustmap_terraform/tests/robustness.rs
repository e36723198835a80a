//! Bad input: parse errors, hostile sizes, arbitrary text, and agreement with hcl-rs on the
//! known-value subset.

mod common;

use common::scan;
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn a_parse_error_does_not_stop_other_files() {
    let s = scan(&[
        ("broken.tf", "resource \"a\" \"b\" {\n  x = = 1\n}\n"),
        (
            "good.tf",
            "resource \"aws_s3_bucket\" \"ok\" { bucket = \"fine\" }\n",
        ),
        ("also/broken.tfvars", "x = \n"),
        ("mod/main.tf", "resource {\n"),
    ]);
    assert_eq!(s.addresses(), ["aws_s3_bucket.ok"]);
    let errors: Vec<_> = s
        .out
        .diagnostics
        .iter()
        .filter(|d| d.code == "parse-error")
        .collect();
    assert_eq!(errors.len(), 2, "{:?}", s.out.diagnostics);
    let broken = errors
        .iter()
        .find(|d| d.path.as_deref() == Some("broken.tf"))
        .unwrap();
    assert_eq!(s.at(broken.span.unwrap()), "broken.tf:2");
    assert!(broken.message.contains("line 2"), "{}", broken.message);
}

#[test]
fn parse_error_spans_cover_whole_characters() {
    let s = scan(&[("main.tf", "resource \"a\" \"b\" {\n  x = \u{fffd}ar\n}\n")]);
    let d = &s.out.diagnostics[0];
    assert_eq!(d.code, "parse-error");
    assert_eq!(s.text(d.span.unwrap()), "\u{fffd}");
}

#[test]
fn tf_json_is_evaluated_next_to_hcl() {
    let s = scan(&[
        ("main.tf.json", "{\"resource\": {\"x\": {\"z\": {}}}}"),
        ("main.tf", "resource \"x\" \"y\" {}\n"),
    ]);
    assert_eq!(s.addresses(), ["x.y", "x.z"]);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
}

#[test]
fn hostile_sizes_are_bounded() {
    let s = scan(&[(
        "main.tf",
        r#"
locals {
  big   = range(1000000000)
  l0    = ["x", "x"]
  l1    = [local.l0, local.l0]
  l2    = [local.l1, local.l1]
  l3    = [local.l2, local.l2]
  l4    = [local.l3, local.l3]
  l5    = [local.l4, local.l4]
  l6    = [local.l5, local.l5]
  l7    = [local.l6, local.l6]
  l8    = [local.l7, local.l7]
  l9    = [local.l8, local.l8]
  l10   = [local.l9, local.l9]
  l11   = [local.l10, local.l10]
  l12   = [local.l11, local.l11]
  l13   = [local.l12, local.l12]
  l14   = [local.l13, local.l13]
  l15   = [local.l14, local.l14]
  l16   = [local.l15, local.l15]
  l17   = [local.l16, local.l16]
  l18   = [local.l17, local.l17]
  l19   = [local.l18, local.l18]
  l20   = [local.l19, local.l19]
  l21   = [local.l20, local.l20]
  l22   = [local.l21, local.l21]
  l23   = [local.l22, local.l22]
  l24   = [local.l23, local.l23]
  l25   = [local.l24, local.l24]
  wide  = format("%01000000d", 1)
}
resource "x" "sets" {
  distinct = length(distinct(concat(range(50000), range(50000))))
  common   = length(setintersection(range(50000), range(25000, 75000)))
}
resource "x" "many" { count = 1000000000 }
resource "x" "y" {
  big  = local.big
  deep = local.l25
  wide = local.wide
}
"#,
    )]);
    assert_eq!(s.out.resources.len(), 10_002);
    let y = s.resource("x.y");
    assert!(y.body.get("big").is_some_and(|n| n.is_unknown()));
    // Doubling lists: the level that would pass a million nodes becomes unknown.
    assert!(y.body.get("deep").is_some_and(|n| n.contains_unknown()));
    assert!(s.has_diag("evaluation", "is too large or too deeply nested"));
    assert!(y.body.get("wide").is_some_and(|n| n.is_unknown()));
    assert!(s.has_diag("evaluation", "only the first 10000 instances"));
    assert_eq!(
        s.json("x.sets"),
        serde_json::json!({"distinct": 50000, "common": 25000})
    );
}

#[test]
fn quadratic_expansions_hit_the_work_budget() {
    let s = scan(&[(
        "main.tf",
        r#"
locals {
  grid = [for i in range(100000) : [for j in range(100000) : j]]
}
module "m" {
  source = "./"
  count  = 10000
}
resource "x" "y" { n = length(local.grid) }
"#,
    )]);
    assert!(
        s.has_diag("evaluation", "budget exhausted"),
        "{:?}",
        s.out.diagnostics
    );
    assert!(s.out.resources.len() < 200_000);
}

#[test]
fn maximally_nested_input_parses_and_evaluates() {
    // hcl-edit allows 64 levels; go to the limit with every kind of nesting, and past it.
    for depth in [63, 64, 200] {
        let mixes = ["[", "{a = ", "(", "f(", "\"${", "[for x in "];
        let mut open = String::new();
        let mut close = String::new();
        for i in 0..depth {
            let o = mixes[i % mixes.len()];
            open.push_str(o);
            close.insert_str(
                0,
                match o {
                    "[" => "]",
                    "{a = " => "}",
                    "(" | "f(" => ")",
                    "\"${" => "}\"",
                    _ => " : x]",
                },
            );
        }
        let src = format!("resource \"x\" \"y\" {{\n  v = {open}1{close}\n}}\n");
        let s = scan(&[("main.tf", &src)]);
        assert!(s.out.resources.len() <= 1);
        // Plain arrays at the limit parse and evaluate (possibly to unknown when too deep).
        let src = format!(
            "resource \"x\" \"y\" {{\n  v = {}1{}\n}}\n",
            "[".repeat(depth.min(63)),
            "]".repeat(depth.min(63))
        );
        let s = scan(&[("main.tf", &src)]);
        assert_eq!(s.out.resources.len(), 1, "{:?}", s.out.diagnostics);
    }
}

#[test]
fn long_reference_chains_do_not_overflow_the_stack() {
    let mut src = String::from("locals {\n  v0 = 1\n");
    for i in 1..3000 {
        src.push_str(&format!("  v{i} = local.v{} + 1\n", i - 1));
    }
    src.push_str("}\nresource \"x\" \"y\" { v = local.v2999 }\n");
    let s = scan(&[("main.tf", &src)]);
    // Too deep to evaluate in one chain: unknown plus a diagnostic, never a crash.
    assert!(s.attr("x.y", "v").is_unknown() || s.attr("x.y", "v").as_f64() == Some(3000.0));
}

#[test]
fn deep_expressions_inside_deep_chains_do_not_overflow_the_stack() {
    let mut src = String::from("locals {\n  v0 = 1\n");
    for i in 1..100 {
        let open = "[".repeat(60);
        let close = "]".repeat(60);
        src.push_str(&format!("  v{i} = {open}local.v{}{close}\n", i - 1));
    }
    src.push_str("}\nresource \"x\" \"y\" { v = local.v99 }\n");
    let s = scan(&[("main.tf", &src)]);
    assert!(s.attr("x.y", "v").contains_unknown());
}

#[test]
fn many_small_references_evaluate_in_linear_time() {
    let mut src = String::from("locals {\n  v0 = 1\n");
    for i in 1..2000 {
        src.push_str(&format!("  v{i} = local.v{} + 1\n", i - 1));
    }
    src.push_str("}\n");
    // Referencing every local from the bottom up keeps every evaluation shallow (memoized).
    for i in 0..2000 {
        src.push_str(&format!("resource \"x\" \"r{i}\" {{ v = local.v{i} }}\n"));
    }
    let s = scan(&[("main.tf", &src)]);
    assert_eq!(s.attr("x.r1999", "v").as_f64(), Some(2000.0));
}

// ---- property tests ----

fn arb_source() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "resource \"a\" \"b\" {",
        "}",
        "{",
        "[",
        "]",
        "(",
        ")",
        "\"",
        "${",
        "%{",
        " if ",
        " for ",
        " in ",
        " endfor ",
        " endif ",
        "~}",
        "=",
        "==",
        "?",
        ":",
        "...",
        ",",
        "\n",
        "var.x",
        "local.y",
        "module.m.o",
        "data.d.e.f",
        "a.b.c",
        "count.index",
        "each.key",
        "each.value",
        "[*]",
        ".*",
        "jsonencode(",
        "merge(",
        "concat(",
        "lookup(",
        "format(\"%s%d\", ",
        "range(",
        "regex(\"(\", ",
        "cidrsubnet(\"10.0.0.0/8\", ",
        "try(",
        "can(",
        "<<EOF\n",
        "<<-EOT\n",
        "\nEOF\n",
        "\n  EOT\n",
        "locals {",
        "variable \"x\" {",
        "default = ",
        "count = ",
        "for_each = ",
        "dynamic \"d\" {",
        "content {",
        "module \"m\" { source = \"./\"",
        "output \"o\" { value = ",
        "1",
        "-1",
        "1e308",
        "\"s\"",
        "true",
        "null",
        "x",
        "y",
        " => ",
        "!",
        "&&",
        "||",
        "+",
        "-",
        "*",
        "/",
        "%",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let s = scan(&[("main.tf", &text), ("terraform.tfvars", &text)]);
        prop_assert!(s.out.resources.len() <= 100_000);
    }

    #[test]
    fn arbitrary_text_as_terraform_json_never_panics(text in "\\PC{0,400}") {
        let s = scan(&[("main.tf.json", &text)]);
        prop_assert!(s.out.resources.len() <= 100_000);
    }

    #[test]
    fn token_soup_in_terraform_json_never_panics(a in arb_source(), b in arb_source(), k in arb_source()) {
        // Soup inside JSON strings (templates) and keys, in every block kind.
        let q = |t: &str| serde_json::Value::String(t.to_string());
        let doc = serde_json::json!({
            "variable": { "v": { "type": q(&a), "default": q(&b) } },
            "locals": { "l": q(&a) },
            "resource": { "aws_x": { "r": {
                "count": q(&b),
                "attr": q(&a),
                k.clone(): { k.clone(): [q(&b), 1, null, true] },
                "dynamic": { "d": { "for_each": q(&a), "iterator": q(&k), "content": { "c": q(&b) } } }
            } } },
            "module": { "m": { "source": q(&k), "x": q(&a) } },
            "output": { "o": { "value": q(&b) } }
        });
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let s = scan(&[("main.tf.json", &text), ("main.tf", &a)]);
        // Valid JSON always translates into HCL that parses.
        prop_assert!(!s.has_diag("parse-error", "could not be read as configuration"), "{:?}", s.out.diagnostics);
        // Every span the output carries lies inside its file.
        for r in &s.out.resources {
            let len = s.file_of(r.span).text.len() as u32;
            prop_assert!(r.span.end <= len);
        }
    }

    #[test]
    fn token_soup_never_panics(text in arb_source(), vars in arb_source()) {
        let s = scan(&[("main.tf", &text), ("other.tf", &vars), ("m/main.tf", &text)]);
        prop_assert!(s.out.resources.len() <= 100_000);
    }
}

// ---- oracle: hcl-rs on the known-value subset ----

/// Typed random expressions that both evaluators must agree on.
fn num_expr() -> BoxedStrategy<String> {
    let leaf = (0i64..10).prop_map(|n| n.to_string());
    leaf.prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (any::<bool>(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}][1]")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{{ k = {a}, j = {b} }}.j")),
        ]
    })
    .boxed()
}

fn bool_expr() -> BoxedStrategy<String> {
    let cmp = (
        num_expr(),
        prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]),
        num_expr(),
    )
        .prop_map(|(a, op, b)| format!("({a} {op} {b})"));
    let leaf = prop_oneof![any::<bool>().prop_map(|b| b.to_string()), cmp];
    leaf.prop_recursive(2, 12, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["&&", "||"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.prop_map(|a| format!("!{a}")),
        ]
    })
    .boxed()
}

fn str_expr() -> BoxedStrategy<String> {
    let lit = "[a-z ]{0,6}".prop_map(|s| format!("\"{s}\""));
    let tmpl = (num_expr(), bool_expr(), "[a-z]{0,3}")
        .prop_map(|(n, b, s)| format!("\"{s}${{{n}}}-${{{b}}}\""));
    let ifd = (bool_expr(), "[a-z]{0,3}", "[a-z]{0,3}")
        .prop_map(|(c, a, b)| format!("\"%{{ if {c} }}{a}%{{ else }}{b}%{{ endif }}\""));
    let ford =
        num_expr().prop_map(|n| format!("\"%{{ for x in [1, {n}] }}<${{x}}>%{{ endfor }}\""));
    prop_oneof![lit, tmpl, ifd, ford].boxed()
}

fn any_expr() -> impl Strategy<Value = String> {
    prop_oneof![
        num_expr(),
        bool_expr(),
        str_expr(),
        (num_expr(), num_expr())
            .prop_map(|(a, b)| format!("[for x in [{a}, {b}] : x * 2 if x != 3]")),
        (num_expr(), str_expr())
            .prop_map(|(a, s)| format!("{{ for k, v in {{ a = {a}, b = {s} }} : k => v }}")),
        (bool_expr(), str_expr(), str_expr()).prop_map(|(c, a, b)| format!("{c} ? {a} : {b}")),
    ]
}

/// Numbers compared by value (one side may be integer, the other float).
fn normalize(v: Value) -> Value {
    match v {
        Value::Number(n) => n.as_f64().map_or(Value::Null, |f| serde_json::json!(f)),
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
        other => other,
    }
}

fn ours(expr: &str) -> Value {
    let src = format!("resource \"t\" \"r\" {{\n  v = {expr}\n}}\n");
    let s = scan(&[("main.tf", &src)]);
    assert!(
        s.out.diagnostics.is_empty(),
        "{expr}: {:?}",
        s.out.diagnostics
    );
    normalize(s.attr("t.r", "v").to_json())
}

fn oracle(expr: &str) -> Value {
    use hcl::eval::Evaluate;
    let parsed: hcl::Expression = expr.parse().expect("hcl-rs parses");
    let v = parsed
        .evaluate(&hcl::eval::Context::new())
        .expect("hcl-rs evaluates");
    normalize(serde_json::to_value(v).expect("json"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_hcl_rs_on_known_values(expr in any_expr()) {
        prop_assert_eq!(ours(&expr), oracle(&expr), "expression: {}", expr);
    }
}
