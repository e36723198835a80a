//! Renderer tests on a hand-built graph whose labels carry every character that could break
//! Mermaid or DOT.

use std::sync::Arc;

use trustmap_source::{FileId, SourceFile, SourceMap};

use super::{View, dot, json, mermaid};
use crate::graph::{Graph, NodeId};
use crate::paths::attack_paths;
use crate::types::{Access, AccessLevel, Crown, Edge, Node, NodeKind, Relation, Sensitivity};

const TF: &str = "resource \"aws_lambda_function_url\" \"u\" {\n  authorization_type = \"NONE\"\n}\n\nresource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n}\n";

fn sources() -> SourceMap {
    let mut map = SourceMap::new();
    map.push(Arc::new(SourceFile::new(FileId(0), "infra/main.tf", TF)));
    map
}

fn node(kind: NodeKind, key: &str, label: &str, line_offset: Option<usize>) -> Node {
    Node {
        kind,
        key: key.to_string(),
        label: label.to_string(),
        resource: line_offset.map(|_| key.to_string()),
        span: line_offset.map(|o| trustmap_source::Span::new(FileId(0), o, o + 8)),
        crown: None,
    }
}

/// internet → URL → function → role → secret (a path); role → bucket (read, also a path);
/// an unbound role and a bucket only it reaches (no path); keys that collide once made
/// Mermaid ids (`a.b`, `a_b`) and one that is a Mermaid keyword (`end`).
fn sample() -> (Graph, [NodeId; 8]) {
    let mut g = Graph::new();
    let internet = g.add_node(node(NodeKind::Internet, "internet", "Internet", None));
    let url = g.add_node(node(
        NodeKind::Endpoint,
        "aws_lambda_function_url.u",
        r#"URL "public" [v2] | <b>#1</b> & `x` \N"#,
        Some(0),
    ));
    let func = g.add_node(node(NodeKind::Workload, "a.b", "function a.b", Some(0)));
    let role_at = TF.find("resource \"aws_iam_role\"");
    let role = g.add_node(node(
        NodeKind::Identity,
        "aws_iam_role.r",
        "role r",
        role_at,
    ));
    let mut secret = node(NodeKind::Secret, "a_b", "secret\nwith a newline", None);
    secret.crown = Some(Crown::Secret);
    let secret = g.add_node(secret);
    let mut bucket = node(NodeKind::Data, "end", "bucket end", None);
    bucket.crown = Some(Crown::Data {
        sensitivity: Sensitivity::Medium,
    });
    let bucket = g.add_node(bucket);
    let lonely = g.add_node(node(
        NodeKind::Identity,
        "aws_iam_role.lonely",
        "role lonely",
        None,
    ));
    let mut archive = node(
        NodeKind::Data,
        "aws_s3_bucket.archive",
        "bucket archive",
        None,
    );
    archive.crown = Some(Crown::Data {
        sensitivity: Sensitivity::High,
    });
    let archive = g.add_node(archive);
    let span = |o: usize| Some(trustmap_source::Span::new(FileId(0), o, o + 4));
    g.add_edge(
        internet,
        url,
        Edge::new(
            Relation::Exposes,
            "Anyone can call the URL: \"NONE\" auth.",
            span(40),
        ),
    );
    g.add_edge(
        url,
        func,
        Edge::new(Relation::Reaches, "The URL invokes the function.", None),
    );
    g.add_edge(
        func,
        role,
        Edge::new(Relation::RunsAs, "It runs as the role.", None),
    );
    g.add_edge(
        role,
        secret,
        Edge::new(
            Relation::Reads,
            "The role reads every secret.",
            span(TF.len() - 4),
        )
        .with_access(Access {
            level: AccessLevel::Read,
            actions: vec!["secretsmanager:GetSecretValue".into()],
        }),
    );
    g.add_edge(
        role,
        bucket,
        Edge::new(
            Relation::Writes,
            "The role writes the bucket if tagged.",
            None,
        )
        .with_conditions(vec!["aws:ResourceTag/team == \"x\"".into()]),
    );
    g.add_edge(
        lonely,
        archive,
        Edge::new(
            Relation::Administers,
            "Only this role manages the archive.",
            None,
        ),
    );
    (
        g,
        [internet, url, func, role, secret, bucket, lonely, archive],
    )
}

#[test]
fn mermaid_whole_graph() {
    let (g, _) = sample();
    let paths = attack_paths(&g);
    let out = mermaid::render(&g, &View::all(&g).highlight(&paths), &sources());
    insta::assert_snapshot!(out);
}

#[test]
fn mermaid_ids_are_unique_and_labels_escaped() {
    let (g, _) = sample();
    let out = mermaid::render(&g, &View::all(&g), &sources());
    let ids: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| l.contains("[") || l.contains("((") || l.contains("{{"))
        .filter(|l| {
            !l.contains("-->") && !l.contains("-.->") && !l.trim_start().starts_with("class")
        })
        .map(|l| {
            l.trim_start()
                .split(['[', '(', '{'])
                .next()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(ids.len(), 8, "{out}");
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in\n{out}");
    for id in &ids {
        assert!(id.starts_with("n_"), "{id}");
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{id}"
        );
    }
    assert!(
        ids.contains(&"n_a_b") && ids.contains(&"n_a_b_2"),
        "{ids:?}"
    );
    // Every label is one quoted string: inside it, no raw quote, pipe, backtick or angle
    // bracket of the input survives (the only `<` is the line break trustmap adds).
    for line in out.lines().filter(|l| l.contains('"')) {
        let inner = &line[line.find('"').unwrap() + 1..line.rfind('"').unwrap()];
        let without_break = inner.replace("<br/>", "");
        for bad in ['"', '|', '`', '<', '>', '\n'] {
            assert!(!without_break.contains(bad), "{bad:?} in {line}");
        }
    }
    assert!(out.contains("#quot;public#quot; [v2] #124; #lt;b#gt;#35;1#lt;/b#gt; #amp; #96;x#96;"));
    assert!(
        out.contains("n_end[(\"bucket end\")]"),
        "keyword id is prefixed:\n{out}"
    );
}

#[test]
fn dot_whole_graph() {
    let (g, _) = sample();
    let paths = attack_paths(&g);
    let out = dot::render(&g, &View::all(&g).highlight(&paths), &sources());
    insta::assert_snapshot!(out);
}

#[test]
fn dot_parses_and_keeps_every_label() {
    let (g, _) = sample();
    let out = dot::render(&g, &View::all(&g), &sources());
    let parsed = layout::gv::DotParser::new(&out)
        .process()
        .unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{out}"));
    let mut labels = std::collections::HashMap::new();
    let mut edges = 0;
    for stmt in &parsed.list.list {
        match stmt {
            layout::gv::parser::ast::Stmt::Node(n) => {
                let label = n
                    .list
                    .iter()
                    .find(|(k, _)| k == "label")
                    .map(|(_, v)| v.clone());
                labels.insert(n.id.name.clone(), label.unwrap_or_default());
            }
            layout::gv::parser::ast::Stmt::Edge(_) => edges += 1,
            _ => {}
        }
    }
    assert_eq!(edges, 6);
    assert_eq!(labels.len(), 8);
    for (_, n) in g.nodes() {
        let label = &labels[&n.key];
        assert!(label.starts_with(&n.label), "{:?} lost: {label:?}", n.label);
    }
    assert_eq!(
        labels["aws_lambda_function_url.u"],
        "URL \"public\" [v2] | <b>#1</b> & `x` \\N\ninfra/main.tf:1"
    );
    // The whole thing lays out, as `dot` would.
    let mut builder = layout::gv::GraphBuilder::new();
    builder.visit_graph(&parsed);
    let mut vg = builder.get();
    let mut svg = layout::backends::svg::SVGWriter::new();
    vg.do_it(false, false, false, &mut svg);
    assert!(svg.finalize().contains("<svg"));
}

#[test]
fn json_whole_graph_with_paths() {
    let (g, _) = sample();
    let paths = attack_paths(&g);
    let out = json::render(&g, &View::all(&g).highlight(&paths), &sources(), &paths);
    insta::assert_snapshot!(out);
}

#[test]
fn json_matches_its_schema() {
    let (g, _) = sample();
    let paths = attack_paths(&g);
    let doc: serde_json::Value =
        serde_json::from_str(&json::render(&g, &View::all(&g), &sources(), &paths)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&json::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn only_paths_keeps_path_hops() {
    let (g, [internet, url, func, role, secret, bucket, lonely, archive]) = sample();
    let paths = attack_paths(&g);
    let view = View::paths(&paths);
    for n in [internet, url, func, role, secret, bucket] {
        assert!(view.contains_node(n), "{}", g.node(n).key);
    }
    for n in [lonely, archive] {
        assert!(!view.contains_node(n), "{}", g.node(n).key);
    }
    assert_eq!(view.edge_count(), 5);
}

#[test]
fn focus_is_what_flows_through_a_node() {
    let (g, [internet, url, func, role, secret, bucket, lonely, archive]) = sample();
    let view = View::focus(&g, func);
    for n in [internet, url, func, role, secret, bucket] {
        assert!(view.contains_node(n), "{}", g.node(n).key);
    }
    assert!(!view.contains_node(lonely) && !view.contains_node(archive));
    let view = View::focus(&g, archive);
    assert_eq!(view.node_count(), 2);
    assert_eq!(view.edge_count(), 1);
    // Focus and only-paths together: the unbound role is on no path.
    let both = View::focus(&g, lonely).intersect(&View::paths(&attack_paths(&g)));
    assert_eq!(both.node_count(), 0);
}
