//! Bad policies: syntax errors with `file:line:col`, failing tests, clashing ids, runtime
//! errors that become diagnostics while the other rules still run.

use std::path::{Path, PathBuf};

use trustmap_model::Model;
use trustmap_policy::PolicySet;
use trustmap_policy::testing::{self, Verdict};
use trustmap_source::SourceMap;

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

fn shown(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().replace('\\', "/")
}

#[test]
fn syntax_error_is_file_line_col_message() {
    let dir = dir_with(&[(
        "bad.rego",
        "package p\n\ndeny contains msg if {\n    msg := \n}\n",
    )]);
    let err = PolicySet::load(&[dir.path().to_path_buf()]).expect_err("bad syntax");
    let text = err.to_string();
    let prefix = format!("{}:4:9: expecting `}}`", shown(dir.path(), "bad.rego"));
    assert!(text.starts_with(&prefix), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
}

#[test]
fn failing_and_erroring_tests_are_reported() {
    let dir = dir_with(&[
        (
            "p.rego",
            "package p\nimport rego.v1\ndeny contains \"x\" if input.bad\n",
        ),
        (
            "p_test.rego",
            "package p_test\nimport rego.v1\nimport data.p\n\
             test_denies if { count(p.deny) == 1 with input as {\"bad\": true} }\n\
             test_wrong if { count(p.deny) == 1 with input as {\"bad\": false} }\n\
             test_error if { to_number(\"abc\") == 1 }\n",
        ),
    ]);
    let results = testing::run(&[dir.path().to_path_buf()]).expect("loads");
    let verdicts: Vec<(&str, bool, bool)> = results
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.verdict == Verdict::Pass,
                matches!(r.verdict, Verdict::Error(_)),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("data.p_test.test_denies", true, false),
            ("data.p_test.test_wrong", false, false),
            ("data.p_test.test_error", false, true),
        ]
    );
    let text = testing::render(&results, false);
    assert!(text.contains("data.p_test.test_wrong: FAIL"), "{text}");
    assert!(
        text.contains("PASS: 1/3\nFAIL: 1/3\nERROR: 1/3\n"),
        "{text}"
    );
    assert!(
        !text.contains("test_denies"),
        "passing tests only with -v: {text}"
    );
}

#[test]
fn ids_of_builtin_rules_are_refused() {
    let dir = dir_with(&[(
        "p.rego",
        "package p\nimport rego.v1\n__rego_metadata__ := {\"id\": \"aws-s3-001\"}\ndeny contains \"x\" if false\n",
    )]);
    let err = PolicySet::load(&[dir.path().to_path_buf()]).expect_err("clash");
    assert!(
        err.to_string().contains("is the built-in rule AWS-S3-001"),
        "{err}"
    );
}

#[test]
fn runtime_error_is_a_diagnostic_and_other_rules_still_run() {
    let dir = dir_with(&[
        (
            "a.rego",
            "package a\nimport rego.v1\ndeny contains x if { x := sprintf(\"%d\", [to_number(\"abc\")]) }\n",
        ),
        (
            "b.rego",
            "package b\nimport rego.v1\ndeny contains \"always\" if input.trustmap_input_version == \"1\"\n",
        ),
    ]);
    let set = PolicySet::load(&[PathBuf::from(dir.path())]).expect("loads");
    let mut sources = SourceMap::new();
    let out = set.evaluate(&Model::default(), &mut sources);
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(out.diagnostics[0].code, "policy-error");
    assert!(
        out.diagnostics[0].message.contains("CUSTOM-A"),
        "{:?}",
        out.diagnostics
    );
    let found: Vec<(&str, usize)> = out
        .outcomes
        .iter()
        .map(|o| (o.rule.id, o.findings.len()))
        .collect();
    assert_eq!(found, [("CUSTOM-A", 0), ("CUSTOM-B", 1)]);
    // No location: the finding points at the rule in its policy file, now part of the scan.
    let f = &out.outcomes[1].findings[0];
    let file = sources.get(f.primary.file).expect("policy file added");
    assert_eq!(file.path, shown(dir.path(), "b.rego"));
    assert_eq!(file.lines_of(f.primary), (3, 3));
    assert_eq!(f.message, "always");
}

#[test]
fn a_runaway_rule_is_stopped_by_the_time_limit() {
    let dir = dir_with(&[(
        "loop.rego",
        "package spin\nimport rego.v1\n\
         deny contains \"never\" if {\n\
         \tsome i in numbers.range(1, 1000000)\n\
         \tsome j in numbers.range(1, 1000000)\n\
         \ti * j == -1\n}\n",
    )]);
    let mut set = PolicySet::load(&[dir.path().to_path_buf()]).expect("loads");
    set.set_time_limit(std::time::Duration::from_millis(200));
    let started = std::time::Instant::now();
    let out = set.evaluate(&Model::default(), &mut SourceMap::new());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert!(
        out.diagnostics[0].message.contains("CUSTOM-SPIN"),
        "{:?}",
        out.diagnostics
    );
}
