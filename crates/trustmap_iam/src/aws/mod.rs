//! AWS identity and resource policy evaluation, after the AWS documentation's "Policy
//! evaluation logic":
//!
//! 1. an explicit `Deny` that applies wins;
//! 2. otherwise an `Allow` that applies is needed;
//! 3. otherwise the request is implicitly denied ([`Decision::NotAllowed`]).
//!
//! `Action`/`NotAction` patterns match case-insensitively with `*` and `?`; `Resource`/
//! `NotResource` match ARNs part by part ([`crate::arn::relate`]). Conditions are not
//! evaluated against a request we cannot see, and are treated *conservatively for an
//! attacker's reach*:
//!
//! - an `Allow` with conditions still allows, marked [`Evidence::conditional`] with the
//!   conditions shown, so a path through it is reported with what would stop it;
//! - a `Deny` with conditions is **not** assumed to apply (it might not, for the attacker's
//!   request); it is listed in [`Evidence::notes`] of the allow it might cancel.
//!
//! Anything that cannot be known (an unknown action, resource or effect, a policy ARN the
//! scan does not define, a `${aws:username}` variable) gives [`Decision::Unknown`], never a
//! silent "denied".

mod identity;
mod managed;
mod resource;
pub(crate) mod statement;

use std::collections::BTreeSet;

use serde::Serialize;
use trustmap_model::aws::policy::{Effect, PolicyDocument};
use trustmap_source::Span;

pub use identity::for_identity;
pub use managed::{managed_policy, managed_policy_names};
pub use resource::{Requester, resource_policy};

use crate::catalogue::{Access, catalogue};
use crate::evidence::Evidence;
use crate::glob::Match;
use statement::Compiled;

/// The answer for one action on one resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Decision {
    /// Allowed by this statement (look at [`Evidence::conditional`]).
    Allow(Evidence),
    /// Explicitly denied by this unconditional statement.
    Deny(Evidence),
    /// No statement allows it: implicitly denied.
    NotAllowed,
    /// It depends on something unknown; `evidence` is the statement that might allow it,
    /// when there is one.
    Unknown {
        /// Why it cannot be decided.
        why: String,
        /// The statement that might allow it.
        evidence: Option<Evidence>,
    },
}

impl Decision {
    /// Known to be allowed (possibly under conditions).
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }

    /// Allowed, or unknown: what an attack-path search should follow.
    pub fn may_allow(&self) -> bool {
        matches!(self, Decision::Allow(_) | Decision::Unknown { .. })
    }

    /// The statement behind the answer.
    pub fn evidence(&self) -> Option<&Evidence> {
        match self {
            Decision::Allow(e) | Decision::Deny(e) => Some(e),
            Decision::Unknown { evidence, .. } => evidence.as_ref(),
            Decision::NotAllowed => None,
        }
    }
}

/// A resource to ask about: its ARN, and the ARNs of the parts an action may act on
/// (an S3 bucket `arn:aws:s3:::b` and its objects `arn:aws:s3:::b/*`). Unknown parts are
/// written `*` (`arn:aws:secretsmanager:*:*:secret:db-*` when only the name is known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The resource's ARN.
    pub arn: String,
    /// ARNs of its parts (`arn:aws:s3:::b/*` for a bucket's objects).
    pub sub_arns: Vec<String>,
}

impl Target {
    /// A target with no sub-resources.
    pub fn new(arn: impl Into<String>) -> Target {
        Target {
            arn: arn.into(),
            sub_arns: Vec::new(),
        }
    }

    /// An S3 bucket and its objects.
    pub fn s3_bucket(name: &str) -> Target {
        Target {
            arn: format!("arn:aws:s3:::{name}"),
            sub_arns: vec![format!("arn:aws:s3:::{name}/*")],
        }
    }

    /// The service prefix of the ARN (`s3`).
    pub fn service(&self) -> Option<&str> {
        crate::arn::service_of(&self.arn)
    }

    fn arns(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.arn.as_str()).chain(self.sub_arns.iter().map(String::as_str))
    }
}

/// The actions of one access level allowed on a target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allowed {
    /// The AWS access level of these actions.
    pub access: Access,
    /// `s3:GetObject`, ... (catalogue names), sorted.
    pub actions: Vec<String>,
    /// The statement of the first action (an unconditional one when there is one).
    pub evidence: Evidence,
    /// Every action here is allowed only under conditions (shown in `evidence`).
    pub conditional: bool,
    /// The actions here are not known to be allowed: they depend on an unknown value
    /// (the reason). `None` when they are allowed.
    pub unknown: Option<String>,
}

/// One `Allow` statement as written, for what the scan does not define (the blast radius of
/// an identity over resources outside the scan).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grant {
    /// Known action patterns; with `not_actions`, the ones excluded.
    pub actions: Vec<String>,
    /// `actions` lists what is *not* granted (`NotAction`).
    pub not_actions: bool,
    /// Known resource patterns; with `not_resources`, the ones excluded.
    pub resources: Vec<String>,
    /// `resources` lists what is *not* covered (`NotResource`).
    pub not_resources: bool,
    /// Some element is unknown.
    pub unknown: bool,
    /// The statement.
    pub evidence: Evidence,
}

impl Grant {
    /// The access levels the statement's actions reach, from the catalogue.
    pub fn access_levels(&self) -> BTreeSet<Access> {
        let cat = catalogue();
        if self.not_actions {
            return cat
                .services()
                .flat_map(|s| s.actions.iter())
                .filter(|a| !self.actions.iter().any(|p| a.matches(p)))
                .map(|a| a.access)
                .collect();
        }
        self.actions
            .iter()
            .flat_map(|p| cat.expand(p))
            .map(|a| a.access)
            .collect()
    }
}

/// A policy that could not be read: an attached ARN the scan does not define, an unknown
/// document. Decisions that would otherwise be [`Decision::NotAllowed`] become unknown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownPolicy {
    /// Where the policy is attached or named.
    pub span: Span,
    /// Why it cannot be read.
    pub why: String,
}

/// The combined policies of one principal (or one resource policy for one requester),
/// compiled once for many decisions.
#[derive(Clone, Debug, Default)]
pub struct Evaluated {
    statements: Vec<Compiled>,
    unknown: Vec<UnknownPolicy>,
    /// A statement without `Resource` applies to the policy's own resource (resource and
    /// trust policies).
    implicit_resource: bool,
}

/// Compiles identity policy documents (inline, attached and group policies of one
/// principal, in any order).
pub fn evaluate<'a>(docs: impl IntoIterator<Item = &'a PolicyDocument>) -> Evaluated {
    let mut e = Evaluated::default();
    for doc in docs {
        e.add(doc);
    }
    e
}

/// Actions that let a principal raise its own privileges alone (given on every resource):
/// from the IAM documentation of each action and the well-known escalation catalogues.
const ESCALATION_ACTIONS: &[&str] = &[
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AddUserToGroup",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:UpdateAssumeRolePolicy",
    "iam:PassRole",
    "sts:AssumeRole",
];

/// An action on every resource that escalates privileges.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Escalation {
    /// The action (`iam:CreatePolicyVersion`).
    pub action: &'static str,
    /// The statement that allows it on every resource.
    pub evidence: Evidence,
}

impl Evaluated {
    /// Adds one document's statements.
    pub fn add(&mut self, doc: &PolicyDocument) {
        self.statements
            .extend(doc.statements.iter().map(Compiled::of));
    }

    /// Records a policy that could not be read.
    pub fn add_unknown(&mut self, span: Span, why: impl Into<String>) {
        self.unknown.push(UnknownPolicy {
            span,
            why: why.into(),
        });
    }

    /// Policies that could not be read.
    pub fn unknown_policies(&self) -> &[UnknownPolicy] {
        &self.unknown
    }

    /// No statement and no unknown policy: the principal can do nothing.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty() && self.unknown.is_empty()
    }

    /// Whether `action` (`s3:GetObject`) on `resource_arn` (unknown parts written `*`) is
    /// allowed.
    pub fn decide(&self, action: &str, resource_arn: &str) -> Decision {
        let target = crate::arn::Parsed::new(resource_arn);
        self.decide_among(self.statements.iter(), action, &target)
    }

    fn decide_among<'s>(
        &'s self,
        statements: impl Iterator<Item = &'s Compiled>,
        action: &str,
        resource_arn: &crate::arn::Parsed<'_>,
    ) -> Decision {
        let mut notes = Vec::new();
        let mut allow: Option<Evidence> = None;
        let mut maybe: Option<(String, Evidence)> = None;
        for st in statements {
            let Some(a) = st.applies(action, resource_arn, self.implicit_resource) else {
                continue;
            };
            match (st.effect, a.matched) {
                (_, Match::No) => {}
                (Some(Effect::Deny), Match::Yes) if !st.has_conditions() => {
                    return Decision::Deny(a.evidence);
                }
                (Some(Effect::Deny), _) => notes.push(format!(
                    "a Deny statement{} may also apply{}",
                    sid_text(&st.sid),
                    if st.has_conditions() {
                        format!(" when {}", st.conditions.join(" and "))
                    } else {
                        " (it names unknown values)".to_string()
                    }
                )),
                (Some(Effect::Allow), Match::Yes) => {
                    let better = allow
                        .as_ref()
                        .is_none_or(|prev| prev.conditional && !a.evidence.conditional);
                    if better {
                        allow = Some(a.evidence);
                    }
                }
                (Some(Effect::Allow), Match::Maybe) => {
                    maybe.get_or_insert_with(|| {
                        (
                            "the statement names values that cannot be known statically".into(),
                            a.evidence,
                        )
                    });
                }
                (None, _) => {
                    maybe.get_or_insert_with(|| {
                        (
                            "the statement's effect cannot be known statically".into(),
                            a.evidence,
                        )
                    });
                }
            }
        }
        if let Some(mut e) = allow {
            if !catalogue().knows_service(action) {
                notes.push(format!(
                    "the service of `{action}` is not in the bundled AWS action catalogue"
                ));
            }
            e.notes = notes;
            return Decision::Allow(e);
        }
        if let Some((why, mut e)) = maybe {
            e.notes = notes;
            return Decision::Unknown {
                why,
                evidence: Some(e),
            };
        }
        if let Some(u) = self.unknown.first() {
            return Decision::Unknown {
                why: u.why.clone(),
                evidence: None,
            };
        }
        Decision::NotAllowed
    }

    /// What the principal may do to `target`, per access level: only the catalogued actions
    /// that act on a resource type the target's ARNs can be of.
    pub fn access_to(&self, target: &Target) -> Vec<Allowed> {
        let Some(service) = target.service() else {
            return Vec::new();
        };
        // Cheap first: most principals have no statement on most resources. Only the
        // statements that may name the service and the target are decided per action.
        let names_service =
            |st: &Compiled| st.effect != Some(Effect::Deny) && st.may_name_service(service);
        if self.unknown.is_empty() && !self.statements.iter().any(names_service) {
            return Vec::new();
        }
        let Some(svc) = catalogue().service(service) else {
            return Vec::new();
        };
        let arns: Vec<crate::arn::Parsed<'_>> =
            target.arns().map(crate::arn::Parsed::new).collect();
        let relevant = |st: &&Compiled| {
            st.may_name_service(svc.prefix)
                && arns
                    .iter()
                    .any(|arn| st.resource_match(arn, self.implicit_resource).0 != Match::No)
        };
        let touches = self
            .statements
            .iter()
            .filter(|st| st.effect != Some(Effect::Deny))
            .any(|st| relevant(&st));
        if !touches && self.unknown.is_empty() {
            return Vec::new();
        }
        let relevant: Vec<&Compiled> = self.statements.iter().filter(relevant).collect();
        let arn_types: Vec<(&crate::arn::Parsed<'_>, Vec<u16>)> = target
            .arns()
            .zip(&arns)
            .map(|(text, parsed)| (parsed, svc.types_of(text)))
            .collect();
        let mut groups: Vec<Allowed> = Vec::new();
        for action in &svc.actions {
            let name = action.full_name();
            let mut best: Option<Decision> = None;
            for (arn, types) in &arn_types {
                if !action.resource_types.iter().any(|(t, _)| types.contains(t)) {
                    continue;
                }
                let d = self.decide_among(relevant.iter().copied(), &name, arn);
                let rank = |d: &Decision| match d {
                    Decision::Allow(e) if !e.conditional => 3,
                    Decision::Allow(_) => 2,
                    Decision::Unknown { .. } => 1,
                    _ => 0,
                };
                if best.as_ref().is_none_or(|b| rank(&d) > rank(b)) {
                    best = Some(d);
                }
            }
            let (evidence, conditional, unknown) = match best {
                Some(Decision::Allow(e)) => {
                    let c = e.conditional;
                    (e, c, None)
                }
                Some(Decision::Unknown { why, evidence }) => {
                    (evidence.unwrap_or_default(), false, Some(why))
                }
                _ => continue,
            };
            match groups.iter_mut().find(|g| {
                g.access == action.access && g.conditional == conditional && g.unknown == unknown
            }) {
                Some(g) => g.actions.push(name),
                None => groups.push(Allowed {
                    access: action.access,
                    actions: vec![name],
                    evidence,
                    conditional,
                    unknown,
                }),
            }
        }
        for g in &mut groups {
            g.actions.sort();
        }
        groups.sort_by(|a, b| {
            (a.access, a.unknown.is_some(), a.conditional).cmp(&(
                b.access,
                b.unknown.is_some(),
                b.conditional,
            ))
        });
        groups
    }

    /// Every action on every resource (`*` or `*:*` on `*`), not cancelled by an
    /// unconditional `Deny`: an administrator.
    pub fn is_admin(&self) -> Option<Evidence> {
        let st = self.statements.iter().find(|st| {
            st.effect == Some(Effect::Allow)
                && !st.actions.negated
                && st.actions.items.iter().any(|e| {
                    e.pattern
                        .as_deref()
                        .is_some_and(trustmap_model::aws::policy::is_any_action)
                })
                && !st.resources.negated
                && st
                    .resources
                    .items
                    .iter()
                    .any(|e| e.pattern.as_deref().is_some_and(crate::glob::is_all_star))
        })?;
        // An admin is one who can rewrite permissions: a Deny on that removes the title.
        match self.decide("iam:PutRolePolicy", "arn:aws:iam::*:role/*") {
            Decision::Allow(mut e) => {
                e.statement = st.span;
                Some(e)
            }
            _ => None,
        }
    }

    /// Actions on every resource that let the principal raise its own privileges.
    pub fn escalations(&self) -> Vec<Escalation> {
        ESCALATION_ACTIONS
            .iter()
            .filter_map(|&action| match self.decide(action, "*") {
                Decision::Allow(evidence) => Some(Escalation { action, evidence }),
                _ => None,
            })
            .collect()
    }

    /// Every `Allow` statement as written.
    pub fn grants(&self) -> Vec<Grant> {
        self.statements
            .iter()
            .filter(|st| st.effect == Some(Effect::Allow))
            .map(|st| {
                let known = |items: &[statement::Elem]| {
                    items
                        .iter()
                        .filter_map(|e| e.pattern.clone())
                        .collect::<Vec<_>>()
                };
                let unknown = st
                    .actions
                    .items
                    .iter()
                    .chain(&st.resources.items)
                    .any(|e| e.pattern.is_none());
                Grant {
                    actions: known(&st.actions.items),
                    not_actions: st.actions.negated,
                    resources: known(&st.resources.items),
                    not_resources: st.resources.negated,
                    unknown,
                    evidence: Evidence::of_statement(st.span, st.sid.clone(), &st.conditions),
                }
            })
            .collect()
    }
}

fn sid_text(sid: &Option<String>) -> String {
    sid.as_ref()
        .map(|s| format!(" (`{s}`)"))
        .unwrap_or_default()
}
