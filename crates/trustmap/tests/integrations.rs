//! The CI integrations shipped at the repository root: the pre-commit manifest, the GitHub
//! Action and the GitLab CI template. Each is checked against its format's documented keys,
//! and trustmap's own rules must find nothing in them (with a broken copy as the control
//! that proves the rules looked).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use trustmap_source::{FileId, SourceFile};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_file(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The YAML file as JSON, through trustmap's own parser; parse errors fail the test.
fn yaml(rel: &str, text: &str) -> Value {
    let parsed = trustmap_syntax::yaml::parse(&SourceFile::new(FileId(0), rel, text));
    assert!(
        parsed.diagnostics.is_empty(),
        "{rel}: {:?}",
        parsed.diagnostics
    );
    assert_eq!(parsed.docs.len(), 1, "{rel}: one document");
    parsed.docs[0].to_json()
}

/// `rule_id`s of a scan of `files` (name, text) written into a fresh directory.
fn findings(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let (json, code) = common::scan_json(dir.path(), &["--fail-on", "info"]);
    assert!(code == 0 || code == 1, "scan failed: {json}");
    assert_eq!(json["stats"]["files_scanned"], files.len(), "{json}");
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| common::rule_id(f).to_string())
        .collect()
}

// --- pre-commit ---------------------------------------------------------------------------

/// Keys of a hook in `.pre-commit-hooks.yaml` (pre-commit's `MANIFEST_HOOK_DICT`).
const PRE_COMMIT_KEYS: &[&str] = &[
    "id",
    "name",
    "entry",
    "language",
    "alias",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "additional_dependencies",
    "args",
    "always_run",
    "fail_fast",
    "pass_filenames",
    "description",
    "language_version",
    "log_file",
    "require_serial",
    "stages",
    "verbose",
    "minimum_pre_commit_version",
];

#[test]
fn pre_commit_manifest_follows_the_hook_schema() {
    let hooks = yaml(".pre-commit-hooks.yaml", &read(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_array().expect("a list of hooks");
    let mut ids = BTreeSet::new();
    for hook in hooks {
        let map = hook.as_object().expect("hook is a mapping");
        for key in ["id", "name", "entry", "language"] {
            assert!(map[key].is_string(), "{key} missing in {hook}");
        }
        for key in map.keys() {
            assert!(PRE_COMMIT_KEYS.contains(&key.as_str()), "unknown key {key}");
        }
        ids.insert(map["id"].as_str().unwrap_or_default().to_string());
        // The scan needs the whole repository for cross-file context.
        assert_eq!(map["pass_filenames"], false, "{hook}");
        assert!(
            map["args"]
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string))
        );
        let entry = map["entry"].as_str().unwrap_or_default();
        match map["language"].as_str() {
            Some("system") => assert_eq!(entry, "trustmap scan"),
            // A script entry is a path in this repository, run directly.
            Some("script") => {
                let script = repo_file(entry);
                let text = std::fs::read_to_string(&script).expect("hook script");
                assert!(text.starts_with("#!/usr/bin/env bash\n"));
                assert!(text.contains("-p trustmap -- scan \"$@\""));
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(&script)
                        .expect("meta")
                        .permissions()
                        .mode();
                    assert!(mode & 0o111 != 0, "{entry} is not executable");
                }
            }
            other => panic!("unexpected language {other:?}"),
        }
    }
    assert_eq!(
        ids,
        BTreeSet::from(["trustmap".to_string(), "trustmap-system".to_string()])
    );
}

// --- GitHub Action ------------------------------------------------------------------------

/// Problems with how `action.yml` uses its inputs: undeclared inputs, and expressions
/// interpolated straight into `run:` scripts (they must go through `env:`).
fn action_input_problems(action: &Value, text: &str) -> Vec<String> {
    let declared: BTreeSet<&str> = action["inputs"]
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    for (i, _) in text.match_indices("inputs.") {
        let name: String = text[i + "inputs.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let before = &text[..i];
        let in_expression = before
            .rfind("${{")
            .is_some_and(|o| before.rfind("}}") < Some(o));
        if in_expression && !declared.contains(name.as_str()) {
            problems.push(format!("undeclared input `{name}`"));
        }
    }
    for step in action["runs"]["steps"].as_array().into_iter().flatten() {
        if let Some(run) = step["run"].as_str() {
            if run.contains("${{") {
                problems.push(format!("expression in the run script of {}", step["name"]));
            }
            assert!(
                step["shell"].is_string(),
                "composite run steps need a shell"
            );
        }
    }
    problems
}

#[test]
fn action_is_a_composite_action_using_only_declared_inputs_through_env() {
    let text = read("action.yml");
    let action = yaml("action.yml", &text);
    for key in ["name", "description"] {
        assert!(action[key].is_string(), "{key}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().expect("inputs");
    for name in [
        "path",
        "format",
        "fail-on",
        "version",
        "args",
        "upload-sarif",
    ] {
        assert!(inputs[name]["description"].is_string(), "input {name}");
    }
    for (name, output) in action["outputs"].as_object().expect("outputs") {
        assert!(
            output["value"].is_string(),
            "composite output {name} needs a value"
        );
    }
    assert_eq!(action_input_problems(&action, &text), Vec::<String>::new());
    // Every action used is pinned to a full commit SHA.
    let uses: Vec<&str> = action["runs"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
    for u in uses {
        let sha = u.rsplit_once('@').map_or("", |(_, r)| r);
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "{u}"
        );
    }

    // The checker itself catches both mistakes.
    let broken = text
        .replace(
            "SCAN_PATH: ${{ inputs.path }}",
            "SCAN_PATH: ${{ inputs.pth }}",
        )
        .replace(
            "echo \"exit-code=$code\"",
            "echo \"exit-code=${{ inputs.format }}\"",
        );
    assert_ne!(broken, text);
    let problems = action_input_problems(&yaml("action.yml", &broken), &broken);
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn action_passes_trustmaps_own_rules() {
    let text = read("action.yml");
    assert_eq!(findings(&[("action.yml", &text)]), Vec::<String>::new());
    // Control: an unpinned third-party action and an injected event field are found.
    let broken = text
        .replace(
            "github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e",
            "docker/setup-buildx-action@v3",
        )
        .replace(
            "echo \"report=$report\"",
            "echo \"report=${{ github.event.pull_request.title }}\"",
        );
    let mut found = findings(&[("action.yml", &broken)]);
    found.sort();
    assert_eq!(found, ["GHA-002", "GHA-005"]);
}

// --- GitLab CI ----------------------------------------------------------------------------

#[test]
fn gitlab_template_defines_the_job_and_its_reports() {
    let text = read("ci/gitlab/trustmap.gitlab-ci.yml");
    let ci = yaml(".gitlab-ci.yml", &text);
    let template = &ci[".trustmap"];
    assert!(template["image"].as_str().is_some_and(|i| i.contains(':')));
    assert!(template["script"].as_array().is_some_and(|s| !s.is_empty()));
    assert_eq!(template["artifacts"]["when"], "always");
    assert_eq!(
        template["artifacts"]["reports"]["junit"],
        "gl-trustmap-junit.xml"
    );
    assert!(
        template["artifacts"]["paths"]
            .as_array()
            .is_some_and(|p| p.contains(&Value::from("gl-trustmap.sarif")))
    );
    assert_eq!(ci["trustmap"]["extends"], ".trustmap");
    for var in [
        "TRUSTMAP_VERSION",
        "TRUSTMAP_PATH",
        "TRUSTMAP_FAIL_ON",
        "TRUSTMAP_ARGS",
    ] {
        assert!(ci["variables"][var].is_string(), "{var}");
    }
    // Releases are downloaded from the repository Cargo.toml names.
    let manifest = read("Cargo.toml");
    let repository = manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = "))
        .map(|v| v.trim_matches('"'))
        .expect("workspace repository");
    assert_eq!(ci["variables"]["TRUSTMAP_REPOSITORY_URL"], repository);
}

#[test]
fn gitlab_template_passes_trustmaps_own_rules() {
    let text = read("ci/gitlab/trustmap.gitlab-ci.yml");
    assert_eq!(findings(&[(".gitlab-ci.yml", &text)]), Vec::<String>::new());
    // Control: the GitLab rules did read it (an untagged image is found).
    let broken = text.replace("image: debian:12-slim", "image: debian");
    assert_eq!(findings(&[(".gitlab-ci.yml", &broken)]), ["GLCI-002"]);
}
