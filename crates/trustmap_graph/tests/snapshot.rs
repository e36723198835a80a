//! The attack paths of a small mixed repository, as outputs see them: titles, severities,
//! every hop with its relation, location and reason, the per-path fix and the best fixes.

mod common;

use std::fmt::Write as _;

#[test]
fn attack_paths_of_a_mixed_repository() {
    let r = common::scan_files(&[
        ("infra/main.tf", include_str!("fixtures/mixed/main.tf")),
        ("k8s/web.yaml", include_str!("fixtures/mixed/web.yaml")),
    ]);
    let mut out = String::new();
    for p in &r.attack_paths {
        let _ = writeln!(
            out,
            "{} {} — {} [{}]",
            p.path.severity.as_str(),
            p.path.score,
            p.path.title,
            p.path.fingerprint
        );
        for s in &p.steps {
            let at = s
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.path, l.start_line))
                .unwrap_or_default();
            let rel = s.relation.map_or("source", |r| r.as_str());
            let _ = writeln!(out, "  {rel:<12} {:<40} {at}", s.resource);
            if let Some(why) = &s.why {
                let _ = writeln!(out, "               {why}");
            }
        }
        if let Some(fix) = &p.fix {
            let _ = writeln!(out, "  fix: {fix}");
        }
    }
    for f in &r.fixes {
        let _ = writeln!(out, "best fix (breaks {}): {}", f.breaks, f.advice);
    }
    insta::assert_snapshot!(out);
}
