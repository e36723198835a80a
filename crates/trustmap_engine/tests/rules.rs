//! Rule fixtures and rule metadata, for every rule in the registry.
//!
//! Each rule has `crates/trustmap_rules/fixtures/<rule-name>/<language>/{fail,pass}/` for every
//! language it declares. The `fail` tree must produce at least one finding of that rule (and the
//! findings are snapshotted), the `pass` tree none. Fixtures must parse without diagnostics.

use std::path::{Path, PathBuf};

use trustmap_engine::{NoProgress, Report, Settings, scan};
use trustmap_rules::{Rule, all_rules};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../trustmap_rules/fixtures")
}

fn run(rule: &'static dyn Rule, dir: &Path) -> Report {
    let mut settings = Settings::new(vec![dir.to_path_buf()]);
    settings.rules = vec![rule];
    scan(&settings, &NoProgress).expect("fixture scan")
}

/// A readable, machine-independent rendering of a fixture's findings.
fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{}:{}-{} [{}] {}\n  resource: {}\n",
            f.location.path,
            f.location.start_line,
            f.location.end_line,
            f.finding.rule.id,
            f.finding.message,
            f.finding.resource,
        ));
        if let Some(reason) = &f.suppressed {
            out.push_str(&format!("  suppressed: {reason}\n"));
        }
        for (loc, note) in &f.related {
            out.push_str(&format!(
                "  related: {}:{} {}\n",
                loc.path, loc.start_line, note
            ));
        }
    }
    out
}

fn diagnostics(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|(d, _)| d.code != "unsupported")
        .map(|(d, l)| {
            format!(
                "{} {}:{} {}",
                d.code,
                d.path.as_deref().unwrap_or("-"),
                l.as_ref().map_or(0, |l| l.start_line),
                d.message
            )
        })
        .collect()
}

#[test]
fn every_rule_fires_on_its_failing_fixture_and_not_on_its_passing_one() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        // Secret rules are tested from their detector tables (`secret_rules_fire_...` below).
        if trustmap_rules::secret_detector(meta).is_some() {
            continue;
        }
        for lang in meta.languages {
            let base = fixtures_root().join(meta.name).join(lang.as_str());
            for (case, must_fire) in [("fail", true), ("pass", false)] {
                let dir = base.join(case);
                if !dir.is_dir() {
                    problems.push(format!("{}: missing fixture {}", meta.id, dir.display()));
                    continue;
                }
                let report = run(*rule, &dir);
                let diags = diagnostics(&report);
                if !diags.is_empty() {
                    problems.push(format!("{} {case}: diagnostics {diags:?}", meta.id));
                }
                let own: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.finding.rule.id == meta.id && f.suppressed.is_none())
                    .collect();
                if must_fire && own.is_empty() {
                    problems.push(format!(
                        "{} ({}): no finding on {}",
                        meta.id,
                        lang.as_str(),
                        dir.display()
                    ));
                }
                if !must_fire && !own.is_empty() {
                    problems.push(format!(
                        "{} ({}): unexpected findings on {}:\n{}",
                        meta.id,
                        lang.as_str(),
                        dir.display(),
                        render(&report)
                    ));
                }
                if must_fire {
                    insta::with_settings!({
                        snapshot_path => "snapshots/rules",
                        prepend_module_to_snapshot => false,
                        description => format!("{} {} on {}/{}", meta.id, meta.name, lang.as_str(), case),
                        omit_expression => true,
                    }, {
                        insta::assert_snapshot!(format!("{}__{}", meta.name, lang.as_str()), render(&report));
                    });
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn rule_metadata_is_complete_and_unique() {
    let mut ids = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    let id_shape = regex::Regex::new(r"^[A-Z0-9]+(-[A-Z0-9]+)*-\d{3}$").unwrap();
    let name_shape = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    for rule in all_rules() {
        let m = rule.meta();
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(id_shape.is_match(m.id), "bad id {}", m.id);
        assert!(name_shape.is_match(m.name), "bad name {}", m.name);
        for section in ["What it finds", "Why it matters", "Example", "Fix"] {
            let body = m.section(section).unwrap_or_default();
            assert!(
                !body.is_empty(),
                "{}: doc section `## {section}` missing or empty",
                m.id
            );
        }
        assert!(!m.summary().is_empty(), "{}: empty summary", m.id);
        assert!(!m.languages.is_empty(), "{}: declares no language", m.id);
    }
}

/// Every secret rule, through the engine: its detector's examples in a file produce a finding
/// of that rule and only that rule is reported when it is selected; its counter-examples none.
#[test]
fn secret_rules_fire_on_their_examples_and_not_on_counter_examples() {
    let mut problems = Vec::new();
    for rule in all_rules() {
        let Some(d) = trustmap_rules::secret_detector(rule.meta()) else {
            continue;
        };
        for (examples, must_fire) in [(d.examples, true), (d.counter_examples, false)] {
            for ex in examples {
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(dir.path().join("settings"), ex).unwrap();
                let report = run(*rule, dir.path());
                let own = report
                    .findings
                    .iter()
                    .filter(|f| f.finding.rule.id == d.id)
                    .count();
                if must_fire && own == 0 {
                    problems.push(format!("{}: no finding on {ex:?}", d.id));
                }
                if !must_fire && own > 0 {
                    problems.push(format!("{}: finding on counter-example {ex:?}", d.id));
                }
                if report.findings.iter().any(|f| f.finding.rule.id != d.id) {
                    problems.push(format!("{}: other rules reported on {ex:?}", d.id));
                }
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
