use std::collections::HashMap;

use trustmap_model::aws::iam::{Iam, IdentityKind, Policy};
use trustmap_model::aws::policy::{Statement, iam_match, is_any_action, is_service_wildcard};
use trustmap_model::{Model, ResourceMeta, Value};
use trustmap_source::Span;

use super::iam_policy_privilege_escalation::{RUNS_PASSED_ROLE, passes_any_role};
use super::settle_at;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A role, user or group whose policies, taken together, let it grant itself more access,
    /// where no single policy does. All the identity policies of the principal are combined:
    /// its inline policies, the customer-managed policies attached to it and, for a user,
    /// those of the groups it belongs to. Reported combinations:
    ///
    /// - `iam:PassRole` on every resource in one policy, and an action that starts compute
    ///   under a passed role (`lambda:CreateFunction`, `ec2:RunInstances`, `ecs:RunTask`,
    ///   `glue:CreateDevEndpoint`, `cloudformation:CreateStack`, ...) in another;
    /// - `iam:AttachRolePolicy` or `iam:PutRolePolicy` on the role's own ARN (and the user and
    ///   group equivalents on the user's own ARN or its groups' ARNs);
    /// - `iam:UpdateAssumeRolePolicy` on a role together with `sts:AssumeRole` on that role
    ///   (or on every role): rewrite the role's trust policy, then assume it.
    ///
    /// What one policy grants by itself is left to `iam-policy-privilege-escalation` (the
    /// same actions on every resource), `iam-policy-wildcard-action` (`iam:*`) and
    /// `iam-policy-sensitive-action-on-all-resources` (`sts:AssumeRole` on `*`), so one
    /// statement is never reported twice for the same reason. A combination a group's
    /// policies make is reported on the group, not again on each member. Resources written as
    /// references to the principal (`aws_iam_role.ci.arn`) cannot be compared and are not
    /// judged.
    ///
    /// ## Why it matters
    /// Reviewers read one policy at a time, and attackers read the principal. A CI role with
    /// a "deploy Lambda" policy and a separate "pass roles" policy can create a function that
    /// runs as the account's most powerful role and returns its credentials; a role that may
    /// put an inline policy on itself is an administrator one API call away. Each policy
    /// passes review; the identity does not.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "deploy" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "lambda:CreateFunction", Resource = "*" }]
    ///   })
    /// }
    ///
    /// resource "aws_iam_role_policy" "pass" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Scope `iam:PassRole` to the one role the deployed functions run as, for Lambda only:
    ///
    /// ```hcl
    /// resource "aws_iam_role_policy" "pass" {
    ///   role = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "iam:PassRole"
    ///       Resource  = aws_iam_role.function.arn
    ///       Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>
    /// - <https://pathfinding.cloud/>
    /// - Peer checks: Checkov `CKV_AWS_110` and `CKV_AWS_286` are narrower (one policy at a
    ///   time); Trivy `AVD-AWS-0342` is narrower (`iam:PassRole` alone, per policy).
    pub(crate) IamPrincipalPrivilegeEscalation {
        id: "AWS-IAM-010",
        name: "iam-principal-privilege-escalation",
        severity: High,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_110", "CKV_AWS_286"],
            trivy: ["AVD-AWS-0342"],
            cwe: ["CWE-269"],
        },
    }
}

/// Actions that change the permissions of the identity they are applied to.
fn self_actions(kind: IdentityKind) -> &'static [&'static str] {
    match kind {
        IdentityKind::Role => &["iam:AttachRolePolicy", "iam:PutRolePolicy"],
        IdentityKind::User => &["iam:AttachUserPolicy", "iam:PutUserPolicy"],
        IdentityKind::Group => &["iam:AttachGroupPolicy", "iam:PutGroupPolicy"],
    }
}

/// One policy of a principal, and the group it is inherited through (for users).
struct Held<'a> {
    index: usize,
    policy: &'a Policy,
    via_group: Option<usize>,
}

/// One allowed action pattern.
struct Grant<'a> {
    held: usize,
    statement: &'a Statement,
    action: &'a Value<String>,
    pattern: &'a str,
}

/// A principal: kind, position, meta and name.
struct Principal<'a> {
    kind: IdentityKind,
    index: usize,
    meta: &'a ResourceMeta,
    name: &'a Value<String>,
}

fn principals(iam: &Iam) -> impl Iterator<Item = Principal<'_>> {
    let roles = iam.roles.iter().enumerate().map(|(index, r)| Principal {
        kind: IdentityKind::Role,
        index,
        meta: &r.meta,
        name: &r.name,
    });
    let users = iam.users.iter().enumerate().map(|(index, u)| Principal {
        kind: IdentityKind::User,
        index,
        meta: &u.meta,
        name: &u.name,
    });
    let groups = iam.groups.iter().enumerate().map(|(index, g)| Principal {
        kind: IdentityKind::Group,
        index,
        meta: &g.meta,
        name: &g.name,
    });
    roles.chain(users).chain(groups)
}

/// For every identity, the policies it holds directly and whether some cannot be read;
/// and for every user, the groups it belongs to (and whether a membership is unresolved).
#[derive(Default)]
struct Holdings {
    direct: HashMap<(IdentityKind, usize), (Vec<usize>, bool)>,
    groups_of: HashMap<usize, (Vec<usize>, bool)>,
}

impl Holdings {
    /// One pass over policies, attachments and memberships.
    fn new(iam: &Iam) -> Self {
        let mut h = Holdings::default();
        for (i, p) in iam.policies.iter().enumerate() {
            if let Some(o) = &p.owner
                && let Some(t) = o.link.target
            {
                h.direct.entry((o.kind, t)).or_default().0.push(i);
            }
        }
        for a in &iam.attachments {
            let Some(t) = a.to.link.target else {
                continue;
            };
            let entry = h.direct.entry((a.to.kind, t)).or_default();
            match a.policy {
                Some(p) => entry.0.push(p),
                // AWS-managed policies are judged by name elsewhere; others are unknown here.
                None if a.aws_managed_name().is_some() => {}
                None => entry.1 = true,
            }
        }
        for m in &iam.memberships {
            let Some(u) = m.user.target else {
                continue;
            };
            let entry = h.groups_of.entry(u).or_default();
            match m.group.target {
                Some(g) => entry.0.push(g),
                None => entry.1 = true,
            }
        }
        h
    }

    fn direct(&self, kind: IdentityKind, index: usize) -> (&[usize], bool) {
        self.direct
            .get(&(kind, index))
            .map_or((&[][..], false), |(v, u)| (v.as_slice(), *u))
    }
}

/// The policies a principal holds, directly and (for a user) through its groups, the
/// user's groups, and whether some policy cannot be known.
fn held<'a>(
    iam: &'a Iam,
    holdings: &Holdings,
    p: &Principal<'_>,
) -> (Vec<Held<'a>>, Vec<usize>, bool) {
    let (own, mut unknown) = holdings.direct(p.kind, p.index);
    let policy = |index: usize, via_group| {
        iam.policies.get(index).map(|policy| Held {
            index,
            policy,
            via_group,
        })
    };
    let mut out: Vec<Held<'a>> = own.iter().filter_map(|&i| policy(i, None)).collect();
    let mut groups = Vec::new();
    if p.kind == IdentityKind::User
        && let Some((gs, u)) = holdings.groups_of.get(&p.index)
    {
        unknown |= *u;
        for &g in gs {
            groups.push(g);
            let (theirs, u) = holdings.direct(IdentityKind::Group, g);
            unknown |= u;
            out.extend(theirs.iter().filter_map(|&i| policy(i, Some(g))));
        }
    }
    // The same managed policy attached twice is one policy.
    out.sort_by_key(|h| (h.index, h.via_group));
    out.dedup_by_key(|h| h.index);
    (out, groups, unknown)
}

/// Whether an ARN pattern names `suffix` (`role/ci`) in IAM, whatever the account.
fn names(resource: &str, suffix: &str) -> bool {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let [arn, _partition, service, _region, _account, rest] = parts.as_slice() else {
        return false;
    };
    *arn == "arn" && iam_match(service, "iam") && iam_match(rest, suffix)
}

/// Two resource patterns that can name the same role.
fn overlaps(a: &str, b: &str) -> bool {
    a == "*" || b == "*" || iam_match(a, b) || iam_match(b, a)
}

impl Rule for IamPrincipalPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let iam = &model.aws.iam;
        let holdings = Holdings::new(iam);
        for p in principals(iam) {
            let (held, groups, mut unknown) = held(iam, &holdings, &p);
            let mut grants = Vec::new();
            let mut passes = vec![false; held.len()];
            for (h, policy) in held.iter().enumerate() {
                let Some(doc) = policy.policy.document.get() else {
                    unknown = true;
                    continue;
                };
                match passes_any_role(doc) {
                    Some(yes) => passes[h] = yes,
                    None => unknown = true,
                }
                for statement in doc.allows() {
                    for action in &statement.actions {
                        if let Some(pattern) = action.get() {
                            grants.push(Grant {
                                held: h,
                                statement,
                                action,
                                pattern,
                            });
                        }
                    }
                }
            }
            let ctx = Ctx {
                model,
                principal: &p,
                held: &held,
            };
            let mut found = ctx.pass_role_combinations(&grants, &passes, out);
            found |= ctx.self_modification(&grants, &groups, out, &mut unknown);
            found |= ctx.trust_takeover(&grants, out);
            settle_at(out, p.meta.span, found, unknown);
        }
    }
}

struct Ctx<'a> {
    model: &'a Model,
    principal: &'a Principal<'a>,
    held: &'a [Held<'a>],
}

impl Ctx<'_> {
    /// Both parts come through the same group: the group's own finding covers them.
    fn same_group(&self, a: usize, b: usize) -> bool {
        let (ga, gb) = (self.held[a].via_group, self.held[b].via_group);
        ga.is_some() && ga == gb
    }

    /// `aws_iam_role_policy.deploy`, or `an inline policy of `aws_iam_role.ci`` for an
    /// `inline_policy` block (whose resource is the role itself), noting the group a user
    /// holds it through.
    fn describe(&self, h: usize) -> String {
        let held = &self.held[h];
        let policy = held.policy;
        let owner = policy
            .owner
            .as_ref()
            .and_then(|o| self.model.aws.iam.identity(o));
        let name = match owner {
            Some(o) if o.address == policy.meta.address => {
                format!("an inline policy of `{}`", o.address)
            }
            _ => format!("`{}`", policy.meta.address),
        };
        match held
            .via_group
            .and_then(|g| self.model.aws.iam.groups.get(g))
        {
            Some(g) => format!("{name} (through group `{}`)", g.meta.address),
            None => name,
        }
    }

    fn who(&self) -> String {
        format!(
            "{} `{}`",
            self.principal.kind.as_str(),
            self.principal.meta.address
        )
    }

    fn report(&self, out: &mut Sink, grant: &Grant<'_>, message: String, related: (Span, String)) {
        out.report(
            self.principal.meta,
            grant.action.span,
            &grant.action.via,
            message,
        )
        .related
        .push(crate::Related {
            span: related.0,
            note: related.1,
        });
    }

    /// `iam:PassRole` on `*` in one policy, compute in another.
    fn pass_role_combinations(
        &self,
        grants: &[Grant<'_>],
        passes: &[bool],
        out: &mut Sink,
    ) -> bool {
        let mut found = false;
        for g in grants {
            if passes[g.held] || is_any_action(g.pattern) {
                continue;
            }
            let Some(compute) = RUNS_PASSED_ROLE.iter().find(|a| iam_match(g.pattern, a)) else {
                continue;
            };
            let pass = grants.iter().find(|o| {
                o.held != g.held
                    && passes[o.held]
                    && !self.same_group(o.held, g.held)
                    && o.statement.all_resources().is_some()
                    && iam_match(o.pattern, "iam:PassRole")
            });
            let Some(pass) = pass else {
                continue;
            };
            let which = if g.pattern.eq_ignore_ascii_case(compute) {
                String::new()
            } else {
                format!(" (`{compute}`)")
            };
            let message = format!(
                "{} can run code as any role: `{}`{which} from {} combined with `{}` on every resource from {}",
                self.who(),
                g.pattern,
                self.describe(g.held),
                pass.pattern,
                self.describe(pass.held),
            );
            self.report(
                out,
                g,
                message,
                (
                    pass.action.span,
                    "`iam:PassRole` on every resource".to_string(),
                ),
            );
            found = true;
        }
        found
    }

    /// Permission-changing actions on the principal's own ARN (or, for a user, its groups').
    fn self_modification(
        &self,
        grants: &[Grant<'_>],
        groups: &[usize],
        out: &mut Sink,
        unknown: &mut bool,
    ) -> bool {
        let iam = &self.model.aws.iam;
        let p = self.principal;
        // (suffix naming the identity, actions that change it, group inherited through)
        let mut targets: Vec<(Option<String>, &[&str], Option<usize>)> = vec![(
            p.name.get().map(|n| format!("{}/{n}", p.kind.as_str())),
            self_actions(p.kind),
            None,
        )];
        for &g in groups {
            let name = iam.groups.get(g).and_then(|gr| gr.name.get());
            targets.push((
                name.map(|n| format!("group/{n}")),
                self_actions(IdentityKind::Group),
                Some(g),
            ));
        }
        let mut found = false;
        for g in grants {
            if is_service_wildcard(g.pattern) {
                continue;
            }
            for (suffix, actions, group) in &targets {
                let Some(action) = actions.iter().find(|a| iam_match(g.pattern, a)) else {
                    continue;
                };
                // The group's own finding covers what its policies say about it.
                if group.is_some() && self.held[g.held].via_group == *group {
                    continue;
                }
                let Some(suffix) = suffix else {
                    *unknown = true;
                    continue;
                };
                let own = g
                    .statement
                    .resources
                    .iter()
                    .find(|r| r.is(|s| s != "*" && names(s, suffix)));
                let Some(own) = own else {
                    *unknown |= g.statement.has_unknown_resources();
                    continue;
                };
                let whose = if group.is_some() {
                    format!("its group's ARN `{}`", own.get().map_or("", String::as_str))
                } else {
                    format!("its own ARN `{}`", own.get().map_or("", String::as_str))
                };
                let message = format!(
                    "{} can grant itself any permission: `{}`{} from {} applies to {whose}",
                    self.who(),
                    g.pattern,
                    if g.pattern.eq_ignore_ascii_case(action) {
                        String::new()
                    } else {
                        format!(" (`{action}`)")
                    },
                    self.describe(g.held),
                );
                self.report(out, g, message, (own.span, "its own identity".to_string()));
                found = true;
                break;
            }
        }
        found
    }

    /// `iam:UpdateAssumeRolePolicy` on some role and `sts:AssumeRole` on it.
    fn trust_takeover(&self, grants: &[Grant<'_>], out: &mut Sink) -> bool {
        let mut found = false;
        for g in grants {
            if is_service_wildcard(g.pattern) || !iam_match(g.pattern, "iam:UpdateAssumeRolePolicy")
            {
                continue;
            }
            // On every resource, `iam-policy-privilege-escalation` reports it alone.
            if g.statement.all_resources().is_some() {
                continue;
            }
            let roles: Vec<&str> = g
                .statement
                .resources
                .iter()
                .filter_map(|r| r.get().map(String::as_str))
                .collect();
            let assume = grants.iter().find_map(|o| {
                if !iam_match(o.pattern, "sts:AssumeRole") || self.same_group(o.held, g.held) {
                    return None;
                }
                let role = roles.iter().find(|role| {
                    o.statement
                        .resources
                        .iter()
                        .any(|r| r.is(|s| overlaps(s, role)))
                })?;
                Some((o, *role))
            });
            let Some((assume, role)) = assume else {
                continue;
            };
            let message = format!(
                "{} can take over role `{role}`: `{}` from {} rewrites its trust policy and `{}` from {} assumes it",
                self.who(),
                g.pattern,
                self.describe(g.held),
                assume.pattern,
                self.describe(assume.held),
            );
            self.report(
                out,
                g,
                message,
                (
                    assume.action.span,
                    "`sts:AssumeRole` on the same role".to_string(),
                ),
            );
            found = true;
        }
        found
    }
}
