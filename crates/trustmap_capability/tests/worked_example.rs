//! The worked example of docs/capability-scoring.md, number for number.

use trustmap_capability::assess::assess_evidence;
use trustmap_capability::codeowners::CodeOwners;
use trustmap_capability::evidence::{Evidence, Source};
use trustmap_capability::owners::Ownership;
use trustmap_capability::score::Confidence;
use trustmap_rules::{Capability, Severity};

/// Evidence of a built-in rule (one that locates its passes).
fn ev(
    rule: &'static str,
    capability: Capability,
    severity: Severity,
    passed: bool,
    count: u32,
    path: Option<&str>,
) -> Evidence {
    Evidence {
        capability,
        severity,
        passed,
        count,
        path: path.map(str::to_string),
        line: (!passed).then_some(1),
        source: Source::Rule {
            id: rule,
            name: rule,
            fix: String::new(),
            locates_passes: true,
        },
        message: String::new(),
    }
}

#[test]
fn worked_example() {
    use Capability::{Design, Identity};
    use Severity::{Critical, High, Low, Medium};
    let pay = Some("payments/iam.tf");
    let evidence = vec![
        // Identity, all located in payments/: a critical rule 3 passes 1 failure, a high rule
        // 4 passes, a medium rule 1 pass 2 failures.
        ev("CRIT", Identity, Critical, true, 3, pay),
        ev("CRIT", Identity, Critical, false, 1, pay),
        ev("HIGH", Identity, High, true, 4, pay),
        ev("MED", Identity, Medium, true, 1, pay),
        ev("MED", Identity, Medium, false, 2, pay),
        // A low rule whose passes came without a location in this scan: repository only.
        ev("LOW", Identity, Low, true, 5, None),
        ev("LOW", Identity, Low, false, 1, pay),
        // Design: a medium rule passing 3 times and one high attack path.
        ev("SEG", Design, Medium, true, 3, pay),
        Evidence {
            source: Source::AttackPath {
                title: "the internet reaches the payments database".into(),
                fix: Some("make the load balancer internal".into()),
            },
            ..ev("", Design, High, false, 1, pay)
        },
        // Platform: one low-severity pass.
        ev("TAG", Identity, Low, true, 1, Some("platform/main.tf")),
    ];
    let owners = Ownership::new(
        Default::default(),
        Some(CodeOwners::parse(
            "/payments/ @org/payments\n/platform/ @org/platform\n",
        )),
    );
    let a = assess_evidence(&evidence, &owners);
    let row = |team: &str| a.scores.iter().find(|t| t.team == team).unwrap();

    let pay_id = row("@org/payments").cell(Identity);
    assert_eq!(
        (pay_id.tally.pass_weight, pay_id.tally.fail_weight),
        (52, 14)
    );
    assert_eq!((pay_id.evaluations, pay_id.evidence_weight), (11, 66));
    assert_eq!(pay_id.score, Some(79));
    assert_eq!(pay_id.confidence, Confidence::Medium);

    let pay_design = row("@org/payments").cell(Design);
    assert_eq!(
        (pay_design.tally.pass_weight, pay_design.tally.fail_weight),
        (6, 5)
    );
    assert_eq!(pay_design.score, Some(55));
    assert_eq!(pay_design.confidence, Confidence::Low);

    let plat = row("@org/platform").cell(Identity);
    assert_eq!(
        (plat.score, plat.evaluations, plat.confidence),
        (Some(100), 1, Confidence::Low)
    );

    let repo = row("(repository)").cell(Identity);
    assert_eq!((repo.tally.pass_weight, repo.tally.fail_weight), (58, 15));
    assert_eq!((repo.evaluations, repo.score), (18, Some(79)));
    assert_eq!(repo.confidence, Confidence::Medium);

    // The biggest gap: the critical failure (10), then the attack path (5) and the medium
    // rule (2 × 2 = 4).
    let gaps: Vec<(&str, u64)> = a
        .gaps
        .iter()
        .map(|g| (g.rule.as_str(), g.lost_weight))
        .collect();
    assert_eq!(
        gaps,
        vec![("CRIT", 10), ("attack-path", 5), ("MED", 4), ("LOW", 1)]
    );
    assert_eq!(a.gaps[1].fix, "make the load balancer internal");
    assert!(a.unowned_files.is_empty());
}

/// Evidence of a custom policy: its one pass per scan has no location.
fn policy(rule: &'static str, passed: bool, count: u32, path: Option<&str>) -> Evidence {
    let mut e = ev(rule, Capability::Iac, Severity::Medium, passed, count, path);
    if let Source::Rule { locates_passes, .. } = &mut e.source {
        *locates_passes = false;
    }
    e
}

#[test]
fn only_rules_whose_passes_are_all_located_are_split_between_teams() {
    use Capability::Iac;
    use Severity::Medium;
    let evidence = vec![
        // Located passes and a failure: split.
        ev("LOCATED", Iac, Medium, true, 2, Some("a/x.tf")),
        ev("LOCATED", Iac, Medium, false, 1, Some("b/y.tf")),
        // Some passes without a location in this scan: repository only.
        ev("MIXED", Iac, Medium, true, 1, Some("a/x.tf")),
        ev("MIXED", Iac, Medium, true, 4, None),
        ev("MIXED", Iac, Medium, false, 1, Some("a/x.tf")),
        // A built-in rule that only failed: it would have located its passes, split.
        ev("FAILING", Iac, Medium, false, 3, Some("b/y.tf")),
        // A custom policy never locates its pass: repository only, even when it only failed.
        policy("CUSTOM", false, 2, Some("a/x.tf")),
    ];
    let owners = Ownership::new(
        Default::default(),
        Some(CodeOwners::parse("/a/ @a\n/b/ @b\n")),
    );
    let a = assess_evidence(&evidence, &owners);
    let cell = |team: &str| {
        a.scores
            .iter()
            .find(|t| t.team == team)
            .map(|t| t.cell(Iac).clone())
    };
    assert_eq!(
        cell("@a").map(|c| (c.score, c.evaluations)),
        Some((Some(100), 2))
    );
    assert_eq!(
        cell("@b").map(|c| (c.score, c.evaluations)),
        Some((Some(0), 4))
    );
    assert_eq!(cell("(repository)").map(|c| c.evaluations), Some(14));
    // Gaps are listed per team whatever the rule: @b's failing rule is its worst, then the
    // custom policy's failures in @a's file.
    let gaps: Vec<(&str, &str)> = a
        .gaps
        .iter()
        .map(|g| (g.team.as_str(), g.rule.as_str()))
        .collect();
    assert_eq!(gaps[0], ("@b", "FAILING"));
    assert!(gaps.contains(&("@a", "CUSTOM")), "{gaps:?}");
}
