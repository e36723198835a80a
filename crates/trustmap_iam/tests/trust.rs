//! Trust policies: GitHub Actions OIDC, EKS IRSA, services, accounts, anyone.

mod common;

use common::doc;
use trustmap_iam::{Caller, TrustDecision, Who, can_assume, who_can_assume};

const GH: &str = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
const EKS: &str =
    "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";

fn github_trust(condition: &str) -> String {
    format!(
        r#"{{"Effect":"Allow","Principal":{{"Federated":"{GH}"}},"Action":"sts:AssumeRoleWithWebIdentity"{condition}}}"#
    )
}

fn gh(repo: Option<&str>, git_ref: Option<&str>, event: Option<&str>, env: Option<&str>) -> Caller {
    Caller::GithubActions {
        repo: repo.map(String::from),
        git_ref: git_ref.map(String::from),
        event: event.map(String::from),
        environment: env.map(String::from),
    }
}

fn allowed(d: &TrustDecision) -> bool {
    matches!(d, TrustDecision::Allowed(_))
}

#[test]
fn no_sub_condition_admits_any_repository() {
    let t = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
    ));
    assert!(allowed(&can_assume(&t, &Caller::any_github_repository())));
    let who = who_can_assume(&t);
    assert_eq!(who.len(), 1);
    assert_eq!(who[0].who, Who::AnyGithubRepository);
    assert!(who[0].who.is_untrusted());
    assert_eq!(who[0].action, "sts:AssumeRoleWithWebIdentity");
    assert_eq!(
        who[0].evidence.principal,
        Some(t.statements[0].principals[0].id.span)
    );
}

#[test]
fn sub_pinned_to_one_repository_and_branch() {
    let t = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/heads/main",
            "token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
    ));
    assert_eq!(
        can_assume(&t, &Caller::any_github_repository()),
        TrustDecision::Denied
    );
    let main = gh(
        Some("acme/app"),
        Some("refs/heads/main"),
        Some("push"),
        None,
    );
    let TrustDecision::Allowed(ev) = can_assume(&t, &main) else {
        panic!("the main branch of acme/app can assume");
    };
    assert!(!ev.conditional, "every condition was decided: {ev:?}");
    assert_eq!(ev.conditions.len(), 2);
    let feature = gh(
        Some("acme/app"),
        Some("refs/heads/feature"),
        Some("push"),
        None,
    );
    assert_eq!(can_assume(&t, &feature), TrustDecision::Denied);
    let other = gh(
        Some("acme/other"),
        Some("refs/heads/main"),
        Some("push"),
        None,
    );
    assert_eq!(can_assume(&t, &other), TrustDecision::Denied);
    // A pull request's token carries `repo:acme/app:pull_request`.
    let pr = gh(Some("acme/app"), None, Some("pull_request"), None);
    assert_eq!(can_assume(&t, &pr), TrustDecision::Denied);
    // With the ref unknown, some ref of acme/app (main) can.
    assert!(allowed(&can_assume(
        &t,
        &gh(Some("acme/app"), None, None, None)
    )));
    assert_eq!(
        who_can_assume(&t)[0].who,
        Who::Github(vec!["repo:acme/app:ref:refs/heads/main".into()])
    );
}

#[test]
fn wildcard_owner_admits_any_repository_wildcard_repo_does_not() {
    let any_owner = doc(&github_trust(
        r#","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#,
    ));
    assert!(allowed(&can_assume(
        &any_owner,
        &Caller::any_github_repository()
    )));
    assert_eq!(who_can_assume(&any_owner)[0].who, Who::AnyGithubRepository);
    let org = doc(&github_trust(
        r#","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}"#,
    ));
    assert_eq!(
        can_assume(&org, &Caller::any_github_repository()),
        TrustDecision::Denied
    );
    assert!(allowed(&can_assume(
        &org,
        &gh(Some("acme/tools"), Some("refs/heads/x"), Some("push"), None)
    )));
    // StringEquals takes `*` literally.
    let literal = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}"#,
    ));
    assert_eq!(
        can_assume(
            &literal,
            &gh(Some("acme/tools"), Some("refs/heads/x"), Some("push"), None)
        ),
        TrustDecision::Denied
    );
}

#[test]
fn environment_and_pull_request_and_tag_subjects() {
    let env = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/app:environment:production"}}"#,
    ));
    assert!(allowed(&can_assume(
        &env,
        &gh(
            Some("acme/app"),
            Some("refs/heads/main"),
            Some("push"),
            Some("production")
        )
    )));
    assert_eq!(
        can_assume(
            &env,
            &gh(
                Some("acme/app"),
                Some("refs/heads/main"),
                Some("push"),
                None
            )
        ),
        TrustDecision::Denied,
        "a job without the environment gets a ref subject"
    );
    let pr = doc(&github_trust(
        r#","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:pull_request"}}"#,
    ));
    assert!(allowed(&can_assume(
        &pr,
        &gh(
            Some("acme/app"),
            Some("refs/pull/1/merge"),
            Some("pull_request"),
            None
        )
    )));
    assert_eq!(
        can_assume(
            &pr,
            &gh(
                Some("acme/app"),
                Some("refs/heads/main"),
                Some("push"),
                None
            )
        ),
        TrustDecision::Denied
    );
    let tags = doc(&github_trust(
        r#","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/tags/v*"}}"#,
    ));
    assert!(allowed(&can_assume(
        &tags,
        &gh(
            Some("acme/app"),
            Some("refs/tags/v1.2.0"),
            Some("push"),
            None
        )
    )));
    assert_eq!(
        can_assume(
            &tags,
            &gh(Some("acme/app"), Some("refs/heads/v1"), Some("push"), None)
        ),
        TrustDecision::Denied
    );
}

#[test]
fn other_github_claims() {
    let t = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:repository":"acme/app",
            "token.actions.githubusercontent.com:ref":"refs/heads/main"}}"#,
    ));
    assert!(allowed(&can_assume(
        &t,
        &gh(
            Some("acme/app"),
            Some("refs/heads/main"),
            Some("push"),
            None
        )
    )));
    assert_eq!(
        can_assume(
            &t,
            &gh(Some("acme/app"), Some("refs/heads/dev"), Some("push"), None)
        ),
        TrustDecision::Denied
    );
    assert_eq!(
        can_assume(&t, &Caller::any_github_repository()),
        TrustDecision::Denied
    );
    let owner = doc(&github_trust(
        r#","Condition":{"ForAnyValue:StringLike":{"token.actions.githubusercontent.com:repository_owner":["acme","acme-labs"]}}"#,
    ));
    assert!(allowed(&can_assume(
        &owner,
        &gh(Some("acme-labs/x"), None, None, None)
    )));
    assert_eq!(
        can_assume(&owner, &Caller::any_github_repository()),
        TrustDecision::Denied
    );
    let env = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:environment":"prod"}}"#,
    ));
    assert_eq!(
        can_assume(
            &env,
            &gh(
                Some("acme/app"),
                Some("refs/heads/main"),
                Some("push"),
                None
            )
        ),
        TrustDecision::Denied
    );
    // An attacker's repository can have an environment of any name.
    assert!(allowed(&can_assume(&env, &Caller::any_github_repository())));
    // Negated: everything but one repository.
    let not = doc(&github_trust(
        r#","Condition":{"StringNotEquals":{"token.actions.githubusercontent.com:repository":"acme/app"}}"#,
    ));
    assert!(allowed(&can_assume(&not, &Caller::any_github_repository())));
    assert_eq!(
        can_assume(&not, &gh(Some("acme/app"), None, None, None)),
        TrustDecision::Denied
    );
}

#[test]
fn unknown_sub_value_is_unknown_not_denied() {
    let t = doc(&github_trust(
        r#","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"<unknown>"}}"#,
    ));
    let d = can_assume(&t, &Caller::any_github_repository());
    assert!(d.may_allow(), "{d:?}");
    let TrustDecision::Allowed(ev) = d else {
        panic!("assumed, shown")
    };
    assert!(ev.conditional);
}

#[test]
fn irsa_service_account() {
    let t = doc(&format!(
        r#"{{"Effect":"Allow","Principal":{{"Federated":"{EKS}"}},"Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{{"StringEquals":{{"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub":"system:serviceaccount:shop:api",
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud":"sts.amazonaws.com"}}}}}}"#
    ));
    let sa = |ns: &str, name: &str, issuer: Option<&str>| Caller::KubernetesServiceAccount {
        issuer: issuer.map(String::from),
        namespace: ns.into(),
        name: name.into(),
    };
    let issuer = Some("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123");
    assert!(allowed(&can_assume(&t, &sa("shop", "api", issuer))));
    assert_eq!(
        can_assume(&t, &sa("shop", "worker", issuer)),
        TrustDecision::Denied
    );
    assert_eq!(
        can_assume(
            &t,
            &sa(
                "shop",
                "api",
                Some("https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER")
            )
        ),
        TrustDecision::Denied,
        "another cluster"
    );
    // The cluster's issuer unknown: it may be this one.
    assert!(can_assume(&t, &sa("shop", "api", None)).may_allow());
    // GitHub is not a Kubernetes issuer.
    assert_eq!(
        can_assume(&t, &Caller::any_github_repository()),
        TrustDecision::Denied
    );
    assert_eq!(
        who_can_assume(&t)[0].who,
        Who::KubernetesServiceAccounts {
            issuer: "oidc.eks.eu-west-1.amazonaws.com/id/abc123".into(),
            subjects: vec!["system:serviceaccount:shop:api".into()],
        }
    );
    // Without a sub condition: every service account of the cluster.
    let any = doc(&format!(
        r#"{{"Effect":"Allow","Principal":{{"Federated":"{EKS}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}"#
    ));
    assert!(allowed(&can_assume(
        &any,
        &sa("kube-system", "anything", issuer)
    )));
}

#[test]
fn services_accounts_and_anyone() {
    let lambda = doc(
        r#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
    );
    assert!(allowed(&can_assume(
        &lambda,
        &Caller::Service("lambda.amazonaws.com".into())
    )));
    assert_eq!(
        can_assume(&lambda, &Caller::Service("ec2.amazonaws.com".into())),
        TrustDecision::Denied
    );
    assert_eq!(can_assume(&lambda, &Caller::Anyone), TrustDecision::Denied);
    assert_eq!(
        who_can_assume(&lambda)[0].who,
        Who::Service("lambda.amazonaws.com".into())
    );
    let deputy = doc(
        r#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole",
        "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#,
    );
    let TrustDecision::Allowed(ev) =
        can_assume(&deputy, &Caller::Service("lambda.amazonaws.com".into()))
    else {
        panic!("the scanned function's service");
    };
    assert!(!ev.conditional, "the source is the scanned resource");

    let everyone = doc(r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#);
    assert!(allowed(&can_assume(&everyone, &Caller::AnyAwsAccount)));
    assert_eq!(who_can_assume(&everyone)[0].who, Who::Anyone);
    let org = doc(
        r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
        "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}"#,
    );
    assert_eq!(
        can_assume(&org, &Caller::AnyAwsAccount),
        TrustDecision::Denied
    );
    assert!(!who_can_assume(&org)[0].who.is_untrusted());

    let account = doc(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole",
        "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
    );
    let TrustDecision::Allowed(ev) = can_assume(
        &account,
        &Caller::Principal("arn:aws:iam::111122223333:role/dev".into()),
    ) else {
        panic!("a principal of the trusted account");
    };
    assert!(ev.conditional, "MFA is assumed, and shown");
    assert_eq!(
        can_assume(
            &account,
            &Caller::Principal("arn:aws:iam::999999999999:role/x".into())
        ),
        TrustDecision::Denied
    );
    assert_eq!(
        can_assume(&account, &Caller::AnyAwsAccount),
        TrustDecision::Denied
    );
    assert_eq!(
        who_can_assume(&account)[0].who,
        Who::Account("111122223333".into())
    );
}

#[test]
fn explicit_deny_in_trust_policy() {
    let t = doc(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{GH}"}},"Action":"sts:AssumeRoleWithWebIdentity"}},
        {{"Effect":"Deny","Principal":{{"Federated":"{GH}"}},"Action":"sts:AssumeRoleWithWebIdentity",
          "Condition":{{"StringLike":{{"token.actions.githubusercontent.com:sub":"repo:acme/app:pull_request"}}}}}}]}}"#
    ));
    assert_eq!(
        can_assume(
            &t,
            &gh(
                Some("acme/app"),
                Some("refs/pull/1/merge"),
                Some("pull_request"),
                None
            )
        ),
        TrustDecision::Denied
    );
    assert!(allowed(&can_assume(
        &t,
        &gh(
            Some("acme/app"),
            Some("refs/heads/main"),
            Some("push"),
            None
        )
    )));
}

#[test]
fn saml_and_other_oidc() {
    let saml = doc(
        r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/okta"},"Action":"sts:AssumeRoleWithSAML"}"#,
    );
    assert_eq!(
        who_can_assume(&saml)[0].who,
        Who::Saml("arn:aws:iam::111122223333:saml-provider/okta".into())
    );
    let gitlab = doc(
        r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/gitlab.com"},"Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"StringLike":{"gitlab.com:sub":"project_path:acme/*:ref_type:branch:ref:main"}}}"#,
    );
    let caller = |sub: Option<&str>| Caller::Oidc {
        issuer: "https://gitlab.com".into(),
        sub: sub.map(String::from),
        aud: None,
    };
    assert!(allowed(&can_assume(
        &gitlab,
        &caller(Some("project_path:acme/app:ref_type:branch:ref:main"))
    )));
    assert_eq!(
        can_assume(
            &gitlab,
            &caller(Some("project_path:evil/app:ref_type:branch:ref:main"))
        ),
        TrustDecision::Denied
    );
    assert_eq!(
        who_can_assume(&gitlab)[0].who,
        Who::Oidc {
            issuer: "gitlab.com".into(),
            subjects: vec!["project_path:acme/*:ref_type:branch:ref:main".into()]
        }
    );
}

#[test]
fn the_scanned_repository_under_an_unknown_name() {
    let t = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/heads/main",
            "token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
    ));
    let job = |r: &str, e: &str, env: Option<&str>| {
        Caller::this_repository(Some(r.into()), Some(e.into()), env.map(String::from))
    };
    let TrustDecision::Allowed(ev) = can_assume(&t, &job("refs/heads/main", "push", None)) else {
        panic!("if the scanned repository is acme/app, its main branch can assume");
    };
    assert!(
        ev.conditional,
        "the repository's name is an assumption, shown"
    );
    assert_eq!(
        can_assume(&t, &job("refs/heads/dev", "push", None)),
        TrustDecision::Denied
    );
    assert_eq!(
        can_assume(&t, &job("refs/pull/7/merge", "pull_request", None)),
        TrustDecision::Denied
    );
    assert_eq!(
        can_assume(&t, &job("refs/heads/main", "push", Some("prod"))),
        TrustDecision::Denied,
        "a job with an environment gets an environment subject"
    );
    // A policy that trusts any repository does so without assumption.
    let open = doc(&github_trust(""));
    let TrustDecision::Allowed(ev) = can_assume(&open, &job("refs/heads/dev", "push", None)) else {
        panic!("no condition");
    };
    assert!(!ev.conditional);
}

#[test]
fn pinning_only_the_reusable_workflow_does_not_pin_the_caller() {
    let t = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:job_workflow_ref":"acme/shared/.github/workflows/deploy.yml@refs/heads/main"}}"#,
    ));
    // Any repository can call a public reusable workflow: its token carries that path.
    assert!(allowed(&can_assume(&t, &Caller::any_github_repository())));
    assert_eq!(who_can_assume(&t)[0].who, Who::AnyGithubRepository);
    let TrustDecision::Allowed(ev) = can_assume(&t, &gh(Some("acme/app"), None, None, None)) else {
        panic!("acme/app may call it");
    };
    assert!(
        ev.conditional,
        "whether the job calls that workflow is not known"
    );
}

/// A federated principal written as a reference to the provider resource: its ARN is
/// unknown, the provider's URL (resolved by the adapter from the scan) names the issuer.
fn through_provider_resource(condition: &str) -> trustmap_model::aws::policy::PolicyDocument {
    let mut t = doc(&github_trust(condition).replace(GH, "<unknown>"));
    let p = &mut t.statements[0].principals[0];
    assert!(p.id.get().is_none());
    p.provider_url = Some(trustmap_model::Value::explicit(
        "https://token.actions.githubusercontent.com".to_string(),
        p.id.span,
    ));
    t
}

#[test]
fn a_provider_resource_reference_is_classified_by_its_url() {
    let open = through_provider_resource("");
    assert_eq!(who_can_assume(&open)[0].who, Who::AnyGithubRepository);
    let pinned = through_provider_resource(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/app:ref:refs/heads/main"}}"#,
    );
    assert_eq!(
        who_can_assume(&pinned)[0].who,
        Who::Github(vec!["repo:acme/app:ref:refs/heads/main".to_string()])
    );
    // Without the provider in the scan, nothing is known about the issuer.
    let mut unknown = through_provider_resource("");
    unknown.statements[0].principals[0].provider_url = None;
    assert!(matches!(who_can_assume(&unknown)[0].who, Who::Unknown(_)));
}

#[test]
fn an_audience_condition_is_no_assumption_for_any_repository() {
    let t = doc(&github_trust(
        r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
    ));
    let who = who_can_assume(&t);
    assert_eq!(who[0].who, Who::AnyGithubRepository);
    assert!(!who[0].evidence.conditional, "{:?}", who[0].evidence);
}
