//! Parsing, checking, discovery and application of `trustmap.toml`.

use std::path::Path;

use super::*;

fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
    parse(
        Path::new("/repo/trustmap.toml"),
        "trustmap.toml".into(),
        text.to_string(),
    )
}

fn error(text: &str) -> String {
    parse_str(text).expect_err("must be rejected").to_string()
}

#[test]
fn errors_name_the_file_line_and_column() {
    let cases = [
        ("unknown top-level key", "fail-on = \"high\"\nseverty = 1\n"),
        (
            "unknown key in a table",
            "[rules]\nselect = [\"AWS\"]\nignored = []\n",
        ),
        (
            "bad severity",
            "[rules.severity]\n\"AWS-S3-001\" = \"urgent\"\n",
        ),
        (
            "unknown rule",
            "[rules]\nselect = [\"AWS\", \"NOPE-999\"]\n",
        ),
        ("bad fail-on", "fail-on = 3\n"),
        (
            "reason missing",
            "[[suppressions.paths]]\npaths = [\"legacy/\"]\nrules = [\"AWS\"]\n",
        ),
        (
            "empty reason",
            "[[suppressions.paths]]\npaths = [\"legacy/\"]\nrules = [\"AWS\"]\nreason = \" \"\n",
        ),
        (
            "bad until",
            "[[suppressions.paths]]\npaths = [\"x\"]\nrules = [\"AWS\"]\nreason = \"r\"\nuntil = \"2026-02-30\"\n",
        ),
        (
            "unknown peer",
            "[suppressions]\nmigrate = [\"checkov\", \"snyk\"]\n",
        ),
        ("inline not a bool", "[suppressions]\ninline = \"no\"\n"),
        ("bad glob", "exclude = [\"ok/\", \"a/{b\"]\n"),
        ("bad helm set", "[helm]\nset = [\"a.b=c\", \"=x\"]\n"),
        (
            "override without paths",
            "[[overrides]]\nignore = [\"AWS\"]\n",
        ),
        ("not toml", "[rules\n"),
    ];
    let out: Vec<String> = cases
        .iter()
        .map(|(what, text)| format!("{what}: {}", error(text)))
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn a_complete_file_applies_to_settings() {
    let loaded = parse_str(
        r#"
fail-on = "high"
exclude = ["vendor/", "**/*.generated.yaml"]

[rules]
select = ["AWS", "TM-SUP", "identity"]
ignore = ["AWS-S3-001"]
[rules.severity]
"TM-SUP-001" = "high"

[[overrides]]
paths = ["legacy/**"]
ignore = ["TM"]

[terraform]
vars = { region = "eu-west-1", replicas = 3 }

[cloudformation]
parameters = { Stage = "prod" }

[helm]
set = ["image.tag=1.2.3"]

[owners]
"services/payments/" = "payments"

[suppressions]
inline = false
migrate = ["checkov"]

[[suppressions.paths]]
paths = ["sandbox/"]
rules = ["AWS-EC2"]
reason = "throw-away accounts"
until = 2027-01-31
"#,
    )
    .expect("valid");
    let mut s = crate::Settings::new(vec![]);
    loaded.apply(&mut s).expect("applies");
    let ids: Vec<&str> = s.rules.iter().map(|r| r.meta().id).collect();
    assert!(ids.contains(&"TM-SUP-001"));
    assert!(!ids.contains(&"AWS-S3-001"), "ignored after select");
    assert!(ids.iter().all(|id| {
        id.starts_with("AWS-")
            || id.starts_with("TM-SUP")
            || trustmap_rules::find_rule(id)
                .is_some_and(|r| r.meta().capability == trustmap_rules::Capability::Identity)
    }));
    assert_eq!(s.policy.fail_on, Some(trustmap_rules::Severity::High));
    assert_eq!(
        s.terraform.vars,
        [
            ("region".to_string(), "\"eu-west-1\"".to_string()),
            ("replicas".to_string(), "3".to_string())
        ]
    );
    assert_eq!(
        s.cloudformation.parameters,
        [("Stage".into(), "prod".into())]
    );
    assert_eq!(s.helm.set, ["image.tag=1.2.3"]);
    assert!(!s.suppressions.inline);
    assert_eq!(
        s.suppressions.inline_disabled_by.as_deref(),
        Some("trustmap.toml:28")
    );
    assert_eq!(
        s.suppressions.migrate,
        [trustmap_model::suppression::Source::Checkov]
    );
    let sup = &s.policy.suppressions[0];
    assert_eq!(
        sup.until.map(|d| d.to_string()).as_deref(),
        Some("2027-01-31")
    );
    assert_eq!(sup.reason, "throw-away accounts");
    assert_eq!(
        s.policy.owner(Path::new("services/payments/main.tf")),
        Some("payments")
    );
    assert_eq!(s.policy.owner(Path::new("services/other/main.tf")), None);
}

#[test]
fn an_empty_file_changes_nothing() {
    let loaded = parse_str("").expect("valid");
    let mut s = crate::Settings::new(vec![]);
    loaded.apply(&mut s).expect("applies");
    assert_eq!(s.rules.len(), trustmap_rules::all_rules().len());
    assert!(s.suppressions.inline);
    assert_eq!(s.suppressions.migrate.len(), 4);
}

#[test]
fn discovery_walks_up_to_the_git_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let nested = root.join("repo/infra/prod");
    std::fs::create_dir_all(&nested).expect("dirs");
    // Above the git root: never used.
    std::fs::write(root.join("trustmap.toml"), "").expect("write");
    assert_eq!(
        discover(&nested).expect("ok").as_deref(),
        Some(root.join("trustmap.toml").as_path())
    );
    std::fs::create_dir(root.join("repo/.git")).expect("git");
    assert_eq!(discover(&nested).expect("ok"), None);
    std::fs::write(root.join("repo/.trustmap.toml"), "").expect("write");
    assert_eq!(
        discover(&nested).expect("ok").as_deref(),
        Some(root.join("repo/.trustmap.toml").as_path())
    );
    std::fs::write(root.join("repo/infra/trustmap.toml"), "").expect("write");
    let file = nested.join("main.tf");
    std::fs::write(&file, "").expect("write");
    assert_eq!(
        discover(&file).expect("ok").as_deref(),
        Some(root.join("repo/infra/trustmap.toml").as_path()),
        "a file starts the search in its directory; the nearest file wins"
    );
    std::fs::write(root.join("repo/infra/.trustmap.toml"), "").expect("write");
    assert!(matches!(discover(&nested), Err(ConfigError::Ambiguous(..))));
}

#[test]
fn no_config_and_explicit_config_win_over_discovery() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("trustmap.toml"), "fail-on = \"high\"\n").expect("write");
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "fail-on = \"critical\"\n").expect("write");
    let roots = vec![dir.path().to_path_buf()];
    assert!(find_and_load(&roots, None, true).expect("ok").is_none());
    let found = find_and_load(&roots, None, false)
        .expect("ok")
        .expect("found");
    assert_eq!(found.file.fail_on, Some(file::SeverityName::High));
    let explicit = find_and_load(&roots, Some(&other), false)
        .expect("ok")
        .expect("given");
    assert_eq!(explicit.file.fail_on, Some(file::SeverityName::Critical));
    let missing = find_and_load(&roots, Some(&dir.path().join("nope.toml")), false);
    assert!(
        missing
            .expect_err("missing")
            .to_string()
            .starts_with("cannot read ")
    );
}
