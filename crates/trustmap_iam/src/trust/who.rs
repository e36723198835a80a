//! The broadest callers a trust policy admits.

use serde::Serialize;
use trustmap_model::aws::policy::{PolicyDocument, Principal, PrincipalKind, Statement};

use super::claims::parse_operator;
use super::{Caller, GITHUB_ISSUER, account_root, judge};
use crate::aws::statement::Compiled;
use crate::evidence::{Evidence, show_condition};
use crate::glob::Match;

/// A caller a trust policy admits, as broad as the policy allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Who {
    /// Everyone (`"Principal": "*"` with no condition limiting callers).
    Anyone,
    /// Principals of this account (root or account ID), through their identity policies.
    Account(String),
    /// One role or user.
    Principal(String),
    /// An AWS service.
    Service(String),
    /// A workflow in *any* GitHub repository: no `sub` condition, or one whose owner is a
    /// wildcard.
    AnyGithubRepository,
    /// GitHub workflows whose `sub` (or `repository`) matches one of these patterns.
    Github(Vec<String>),
    /// Kubernetes service accounts of a cluster issuer: `system:serviceaccount:NS:NAME`
    /// patterns, empty for every service account of the cluster.
    KubernetesServiceAccounts {
        /// The cluster's issuer host.
        issuer: String,
        /// `sub` patterns.
        subjects: Vec<String>,
    },
    /// Tokens of another OIDC issuer with these `sub` patterns (empty: every token).
    Oidc {
        /// The issuer host.
        issuer: String,
        /// `sub` patterns.
        subjects: Vec<String>,
    },
    /// A SAML provider's users.
    Saml(String),
    /// Cannot be known statically, or admitted only under conditions we do not model.
    Unknown(String),
}

impl Who {
    /// Whether this caller is outside the owner's control: anyone, any GitHub repository,
    /// every token of an issuer.
    pub fn is_untrusted(&self) -> bool {
        matches!(self, Who::Anyone | Who::AnyGithubRepository)
            || matches!(self, Who::Oidc { subjects, .. } if subjects.is_empty())
    }
}

/// One admitted caller and the statement that admits it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assumer {
    /// The caller, as broad as the statement admits.
    pub who: Who,
    /// `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`.
    pub action: &'static str,
    /// The statement and the principal element that admit it.
    pub evidence: Evidence,
}

const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
];

/// The broadest callers each `Allow` statement of a trust policy admits.
pub fn who_can_assume(trust: &PolicyDocument) -> Vec<Assumer> {
    let mut out = Vec::new();
    for st in trust.statements.iter().filter(|s| s.is_allow()) {
        let compiled = Compiled::of(st);
        let conditions: Vec<String> = st.conditions.iter().map(show_condition).collect();
        for p in &st.principals {
            let federated = p.kind == PrincipalKind::Federated;
            let action = if federated {
                if p.id.is(|i| i.contains(":saml-provider/")) {
                    "sts:AssumeRoleWithSAML"
                } else {
                    "sts:AssumeRoleWithWebIdentity"
                }
            } else {
                "sts:AssumeRole"
            };
            let am = compiled.action_match(action).0;
            if am == Match::No
                && !ASSUME_ACTIONS
                    .iter()
                    .any(|a| compiled.action_match(a).0 != Match::No)
            {
                continue;
            }
            let mut evidence = Evidence::of_statement(st.span, compiled.sid.clone(), &conditions);
            evidence.principal = Some(p.id.span);
            let who = classify(st, p, federated);
            // For the broadest callers, the conditions are judged as for that caller: one it
            // satisfies by choice (a workflow picks its audience) is not an assumption.
            let broadest = match who {
                Who::Anyone => Some(Caller::AnyAwsAccount),
                Who::AnyGithubRepository => Some(Caller::any_github_repository()),
                _ => None,
            };
            if let Some(caller) = broadest {
                evidence.conditional = judge(st, &caller).assumed;
            }
            out.push(Assumer {
                who,
                action,
                evidence,
            });
        }
    }
    out
}

fn classify(st: &Statement, p: &Principal, federated: bool) -> Who {
    let admitted = |caller: &Caller| {
        let v = judge(st, caller);
        v.matched != Match::No
    };
    if p.is_everyone() {
        return if admitted(&Caller::AnyAwsAccount) {
            Who::Anyone
        } else {
            Who::Unknown("any principal that satisfies the statement's conditions".into())
        };
    }
    if federated {
        if let Some(id) = p.id.get().filter(|id| id.contains(":saml-provider/")) {
            return Who::Saml(id.clone());
        }
        // The issuer comes from the ARN, or, for a reference to an OIDC provider resource
        // (`aws_iam_openid_connect_provider.github.arn`, `!Ref GithubOidc`) whose ARN is
        // unknown, from the provider's URL in the scan (`Principal::provider_url`).
        let Some(host) = p.oidc_host().and_then(|h| h.get().cloned()) else {
            let id = p.id.get().map_or("unknown", String::as_str);
            return Who::Unknown(format!("tokens of OIDC provider `{id}`"));
        };
        let subjects = claim_patterns(st, &host);
        return if host.starts_with(GITHUB_ISSUER) {
            if admitted(&Caller::any_github_repository()) {
                Who::AnyGithubRepository
            } else {
                Who::Github(subjects)
            }
        } else if host.starts_with("oidc.eks.") {
            Who::KubernetesServiceAccounts {
                issuer: host,
                subjects,
            }
        } else {
            Who::Oidc {
                issuer: host,
                subjects,
            }
        };
    }
    let Some(id) = p.id.get() else {
        return Who::Unknown("a principal that cannot be known statically".into());
    };
    match &p.kind {
        PrincipalKind::Service => Who::Service(id.clone()),
        PrincipalKind::Aws => match account_root(id) {
            Some(a) => Who::Account(a.to_string()),
            None => Who::Principal(id.clone()),
        },
        _ => Who::Unknown(format!("principal `{id}`")),
    }
}

/// The known values of positive `sub` (or, for GitHub, `repository`) conditions.
fn claim_patterns(st: &Statement, host: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in &st.conditions {
        let (Some(key), Some(op)) = (c.key.get(), c.operator.get()) else {
            continue;
        };
        let Some((h, claim)) = key.rsplit_once(':') else {
            continue;
        };
        let (_, _, negated) = parse_operator(op);
        let wanted = claim.eq_ignore_ascii_case("sub")
            || (host.starts_with(GITHUB_ISSUER) && claim.eq_ignore_ascii_case("repository"));
        if negated || !wanted || !h.eq_ignore_ascii_case(host) {
            continue;
        }
        out.extend(c.values.iter().filter_map(|v| v.get().cloned()));
    }
    out
}
