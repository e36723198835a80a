//! Trust policies: who can assume a role.
//!
//! [`can_assume`] answers for one caller (a GitHub Actions workflow of a repository, branch,
//! event and environment; a Kubernetes service account through IRSA; a service; an account;
//! anyone); [`who_can_assume`] lists the broadest callers a policy admits.
//!
//! Web-identity callers are judged on the claims their token carries, after GitHub's "About
//! security hardening with OpenID Connect" and EKS's IRSA: `sub` (`repo:OWNER/REPO:ref:REF`,
//! `repo:OWNER/REPO:environment:NAME`, `repo:OWNER/REPO:pull_request`;
//! `system:serviceaccount:NS:NAME`), `aud`, `repository`, `repository_owner`, `ref`,
//! `environment`, `event_name`, `job_workflow_ref`. A repository's custom `sub` template is not
//! modelled. A field the caller leaves `None` is the caller's free choice (a workflow picks
//! its own audience; an attacker's repository has any branch, event and environment), except
//! the repository: `repo: None` is *a repository the policy's owner does not control*, which
//! only a wildcard owner admits. A service caller is taken to act for the scanned resource
//! that names the role, so `aws:SourceArn`/`aws:SourceAccount` conditions pass for it.
//! Conditions on other keys are assumed to hold, and shown.
//!
//! The actions that admit a caller are `sts:AssumeRole` (accounts, principals, services,
//! anyone), `sts:AssumeRoleWithWebIdentity` (OIDC) and `sts:AssumeRoleWithSAML`; a statement
//! granting only `sts:TagSession` (which session-tagging callers need in addition) admits
//! nobody by itself.

use serde::Serialize;
use trustmap_model::aws::policy::{
    Effect, PolicyDocument, Principal, PrincipalKind, Statement, host_of_url,
};

use crate::aws::statement::Compiled;
use crate::evidence::{Evidence, show_condition};
use crate::glob::{self, Match};

mod claims;
mod who;

use claims::{Outcome, condition, github_claims};
pub use who::{Assumer, Who, who_can_assume};

/// GitHub Actions' OIDC issuer host.
pub const GITHUB_ISSUER: &str = "token.actions.githubusercontent.com";

/// The name of a repository nobody in the policy controls: only `*` owner patterns match it.
pub(super) const FOREIGN_REPO: &str = "\u{1}/\u{1}";

/// Who asks to assume the role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Caller {
    /// Anyone: every AWS account and anonymous callers.
    Anyone,
    /// A principal of an AWS account the role's owner does not control.
    AnyAwsAccount,
    /// A principal of this account (by account ID), as far as its identity policies allow.
    Account(String),
    /// A role or user, by ARN.
    Principal(String),
    /// An AWS service (`lambda.amazonaws.com`, `ecs-tasks.amazonaws.com`, ...).
    Service(String),
    /// A GitHub Actions job. `repo` is `OWNER/REPO`, `None` for any repository the policy's
    /// owner does not control (all other fields are then the attacker's choice), `Some("*")`
    /// for the scanned repository under an unknown name ([`Caller::this_repository`]);
    /// `git_ref` (`refs/heads/main`) and `event` (`push`, `pull_request`), when `None`, may
    /// be any; `environment` `None` is a job without one.
    GithubActions {
        /// `OWNER/REPO`.
        repo: Option<String>,
        /// `refs/heads/main`, `refs/tags/v1`, `refs/pull/1/merge`.
        git_ref: Option<String>,
        /// `push`, `pull_request`, `workflow_dispatch`, ...
        event: Option<String>,
        /// The job's `environment`.
        environment: Option<String>,
    },
    /// A Kubernetes service account through EKS IRSA (or any cluster OIDC issuer);
    /// `issuer` is the cluster's issuer URL when known.
    KubernetesServiceAccount {
        /// The cluster's OIDC issuer URL.
        issuer: Option<String>,
        /// The service account's namespace.
        namespace: String,
        /// The service account's name.
        name: String,
    },
    /// Any other OIDC token; `None` claims are the caller's choice.
    Oidc {
        /// The issuer URL.
        issuer: String,
        /// The token's `sub`.
        sub: Option<String>,
        /// The token's `aud`.
        aud: Option<String>,
    },
}

impl Caller {
    /// A workflow of any repository on GitHub, run by whoever owns it.
    pub fn any_github_repository() -> Caller {
        Caller::GithubActions {
            repo: None,
            git_ref: None,
            event: None,
            environment: None,
        }
    }

    /// A job of the scanned repository, whose `OWNER/REPO` name the scan does not know
    /// (`repo: Some("*")`): it is taken to be the repository the policy names, and every
    /// condition that passes only on that assumption is marked [`Evidence::conditional`].
    /// `git_ref`, `event` and `environment` are the job's, when known.
    pub fn this_repository(
        git_ref: Option<String>,
        event: Option<String>,
        environment: Option<String>,
    ) -> Caller {
        Caller::GithubActions {
            repo: Some("*".to_string()),
            git_ref,
            event,
            environment,
        }
    }

    /// Whether the values this caller leaves open are its own choice (an attacker's
    /// repository, any token of an issuer) rather than facts we do not know.
    pub(crate) fn chooses_free_values(&self) -> bool {
        matches!(
            self,
            Caller::GithubActions { repo: None, .. } | Caller::Oidc { .. } | Caller::Anyone
        ) || matches!(self, Caller::AnyAwsAccount)
    }

    fn action(&self) -> &'static str {
        match self {
            Caller::GithubActions { .. }
            | Caller::KubernetesServiceAccount { .. }
            | Caller::Oidc { .. } => "sts:AssumeRoleWithWebIdentity",
            _ => "sts:AssumeRole",
        }
    }

    /// The issuer host of a web-identity caller (`None` = unknown issuer).
    pub(crate) fn issuer_host(&self) -> Option<Option<String>> {
        match self {
            Caller::GithubActions { .. } => Some(Some(GITHUB_ISSUER.to_string())),
            Caller::KubernetesServiceAccount { issuer, .. } => {
                Some(issuer.as_deref().map(host_of_url))
            }
            Caller::Oidc { issuer, .. } => Some(Some(host_of_url(issuer))),
            _ => None,
        }
    }

    /// The token claims, as alternatives the caller can choose between (values may hold `*`:
    /// the caller's choice).
    pub(crate) fn claims(&self) -> Vec<Vec<(&'static str, String)>> {
        match self {
            Caller::GithubActions {
                repo,
                git_ref,
                event,
                environment,
            } => github_claims(
                repo.as_deref(),
                git_ref.as_deref(),
                event.as_deref(),
                environment.as_deref(),
            ),
            Caller::KubernetesServiceAccount {
                namespace, name, ..
            } => vec![vec![
                ("sub", format!("system:serviceaccount:{namespace}:{name}")),
                ("aud", "sts.amazonaws.com".to_string()),
            ]],
            Caller::Oidc { sub, aud, .. } => vec![vec![
                ("sub", sub.clone().unwrap_or_else(|| "*".into())),
                ("aud", aud.clone().unwrap_or_else(|| "*".into())),
            ]],
            _ => vec![Vec::new()],
        }
    }
}

/// The answer of a trust policy for one caller.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum TrustDecision {
    /// The caller can assume the role: this statement admits it (see
    /// [`Evidence::conditional`] for conditions assumed to hold).
    Allowed(Evidence),
    /// No statement admits the caller, or an unconditional `Deny` excludes it.
    Denied,
    /// It depends on something unknown.
    Unknown {
        /// Why it cannot be decided.
        why: String,
        /// The statement that might admit the caller.
        evidence: Option<Evidence>,
    },
}

impl TrustDecision {
    /// Allowed, or unknown: what an attack-path search should follow.
    pub fn may_allow(&self) -> bool {
        !matches!(self, TrustDecision::Denied)
    }
}

/// What one statement says about one caller.
pub(super) struct Verdict {
    pub(super) matched: Match,
    /// Some condition was assumed.
    pub(super) assumed: bool,
    evidence: Evidence,
}

/// Whether `caller` can assume a role with this trust policy.
pub fn can_assume(trust: &PolicyDocument, caller: &Caller) -> TrustDecision {
    let mut allow: Option<Evidence> = None;
    let mut maybe: Option<Evidence> = None;
    let mut notes = Vec::new();
    for st in &trust.statements {
        let v = judge(st, caller);
        match (st.effect.get(), v.matched) {
            (_, Match::No) => {}
            (Some(Effect::Deny), Match::Yes) if !v.assumed => return TrustDecision::Denied,
            (Some(Effect::Deny), _) => notes.push(format!(
                "a Deny statement may also apply when {}",
                v.evidence.conditions.join(" and ")
            )),
            (Some(Effect::Allow), Match::Yes) => {
                if allow
                    .as_ref()
                    .is_none_or(|p| p.conditional && !v.evidence.conditional)
                {
                    allow = Some(v.evidence);
                }
            }
            _ => {
                maybe.get_or_insert(v.evidence);
            }
        }
    }
    match (allow, maybe) {
        (Some(mut e), _) => {
            e.notes = notes;
            TrustDecision::Allowed(e)
        }
        (None, Some(mut e)) => {
            e.notes = notes;
            TrustDecision::Unknown {
                why: "the trust policy names values that cannot be known statically".into(),
                evidence: Some(e),
            }
        }
        (None, None) => TrustDecision::Denied,
    }
}

pub(super) fn judge(st: &Statement, caller: &Caller) -> Verdict {
    let compiled = Compiled::of(st);
    let (am, aspan) = compiled.action_match(caller.action());
    let conditions: Vec<String> = st.conditions.iter().map(show_condition).collect();
    let mut evidence = Evidence::of_statement(st.span, compiled.sid.clone(), &conditions);
    evidence.action = aspan;
    evidence.conditional = false;
    let no = |evidence| Verdict {
        matched: Match::No,
        assumed: false,
        evidence,
    };
    if am == Match::No {
        return no(evidence);
    }
    let (pm, pspan, host) = principal(st, caller);
    evidence.principal = pspan;
    if pm == Match::No {
        return no(evidence);
    }
    let mut best: Option<(Match, bool)> = None;
    for claims in caller.claims() {
        let mut assumed = false;
        let mut failed = false;
        for c in &st.conditions {
            match condition(c, caller, &claims, host.as_deref()) {
                Outcome::Pass => {}
                Outcome::Fail => failed = true,
                Outcome::Assumed => assumed = true,
            }
        }
        if !failed {
            let cand = (am.and(pm), assumed);
            best = Some(match best {
                Some(b) if (b.0, !b.1) >= (cand.0, !cand.1) => b,
                _ => cand,
            });
        }
    }
    let Some((matched, assumed)) = best else {
        return no(evidence);
    };
    evidence.conditional = assumed;
    Verdict {
        matched,
        assumed,
        evidence,
    }
}

/// Whether the statement's principals name the caller, with the one that does and, for a
/// web-identity caller, the issuer host it names.
fn principal(
    st: &Statement,
    caller: &Caller,
) -> (Match, Option<trustmap_source::Span>, Option<String>) {
    let mut best = (Match::No, None, None);
    if st.principals.is_empty() && !st.not_principals.is_empty() {
        // NotPrincipal in a trust policy: everyone but the listed ones.
        let listed = st
            .not_principals
            .iter()
            .any(|p| one_principal(p, caller).0 == Match::Yes);
        return if listed {
            best
        } else {
            (
                Match::Yes,
                st.not_principals.first().map(|p| p.id.span),
                None,
            )
        };
    }
    for p in &st.principals {
        let (m, host) = one_principal(p, caller);
        if m > best.0 {
            best = (m, Some(p.id.span), host);
        }
    }
    best
}

fn one_principal(p: &Principal, caller: &Caller) -> (Match, Option<String>) {
    if p.kind == PrincipalKind::Unknown {
        return (Match::Maybe, None);
    }
    if let Some(want) = caller.issuer_host() {
        let Some(host) = p.oidc_host() else {
            return (Match::No, None);
        };
        return match (host.get(), want) {
            (Some(h), Some(w)) => {
                let same = h.eq_ignore_ascii_case(&w)
                    || (w == GITHUB_ISSUER && h.starts_with(&format!("{GITHUB_ISSUER}/")));
                (Match::from(same), Some(h.clone()))
            }
            (Some(h), None) => {
                // An unknown cluster issuer: any provider that is not GitHub's might be it.
                let github = h.starts_with(GITHUB_ISSUER);
                (
                    if github { Match::No } else { Match::Maybe },
                    Some(h.clone()),
                )
            }
            (None, _) => (Match::Maybe, None),
        };
    }
    if p.is_everyone() {
        return (Match::Yes, None);
    }
    let Some(id) = p.id.get() else {
        return (Match::Maybe, None);
    };
    let m = match (&p.kind, caller) {
        (PrincipalKind::Service, Caller::Service(s)) => Match::from(id.eq_ignore_ascii_case(s)),
        (PrincipalKind::Aws, Caller::Account(acct)) => {
            Match::from(account_root(id).is_some_and(|a| a == acct))
        }
        (PrincipalKind::Aws, Caller::Principal(arn)) => {
            // Trusting the account delegates to the caller's own identity policies.
            let root = account_root(id)
                .is_some_and(|a| crate::arn::account_of(arn).is_some_and(|b| a == b));
            if root {
                Match::Yes
            } else {
                glob::relate(id, arn, false)
            }
        }
        _ => Match::No,
    };
    (m, None)
}

pub(super) fn account_root(id: &str) -> Option<&str> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(id);
    }
    id.strip_prefix("arn:")?
        .split_once(":iam::")?
        .1
        .strip_suffix(":root")
}
