//! Strings built around computed references keep their text and references as a
//! `Template` (through variables, locals, modules, `for`, `join` and `format`), stay unknown
//! for everything else, and are bounded.

mod common;

use common::scan;
use proptest::prelude::*;
use trustmap_syntax::{Node, NodeKind, Part};

fn text(s: &str) -> Part {
    Part::Text(s.into())
}

fn r(address: &str, attribute: &str) -> Part {
    Part::Ref {
        address: address.into(),
        attribute: attribute.into(),
    }
}

fn parts(n: &Node) -> &[Part] {
    match &n.kind {
        NodeKind::Template(p) => p,
        other => panic!("not a template: {other:?}"),
    }
}

const BUCKET: &str = r#"
resource "aws_s3_bucket" "b" {}
resource "aws_apigatewayv2_integration" "i" {}
"#;

#[test]
fn templates_keep_text_and_references() {
    let s = scan(&[(
        "main.tf",
        &format!(
            r#"{BUCKET}
data "aws_caller_identity" "c" {{}}
variable "region" {{}}
resource "probe" "p" {{
  objects  = "${{aws_s3_bucket.b.arn}}/*"
  target   = "integrations/${{aws_apigatewayv2_integration.i.id}}"
  execute  = "arn:aws:execute-api:${{var.region}}:${{data.aws_caller_identity.c.account_id}}:${{aws_apigatewayv2_integration.i.id}}/*"
  bare     = aws_s3_bucket.b.arn
  lone     = "${{aws_s3_bucket.b.arn}}"
  opaque   = "x-${{var.region}}"
}}
"#
        ),
    )]);
    let p = "probe.p";
    assert_eq!(
        parts(s.attr(p, "objects")),
        [r("aws_s3_bucket.b", "arn"), text("/*")]
    );
    assert_eq!(
        parts(s.attr(p, "target")),
        [
            text("integrations/"),
            r("aws_apigatewayv2_integration.i", "id")
        ]
    );
    assert_eq!(
        parts(s.attr(p, "execute")),
        [
            text("arn:aws:execute-api:"),
            Part::Unknown,
            text(":"),
            r("data.aws_caller_identity.c", "account_id"),
            text(":"),
            r("aws_apigatewayv2_integration.i", "id"),
            text("/*"),
        ]
    );
    // A bare reference (also as a lone interpolation) stays a `Ref`.
    for key in ["bare", "lone"] {
        assert_eq!(
            s.attr(p, key).kind,
            NodeKind::Ref {
                address: "aws_s3_bucket.b".into(),
                attribute: "arn".into()
            }
        );
    }
    // Nothing to join on: a plain unknown.
    assert_eq!(s.attr(p, "opaque").kind, NodeKind::Unknown);
    // Everything else reads a template as unknown.
    let objects = s.attr(p, "objects");
    assert!(objects.is_unknown() && objects.as_str().is_none());
    assert_eq!(objects.to_json(), serde_json::Value::Null);
    // Located at the use site.
    assert_eq!(s.text(objects.span), "\"${aws_s3_bucket.b.arn}/*\"");
}

#[test]
fn templates_flow_through_variables_locals_and_modules() {
    let s = scan(&[
        (
            "main.tf",
            &format!(
                r#"{BUCKET}
locals {{
  objects = "${{aws_s3_bucket.b.arn}}/*"
  nested  = "prefix/${{local.objects}}"
}}
module "m" {{
  source  = "./modules/m"
  objects = local.objects
}}
resource "probe" "p" {{
  local  = local.objects
  nested = local.nested
  out    = module.m.resource
}}
"#
            ),
        ),
        (
            "modules/m/main.tf",
            r#"
variable "objects" {}
resource "probe" "inner" {
  resource = var.objects
  wrapped  = "<${var.objects}>"
}
output "resource" { value = "${var.objects}?" }
"#,
        ),
    ]);
    let objects = [r("aws_s3_bucket.b", "arn"), text("/*")];
    let local = s.attr("probe.p", "local");
    assert_eq!(parts(local), objects);
    assert!(!local.via.is_empty(), "the local is a provenance hop");
    assert_eq!(
        parts(s.attr("probe.p", "nested")),
        [text("prefix/"), r("aws_s3_bucket.b", "arn"), text("/*")]
    );
    let inner = s.attr("module.m.probe.inner", "resource");
    assert_eq!(parts(inner), objects);
    assert!(
        inner.via.len() >= 2,
        "variable and local hops: {:?}",
        inner.via
    );
    assert_eq!(
        parts(s.attr("module.m.probe.inner", "wrapped")),
        [text("<"), r("aws_s3_bucket.b", "arn"), text("/*>")]
    );
    assert_eq!(
        parts(s.attr("probe.p", "out")),
        [r("aws_s3_bucket.b", "arn"), text("/*?")]
    );
}

#[test]
fn for_expressions_join_and_format_build_templates() {
    let s = scan(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "b" {
  for_each = toset(["x", "y"])
}
resource "aws_apigatewayv2_integration" "i" {}
resource "probe" "p" {
  each    = [for k, b in aws_s3_bucket.b : "${b.arn}/${k}/*"]
  joined  = join("/", ["integrations", aws_apigatewayv2_integration.i.id])
  format  = format("%s/*", aws_s3_bucket.b["x"].arn)
  percent = format("%%-%s", aws_s3_bucket.b["x"].arn)
  width   = format("%10s", aws_s3_bucket.b["x"].arn)
  odd     = join("/", aws_s3_bucket.b["x"].tags_all)
}
"#,
    )]);
    let p = "probe.p";
    let each = s.attr(p, "each").as_seq().expect("a list");
    assert_eq!(each.len(), 2);
    assert_eq!(
        parts(&each[1]),
        [r(r#"aws_s3_bucket.b["y"]"#, "arn"), text("/y/*")]
    );
    assert_eq!(
        parts(s.attr(p, "joined")),
        [
            text("integrations/"),
            r("aws_apigatewayv2_integration.i", "id")
        ]
    );
    assert_eq!(
        parts(s.attr(p, "format")),
        [r(r#"aws_s3_bucket.b["x"]"#, "arn"), text("/*")]
    );
    assert_eq!(
        parts(s.attr(p, "percent")),
        [text("%-"), r(r#"aws_s3_bucket.b["x"]"#, "arn")]
    );
    // Formats and lists we do not model stay plain unknowns.
    assert_eq!(s.attr(p, "width").kind, NodeKind::Unknown);
    assert_eq!(s.attr(p, "odd").kind, NodeKind::Unknown);
}

#[test]
fn json_policy_strings_keep_their_references() {
    let s = scan(&[(
        "main.tf",
        &format!(
            r#"{BUCKET}
resource "aws_iam_policy" "p" {{
  policy = <<EOF
{{"Statement": [{{"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": ["${{aws_s3_bucket.b.arn}}/*", "${{aws_s3_bucket.b.arn}}"]}}]}}
EOF
}}
"#
        ),
    )]);
    let policy = s.attr("aws_iam_policy.p", "policy");
    let tree = policy.json_tree().expect("decoded");
    let resources = tree
        .path(&["Statement"])
        .and_then(|st| st.as_seq())
        .and_then(|st| st[0].get("Resource"))
        .and_then(Node::as_seq)
        .expect("resources");
    assert_eq!(
        parts(&resources[0]),
        [r("aws_s3_bucket.b", "arn"), text("/*")]
    );
    assert_eq!(s.text(resources[0].span), "\"${aws_s3_bucket.b.arn}/*\"");
    assert!(matches!(resources[1].kind, NodeKind::Ref { .. }));
}

#[test]
fn long_chains_stay_bounded() {
    // 200 references in one string: more parts than a template keeps.
    let interps: String = (0..200)
        .map(|i| format!("${{aws_s3_bucket.b{i}.id}}-"))
        .collect();
    let buckets: String = (0..200)
        .map(|i| format!("resource \"aws_s3_bucket\" \"b{i}\" {{}}\n"))
        .collect();
    // A chain of locals, each doubling the previous one: 2^30 references unbounded.
    let chain: String = (1..30)
        .map(|i| format!("  l{i} = \"${{local.l{p}}}/${{local.l{p}}}\"\n", p = i - 1))
        .collect();
    let s = scan(&[(
        "main.tf",
        &format!(
            r#"{buckets}
locals {{
  l0 = aws_s3_bucket.b0.arn
{chain}}}
resource "probe" "p" {{
  many  = "{interps}"
  chain = local.l29
  short = local.l3
}}
"#
        ),
    )]);
    assert_eq!(s.attr("probe.p", "many").kind, NodeKind::Unknown);
    assert_eq!(s.attr("probe.p", "chain").kind, NodeKind::Unknown);
    // 8 references and the 7 separators between them.
    assert_eq!(parts(s.attr("probe.p", "short")).len(), 15);
}

/// One piece of a generated template: literal text or a reference to bucket `i`.
#[derive(Clone, Debug)]
enum Piece {
    Lit(String),
    Ref(usize),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        "[a-z0-9:/*._-]{1,6}".prop_map(Piece::Lit),
        (0usize..3).prop_map(Piece::Ref),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Substituting known values for the references of the template the evaluator keeps
    /// gives the string Terraform renders when those values are known.
    #[test]
    fn rendering_the_parts_equals_evaluating_with_known_values(
        pieces in prop::collection::vec(piece(), 1..8),
    ) {
        let body = |reference: &dyn Fn(usize) -> String| -> String {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Lit(s) => s.clone(),
                    Piece::Ref(i) => format!("${{{}}}", reference(*i)),
                })
                .collect()
        };
        let with_refs = body(&|i| format!("aws_s3_bucket.b{i}.arn"));
        let with_known = body(&|i| format!("var.v{i}"));
        let decls = "resource \"aws_s3_bucket\" \"b0\" {}\nresource \"aws_s3_bucket\" \"b1\" {}\n\
                     resource \"aws_s3_bucket\" \"b2\" {}\n\
                     variable \"v0\" { default = \"arn:aws:s3:::zero\" }\n\
                     variable \"v1\" { default = \"one\" }\n\
                     variable \"v2\" { default = \"\" }\n";
        let src = format!(
            "{decls}resource \"probe\" \"p\" {{\n  refs  = \"{with_refs}\"\n  known = \"{with_known}\"\n}}\n"
        );
        let s = scan(&[("main.tf", &src)]);
        let known = s.attr("probe.p", "known").as_str().expect("known").to_string();
        let value = |address: &str, _: &str| -> Option<String> {
            let i: usize = address.strip_prefix("aws_s3_bucket.b")?.parse().ok()?;
            Some(["arn:aws:s3:::zero", "one", ""][i].to_string())
        };
        let refs = s.attr("probe.p", "refs");
        let rendered = match &refs.kind {
            NodeKind::Template(parts) => Part::render(parts, value),
            NodeKind::Ref { address, attribute } => value(address, attribute),
            NodeKind::String(s) => Some(s.clone()),
            other => panic!("neither template nor reference: {other:?}"),
        };
        prop_assert_eq!(rendered, Some(known));
    }
}
