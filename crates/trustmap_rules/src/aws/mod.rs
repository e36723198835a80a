//! AWS rules, over the AWS model (Terraform today; CloudFormation adapts into the same model).
//!
//! Split resources are already joined by the adapter, and every policy is a typed
//! [`PolicyDocument`](trustmap_model::aws::policy::PolicyDocument), so a rule reads one list
//! and covers inline blocks, separate resources, `jsonencode` and `aws_iam_policy_document`.

mod apigw;
mod cloudtrail;
mod ec2;
mod ecr;
mod ecs;
mod eks;
mod iam;
mod kms;
mod lambda;
mod rds;
mod s3;
mod secretsmanager;
mod sns;
mod sqs;

pub(crate) use apigw::*;
pub(crate) use cloudtrail::*;
pub(crate) use ec2::*;
pub(crate) use ecr::*;
pub(crate) use ecs::*;
pub(crate) use eks::*;
pub(crate) use iam::*;
pub(crate) use kms::*;
pub(crate) use lambda::*;
pub(crate) use rds::*;
pub(crate) use s3::*;
pub(crate) use secretsmanager::*;
pub(crate) use sns::*;
pub(crate) use sqs::*;

use trustmap_model::aws::Link;
use trustmap_model::aws::iam::{Iam, IdentityLink};
use trustmap_model::aws::policy::{PolicyDocument, Principal, PublicGrant};
use trustmap_model::{ResourceMeta, Value};

use crate::{Severity, Sink};

/// The address of a linked object when the scan defines it, else what the source names.
fn label<'a>(link: &'a Link, address_of: impl Fn(usize) -> Option<&'a str>) -> &'a str {
    link.target
        .and_then(address_of)
        .unwrap_or_else(|| link.label())
}

fn bucket_label<'a>(model: &'a trustmap_model::Model, link: &'a Link) -> &'a str {
    label(link, |i| {
        model.aws.s3.buckets.get(i).map(|b| b.meta.address.as_str())
    })
}

fn function_label<'a>(model: &'a trustmap_model::Model, link: &'a Link) -> &'a str {
    label(link, |i| {
        model
            .aws
            .lambda
            .functions
            .get(i)
            .map(|f| f.meta.address.as_str())
    })
}

fn identity_label<'a>(iam: &'a Iam, to: &'a IdentityLink) -> &'a str {
    iam.identity(to)
        .map_or_else(|| to.link.label(), |m| m.address.as_str())
}

/// `a`, `a` and `b`, `a`, `b` and `c`: a short list for messages, each item in backticks.
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Who a statement's "anyone" principal is, for messages.
fn anyone(p: &Principal) -> &'static str {
    if p.is_everyone() {
        "any principal (`*`)"
    } else {
        "any principal not excluded by `NotPrincipal`"
    }
}

/// Records the outcome of one target: pass when nothing was found and nothing was unknown.
fn settle(out: &mut Sink, at: trustmap_source::Span, found: bool, unknown: bool) {
    if !found {
        if unknown {
            out.unknown()
        } else {
            out.pass_at(at)
        }
    }
}

/// A resource-based policy to judge for grants to anyone, and what it governs.
struct PolicyOn<'a> {
    /// What the policy is attached to, as a noun: `bucket`, `queue`, `key`, ...
    noun: &'static str,
    /// The resource that declares the policy.
    meta: &'a ResourceMeta,
    document: &'a Value<PolicyDocument>,
    /// The governed resource's address (or name, when outside the scan).
    target: &'a str,
}

/// Reports every statement of a resource policy that lets anyone in with no condition
/// limiting the caller ([`PolicyDocument::public_grants`]), at the `*` principal, with the
/// severity `severity` gives it. The policy counts as one target.
fn report_public_grants(
    p: PolicyOn<'_>,
    out: &mut Sink,
    severity: impl Fn(&PublicGrant<'_>) -> Severity,
) {
    let Some(doc) = p.document.get() else {
        out.unknown();
        return;
    };
    let public = doc.public_grants();
    for grant in &public.grants {
        let actions = grant.known_actions();
        let what = if actions.is_empty() {
            "access".to_string()
        } else {
            list(&actions)
        };
        let f = out.report(
            p.meta,
            grant.principal.id.span,
            &grant.principal.id.via,
            format!(
                "{noun} policy allows {what} on {noun} `{target}` to {who} with no condition limiting the caller",
                noun = p.noun,
                target = p.target,
                who = anyone(grant.principal),
            ),
        );
        f.severity = severity(grant);
    }
    settle(
        out,
        p.meta.span,
        !public.grants.is_empty(),
        public.undecided,
    );
}

/// Judges each resource policy of one service for grants to anyone
/// ([`report_public_grants`]): critical when a grant may allow any of `critical`, else high.
fn report_public_policies<'a>(
    policies: impl IntoIterator<Item = PolicyOn<'a>>,
    out: &mut Sink,
    critical: &[&str],
) {
    for on in policies {
        report_public_grants(on, out, |g| {
            if grants_any(g, critical) {
                Severity::Critical
            } else {
                Severity::High
            }
        });
    }
}

/// Whether a public grant may allow any of `actions` (see [`PublicGrant::may_grant`]).
fn grants_any(grant: &PublicGrant<'_>, actions: &[&str]) -> bool {
    actions.iter().any(|a| grant.may_grant(a))
}
