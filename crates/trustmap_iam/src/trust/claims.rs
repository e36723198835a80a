//! The claims a caller's token carries, and one trust-policy condition judged against them.

use trustmap_model::aws::policy::Condition;

use super::{Caller, FOREIGN_REPO};
use crate::glob;

pub(super) fn github_claims(
    repo: Option<&str>,
    git_ref: Option<&str>,
    event: Option<&str>,
    environment: Option<&str>,
) -> Vec<Vec<(&'static str, String)>> {
    let foreign = repo.is_none();
    let repo = repo.unwrap_or(FOREIGN_REPO);
    let owner = repo.split('/').next().unwrap_or(repo);
    let git_ref = git_ref.unwrap_or("*");
    let event_name = event.unwrap_or("*");
    let base = |env: Option<&str>| {
        let mut c = vec![
            ("repository", repo.to_string()),
            ("repository_owner", owner.to_string()),
            ("ref", git_ref.to_string()),
            ("event_name", event_name.to_string()),
            // The workflow chooses the audience it asks for.
            ("aud", "*".to_string()),
            // A job that calls a reusable workflow carries that workflow's path, and any
            // repository may call a public one: pinning it alone does not pin the caller.
            ("job_workflow_ref", "*".to_string()),
        ];
        if let Some(e) = env {
            c.push(("environment", e.to_string()));
        }
        c
    };
    let with_sub = |mut c: Vec<(&'static str, String)>, sub: String| {
        c.push(("sub", sub));
        c
    };
    let mut out = Vec::new();
    let env = environment.or(foreign.then_some("*"));
    if let Some(e) = env {
        out.push(with_sub(
            base(Some(e)),
            format!("repo:{repo}:environment:{e}"),
        ));
    }
    if environment.is_none() {
        if matches!(event, None | Some("pull_request")) {
            out.push(with_sub(base(None), format!("repo:{repo}:pull_request")));
        }
        if event != Some("pull_request") {
            out.push(with_sub(base(None), format!("repo:{repo}:ref:{git_ref}")));
        }
    }
    out
}

/// The outcome of one condition for one caller.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Pass,
    Fail,
    /// Not decidable here: assumed to pass, shown.
    Assumed,
}

/// `ForAnyValue:StringLikeIfExists` → (`StringLike`, if_exists, negated).
pub(super) fn parse_operator(op: &str) -> (String, bool, bool) {
    let base = op.rsplit_once(':').map_or(op, |(_, b)| b);
    let (base, if_exists) = base
        .strip_suffix("IfExists")
        .map_or((base, false), |b| (b, true));
    let negated = base.contains("Not");
    (base.replace("Not", ""), if_exists, negated)
}

pub(super) fn condition(
    c: &Condition,
    caller: &Caller,
    claims: &[(&str, String)],
    host: Option<&str>,
) -> Outcome {
    let (Some(key), Some(op)) = (c.key.get(), c.operator.get()) else {
        return Outcome::Assumed;
    };
    // Callers who are strangers cannot satisfy a condition that pins the caller.
    if matches!(caller, Caller::Anyone | Caller::AnyAwsAccount) {
        return match c.limits_callers() {
            Some(true) => Outcome::Fail,
            _ => Outcome::Assumed,
        };
    }
    // A service acts for the resource of the scan that names the role (a function, a
    // task): the confused-deputy keys are taken to name that resource.
    if matches!(caller, Caller::Service(_)) && is_source_key(key) {
        return Outcome::Pass;
    }
    if caller.issuer_host().is_none() {
        return Outcome::Assumed;
    }
    let Some((key_host, claim)) = key.rsplit_once(':') else {
        return Outcome::Assumed;
    };
    let (base, if_exists, negated) = parse_operator(op);
    if base.eq_ignore_ascii_case("Null") {
        return Outcome::Assumed;
    }
    let ours = match host {
        Some(h) => key_host.eq_ignore_ascii_case(h),
        // The principal's issuer is unknown: a claim condition is taken to be about it.
        None => true,
    };
    let value = claims
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(claim))
        .map(|(_, v)| v.as_str());
    let value = match (ours, value) {
        (true, Some(v)) => v,
        (true, None) if is_known_claim(caller, claim) => {
            // The token does not carry it (no environment): the key is absent.
            return if if_exists || negated {
                Outcome::Pass
            } else {
                Outcome::Fail
            };
        }
        (true, None) => return Outcome::Assumed,
        (false, _) => {
            return if if_exists || negated {
                Outcome::Pass
            } else {
                Outcome::Fail
            };
        }
    };
    let fold = base.ends_with("IgnoreCase");
    let like = base.eq_ignore_ascii_case("StringLike");
    let equals = base.eq_ignore_ascii_case("StringEquals")
        || base.eq_ignore_ascii_case("StringEqualsIgnoreCase");
    if !like && !equals {
        return Outcome::Assumed;
    }
    let mut unknown = false;
    let mut any_possible = false;
    let mut any_certain = false;
    for v in &c.values {
        let Some(v) = v.get() else {
            unknown = true;
            continue;
        };
        let (possible, certain) = if like {
            (glob::overlaps(v, value, fold), glob::covers(v, value, fold))
        } else {
            (
                glob::matches(value, v, fold),
                !value.contains(['*', '?']) && glob::matches(v, value, fold),
            )
        };
        any_possible |= possible;
        any_certain |= certain;
    }
    let pass = if negated {
        // The caller picks a value none of the listed ones certainly matches.
        !any_certain
    } else {
        any_possible
    };
    // A pass that rests on a value we do not know (the scanned repository's name, a job's
    // branch) is an assumption, shown; one the caller picks (an attacker's own repository,
    // any workflow's audience) is not.
    let decided = if negated { !any_possible } else { any_certain };
    let chosen = caller.chooses_free_values() || claim.eq_ignore_ascii_case("aud");
    match (pass, unknown) {
        (true, _) if decided || chosen => Outcome::Pass,
        (true, _) => Outcome::Assumed,
        (false, true) => Outcome::Assumed,
        (false, false) => Outcome::Fail,
    }
}

/// `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths`.
fn is_source_key(key: &str) -> bool {
    [
        "aws:SourceArn",
        "aws:SourceAccount",
        "aws:SourceOrgID",
        "aws:SourceOrgPaths",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(key))
}

/// Claims the caller's token would carry if they applied: their absence is known.
fn is_known_claim(caller: &Caller, claim: &str) -> bool {
    match caller {
        Caller::GithubActions { .. } => claim.eq_ignore_ascii_case("environment"),
        _ => false,
    }
}
