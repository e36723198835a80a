//! AWS permissions and trust, decided by `trustmap_iam`: which identity reads, writes or
//! administers which data store, which is account administrator or can escalate to it,
//! and who (any AWS account, any GitHub repository, another role) can assume each role.
//!
//! An access edge needs the catalogue's actions to be known to be allowed on the data's
//! ARN: an answer that depends on an unknown value (a `Resource` that is a computed
//! reference) gives no edge, as rules treat unknown values; conditions that were assumed
//! to hold are kept on the edge and lower the path's severity.

use trustmap_iam::aws::{Requester, for_identity, resource_policy};
use trustmap_iam::{Access as IamAccess, Decision, Evaluated, Evidence, Target, Who};
use trustmap_model::Model;
use trustmap_model::aws::iam::{Iam, IdentityKind};
use trustmap_model::aws::policy::{Effect, PolicyDocument, Statement, iam_match};

use super::aws::{AwsNodes, DataService};
use super::{Builder, Synthetic};
use crate::graph::NodeId;
use crate::joins::GHA_ROLE_TO_ASSUME;
use crate::types::{Access, AccessLevel, Edge, NodeKind, Relation};

/// Compute services that run code as a passed role: `iam:PassRole` on any role plus one of
/// these is an escalation.
const PASS_ROLE_TO: &[&str] = &[
    "lambda:CreateFunction",
    "ec2:RunInstances",
    "ecs:RunTask",
    "ecs:RegisterTaskDefinition",
    "glue:CreateDevEndpoint",
    "cloudformation:CreateStack",
];

/// The target an IAM policy names for a data node; parts the scan cannot know are `*`.
pub(crate) fn target(service: DataService, name: Option<&str>) -> Target {
    let n = name.unwrap_or("\u{1}unknown");
    match service {
        DataService::S3 => Target::s3_bucket(n),
        DataService::Sqs => Target::new(format!("arn:aws:sqs:*:*:{n}")),
        DataService::Sns => Target::new(format!("arn:aws:sns:*:*:{n}")),
        DataService::Kms => Target::new("arn:aws:kms:*:*:key/\u{1}unknown"),
        DataService::SecretsManager => {
            Target::new(format!("arn:aws:secretsmanager:*:*:secret:{n}-*"))
        }
        DataService::Rds => Target::new(format!("arn:aws:rds:*:*:db:{n}")),
    }
}

fn level(a: IamAccess) -> Option<AccessLevel> {
    match a {
        IamAccess::Read => Some(AccessLevel::Read),
        IamAccess::Write => Some(AccessLevel::Write),
        IamAccess::Permissions => Some(AccessLevel::Admin),
        IamAccess::List | IamAccess::Tagging => None,
    }
}

fn span_of(e: &Evidence) -> trustmap_source::Span {
    e.action
        .or(e.resource)
        .or(e.principal)
        .unwrap_or(e.statement)
}

fn conditions_of(e: &Evidence) -> Vec<String> {
    if e.conditional {
        e.conditions.clone()
    } else {
        Vec::new()
    }
}

/// The strongest known access `ev` gives to `target`, with its actions and evidence.
pub(crate) fn strongest(
    ev: &Evaluated,
    target: &Target,
) -> Option<(AccessLevel, Vec<String>, Evidence)> {
    ev.access_to(target)
        .into_iter()
        .filter(|a| a.unknown.is_none())
        .filter_map(|a| Some((level(a.access)?, a.conditional, a)))
        .max_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)))
        .map(|(l, _, a)| {
            let mut actions = a.actions;
            actions.truncate(3);
            (l, actions, a.evidence)
        })
}

pub(crate) fn edges(b: &mut Builder, model: &Model, n: &AwsNodes) {
    let iam = &model.aws.iam;
    let identities = (0..iam.roles.len())
        .map(|i| (IdentityKind::Role, i, n.roles[i]))
        .chain((0..iam.users.len()).map(|i| (IdentityKind::User, i, n.users[i])));
    let held = holdings(iam);
    let mut groups: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for m in &iam.memberships {
        if let (Some(u), Some(g)) = (m.user.target, m.group.target) {
            groups.entry(u).or_default().push(g);
        }
    }
    for (kind, index, node) in identities {
        let ev = for_identity(iam, kind, index);
        if ev.is_empty() {
            continue;
        }
        let docs = documents(&held, &groups, kind, index);
        let has_deny = docs
            .iter()
            .flat_map(|d| &d.statements)
            .any(|st| st.effect.get() == Some(&Effect::Deny));
        grants(b, n, node, &ev, has_deny);
        referenced_grants(b, n, node, &docs);
    }
    trust(b, model, n);
}

/// Identity policy documents by holder (role, user or group), built once.
type Holdings<'m> = std::collections::HashMap<(IdentityKind, usize), Vec<&'m PolicyDocument>>;

fn holdings(iam: &Iam) -> Holdings<'_> {
    let mut out: Holdings<'_> = std::collections::HashMap::new();
    let owned = iam
        .policies
        .iter()
        .filter_map(|p| Some((p.owner.as_ref()?, p.document.get()?)));
    let attached = iam
        .attachments
        .iter()
        .filter_map(|a| Some((&a.to, iam.policies.get(a.policy?)?.document.get()?)));
    for (l, doc) in owned.chain(attached) {
        if let Some(i) = l.link.target {
            out.entry((l.kind, i)).or_default().push(doc);
        }
    }
    out
}

/// The identity policy documents of a role or user (a user's groups' included).
fn documents<'m>(
    held: &Holdings<'m>,
    groups: &std::collections::HashMap<usize, Vec<usize>>,
    kind: IdentityKind,
    index: usize,
) -> Vec<&'m PolicyDocument> {
    let mut out: Vec<&PolicyDocument> = held.get(&(kind, index)).cloned().unwrap_or_default();
    if kind == IdentityKind::User {
        for &g in groups.get(&index).into_iter().flatten() {
            out.extend(held.get(&(IdentityKind::Group, g)).into_iter().flatten());
        }
    }
    out
}

/// `Resource` elements the evaluator cannot know because they are computed references
/// (`"${aws_s3_bucket.b.arn}/*"`, `!GetAtt Bucket.Arn`): the references the model keeps
/// on the unknown value (whole ARN segments only, see
/// [`trustmap_model::Template::segment_references`]) are joined to the data stores they
/// name ([`crate::joins::POLICY_RESOURCE_REFERENCE`]); the statement's actions, expanded
/// with the catalogue, give the access level.
fn referenced_grants(b: &mut Builder, n: &AwsNodes, who: NodeId, docs: &[&PolicyDocument]) {
    for st in docs.iter().flat_map(|d| &d.statements) {
        if !st.is_allow() || !st.not_resources.is_empty() {
            continue;
        }
        for r in st.resources.iter().filter(|r| r.is_unknown()) {
            for data in crate::joins::references(&b.joins, r) {
                let Some(d) = n.data_index.get(&data).map(|&i| &n.data[i]) else {
                    continue;
                };
                let Some((lvl, actions)) = statement_level(st, d.service) else {
                    continue;
                };
                let label = b.g.node(data).label.clone();
                let why = format!(
                    "The policy allows `{}` on {label} (named by reference): whoever holds these credentials can {} it.",
                    actions.join("`, `"),
                    verb(lvl)
                );
                let conditions = st
                    .conditions
                    .iter()
                    .map(trustmap_iam::show_condition)
                    .collect();
                b.g.add_edge(
                    who,
                    data,
                    Edge::new(lvl.relation(), why, Some(r.span))
                        .with_conditions(conditions)
                        .with_access(Access {
                            level: lvl,
                            actions,
                        }),
                );
            }
        }
    }
}

/// The strongest access a statement's actions give on a service, with up to three of
/// those actions.
fn statement_level(st: &Statement, service: DataService) -> Option<(AccessLevel, Vec<String>)> {
    let svc = trustmap_iam::catalogue().service(service.prefix())?;
    let granted = |name: &str| {
        if st.not_actions.is_empty() {
            st.actions.iter().any(|p| p.is(|p| iam_match(p, name)))
        } else {
            st.not_actions.iter().all(|p| p.is(|p| !iam_match(p, name)))
        }
    };
    let mut best: Option<(AccessLevel, Vec<String>)> = None;
    for a in &svc.actions {
        let Some(l) = level(a.access) else { continue };
        let name = format!("{}:{}", a.service, a.name);
        if !granted(&name) {
            continue;
        }
        match &mut best {
            Some((bl, acts)) if *bl == l => {
                if acts.len() < 3 {
                    acts.push(name);
                }
            }
            Some((bl, _)) if *bl > l => {}
            _ => best = Some((l, vec![name])),
        }
    }
    best
}

fn grants(b: &mut Builder, n: &AwsNodes, who: NodeId, ev: &Evaluated, has_deny: bool) {
    if let Some(e) = ev.is_admin() {
        let admin = b.synthetic(Synthetic::AwsAdmin);
        b.g.add_edge(
            who,
            admin,
            Edge::new(
                Relation::Administers,
                "The policy allows every action on every resource: whoever holds these credentials owns the account.",
                Some(span_of(&e)),
            )
            .with_conditions(conditions_of(&e))
            .with_access(Access {
                level: AccessLevel::Admin,
                actions: vec!["*".to_string()],
            }),
        );
    } else {
        let mut found: Vec<(&str, Evidence)> = ev
            .escalations()
            .into_iter()
            .filter(|e| e.action != "iam:PassRole")
            .map(|e| (e.action, e.evidence))
            .collect();
        if let Decision::Allow(pass) = ev.decide("iam:PassRole", "*")
            && let Some(run) = PASS_ROLE_TO.iter().find(|a| ev.decide(a, "*").is_allowed())
        {
            found.push(("iam:PassRole", pass));
            found.push((run, Evidence::default()));
        }
        if let Some((_, first)) = found.first() {
            let actions: Vec<String> = found.iter().map(|(a, _)| a.to_string()).collect();
            let admin = b.synthetic(Synthetic::AwsAdmin);
            b.g.add_edge(
                who,
                admin,
                Edge::new(
                    Relation::Escalates,
                    format!(
                        "`{}` on every resource lets the holder grant itself administrator.",
                        actions.join("`, `")
                    ),
                    Some(span_of(first)),
                )
                .with_conditions(conditions_of(first))
                .with_access(Access {
                    level: AccessLevel::Admin,
                    actions,
                }),
            );
        }
    }
    let grants = ev.grants();
    for (service, members) in &n.by_service {
        // Only services some action pattern can name.
        let prefix = format!("{}:*", service.prefix());
        let touched = grants.iter().any(|g| {
            g.not_actions
                || g.unknown
                || g.actions
                    .iter()
                    .any(|p| trustmap_iam::glob::overlaps(p, &prefix, true))
        });
        if !touched {
            continue;
        }
        // An explicit Deny may single out one store: then every store is decided alone.
        if has_deny {
            for &i in members {
                let d = &n.data[i];
                grant_edge(
                    b,
                    who,
                    d.node,
                    strongest(ev, &target(d.service, d.name.as_deref())),
                );
            }
            continue;
        }
        // Otherwise the answer depends only on how the Allow statements' resource patterns
        // relate to the store: a store no pattern tells apart from an unnamed one gets the
        // wildcard's answer, and stores the patterns see alike share one evaluation.
        let wildcard = target(*service, Some(WILDCARD_NAME));
        let wild = strongest(ev, &wildcard);
        let specific = specific_members(n, *service, members, &grants, &wildcard);
        let patterns: Vec<&String> = grants.iter().flat_map(|g| &g.resources).collect();
        let mut memo: std::collections::HashMap<Vec<trustmap_iam::Match>, Found> =
            std::collections::HashMap::new();
        let mut decide = |i: usize| -> Found {
            let d = &n.data[i];
            let t = target(d.service, d.name.as_deref());
            let key: Vec<trustmap_iam::Match> = patterns
                .iter()
                .flat_map(|p| {
                    std::iter::once(&t.arn)
                        .chain(&t.sub_arns)
                        .map(|a| trustmap_iam::arn::relate(p, a))
                })
                .collect();
            memo.entry(key).or_insert_with(|| strongest(ev, &t)).clone()
        };
        if wild.is_some() {
            for &i in members {
                let found = if specific.contains(&i) {
                    decide(i)
                } else {
                    wild.clone()
                };
                grant_edge(b, who, n.data[i].node, found);
            }
        } else {
            for &i in &specific {
                let found = decide(i);
                grant_edge(b, who, n.data[i].node, found);
            }
        }
    }
}

/// A decision: the strongest access level, a few actions, and the evidence.
type Found = Option<(AccessLevel, Vec<String>, Evidence)>;

/// The stores of one service that some resource pattern tells apart from an unnamed one:
/// a pattern naming one store is a hash look-up by name; only a pattern with a wildcard in
/// its name is compared with every store of the service.
fn specific_members(
    n: &AwsNodes,
    service: DataService,
    members: &[usize],
    grants: &[trustmap_iam::Grant],
    wildcard: &Target,
) -> std::collections::BTreeSet<usize> {
    let mut out = std::collections::BTreeSet::new();
    let relate = trustmap_iam::arn::relate;
    for p in grants.iter().flat_map(|g| &g.resources) {
        if trustmap_iam::arn::service_of(p)
            .is_some_and(|s| !s.contains(['*', '?']) && s != service.prefix())
        {
            continue;
        }
        let name = crate::joins::aws_resource_name(p).filter(|_| p.starts_with("arn:"));
        match name {
            Some(name) if !name.contains(['*', '?', '$']) => {
                out.extend(n.by_name.get(&(service, name)).into_iter().flatten());
            }
            _ => {
                let wild: Vec<_> = std::iter::once(&wildcard.arn)
                    .chain(&wildcard.sub_arns)
                    .map(|w| relate(p, w))
                    .collect();
                for &i in members {
                    let d = &n.data[i];
                    let t = target(d.service, d.name.as_deref());
                    let differs = std::iter::once(&t.arn)
                        .chain(&t.sub_arns)
                        .zip(&wild)
                        .any(|(a, w)| relate(p, a) != *w);
                    if differs {
                        out.insert(i);
                    }
                }
            }
        }
    }
    out
}

/// A name no policy pattern names but a wildcard.
const WILDCARD_NAME: &str = "\u{1}any";

/// The access edge of one identity to one data store, when it has access.
fn grant_edge(
    b: &mut Builder,
    who: NodeId,
    data: NodeId,
    found: Option<(AccessLevel, Vec<String>, Evidence)>,
) {
    let Some((lvl, actions, e)) = found else {
        return;
    };
    let label = b.g.node(data).label.clone();
    let why = format!(
        "The policy allows `{}` on {label}: whoever holds these credentials can {} it.",
        actions.join("`, `"),
        verb(lvl)
    );
    b.g.add_edge(
        who,
        data,
        Edge::new(lvl.relation(), why, Some(span_of(&e)))
            .with_conditions(conditions_of(&e))
            .with_access(Access {
                level: lvl,
                actions,
            }),
    );
}

pub(crate) fn verb(level: AccessLevel) -> &'static str {
    match level {
        AccessLevel::Read => "read",
        AccessLevel::Write => "write",
        AccessLevel::Admin => "administer (or delete)",
    }
}

/// The access a public resource policy gives to `who` (anyone on the internet for
/// buckets, any AWS account for the rest).
pub(crate) fn public_policy(
    b: &mut Builder,
    doc: &PolicyDocument,
    node: NodeId,
    t: &Target,
    who: Synthetic,
) {
    if doc.public_grants().grants.is_empty() {
        return;
    }
    let ev = resource_policy(doc, &Requester::Anyone);
    let found = strongest(&ev, t).map(|(l, a, e)| (l, a, span_of(&e), conditions_of(&e)));
    // A policy attached to the resource governs that resource whatever its `Resource`
    // says: when that element is a reference the evaluator cannot read, the public
    // statements' actions decide alone.
    let Some((lvl, actions, span, conditions)) = found.or_else(|| {
        let service = DataService::of_arn(&t.arn)?;
        doc.public_grants()
            .grants
            .iter()
            .filter(|g| g.statement.has_unknown_resources())
            .filter_map(|g| {
                let (l, a) = statement_level(g.statement, service)?;
                Some((l, a, g.principal.id.span, Vec::new()))
            })
            .max_by_key(|x| x.0)
    }) else {
        return;
    };
    let source = b.synthetic(who);
    let whom = match who {
        Synthetic::Internet => "anyone on the internet",
        _ => "any AWS account",
    };
    b.g.add_edge(
        source,
        node,
        Edge::new(
            lvl.relation(),
            format!(
                "The resource policy's `*` principal lets {whom} {} it.",
                verb(lvl)
            ),
            Some(span),
        )
        .with_conditions(conditions)
        .with_access(Access {
            level: lvl,
            actions,
        }),
    );
}

/// Who can assume each role: any AWS account (`*` principal), any GitHub repository,
/// other roles of the scan (role chaining).
fn trust(b: &mut Builder, model: &Model, n: &AwsNodes) {
    for (role, &node) in model.aws.iam.roles.iter().zip(&n.roles) {
        let Some(doc) = role.trust.get() else {
            continue;
        };
        for a in trustmap_iam::who_can_assume(doc) {
            let span = Some(span_of(&a.evidence));
            let conditions = conditions_of(&a.evidence);
            match &a.who {
                Who::Anyone => {
                    let any = b.synthetic(Synthetic::AnyAwsAccount);
                    b.g.add_edge(
                        any,
                        node,
                        Edge::new(
                            Relation::CanAssume,
                            "The trust policy's principal is `*` with no condition on the caller: any AWS account can assume the role.",
                            span,
                        )
                        .with_conditions(conditions),
                    );
                }
                Who::AnyGithubRepository => {
                    let any = b.synthetic(Synthetic::AnyGithubRepo);
                    b.g.add_edge(
                        any,
                        node,
                        Edge::new(
                            Relation::CanAssume,
                            "The trust policy accepts GitHub's OIDC tokens without pinning the repository: a workflow in anyone's repository can assume the role.",
                            span,
                        )
                        .with_conditions(conditions),
                    );
                }
                Who::Principal(arn) => {
                    for other in b.joins.resolve(&GHA_ROLE_TO_ASSUME, arn) {
                        if other == node || b.g.node(other).kind != NodeKind::Identity {
                            continue;
                        }
                        b.g.add_edge(
                            other,
                            node,
                            Edge::new(
                                Relation::CanAssume,
                                "The trust policy names this role as a principal: its holder can chain into the role.",
                                span,
                            )
                            .with_conditions(conditions.clone()),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
