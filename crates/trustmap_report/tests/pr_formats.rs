//! The CI and pull-request formats (JUnit, Markdown, GitHub annotations) and the baseline
//! comparison, on the shared hand-made reports.

mod common;

use quick_xml::events::Event;
use trustmap_engine::baseline::{Against, Known, KnownFinding, KnownPath, compare};
use trustmap_engine::scorecard::Scorecard;
use trustmap_report::{baseline, github, json, junit, markdown, text};

/// The shared report compared with a base where the IAM finding already existed and one
/// other finding has since been fixed; the base scored 10 points higher on `iac`.
fn compared() -> trustmap_engine::Report {
    let mut report = common::report();
    let old = report
        .findings
        .iter()
        .find(|f| f.finding.rule.id == "TEST-IAM-001")
        .map(KnownFinding::of)
        .expect("IAM finding");
    let fixed = KnownFinding {
        fingerprint: "f1xed".into(),
        rule_id: "TEST-S3-001".into(),
        rule_name: "test-bucket-public-acl".into(),
        path: "old/storage.tf".into(),
        resource: "aws_s3_bucket.archive".into(),
    };
    let mut base: Scorecard = report.scorecard.clone();
    for c in &mut base.capabilities {
        c.score = c.score.map(|s| (s + 10).min(100));
    }
    compare(
        &mut report,
        &Known {
            findings: vec![old, fixed],
            attack_paths: vec![KnownPath {
                fingerprint: "0ldpath".into(),
                title: "internet reaches the archive bucket".into(),
            }],
        },
        Against::Revision {
            rev: "main".into(),
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
        },
        Some(base),
    );
    report
}

#[test]
fn junit() {
    insta::assert_snapshot!(junit::render(&common::report()));
}

#[test]
fn junit_is_well_formed_and_counts_match() {
    for report in [common::report(), common::awkward::report(), compared()] {
        let xml = junit::render(&report);
        let mut reader = quick_xml::Reader::from_str(&xml);
        let (mut cases, mut failures, mut skipped, mut errors, mut depth) = (0, 0, 0, 0, 0);
        let mut declared = None;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testsuites" => {
                    let attr = |name: &str| -> usize {
                        let a = e
                            .try_get_attribute(name)
                            .expect("attribute")
                            .expect("present");
                        a.value.parse().expect("number")
                    };
                    declared = Some((
                        attr("tests"),
                        attr("failures"),
                        attr("skipped"),
                        attr("errors"),
                    ));
                    depth += 1;
                }
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    "skipped" => skipped += 1,
                    "error" => errors += 1,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 1, "one <testsuites> root");
        assert_eq!(declared, Some((cases, failures, skipped, errors)), "{xml}");
        let unsuppressed = report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .count();
        assert_eq!(failures, unsuppressed);
        assert_eq!(skipped, report.findings.len() - unsuppressed);
        assert_eq!(errors, report.diagnostics.len() + report.incomplete.len());
    }
}

#[test]
fn markdown() {
    insta::assert_snapshot!(markdown::render(&common::report()));
}

#[test]
fn markdown_in_diff_mode() {
    insta::assert_snapshot!(markdown::render(&compared()));
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let mut report = common::report();
    let one = report.findings[0].clone();
    for i in 0..3000 {
        let mut f = one.clone();
        f.finding.message = format!("finding number {i}: {}", "x".repeat(40));
        report.findings.push(f);
    }
    let out = markdown::render(&report);
    assert!(out.chars().count() <= markdown::COMMENT_LIMIT);
    assert!(out.contains("more findings not shown"), "{}", &out[..2000]);
    // The scorecard still closes the comment.
    assert!(out.contains("#### Capability scorecard"));
}

#[test]
fn markdown_neutralises_hostile_text() {
    let out = markdown::render(&common::awkward::report());
    assert!(!out.contains('\u{1b}'));
    assert!(!out.contains("<script"));
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!(github::render(&common::report()));
}

#[test]
fn github_commands_are_one_line_each() {
    let out = github::render(&common::awkward::report());
    for line in out.lines() {
        assert!(line.starts_with("::"), "{line:?}");
        assert!(!line.contains('\r'));
    }
}

#[test]
fn comparison_in_text_and_json() {
    let report = compared();
    let t = text::render(&report, &text::TextOptions::default());
    assert!(
        t.contains("Compared with `main` (0123456789ab): 2 new, 1 unchanged (not shown), 1 fixed"),
        "{t}"
    );
    assert!(t.contains("fixed: test-bucket-public-acl old/storage.tf aws_s3_bucket.archive"));
    assert!(
        t.contains("fixed path: internet reaches the archive bucket"),
        "{t}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&json::render(&report, "dev", false)).expect("json");
    let b = &v["baseline"];
    assert_eq!(b["against"]["kind"], "revision");
    assert_eq!(b["new"], 2);
    assert_eq!(b["unchanged"], 1);
    assert_eq!(b["fixed"][0]["fingerprint"], "f1xed");
    assert_eq!(b["fixed_attack_paths"][0]["fingerprint"], "0ldpath");
    assert_eq!(v["findings"].as_array().expect("findings").len(), 2);
    assert!(b["base_scorecard"]["capabilities"].is_array());
    // Without a comparison there is no `baseline` key at all.
    let plain: serde_json::Value =
        serde_json::from_str(&json::render(&common::report(), "dev", false)).expect("json");
    assert!(plain.get("baseline").is_none());
}

#[test]
fn baseline_file_round_trips_sorted() {
    let report = common::report();
    let text = baseline::render(&report, "0.1.0");
    insta::assert_snapshot!(text);
    let known = baseline::parse(&text).expect("parses");
    assert_eq!(known.findings.len(), report.findings.len());
    let known = known.findings;
    let mut sorted = known.clone();
    sorted.sort_by(|a, b| {
        (&a.path, &a.rule_id, &a.resource).cmp(&(&b.path, &b.rule_id, &b.resource))
    });
    assert_eq!(known, sorted);
}
