//! The worked example of docs/capability-scoring.md, number for number.

use trustmap_capability::assess::assess_evidence;
use trustmap_capability::codeowners::CodeOwners;
use trustmap_capability::evidence::{Evidence, Source};
use trustmap_capability::owners::Ownership;
use trustmap_capability::score::Confidence;
use trustmap_rules::{Capability, Severity};

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
        // A low rule that records its passes without a location: repository only.
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
