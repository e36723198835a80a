//! Resource-based policies (bucket, queue, topic, key, secret, repository policies): the
//! statements that name a given requester, evaluated like identity policies.
//!
//! An `Allow` that names an account (`123456789012`, `arn:aws:iam::123456789012:root`)
//! delegates to that account's identity policies: it grants nothing to one principal of the
//! account by itself, so it only matches [`Requester::Account`]. A `Deny` that names the
//! account applies to every principal in it.

use serde::Serialize;
use trustmap_model::aws::policy::{Effect, PolicyDocument, Principal, PrincipalKind};

use super::Evaluated;
use super::statement::Compiled;
use crate::arn;
use crate::glob::{self, Match};

/// Who is asking a resource policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Requester {
    /// Anyone on the internet, signed by any account or not at all.
    Anyone,
    /// A role or user, by ARN (unknown parts written `*`).
    Principal(String),
    /// Every principal of an account the account's identity policies let through.
    Account(String),
    /// An AWS service principal (`events.amazonaws.com`).
    Service(String),
}

/// The account a `Principal` AWS element names as a whole, if it does.
fn account_root(id: &str) -> Option<&str> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(id);
    }
    let rest = id.strip_prefix("arn:")?;
    let (_, rest) = rest.split_once(":iam::")?;
    rest.strip_suffix(":root")
}

/// Whether a `Principal` element names the requester, for a statement of `effect`.
pub(crate) fn principal_match(p: &Principal, who: &Requester, effect: Option<Effect>) -> Match {
    if p.is_everyone() {
        return Match::Yes;
    }
    let Some(id) = p.id.get() else {
        return if p.kind == PrincipalKind::Unknown || p.kind == PrincipalKind::Aws {
            Match::Maybe
        } else {
            Match::No
        };
    };
    match (&p.kind, who) {
        (PrincipalKind::Unknown, _) => Match::Maybe,
        (PrincipalKind::Service, Requester::Service(s)) => Match::from(id.eq_ignore_ascii_case(s)),
        (PrincipalKind::Aws, Requester::Account(acct)) => match account_root(id) {
            Some(a) => glob::relate(a, acct, false),
            None => Match::No,
        },
        (PrincipalKind::Aws, Requester::Principal(arn_)) => {
            if let Some(a) = account_root(id) {
                return match (effect, arn::account_of(arn_)) {
                    (Some(Effect::Deny), Some(acct)) => glob::relate(a, acct, false),
                    _ => Match::No,
                };
            }
            // Principals are not wildcards in IAM, but an unknown requester part is.
            glob::relate(id, arn_, false).max(if glob::overlaps(id, arn_, false) {
                Match::Maybe
            } else {
                Match::No
            })
        }
        _ => Match::No,
    }
}

/// The statements of a resource policy that apply to `who` (a `NotPrincipal` statement
/// applies to everyone it does not list). Statements that only *may* name the requester
/// (an unknown principal) are kept with a shown condition, so they allow conditionally and
/// never deny.
pub fn resource_policy(doc: &PolicyDocument, who: &Requester) -> Evaluated {
    let mut e = Evaluated {
        implicit_resource: true,
        ..Evaluated::default()
    };
    for st in &doc.statements {
        let effect = st.effect.get().copied();
        let m = if st.principals.is_empty() && !st.not_principals.is_empty() {
            !st.not_principals
                .iter()
                .map(|p| principal_match(p, who, effect))
                .max()
                .unwrap_or(Match::No)
        } else {
            st.principals
                .iter()
                .map(|p| principal_match(p, who, effect))
                .max()
                .unwrap_or(Match::No)
        };
        if m == Match::No {
            continue;
        }
        let mut c = Compiled::of(st);
        if m == Match::Maybe {
            c.conditions
                .push("Principal (cannot be known statically) names the requester".to_string());
        }
        e.statements.push(c);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_roots() {
        assert_eq!(account_root("123456789012"), Some("123456789012"));
        assert_eq!(
            account_root("arn:aws:iam::123456789012:root"),
            Some("123456789012")
        );
        assert_eq!(account_root("arn:aws:iam::123456789012:role/x"), None);
    }
}
