//! Properties that must hold for every policy, not only the ones we thought of.

mod common;

use std::collections::BTreeSet;

use proptest::prelude::*;
use trustmap_iam::glob::{covers, matches, overlaps};
use trustmap_iam::{Decision, Target, catalogue, evaluate};

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:Put*",
    "s3:?etObject",
    "s3:List*",
    "iam:*",
    "iam:PassRole",
    "secretsmanager:GetSecretValue",
    "sqs:*",
    "<unknown>",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::data",
    "arn:aws:s3:::data/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::logs-*/*",
    "arn:aws:secretsmanager:*:*:secret:*",
    "arn:aws:s3:::home/${aws:username}/*",
    "<unknown>",
];
const CONDITIONS: &[&str] = &[
    "",
    r#","Condition":{"Bool":{"aws:SecureTransport":"true"}}"#,
];
const REQUESTS: &[(&str, &str)] = &[
    ("s3:GetObject", "arn:aws:s3:::data/a"),
    ("s3:PutObject", "arn:aws:s3:::data/a"),
    ("s3:ListBucket", "arn:aws:s3:::data"),
    ("s3:GetObject", "arn:aws:s3:::*/*"),
    ("iam:PassRole", "arn:aws:iam::1:role/x"),
    (
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:eu-west-1:1:secret:db",
    ),
    ("s3:GetObject", "arn:aws:s3:::home/alice/x"),
];

fn statement() -> impl Strategy<Value = String> {
    (
        prop::bool::ANY,
        prop::bool::ANY,
        prop::sample::subsequence(ACTIONS, 1..3),
        prop::bool::ANY,
        prop::sample::subsequence(RESOURCES, 1..3),
        prop::sample::select(CONDITIONS),
    )
        .prop_map(|(allow, not_action, actions, not_res, resources, cond)| {
            format!(
                r#"{{"Effect":"{}","{}":{:?},"{}":{:?}{}}}"#,
                if allow { "Allow" } else { "Deny" },
                if not_action { "NotAction" } else { "Action" },
                actions,
                if not_res { "NotResource" } else { "Resource" },
                resources,
                cond
            )
        })
}

fn policy() -> impl Strategy<Value = String> {
    prop::collection::vec(statement(), 1..4)
        .prop_map(|s| format!(r#"{{"Statement":[{}]}}"#, s.join(",")))
}

/// How much a decision gives an attacker.
fn rank(d: &Decision) -> u8 {
    match d {
        Decision::Allow(e) if !e.conditional => 3,
        Decision::Allow(_) => 2,
        Decision::Unknown { .. } => 1,
        Decision::Deny(_) | Decision::NotAllowed => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_explicit_deny_never_increases_access(base in policy(), deny in statement()) {
        let deny = deny.replacen(r#""Effect":"Allow""#, r#""Effect":"Deny""#, 1);
        let before = common::doc(&base);
        let after = common::doc(&format!(r#"{{"Statement":[{}]}}"#, deny));
        let one = evaluate([&before]);
        let both = evaluate([&before, &after]);
        for (action, arn) in REQUESTS {
            let (b, a) = (one.decide(action, arn), both.decide(action, arn));
            prop_assert!(rank(&a) <= rank(&b), "{action} on {arn}: {b:?} then {a:?}");
        }
        let target = Target::s3_bucket("data");
        let actions = |e: &trustmap_iam::Evaluated| -> BTreeSet<String> {
            e.access_to(&target).into_iter().flat_map(|g| g.actions).collect()
        };
        prop_assert!(actions(&both).is_subset(&actions(&one)));
    }

    #[test]
    fn expansion_is_exactly_the_catalogue_entries_the_glob_matches(
        svc in prop::sample::select(&["s3", "iam", "secretsmanager", "*", "s?s"][..]),
        name in "[A-Za-z?*]{0,6}",
    ) {
        let pattern = format!("{svc}:{name}");
        let cat = catalogue();
        let expanded: BTreeSet<String> = cat.expand(&pattern).map(|a| a.full_name()).collect();
        let by_glob: BTreeSet<String> = cat
            .services()
            .flat_map(|s| s.actions.iter())
            .map(|a| a.full_name())
            .filter(|n| matches(&pattern, n, true))
            .collect();
        prop_assert_eq!(expanded, by_glob);
    }

    #[test]
    fn glob_relations_are_consistent(a in "[ab*?/]{0,6}", b in "[ab*?/]{0,6}", t in "[ab/]{0,6}") {
        prop_assert_eq!(overlaps(&a, &b, false), overlaps(&b, &a, false));
        if matches(&a, &t, false) {
            prop_assert!(overlaps(&a, &t, false));
            prop_assert!(covers(&a, &t, false));
        }
        // covers is sound: whatever the inner pattern matches, the outer one does.
        if covers(&a, &b, false) && matches(&b, &t, false) {
            prop_assert!(matches(&a, &t, false), "{a} covers {b} but not {t}");
        }
        if matches(&a, &t, false) && matches(&b, &t, false) {
            prop_assert!(overlaps(&a, &b, false));
        }
    }
}
