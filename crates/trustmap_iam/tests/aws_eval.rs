//! AWS identity and resource policy evaluation, one semantic rule per test.

mod common;

use common::doc;
use trustmap_iam::aws::{Requester, managed_policy, resource_policy};
use trustmap_iam::{Access, Decision, Target, evaluate};
use trustmap_source::{FileId, Span};

const OBJECT: &str = "arn:aws:s3:::data/report.csv";
const SECRET: &str = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf";

fn start(d: &Decision) -> u32 {
    d.evidence().expect("evidence").statement.start
}

#[test]
fn allow_is_needed() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"}"#,
    )]);
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
    assert_eq!(e.decide("s3:PutObject", OBJECT), Decision::NotAllowed);
    assert_eq!(
        e.decide("s3:GetObject", "arn:aws:s3:::other/x"),
        Decision::NotAllowed
    );
    assert_eq!(
        evaluate([]).decide("s3:GetObject", OBJECT),
        Decision::NotAllowed
    );
}

#[test]
fn explicit_deny_wins_in_any_document() {
    let allow = doc(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#);
    let deny = doc(
        r#"{"Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"},
        {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data/*"}]}"#,
    );
    let e = evaluate([&allow, &deny]);
    let d = e.decide("s3:DeleteObject", OBJECT);
    assert!(matches!(d, Decision::Deny(_)), "{d:?}");
    assert_eq!(start(&d), 2000, "the Deny statement is the evidence");
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
}

#[test]
fn actions_match_case_insensitively_with_wildcards() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":["S3:get*","ssm:GetParameter?"],"Resource":"*"}"#,
    )]);
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
    assert!(
        e.decide("ssm:GetParameters", "arn:aws:ssm:eu-west-1:1:parameter/x")
            .is_allowed()
    );
    assert!(
        !e.decide("ssm:GetParameter", "arn:aws:ssm:eu-west-1:1:parameter/x")
            .is_allowed()
    );
    let d = e.decide("s3:GetObject", OBJECT);
    assert_eq!(
        d.evidence().unwrap().action.map(|s| s.start),
        Some(1001),
        "the matching element"
    );
}

#[test]
fn not_action_allows_everything_else() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}"#,
    )]);
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
    assert!(
        !e.decide("iam:CreateUser", "arn:aws:iam::1:user/x")
            .is_allowed()
    );
    assert!(e.is_admin().is_none());
}

#[test]
fn not_resource_allows_everything_else() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret-bucket/*"}"#,
    )]);
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
    assert!(
        !e.decide("s3:GetObject", "arn:aws:s3:::secret-bucket/k")
            .is_allowed()
    );
    // NotAction + Deny: deny everything except reading.
    let d = evaluate([
        &doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#),
        &doc(r#"{"Effect":"Deny","NotAction":"s3:Get*","Resource":"*"}"#),
    ]);
    assert!(d.decide("s3:GetObject", OBJECT).is_allowed());
    assert!(matches!(
        d.decide("s3:PutObject", OBJECT),
        Decision::Deny(_)
    ));
}

#[test]
fn conditional_allow_still_allows_and_shows_why() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*",
        "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#,
    )]);
    let Decision::Allow(ev) = e.decide("secretsmanager:GetSecretValue", SECRET) else {
        panic!("a conditional allow is an allow");
    };
    assert!(ev.conditional);
    assert_eq!(
        ev.conditions,
        vec!["aws:SourceIp IpAddress 10.0.0.0/8".to_string()]
    );
}

#[test]
fn unconditional_allow_is_preferred_as_evidence() {
    let e = evaluate([&doc(r#"{"Statement":[
        {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)]);
    let d = e.decide("s3:GetObject", OBJECT);
    assert_eq!(start(&d), 2000);
    assert!(!d.evidence().unwrap().conditional);
}

#[test]
fn conditional_deny_is_not_assumed_to_apply() {
    let e = evaluate([&doc(r#"{"Statement":[
        {"Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#)]);
    let Decision::Allow(ev) = e.decide("s3:GetObject", OBJECT) else {
        panic!("a conditional deny does not remove access");
    };
    assert_eq!(ev.notes.len(), 1, "{:?}", ev.notes);
    assert!(ev.notes[0].contains("aws:SecureTransport Bool false"));
}

#[test]
fn unknown_values_are_unknown_never_denied() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"<unknown>","Resource":"*"}"#,
    )]);
    assert!(matches!(
        e.decide("s3:GetObject", OBJECT),
        Decision::Unknown { .. }
    ));
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"<unknown>"}"#,
    )]);
    let d = e.decide("s3:GetObject", OBJECT);
    assert!(matches!(d, Decision::Unknown { .. }) && d.may_allow());
    let e = evaluate([&doc(
        r#"{"Effect":"<unknown>","Action":"s3:GetObject","Resource":"*"}"#,
    )]);
    assert!(matches!(
        e.decide("s3:GetObject", OBJECT),
        Decision::Unknown { .. }
    ));
    // An unknown Deny element does not take away a known Allow.
    let e = evaluate([&doc(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Action":"<unknown>","Resource":"*"}]}"#,
    )]);
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
    // A policy that cannot be read makes "not allowed" unknown.
    let mut e = evaluate([]);
    e.add_unknown(
        Span::default(),
        "policy `arn:aws:iam::1:policy/x` is not defined in the scan",
    );
    assert!(matches!(
        e.decide("s3:GetObject", OBJECT),
        Decision::Unknown { .. }
    ));
}

#[test]
fn policy_variables_and_unknown_target_parts_are_maybe() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}"#,
    )]);
    assert!(matches!(
        e.decide("s3:GetObject", "arn:aws:s3:::home/alice/x"),
        Decision::Unknown { .. }
    ));
    assert_eq!(
        e.decide("s3:GetObject", "arn:aws:s3:::work/x"),
        Decision::NotAllowed
    );
    // A target whose bucket name is computed: `logs-*` may or may not be it.
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs-*/*"}"#,
    )]);
    assert!(matches!(
        e.decide("s3:GetObject", "arn:aws:s3:::*/*"),
        Decision::Unknown { .. }
    ));
    assert!(
        e.decide("s3:GetObject", "arn:aws:s3:::logs-eu/*")
            .is_allowed()
    );
}

#[test]
fn access_to_a_bucket_by_level() {
    let e = evaluate([&doc(r#"{"Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"]},
        {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#)]);
    let access = e.access_to(&Target::s3_bucket("data"));
    let levels: Vec<(Access, bool)> = access.iter().map(|a| (a.access, a.conditional)).collect();
    assert_eq!(
        levels,
        vec![
            (Access::List, false),
            (Access::Read, false),
            (Access::Write, true)
        ],
        "{access:#?}"
    );
    assert_eq!(access[0].actions, vec!["s3:ListBucket"]);
    assert_eq!(access[1].actions, vec!["s3:GetObject"]);
    assert_eq!(access[2].actions, vec!["s3:PutObject"]);
    assert!(e.access_to(&Target::s3_bucket("other")).is_empty());
}

#[test]
fn access_to_only_counts_actions_on_the_targets_resource_type() {
    // ListBucket acts on buckets: granting it on objects only gives nothing.
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::data/*"}"#,
    )]);
    let access = e.access_to(&Target::s3_bucket("data"));
    let all: Vec<&str> = access
        .iter()
        .flat_map(|a| a.actions.iter().map(String::as_str))
        .collect();
    assert!(all.contains(&"s3:GetObject") && all.contains(&"s3:PutObject"));
    assert!(!all.contains(&"s3:ListBucket") && !all.contains(&"s3:PutBucketPolicy"));
    assert!(
        !all.contains(&"s3:ListAllMyBuckets"),
        "not an action on the bucket"
    );
}

#[test]
fn access_to_a_secret_with_every_secret_readable() {
    let e = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}"#,
    )]);
    let access = e.access_to(&Target::new(SECRET));
    let read = access
        .iter()
        .find(|a| a.access == Access::Read)
        .expect("read");
    assert!(
        read.actions
            .contains(&"secretsmanager:GetSecretValue".to_string())
    );
    assert!(
        access.iter().any(|a| a.access == Access::Permissions),
        "PutResourcePolicy"
    );
    // Denying the read leaves the rest.
    let e = evaluate([
        &doc(r#"{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}"#),
        &doc(r#"{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"*"}"#),
    ]);
    let access = e.access_to(&Target::new(SECRET));
    assert!(!access.iter().any(|a| {
        a.actions
            .contains(&"secretsmanager:GetSecretValue".to_string())
    }));
}

#[test]
fn admin_and_escalation() {
    let admin = evaluate([&doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)]);
    assert_eq!(admin.is_admin().map(|e| e.statement.start), Some(1000));
    let star_star = evaluate([&doc(r#"{"Effect":"Allow","Action":"*:*","Resource":"*"}"#)]);
    assert!(star_star.is_admin().is_some());
    let fenced = evaluate([
        &doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#),
        &doc(r#"{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#),
    ]);
    assert!(fenced.is_admin().is_none());
    let scoped = evaluate([&doc(
        r#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::data"}"#,
    )]);
    assert!(scoped.is_admin().is_none());
    let esc = evaluate([&doc(
        r#"{"Effect":"Allow","Action":["iam:PassRole","iam:CreatePolicyVersion"],"Resource":"*"}"#,
    )]);
    let found: Vec<&str> = esc.escalations().iter().map(|e| e.action).collect();
    assert_eq!(found, vec!["iam:CreatePolicyVersion", "iam:PassRole"]);
}

#[test]
fn grants_list_statements_with_their_levels() {
    let e = evaluate([&doc(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::x/*"},
        {"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
    )]);
    let g = e.grants();
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].resources, vec!["arn:aws:s3:::x/*"]);
    let levels = g[0].access_levels();
    assert!(levels.contains(&Access::Read) && !levels.contains(&Access::Write));
}

#[test]
fn aws_managed_policies_are_synthesised_at_the_attachment() {
    let at = Span::new(FileId(3), 40, 90);
    let doc = managed_policy("arn:aws:iam::aws:policy/AdministratorAccess", at).expect("known");
    let e = evaluate([&doc]);
    assert_eq!(e.is_admin().map(|e| e.statement), Some(at));
    let ro = managed_policy("AmazonS3ReadOnlyAccess", at).unwrap();
    let e = evaluate([&ro]);
    assert!(e.decide("s3:GetObject", OBJECT).is_allowed());
    assert!(!e.decide("s3:PutObject", OBJECT).is_allowed());
    let pu = managed_policy("arn:aws:iam::aws:policy/PowerUserAccess", at).unwrap();
    let e = evaluate([&pu]);
    assert!(
        e.decide("secretsmanager:GetSecretValue", SECRET)
            .is_allowed()
    );
    assert!(
        !e.decide("iam:AttachRolePolicy", "arn:aws:iam::1:role/x")
            .is_allowed()
    );
    assert!(managed_policy("arn:aws:iam::aws:policy/NoSuchPolicy", at).is_none());
}

#[test]
fn resource_policies_for_a_requester() {
    let bucket_policy = doc(r#"{"Statement":[
        {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::data/*"},
        {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/writer"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"},
        {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data/*"},
        {"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::data/*"}]}"#);
    let anyone = resource_policy(&bucket_policy, &Requester::Anyone);
    assert!(anyone.decide("s3:GetObject", OBJECT).is_allowed());
    assert!(!anyone.decide("s3:PutObject", OBJECT).is_allowed());
    let writer = resource_policy(
        &bucket_policy,
        &Requester::Principal("arn:aws:iam::111122223333:role/writer".into()),
    );
    assert!(writer.decide("s3:PutObject", OBJECT).is_allowed());
    // The account grant delegates to identity policies: not a grant to the role by itself.
    assert!(!writer.decide("s3:DeleteObject", OBJECT).is_allowed());
    let account = resource_policy(&bucket_policy, &Requester::Account("111122223333".into()));
    assert!(account.decide("s3:DeleteObject", OBJECT).is_allowed());
    let svc = resource_policy(
        &bucket_policy,
        &Requester::Service("logging.s3.amazonaws.com".into()),
    );
    assert!(svc.decide("s3:PutObject", OBJECT).is_allowed());
    assert!(!svc.decide("s3:DeleteObject", OBJECT).is_allowed());
    // Public read shows up in the access to the bucket.
    let access = anyone.access_to(&Target::s3_bucket("data"));
    assert_eq!(
        access.iter().map(|a| a.access).collect::<Vec<_>>(),
        vec![Access::Read]
    );
}

#[test]
fn resource_policy_deny_and_not_principal() {
    let p = doc(r#"{"Statement":[
        {"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"},
        {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"sqs:*","Resource":"*"}]}"#);
    let q = "arn:aws:sqs:eu-west-1:111122223333:orders";
    let app = resource_policy(
        &p,
        &Requester::Principal("arn:aws:iam::111122223333:role/app".into()),
    );
    assert!(app.decide("sqs:SendMessage", q).is_allowed());
    let anyone = resource_policy(&p, &Requester::Anyone);
    assert!(matches!(
        anyone.decide("sqs:SendMessage", q),
        Decision::Deny(_)
    ));
    // A statement without Resource applies to the policy's own resource.
    let implicit = doc(r#"{"Effect":"Allow","Principal":"*","Action":"sns:Publish"}"#);
    let e = resource_policy(&implicit, &Requester::Anyone);
    assert!(
        e.decide("sns:Publish", "arn:aws:sns:eu-west-1:1:t")
            .is_allowed()
    );
}
