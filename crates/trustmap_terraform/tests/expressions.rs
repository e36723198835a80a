//! Expressions, templates, functions and unknown propagation.

mod common;

use common::scan;
use serde_json::json;
use trustmap_syntax::NodeKind;

/// Evaluates `expr` as attribute `v` of a resource (with a few locals in scope).
fn value(expr: &str) -> serde_json::Value {
    let src = format!(
        r#"
locals {{
  list = ["a", "b", "c"]
  map  = {{ x = 1, y = 2 }}
  nums = [3, 1, 2]
}}
data "aws_caller_identity" "me" {{}}
resource "t" "r" {{
  v = {expr}
}}
"#
    );
    let s = scan(&[("main.tf", &src)]);
    let v = s.resource("t.r").body.get("v").map(|n| {
        if n.is_unknown() {
            json!("<unknown>")
        } else {
            n.to_json()
        }
    });
    v.unwrap_or(json!("<null>"))
}

#[test]
fn operators_and_conditionals() {
    assert_eq!(value("1 + 2 * 3 - 4 / 2"), json!(5));
    assert_eq!(value("7 % 3"), json!(1));
    assert_eq!(value("-(2 + 3)"), json!(-5));
    assert_eq!(value("\"5\" + 1"), json!(6));
    assert_eq!(value("1 < 2 && 3 >= 3 && !false"), json!(true));
    assert_eq!(value("1 == 1 && \"a\" != \"b\" && [1] == [1]"), json!(true));
    assert_eq!(value("1 == \"1\""), json!(false));
    assert_eq!(value("true ? \"yes\" : \"no\""), json!("yes"));
    assert_eq!(value("length(local.list) > 2 ? local.map.y : 0"), json!(2));
}

#[test]
fn unknown_propagates() {
    let unknown = json!("<unknown>");
    let acct = "data.aws_caller_identity.me.account_id";
    assert_eq!(value(acct), unknown);
    assert_eq!(
        value(&format!("\"arn:aws:iam::${{{acct}}}:root\"")),
        unknown
    );
    assert_eq!(value(&format!("{acct} + 1")), unknown);
    assert_eq!(value(&format!("upper({acct})")), unknown);
    // An unknown condition is unknown unless both branches agree.
    assert_eq!(value(&format!("{acct} == \"1\" ? \"a\" : \"b\"")), unknown);
    assert_eq!(
        value(&format!("{acct} == \"1\" ? \"same\" : \"same\"")),
        json!("same")
    );
    // A known deciding operand decides.
    assert_eq!(value(&format!("false && {acct} == \"1\"")), json!(false));
    assert_eq!(value(&format!("{acct} == \"1\" || true")), json!(true));
    // Structural functions keep known parts.
    assert_eq!(
        value(&format!("concat([{acct}], [\"x\"])")),
        json!([null, "x"])
    );
    assert_eq!(value(&format!("length([{acct}, 1])")), json!(2));
    // try() keeps an unknown (it might still fail later); can() is unknown too.
    assert_eq!(value(&format!("try({acct}, \"fallback\")")), unknown);
    assert_eq!(value(&format!("can({acct})")), unknown);
}

#[test]
fn data_source_attributes_are_references_and_counted() {
    let s = scan(&[(
        "main.tf",
        r#"
data "aws_region" "r" {}
data "aws_ami" "ubuntu" { owners = ["099720109477"] }
resource "aws_instance" "i" {
  ami    = data.aws_ami.ubuntu.id
  owner  = data.aws_ami.ubuntu.owners[0]
  region = data.aws_region.r.name
  type   = "t3.micro"
}
"#,
    )]);
    let i = s.resource("aws_instance.i");
    // A data source's attributes are read at plan time: unknown here, but a reference that
    // adapters can resolve (e.g. `data.aws_iam_policy` by its `name`).
    assert_eq!(
        i.body.get("ami").map(|n| &n.kind),
        Some(&NodeKind::Ref {
            address: "data.aws_ami.ubuntu".into(),
            attribute: "id".into()
        })
    );
    assert_eq!(
        s.text(i.body.get("ami").map(|n| n.span).unwrap()),
        "data.aws_ami.ubuntu.id"
    );
    // Configured arguments of a data source are known at plan time.
    assert_eq!(
        i.body.get("owner").and_then(|n| n.as_str()),
        Some("099720109477")
    );
    assert!(i.body.get("region").is_some_and(|n| n.is_unknown()));
    assert_eq!(s.out.unknown_values, 2);
    assert!(s.out.diagnostics.is_empty(), "{:?}", s.out.diagnostics);
}

#[test]
fn templates_and_directives() {
    assert_eq!(value(r#""${local.list[0]}-${local.map.x}""#), json!("a-1"));
    assert_eq!(value(r#""${local.list}" == local.list"#), json!(true));
    assert_eq!(
        value(r#""%{ if local.map.x == 1 }one%{ else }other%{ endif }""#),
        json!("one")
    );
    assert_eq!(
        value(r#""%{ for i, s in local.list }${i}=${s};%{ endfor }""#),
        json!("0=a;1=b;2=c;")
    );
    assert_eq!(
        value(r#""a  %{~ if true ~}  b  %{~ endif ~}  c""#),
        json!("abc")
    );
    assert_eq!(
        value(r#""$${literal} %%{also}""#),
        json!("${literal} %{also}")
    );
    let heredoc = "<<-EOT\n    %{ for s in local.list ~}\n    - ${s}\n    %{ endfor ~}\n  EOT";
    assert_eq!(value(heredoc), json!("- a\n- b\n- c\n"));
    assert_eq!(
        value("<<EOT\nline1\n  line2\nEOT"),
        json!("line1\n  line2\n")
    );
    assert_eq!(
        value("<<-EOT\n    line1\n      line2\n    EOT"),
        json!("line1\n  line2\n")
    );
    // A line starting with an interpolation is still dedented, as Terraform does.
    assert_eq!(
        value("<<-EOT\n    ${local.list[0]}:\n      x\n    EOT"),
        json!("a:\n  x\n")
    );
}

#[test]
fn for_expressions_and_splats() {
    assert_eq!(
        value("[for s in local.list : upper(s) if s != \"b\"]"),
        json!(["A", "C"])
    );
    assert_eq!(
        value("{for k, v in local.map : v => k}"),
        json!({"1": "x", "2": "y"})
    );
    assert_eq!(
        value("{for s in [\"a1\", \"a2\", \"b1\"] : substr(s, 0, 1) => s...}"),
        json!({"a": ["a1", "a2"], "b": ["b1"]})
    );
    assert_eq!(
        value("[for i, s in local.list : \"${i}${s}\"]"),
        json!(["0a", "1b", "2c"])
    );
    assert_eq!(value("[{n = 1}, {n = 2}][*].n"), json!([1, 2]));
    assert_eq!(value("[{n = [1]}, {n = [2]}].*.n[0]"), json!([1]));
    assert_eq!(value("local.map[\"y\"]"), json!(2));
}

#[test]
fn try_and_can_catch_errors() {
    assert_eq!(
        value("try(local.map.missing, \"fallback\")"),
        json!("fallback")
    );
    assert_eq!(value("try(local.list[10], local.list[0])"), json!("a"));
    assert_eq!(value("can(local.map.x)"), json!(true));
    assert_eq!(value("can(local.map.missing)"), json!(false));
    assert_eq!(value("can(regex(\"^a\", \"abc\"))"), json!(true));
}

#[test]
fn functions() {
    let cases: &[(&str, serde_json::Value)] = &[
        (
            "jsondecode(jsonencode({b = [1, true], a = null}))",
            json!({"a": null, "b": [1, true]}),
        ),
        (
            "jsonencode({b = 1, a = \"<x>\"})",
            json!("{\"a\":\"\\u003cx\\u003e\",\"b\":1}"),
        ),
        (
            "merge({a = 1, b = 2}, {b = 3}, null)",
            json!({"a": 1, "b": 3}),
        ),
        ("concat([1], [2, 3])", json!([1, 2, 3])),
        ("flatten([[1, [2]], 3])", json!([1, 2, 3])),
        ("distinct([1, 2, 1])", json!([1, 2])),
        ("keys({b = 1, a = 2})", json!(["a", "b"])),
        ("values({b = 1, a = 2})", json!([2, 1])),
        ("lookup({a = 1}, \"b\", 9)", json!(9)),
        ("element(local.list, 4)", json!("b")),
        ("contains(local.list, \"c\")", json!(true)),
        ("index(local.list, \"c\")", json!(2)),
        ("coalesce(null, \"\", \"x\")", json!("x")),
        ("coalescelist([], [1])", json!([1])),
        ("compact([\"a\", \"\", null])", json!(["a"])),
        ("toset([\"b\", \"a\", \"b\"])", json!(["a", "b"])),
        ("tolist(toset([2, 1]))", json!([1, 2])),
        ("tomap({a = \"b\"})", json!({"a": "b"})),
        ("tostring(12)", json!("12")),
        ("tonumber(\"1.5\")", json!(1.5)),
        ("tobool(\"true\")", json!(true)),
        (
            "format(\"%s-%03d-%.2f-%t-%q-%v\", \"a\", 7, 3.14159, true, \"q\", [1])",
            json!("a-007-3.14-true-\"q\"-[1]"),
        ),
        (
            "formatlist(\"%s=%s\", [\"a\", \"b\"], \"x\")",
            json!(["a=x", "b=x"]),
        ),
        ("join(\",\", local.list)", json!("a,b,c")),
        ("split(\",\", \"a,b\")", json!(["a", "b"])),
        ("replace(\"a-b-c\", \"-\", \"_\")", json!("a_b_c")),
        ("replace(\"a1b22\", \"/[0-9]+/\", \"#\")", json!("a#b#")),
        ("replace(\"ab\", \"/(a)(b)/\", \"$2$1\")", json!("ba")),
        ("lower(\"AbC\")", json!("abc")),
        ("upper(\"abc\")", json!("ABC")),
        ("title(\"hello world-wide\")", json!("Hello World-Wide")),
        ("trimspace(\"  x \\n\")", json!("x")),
        ("trim(\"?!x!?\", \"!?\")", json!("x")),
        ("trimprefix(\"prefix-x\", \"prefix-\")", json!("x")),
        ("trimsuffix(\"x.tf\", \".tf\")", json!("x")),
        ("substr(\"hello\", 1, 3)", json!("ell")),
        ("substr(\"hello\", -3, -1)", json!("llo")),
        ("startswith(\"arn:aws\", \"arn:\")", json!(true)),
        ("endswith(\"a.json\", \".json\")", json!(true)),
        ("strcontains(\"abc\", \"b\")", json!(true)),
        (
            "regex(\"([a-z]+)-([0-9]+)\", \"web-42\")",
            json!(["web", "42"]),
        ),
        (
            "regex(\"(?P<name>[a-z]+)\", \"web-42\")",
            json!({"name": "web"}),
        ),
        ("regexall(\"[0-9]\", \"a1b2\")", json!(["1", "2"])),
        ("range(3)", json!([0, 1, 2])),
        ("range(1, 10, 4)", json!([1, 5, 9])),
        ("zipmap([\"a\", \"b\"], [1, 2])", json!({"a": 1, "b": 2})),
        ("slice(local.list, 1, 3)", json!(["b", "c"])),
        ("reverse(local.list)", json!(["c", "b", "a"])),
        ("sort([\"b\", \"a\"])", json!(["a", "b"])),
        ("one([])", json!("<null>")),
        ("one([5])", json!(5)),
        ("sum(local.nums)", json!(6)),
        ("min(3, 1, 2)", json!(1)),
        ("max(local.nums...)", json!(3)),
        ("abs(-2)", json!(2)),
        ("ceil(1.2)", json!(2)),
        ("floor(1.8)", json!(1)),
        ("base64encode(\"hi\")", json!("aGk=")),
        ("base64decode(\"aGk=\")", json!("hi")),
        (
            "sha256(\"abc\")",
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ),
        ("md5(\"abc\")", json!("<unknown>")),
        ("timestamp()", json!("<unknown>")),
        ("file(\"x.json\")", json!("<unknown>")),
        ("cidrsubnet(\"10.0.0.0/16\", 8, 2)", json!("10.0.2.0/24")),
        ("cidrsubnet(\"fd00::/56\", 8, 1)", json!("fd00:0:0:1::/64")),
        ("cidrhost(\"10.0.1.0/24\", 5)", json!("10.0.1.5")),
        ("cidrhost(\"10.0.1.0/24\", -2)", json!("10.0.1.254")),
        ("cidrnetmask(\"10.0.0.0/12\")", json!("255.240.0.0")),
        (
            "cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)",
            json!([
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]),
        ),
        ("setunion([\"a\"], [\"b\", \"a\"])", json!(["a", "b"])),
        (
            "setintersection([\"a\", \"b\"], [\"b\", \"c\"])",
            json!(["b"]),
        ),
        ("setsubtract([\"a\", \"b\"], [\"b\"])", json!(["a"])),
        ("alltrue([true, \"true\"])", json!(true)),
        ("anytrue([false])", json!(false)),
        ("chunklist([1, 2, 3], 2)", json!([[1, 2], [3]])),
        ("urlencode(\"a b&c\")", json!("a+b%26c")),
        ("parseint(\"ff\", 16)", json!(255)),
        ("pow(2, 10)", json!(1024)),
        ("sensitive(\"s\")", json!("s")),
        ("length(\"héllo\")", json!(5)),
        ("indent(2, \"a\\nb\")", json!("a\n  b")),
        ("chomp(\"x\\n\\n\")", json!("x")),
    ];
    let mut failures = Vec::new();
    for (expr, want) in cases {
        let got = value(expr);
        if &got != want {
            failures.push(format!("{expr}\n   got  {got}\n   want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_functions_are_diagnosed_once_per_file() {
    let s = scan(&[(
        "main.tf",
        "resource \"x\" \"y\" {\n  a = frobnicate(1)\n  b = frobnicate(2)\n  c = provider::aws::arn_parse(\"x\")\n}\n",
    )]);
    assert!(s.attr("x.y", "a").is_unknown());
    assert!(s.attr("x.y", "b").is_unknown());
    assert!(s.attr("x.y", "c").is_unknown());
    let msgs: Vec<&str> = s
        .out
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        msgs.iter().filter(|m| m.contains("`frobnicate`")).count(),
        1,
        "{msgs:?}"
    );
    assert_eq!(
        msgs.iter()
            .filter(|m| m.contains("`provider::aws::arn_parse`"))
            .count(),
        1,
        "{msgs:?}"
    );
}

#[test]
fn evaluation_errors_become_unknown_with_a_located_diagnostic() {
    let s = scan(&[(
        "main.tf",
        "resource \"x\" \"y\" {\n  a = 1 / 0\n  b = [1][5]\n  c = \"fine\"\n}\n",
    )]);
    assert!(s.attr("x.y", "a").is_unknown());
    assert!(s.attr("x.y", "b").is_unknown());
    assert_eq!(s.attr("x.y", "c").as_str(), Some("fine"));
    let div = s
        .out
        .diagnostics
        .iter()
        .find(|d| d.message.contains("division by zero"))
        .unwrap();
    assert_eq!(div.code, "evaluation");
    assert_eq!(s.at(div.span.unwrap()), "main.tf:2");
}

#[test]
fn null_attributes_are_left_out() {
    let s = scan(&[(
        "main.tf",
        "variable \"kms\" { default = null }\nresource \"x\" \"y\" {\n  kms = var.kms\n  acl = true ? null : \"x\"\n  keep = 1\n}\n",
    )]);
    assert_eq!(s.json("x.y"), json!({"keep": 1}));
}
