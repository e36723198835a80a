//! End-to-end attack paths: the real binary on tests/e2e/attack-paths, a platform repository
//! (Terraform, SAM, Kubernetes, GitHub workflows) with planted paths and near-misses (see its
//! README). Covers `scan`'s attack paths in JSON, SARIF and text, and the `paths`, `graph`,
//! `blast-radius` and `access` commands.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

mod common;

use common::{e2e_dir, trustmap};
use serde_json::Value;

fn repo() -> PathBuf {
    e2e_dir("attack-paths")
}

/// Runs the binary; returns stdout, stderr and the exit code.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = trustmap().args(args).output().expect("run");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let (stdout, stderr, code) = run(args);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (json, code)
}

fn repo_arg() -> String {
    repo().display().to_string()
}

/// `trustmap paths REPO --format json`.
fn paths_json() -> (Value, i32) {
    json_of(&["paths", &repo_arg(), "--format", "json", "--quiet"])
}

fn attack_paths(json: &Value) -> &Vec<Value> {
    json["attack_paths"].as_array().expect("attack_paths")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// The path from the source of kind `source_kind` to `target`.
fn path_to<'a>(json: &'a Value, source_kind: &str, target: &str) -> &'a Value {
    attack_paths(json)
        .iter()
        .find(|p| {
            let steps = p["steps"].as_array().expect("steps");
            str_of(&steps[0], "kind") == source_kind
                && steps
                    .last()
                    .is_some_and(|s| str_of(s, "resource") == target)
        })
        .unwrap_or_else(|| {
            panic!(
                "no path from {source_kind} to {target}; paths:\n{}",
                summary(json)
            )
        })
}

/// One expected hop: the resource reached, the relation into it, and where its evidence is.
#[derive(Clone)]
struct Hop {
    resource: &'static str,
    relation: &'static str,
    path: &'static str,
    lines: RangeInclusive<u64>,
}

const fn hop(
    resource: &'static str,
    relation: &'static str,
    path: &'static str,
    lines: RangeInclusive<u64>,
) -> Hop {
    Hop {
        resource,
        relation,
        path,
        lines,
    }
}

/// Asserts the hops after the source, in order, with their evidence locations.
fn assert_hops(path: &Value, expected: &[Hop]) {
    let steps = path["steps"].as_array().expect("steps");
    let got: Vec<String> = steps
        .iter()
        .map(|s| {
            format!(
                "--{}--> {} @ {}:{}",
                str_of(s, "relation"),
                str_of(s, "resource"),
                str_of(s, "path"),
                s["start_line"]
            )
        })
        .collect();
    assert_eq!(
        steps.len(),
        expected.len() + 1,
        "hops of `{}`:\n{}",
        str_of(path, "title"),
        got.join("\n")
    );
    for (step, want) in steps[1..].iter().zip(expected) {
        let line = step["start_line"].as_u64().unwrap_or_default();
        assert!(
            str_of(step, "resource") == want.resource
                && str_of(step, "relation") == want.relation
                && str_of(step, "path") == want.path
                && want.lines.contains(&line),
            "expected {} --{}--> at {}:{:?}, got:\n{}",
            want.resource,
            want.relation,
            want.path,
            want.lines,
            got.join("\n")
        );
    }
}

/// One line per path (severity, title, hops with locations), for snapshots and messages.
fn summary(json: &Value) -> String {
    attack_paths(json)
        .iter()
        .map(|p| {
            let hops: Vec<String> = p["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .map(|s| {
                    format!(
                        "    {:<12} {}  ({}:{})",
                        str_of(s, "relation"),
                        str_of(s, "resource"),
                        str_of(s, "path"),
                        s["start_line"]
                    )
                })
                .collect();
            format!(
                "{} | {}\n{}",
                str_of(p, "severity"),
                str_of(p, "title"),
                hops.join("\n")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_public_function_url_reaches_every_secret() {
    let (json, code) = paths_json();
    assert_eq!(code, 1, "paths were found");
    for secret in [
        "aws_secretsmanager_secret.ledger_db",
        "aws_secretsmanager_secret.stripe",
    ] {
        let p = path_to(&json, "internet", secret);
        assert_eq!(str_of(p, "severity"), "critical");
        assert_hops(
            p,
            &[
                hop(
                    "aws_lambda_function_url.report_export",
                    "exposes",
                    "infra/report_export.tf",
                    41..=41,
                ),
                hop(
                    "aws_lambda_function.report_export",
                    "reaches",
                    "infra/report_export.tf",
                    39..=40,
                ),
                hop(
                    "aws_iam_role.report_export",
                    "runs-as",
                    "infra/report_export.tf",
                    31..=31,
                ),
                // The statement that allows secretsmanager:GetSecretValue on `*`.
                hop(secret, "reads", "infra/report_export.tf", 21..=24),
            ],
        );
    }
}

#[test]
fn any_github_repository_writes_the_artifacts_bucket() {
    let (json, _) = paths_json();
    let p = path_to(&json, "any-github-repo", "aws_s3_bucket.artifacts");
    assert_eq!(str_of(p, "severity"), "critical");
    assert!(
        str_of(p, "title").contains("write"),
        "{}",
        str_of(p, "title")
    );
    assert_hops(
        p,
        &[
            // The trust statement without a `sub` condition.
            hop(
                "aws_iam_role.ci_artifacts",
                "can-assume",
                "infra/ci_artifacts.tf",
                6..=19,
            ),
            hop(
                "aws_s3_bucket.artifacts",
                "writes",
                "infra/ci_artifacts.tf",
                25..=30,
            ),
        ],
    );
}

#[test]
fn a_load_balancer_in_front_of_a_privileged_pod_reaches_cluster_admin() {
    let (json, _) = paths_json();
    let p = path_to(&json, "internet", "k8s:cluster-admin");
    assert_eq!(str_of(p, "severity"), "critical");
    let front = [
        hop(
            "Service/shop/storefront",
            "exposes",
            "k8s/storefront.yaml",
            44..=44,
        ),
        hop(
            "Deployment/shop/storefront",
            "reaches",
            "k8s/storefront.yaml",
            38..=48,
        ),
    ];
    assert_hops(
        p,
        &[
            front[0].clone(),
            front[1].clone(),
            hop(
                "ServiceAccount/shop/storefront",
                "runs-as",
                "k8s/storefront.yaml",
                25..=25,
            ),
            // The ClusterRoleBinding to cluster-admin.
            hop(
                "k8s:cluster-admin",
                "administers",
                "k8s/storefront.yaml",
                52..=63,
            ),
        ],
    );
    // The privileged container is a way out to the node on its own.
    let p = path_to(&json, "internet", "k8s:node-root");
    assert_eq!(str_of(p, "severity"), "critical");
    assert_hops(
        p,
        &[
            front[0].clone(),
            front[1].clone(),
            hop("k8s:node-root", "escalates", "k8s/storefront.yaml", 32..=32),
        ],
    );
}

#[test]
fn an_exposed_service_account_reaches_cloud_data_through_irsa() {
    let (json, _) = paths_json();
    let p = path_to(&json, "internet", "aws_s3_bucket.invoices");
    assert_eq!(str_of(p, "severity"), "high");
    assert_hops(
        p,
        &[
            hop("Ingress/shop/orders", "exposes", "k8s/orders.yaml", 55..=80),
            hop(
                "Service/shop/orders-api",
                "reaches",
                "k8s/orders.yaml",
                55..=80,
            ),
            hop(
                "Deployment/shop/orders-api",
                "reaches",
                "k8s/orders.yaml",
                41..=53,
            ),
            hop(
                "ServiceAccount/shop/orders-api",
                "runs-as",
                "k8s/orders.yaml",
                26..=26,
            ),
            // The IRSA annotation names the role.
            hop(
                "aws_iam_role.orders_api",
                "can-assume",
                "k8s/orders.yaml",
                9..=9,
            ),
            hop("aws_s3_bucket.invoices", "reads", "infra/eks.tf", 35..=45),
        ],
    );
}

#[test]
fn an_api_route_without_authorizer_writes_the_receipts_bucket() {
    let (json, _) = paths_json();
    let p = path_to(&json, "internet", "ReceiptsBucket");
    assert_eq!(str_of(p, "severity"), "critical");
    let steps = p["steps"].as_array().expect("steps");
    assert!(
        steps
            .iter()
            .any(|s| str_of(s, "resource") == "ReceiptsFunction"
                && str_of(s, "path") == "services/webhooks/template.yaml"),
        "{}",
        summary(&json)
    );
    // S3CrudPolicy also grants bucket configuration (lifecycle): write or more.
    assert!(
        ["writes", "administers"].contains(&str_of(&steps[steps.len() - 1], "relation")),
        "{}",
        summary(&json)
    );
}

#[test]
fn a_public_instance_with_imdsv1_reads_its_profile_role_secret() {
    let (json, _) = paths_json();
    let p = path_to(&json, "internet", "aws_secretsmanager_secret.grafana_admin");
    assert_eq!(str_of(p, "severity"), "critical");
    assert_hops(
        p,
        &[
            // The security group's world CIDR.
            hop(
                "aws_instance.grafana",
                "exposes",
                "infra/grafana.tf",
                47..=47,
            ),
            // The instance's `iam_instance_profile`, resolved through the profile to its role.
            hop(
                "aws_iam_role.grafana",
                "runs-as",
                "infra/grafana.tf",
                55..=55,
            ),
            hop(
                "aws_secretsmanager_secret.grafana_admin",
                "reads",
                "infra/grafana.tf",
                25..=30,
            ),
        ],
    );
    let steps = p["steps"].as_array().expect("steps");
    assert!(
        str_of(&steps[2], "why").contains("IMDSv1"),
        "{:#}",
        steps[2]
    );
}

/// Resources of the near-misses: none may appear on any path.
const NEAR_MISSES: &[&str] = &[
    // (e) trust limited to one repository's main branch
    "aws_iam_role.deploy_prod",
    // (f) a bucket only a scoped role reaches, and that role's only user
    "aws_s3_bucket.ledger_archive",
    "aws_iam_role.archive_compactor",
    "aws_lambda_function.archive_compactor",
    // (g) roles nothing binds
    "Role/shop/secret-reader",
    "ClusterRole/namespace-admin",
];

#[test]
fn near_misses_are_on_no_path() {
    let (json, _) = paths_json();
    for p in attack_paths(&json) {
        for s in p["steps"].as_array().expect("steps") {
            assert!(
                !NEAR_MISSES.contains(&str_of(s, "resource")),
                "near-miss {} is on `{}`",
                str_of(s, "resource"),
                str_of(p, "title")
            );
        }
    }
}

#[test]
fn the_near_misses_alone_have_no_path_and_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in [
        "infra/main.tf",
        "infra/github_oidc.tf",
        "infra/deploy.tf",
        "infra/data.tf",
        "k8s/namespace.yaml",
        "k8s/rbac.yaml",
        ".github/workflows/deploy.yml",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(repo().join(file), &to).expect("copy");
    }
    let dir_arg = dir.path().display().to_string();
    let (json, code) = json_of(&["paths", &dir_arg, "--format", "json", "--quiet"]);
    assert_eq!(attack_paths(&json).len(), 0, "{}", summary(&json));
    assert_eq!(code, 0);
    // The administrator role is still there, and dangerous if stolen: only its trust saves it.
    let (blast, code) = json_of(&[
        "blast-radius",
        "aws_iam_role.deploy_prod",
        &dir_arg,
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(code, 0);
    assert!(
        blast["reached"]
            .as_array()
            .expect("reached")
            .iter()
            .any(|r| r["access"] == "admin"),
        "{blast:#}"
    );
}

#[test]
fn every_path_is_listed_worst_first() {
    let (json, _) = paths_json();
    let rank = |s: &str| match s {
        "critical" => 4,
        "high" => 3,
        "medium" => 2,
        _ => 1,
    };
    let severities: Vec<i32> = attack_paths(&json)
        .iter()
        .map(|p| rank(str_of(p, "severity")))
        .collect();
    assert!(
        severities.windows(2).all(|w| w[0] >= w[1]),
        "{severities:?}"
    );
    insta::assert_snapshot!("attack_paths_summary", summary(&json));
}

#[test]
fn the_best_fix_breaks_several_paths_at_a_real_line() {
    let (json, _) = paths_json();
    let fixes = json["attack_path_fixes"]
        .as_array()
        .expect("attack_path_fixes");
    let best = fixes.first().expect("a fix");
    assert!(best["breaks"].as_u64().unwrap_or_default() >= 2, "{best:#}");
    assert!(repo().join(str_of(best, "path")).is_file(), "{best:#}");
    assert!(best["start_line"].as_u64().unwrap_or_default() > 0);
}

#[test]
fn scan_json_carries_the_same_paths_and_matches_the_schema() {
    let (scan, code) = common::scan_json(&repo(), &[]);
    assert_eq!(code, 1);
    let (paths, _) = paths_json();
    assert_eq!(scan["attack_paths"], paths["attack_paths"]);
    assert!(!attack_paths(&scan).is_empty());
    // The DESIGN contract: severity, title, steps of resource/path/start_line/relation.
    for p in attack_paths(&scan) {
        assert!(["critical", "high", "medium", "low"].contains(&str_of(p, "severity")));
        assert!(!str_of(p, "title").is_empty());
        for s in p["steps"].as_array().expect("steps") {
            assert!(!str_of(s, "resource").is_empty(), "{s:#}");
            assert!(!str_of(s, "relation").is_empty(), "{s:#}");
            assert!(repo().join(str_of(s, "path")).is_file(), "{s:#}");
            assert!(s["start_line"].as_u64().unwrap_or_default() > 0, "{s:#}");
        }
    }
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/report.schema.json"),
        )
        .expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&scan)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_results_carry_each_path_as_a_code_flow() {
    let (sarif, code) = json_of(&["paths", &repo_arg(), "--format", "sarif", "--quiet"]);
    assert_eq!(code, 1);
    let (json, _) = paths_json();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let flows: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("codeFlows").is_some())
        .collect();
    assert_eq!(flows.len(), attack_paths(&json).len());
    for (result, path) in flows.iter().zip(attack_paths(&json)) {
        let locations = result["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .expect("thread flow locations");
        // One thread-flow location per hop; the untrusted source has no line of its own.
        let hops = &path["steps"].as_array().expect("steps")[1..];
        assert_eq!(locations.len(), hops.len(), "{result:#}");
        for (loc, step) in locations.iter().zip(hops) {
            let physical = &loc["location"]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], step["path"], "{loc:#}");
            assert_eq!(
                physical["region"]["startLine"], step["start_line"],
                "{loc:#}"
            );
        }
    }
}

#[test]
fn paths_text_explains_every_hop() {
    let (text, _, code) = run(&["paths", &repo_arg(), "--quiet"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("paths_text", text);
    // `scan` shows the same section in its report.
    let (scan, _, _) = run(&["scan", &repo_arg(), "--quiet"]);
    assert!(text.starts_with("Attack paths (12, worst first)"), "{text}");
    assert!(
        scan.contains(text.trim_end()),
        "scan text lacks the paths section:\n{scan}"
    );
}

#[test]
fn fail_on_filters_by_path_severity() {
    let (json, _) = paths_json();
    let worst = str_of(&attack_paths(&json)[0], "severity").to_string();
    assert_eq!(worst, "critical");
    let (_, _, code) = run(&["paths", &repo_arg(), "--quiet", "--fail-on", "critical"]);
    assert_eq!(code, 1);
    let (_, stderr, code) = run(&["paths", &repo_arg(), "--quiet", "--fail-on", "urgent"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("expected critical, high, medium or low"),
        "{stderr}"
    );
}

/// Validates `doc` against a committed schema in `schemas/`.
fn assert_matches_schema(doc: &Value, schema_file: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(schema_file);
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{schema_file}: {errors:#?}");
}

#[test]
fn blast_radius_and_access_json_match_their_schemas() {
    let (blast, code) = json_of(&[
        "blast-radius",
        "aws_iam_role.grafana",
        &repo_arg(),
        "--format",
        "json",
        "--quiet",
    ]);
    assert_eq!(code, 0);
    assert!(!blast["reached"].as_array().expect("reached").is_empty());
    assert_matches_schema(&blast, "blast-radius.schema.json");
    let (access, code) = json_of(&["access", &repo_arg(), "--format", "json", "--quiet"]);
    assert_eq!(code, 0);
    assert!(!access.as_array().expect("entries").is_empty());
    assert_matches_schema(&access, "access.schema.json");
}

#[test]
fn graph_json_matches_its_schema_and_marks_path_edges() {
    let (doc, code) = json_of(&["graph", &repo_arg(), "--format", "json", "--quiet"]);
    assert_eq!(code, 0);
    assert_matches_schema(&doc, "graph.schema.json");
    let ids: Vec<&str> = doc["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| str_of(n, "id"))
        .collect();
    for near_miss in NEAR_MISSES
        .iter()
        .filter(|n| !n.starts_with("Role/") && !n.starts_with("ClusterRole/"))
    {
        assert!(
            ids.contains(near_miss),
            "{near_miss} is in the graph, just on no path"
        );
    }
    let edges = doc["edges"].as_array().expect("edges");
    for e in edges {
        assert!(
            ids.contains(&str_of(e, "from")) && ids.contains(&str_of(e, "to")),
            "{e:#}"
        );
    }
    assert!(edges.iter().any(|e| e["on_attack_path"] == true));
    assert!(edges.iter().any(|e| e["on_attack_path"] == false));
}

#[test]
fn graph_mermaid_of_the_paths() {
    let (text, _, code) = run(&["graph", &repo_arg(), "--only-paths", "--quiet"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("flowchart LR\n"));
    insta::assert_snapshot!("graph_only_paths_mermaid", text);
}

#[test]
fn graph_dot_focused_on_the_irsa_role() {
    let (text, _, code) = run(&[
        "graph",
        &repo_arg(),
        "--format",
        "dot",
        "--focus",
        "arn:aws:iam::111122223333:role/orders-api",
        "--quiet",
    ]);
    assert_eq!(code, 0);
    assert!(text.starts_with("digraph trustmap {\n") && text.ends_with("}\n"));
    for inside in [
        "\"Ingress/shop/orders\"",
        "\"ServiceAccount/shop/orders-api\"",
        "\"aws_s3_bucket.invoices\"",
    ] {
        assert!(text.contains(inside), "{inside} missing:\n{text}");
    }
    for outside in ["storefront", "report_export", "ledger_archive"] {
        assert!(!text.contains(outside), "{outside} drawn:\n{text}");
    }
}

#[test]
fn graph_focus_on_an_unknown_node_is_a_usage_error() {
    let (_, stderr, code) = run(&["graph", &repo_arg(), "--focus", "no-such-thing", "--quiet"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no node `no-such-thing`"), "{stderr}");
}

#[test]
fn blast_radius_of_the_function_role() {
    let (text, _, code) = run(&[
        "blast-radius",
        "aws_iam_role.report_export",
        &repo_arg(),
        "--quiet",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("blast_radius_report_export", text);
}

#[test]
fn blast_radius_by_arn_and_by_kind_namespace_name() {
    let reached = |identity: &str| -> Vec<(String, String)> {
        let (json, code) = json_of(&[
            "blast-radius",
            identity,
            &repo_arg(),
            "--format",
            "json",
            "--quiet",
        ]);
        assert_eq!(code, 0);
        json["reached"]
            .as_array()
            .expect("reached")
            .iter()
            .map(|r| {
                (
                    str_of(&r["target"], "id").to_string(),
                    str_of(r, "access").to_string(),
                )
            })
            .collect()
    };
    assert!(
        reached("arn:aws:iam::111122223333:role/orders-api")
            .contains(&("aws_s3_bucket.invoices".into(), "read".into()))
    );
    assert!(
        reached("ServiceAccount/shop/storefront")
            .contains(&("k8s:cluster-admin".into(), "admin".into()))
    );
    // The scoped role reaches its archive and nothing else.
    assert_eq!(
        reached("aws_iam_role.archive_compactor"),
        vec![(
            "aws_s3_bucket.ledger_archive".to_string(),
            "write".to_string()
        )]
    );
}

#[test]
fn blast_radius_ambiguous_and_unknown_identities() {
    // The function and its role share the name.
    let (_, stderr, code) = run(&["blast-radius", "report-export", &repo_arg(), "--quiet"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("ambiguous"), "{stderr}");
    for candidate in [
        "aws_iam_role.report_export",
        "aws_lambda_function.report_export",
    ] {
        assert!(stderr.contains(candidate), "{stderr}");
    }
    let (_, stderr, code) = run(&["blast-radius", "ordres-api", &repo_arg(), "--quiet"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean"), "{stderr}");
    assert!(
        stderr.contains("ServiceAccount/shop/orders-api"),
        "{stderr}"
    );
}

#[test]
fn access_inventory_shows_who_reaches_each_store() {
    let (json, code) = json_of(&["access", &repo_arg(), "--format", "json", "--quiet"]);
    assert_eq!(code, 0);
    let entries = json.as_array().expect("entries");
    let entry = |id: &str| {
        entries
            .iter()
            .find(|e| str_of(&e["data"], "id") == id)
            .unwrap_or_else(|| panic!("no entry for {id}"))
    };
    let who = |list: &Value| -> Vec<(String, bool)> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|a| {
                (
                    str_of(&a["who"], "id").to_string(),
                    a.get("exposed_by").is_some(),
                )
            })
            .collect()
    };
    // (f) only the scoped role, exposed to nobody.
    let archive = entry("aws_s3_bucket.ledger_archive");
    assert_eq!(
        who(&archive["writers"]),
        vec![("aws_iam_role.archive_compactor".to_string(), false)]
    );
    // (a) the function role reads every secret and is exposed through the public URL.
    for secret in [
        "aws_secretsmanager_secret.ledger_db",
        "aws_secretsmanager_secret.stripe",
    ] {
        let readers = who(&entry(secret)["readers"]);
        assert!(
            readers.contains(&("aws_iam_role.report_export".to_string(), true)),
            "{readers:?}"
        );
        let exposure = entry(secret)["readers"]
            .as_array()
            .expect("readers")
            .iter()
            .find(|a| str_of(&a["who"], "id") == "aws_iam_role.report_export")
            .map(|a| a["exposed_by"][0]["node"].clone());
        assert_eq!(exposure, Some(Value::from("internet")));
    }
    let (text, _, _) = run(&["access", &repo_arg(), "--quiet"]);
    insta::assert_snapshot!("access_text", text);
}

#[test]
fn help_texts_show_examples() {
    for cmd in ["paths", "graph", "blast-radius", "access"] {
        let (text, _, code) = run(&[cmd, "--help"]);
        assert_eq!(code, 0);
        assert!(text.contains("Examples:"), "{cmd} --help:\n{text}");
    }
}

#[test]
fn a_public_azure_web_app_reads_the_key_vault_through_its_own_identity() {
    let (json, _) = paths_json();
    let p = path_to(&json, "internet", "azurerm_key_vault.ledger");
    assert_eq!(str_of(p, "severity"), "critical");
    assert_hops(
        p,
        &[
            hop(
                "azurerm_linux_web_app.portal",
                "exposes",
                "infra/azure.tf",
                19..=19,
            ),
            // The system-assigned identity, declared by the app's `identity` block.
            hop(
                "azurerm_linux_web_app.portal",
                "runs-as",
                "infra/azure.tf",
                29..=29,
            ),
            hop(
                "azurerm_key_vault.ledger",
                "reads",
                "infra/azure.tf",
                35..=35,
            ),
        ],
    );
}

#[test]
fn a_forks_pull_request_writes_azure_storage_through_a_federated_identity() {
    let (json, _) = paths_json();
    let p = path_to(
        &json,
        "fork-pull-request",
        "azurerm_storage_account.previews",
    );
    assert_eq!(str_of(p, "severity"), "critical");
    assert_hops(
        p,
        &[
            hop(
                ".github/workflows/preview.yml#upload",
                "exposes",
                ".github/workflows/preview.yml",
                2..=2,
            ),
            hop(
                "azurerm_user_assigned_identity.previews",
                "can-assume",
                ".github/workflows/preview.yml",
                17..=17,
            ),
            hop(
                "azurerm_storage_account.previews",
                "writes",
                "infra/azure.tf",
                74..=74,
            ),
        ],
    );
    // Near-miss: the identity federated to `refs/heads/main` only serves this repository's
    // own push workflow, which no untrusted source reaches.
    for p in attack_paths(&json) {
        for s in p["steps"].as_array().expect("steps") {
            let r = str_of(s, "resource");
            assert!(
                r != "azurerm_user_assigned_identity.backups"
                    && r != "azurerm_storage_account.backups",
                "near-miss {r} is on `{}`",
                str_of(p, "title")
            );
        }
    }
}

#[test]
fn a_public_cloud_run_service_reads_its_accounts_secret() {
    let (json, _) = paths_json();
    let p = path_to(
        &json,
        "internet",
        "google_secret_manager_secret.statements_signing_key",
    );
    assert_eq!(str_of(p, "severity"), "critical");
    assert_hops(
        p,
        &[
            hop(
                "google_cloud_run_v2_service.statements",
                "exposes",
                "infra/gcp.tf",
                26..=26,
            ),
            hop(
                "gcp-service-account:statements@acme-ledger.iam.gserviceaccount.com",
                "runs-as",
                "infra/gcp.tf",
                15..=15,
            ),
            hop(
                "google_secret_manager_secret.statements_signing_key",
                "reads",
                "infra/gcp.tf",
                32..=32,
            ),
        ],
    );
}

#[test]
fn any_github_repository_writes_the_release_bucket_through_workload_identity() {
    let (json, _) = paths_json();
    let p = path_to(
        &json,
        "any-github-repo",
        "google_storage_bucket.release_artifacts",
    );
    assert_eq!(str_of(p, "severity"), "critical");
    assert_hops(
        p,
        &[
            hop(
                "gcp-service-account:release@acme-ledger.iam.gserviceaccount.com",
                "can-assume",
                "infra/gcp.tf",
                62..=62,
            ),
            hop(
                "google_storage_bucket.release_artifacts",
                "writes",
                "infra/gcp.tf",
                68..=68,
            ),
        ],
    );
}
