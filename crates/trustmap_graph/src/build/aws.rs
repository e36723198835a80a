//! AWS: functions, routes, function URLs, tasks (workloads and endpoints), roles and
//! users (identities), buckets, databases, queues, topics, keys and secrets (data), and
//! the edges between them that the adapters' links already resolve.

use trustmap_model::aws::lambda::TriggerKind;
use trustmap_model::{Link, Model, Value};

use super::{Builder, Synthetic, name_or_address};
use crate::graph::NodeId;
use crate::joins::{JoinTarget, LAMBDA_EVENT_SOURCE};
use crate::types::{Access, AccessLevel, Crown, Edge, NodeKind, Relation, Sensitivity};

/// Node ids by model list, index for index.
#[derive(Default)]
pub(crate) struct AwsNodes {
    pub(crate) roles: Vec<NodeId>,
    pub(crate) users: Vec<NodeId>,
    pub(crate) functions: Vec<NodeId>,
    pub(crate) tasks: Vec<NodeId>,
    /// Every data node with what IAM needs to decide access to it.
    pub(crate) data: Vec<DataNode>,
    /// Node → position in `data`.
    pub(crate) data_index: std::collections::HashMap<NodeId, usize>,
    /// Positions in `data`, by service.
    pub(crate) by_service: Vec<(DataService, Vec<usize>)>,
    /// Positions in `data`, by service and name.
    pub(crate) by_name: std::collections::HashMap<(DataService, String), Vec<usize>>,
    pub(crate) buckets: Vec<NodeId>,
    pub(crate) queues: Vec<NodeId>,
    pub(crate) topics: Vec<NodeId>,
    pub(crate) keys: Vec<NodeId>,
    pub(crate) secrets: Vec<NodeId>,
}

/// A data node and the resource ARN(s) an IAM policy would name.
pub(crate) struct DataNode {
    pub(crate) node: NodeId,
    pub(crate) service: DataService,
    /// The resource's name when known (ARN patterns are built from it).
    pub(crate) name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DataService {
    S3,
    Sqs,
    Sns,
    Kms,
    SecretsManager,
    Rds,
}

impl DataService {
    /// The service of a target ARN built by `aws_access::target`.
    pub(crate) fn of_arn(arn: &str) -> Option<Self> {
        let service = arn.split(':').nth(2)?;
        [
            DataService::S3,
            DataService::Sqs,
            DataService::Sns,
            DataService::Kms,
            DataService::SecretsManager,
            DataService::Rds,
        ]
        .into_iter()
        .find(|s| s.prefix() == service)
    }

    /// The IAM service prefix.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            DataService::S3 => "s3",
            DataService::Sqs => "sqs",
            DataService::Sns => "sns",
            DataService::Kms => "kms",
            DataService::SecretsManager => "secretsmanager",
            DataService::Rds => "rds",
        }
    }
}

impl AwsNodes {
    /// The name of a data node, when known.
    pub(crate) fn data_name(&self, node: NodeId) -> Option<&str> {
        let i = *self.data_index.get(&node)?;
        self.data[i].name.as_deref()
    }
}

fn known<T: Clone>(v: &Value<T>) -> Option<T> {
    v.get().cloned()
}

pub(crate) fn nodes(b: &mut Builder, model: &Model) -> AwsNodes {
    let aws = &model.aws;
    let mut out = AwsNodes::default();
    for r in &aws.iam.roles {
        let (id, name) = named(b, NodeKind::Identity, &r.meta, r.name.get(), "IAM role");
        b.joins.register(JoinTarget::AwsRole, &name, id);
        b.joins.register(JoinTarget::AwsRole, &r.meta.address, id);
        b.role_index.insert(id, out.roles.len());
        out.roles.push(id);
    }
    for u in &aws.iam.users {
        let (id, _) = named(b, NodeKind::Identity, &u.meta, u.name.get(), "IAM user");
        out.users.push(id);
    }
    for f in &aws.lambda.functions {
        let (id, _) = named(b, NodeKind::Workload, &f.meta, f.name.get(), "function");
        out.functions.push(id);
    }
    for t in &aws.ecs.task_definitions {
        let (id, _) = named(b, NodeKind::Workload, &t.meta, t.family.get(), "ECS task");
        out.tasks.push(id);
    }
    let mut data = |b: &mut Builder,
                    meta: &trustmap_model::ResourceMeta,
                    name: Option<String>,
                    service: DataService,
                    what: &str,
                    kind: NodeKind,
                    crown: Crown| {
        let label = format!(
            "{what} {}",
            name.clone().unwrap_or_else(|| meta.address.clone())
        );
        let id = b.object(kind, meta, label, Some(crown));
        if let Some(n) = &name {
            b.joins.register(JoinTarget::AwsData, n, id);
            b.g.alias(id, n);
        }
        b.joins.register(JoinTarget::AwsData, &meta.address, id);
        out.data_index.insert(id, out.data.len());
        if let Some(n) = &name {
            out.by_name
                .entry((service, n.clone()))
                .or_default()
                .push(out.data.len());
        }
        match out.by_service.iter_mut().find(|(s, _)| *s == service) {
            Some((_, members)) => members.push(out.data.len()),
            None => out.by_service.push((service, vec![out.data.len()])),
        }
        out.data.push(DataNode {
            node: id,
            service,
            name,
        });
        id
    };
    for bucket in &aws.s3.buckets {
        let name = known(&bucket.name);
        // Buckets that receive logs hold telemetry, not the business's data.
        let logs = aws.s3.loggings.iter().any(|l| {
            l.target
                .target
                .is_some_and(|t| std::ptr::eq(&aws.s3.buckets[t], bucket))
        });
        let sensitivity = if logs {
            Sensitivity::Low
        } else {
            Sensitivity::Medium
        };
        let id = data(
            b,
            &bucket.meta,
            name,
            DataService::S3,
            "bucket",
            NodeKind::Data,
            Crown::Data { sensitivity },
        );
        out.buckets.push(id);
    }
    for q in &aws.sqs.queues {
        let id = data(
            b,
            &q.meta,
            known(&q.name),
            DataService::Sqs,
            "queue",
            NodeKind::Data,
            Crown::Data {
                sensitivity: Sensitivity::Low,
            },
        );
        out.queues.push(id);
    }
    for t in &aws.sns.topics {
        let id = data(
            b,
            &t.meta,
            known(&t.name),
            DataService::Sns,
            "topic",
            NodeKind::Data,
            Crown::Data {
                sensitivity: Sensitivity::Low,
            },
        );
        out.topics.push(id);
    }
    for k in &aws.kms.keys {
        let id = data(
            b,
            &k.meta,
            None,
            DataService::Kms,
            "KMS key",
            NodeKind::Data,
            Crown::Data {
                sensitivity: Sensitivity::High,
            },
        );
        out.keys.push(id);
    }
    for s in &aws.secretsmanager.secrets {
        let id = data(
            b,
            &s.meta,
            known(&s.name),
            DataService::SecretsManager,
            "secret",
            NodeKind::Secret,
            Crown::Secret,
        );
        out.secrets.push(id);
    }
    for db in &aws.rds.instances {
        if db.cluster.is_some() {
            continue;
        }
        data(
            b,
            &db.meta,
            None,
            DataService::Rds,
            "database",
            NodeKind::Data,
            Crown::Data {
                sensitivity: Sensitivity::High,
            },
        );
    }
    for c in &aws.rds.clusters {
        data(
            b,
            &c.meta,
            None,
            DataService::Rds,
            "database cluster",
            NodeKind::Data,
            Crown::Data {
                sensitivity: Sensitivity::High,
            },
        );
    }
    out
}

/// A node labelled `{what} {name}` (the address when the name is unknown), findable by
/// that name.
fn named(
    b: &mut Builder,
    kind: NodeKind,
    meta: &trustmap_model::ResourceMeta,
    name: Option<&String>,
    what: &str,
) -> (NodeId, String) {
    let name = name_or_address(name, meta);
    let id = b.object(kind, meta, format!("{what} {name}"), None);
    b.g.alias(id, &name);
    (id, name)
}

fn target(nodes: &[NodeId], link: &Link) -> Option<NodeId> {
    link.target.and_then(|i| nodes.get(i).copied())
}

pub(crate) fn edges(b: &mut Builder, model: &Model, n: &AwsNodes) {
    let aws = &model.aws;
    // Workloads run as roles.
    for (f, &fid) in aws.lambda.functions.iter().zip(&n.functions) {
        if let Some(role) = target(&n.roles, &f.role) {
            let why = format!(
                "The function's code runs with {}'s credentials: whoever controls its input acts with them.",
                b.g.node(role).label
            );
            b.g.add_edge(
                fid,
                role,
                Edge::new(Relation::RunsAs, why, Some(f.role.span)),
            );
        }
    }
    for (t, &tid) in aws.ecs.task_definitions.iter().zip(&n.tasks) {
        if let Some(link) = &t.task_role
            && let Some(role) = target(&n.roles, link)
        {
            let why = "The task's containers get this role's credentials from the task metadata endpoint.";
            b.g.add_edge(tid, role, Edge::new(Relation::RunsAs, why, Some(link.span)));
        }
    }
    function_urls(b, model, n);
    api_routes(b, model, n);
    lambda_permissions(b, model, n);
    triggers(b, model, n);
    public_data(b, model, n);
}

fn function_urls(b: &mut Builder, model: &Model, n: &AwsNodes) {
    for url in &model.aws.lambda.urls {
        let Some(function) = target(&n.functions, &url.function) else {
            continue;
        };
        if !url
            .authorization_type
            .is(|a| a.eq_ignore_ascii_case("NONE"))
        {
            continue;
        }
        let label = format!("URL of {}", b.g.node(function).label);
        let endpoint = b.object_distinct(NodeKind::Endpoint, &url.meta, "url", label);
        let internet = b.synthetic(Synthetic::Internet);
        b.g.add_edge(
            internet,
            endpoint,
            Edge::new(
                Relation::Exposes,
                "The function URL has authorization type NONE: anyone on the internet can call it.",
                Some(url.authorization_type.span),
            ),
        );
        b.g.add_edge(
            endpoint,
            function,
            Edge::new(
                Relation::Reaches,
                "Every request to the URL invokes the function with the caller's input.",
                Some(url.function.span),
            ),
        );
    }
}

/// Routes whose authorization is `NONE` on a public API are open to the internet.
fn api_routes(b: &mut Builder, model: &Model, n: &AwsNodes) {
    let gw = &model.aws.apigw;
    for route in &gw.routes {
        if route.is_preflight() || !route.authorization.is(|a| a.eq_ignore_ascii_case("NONE")) {
            continue;
        }
        let private = route
            .api
            .target
            .and_then(|i| gw.apis.get(i))
            .is_some_and(|api| api.private.is_true());
        if private {
            continue;
        }
        let integration = route
            .integration
            .target
            .and_then(|i| gw.integrations.get(i));
        let Some(function) = integration
            .and_then(|i| i.function.as_ref())
            .and_then(|l| target(&n.functions, l))
        else {
            continue;
        };
        let endpoint = b.object_distinct(
            NodeKind::Endpoint,
            &route.meta,
            &route.label(),
            format!("API route {}", route.label()),
        );
        let internet = b.synthetic(Synthetic::Internet);
        let mut exposes = Edge::new(
            Relation::Exposes,
            "The route's authorization is NONE: anyone on the internet can call it.",
            Some(route.authorization.span),
        );
        if route.api_key_required.is_true() {
            exposes = exposes.with_conditions(vec![
                "an API key is required (API keys identify clients, they do not authenticate them)"
                    .to_string(),
            ]);
        }
        b.g.add_edge(internet, endpoint, exposes);
        b.g.add_edge(
            endpoint,
            function,
            Edge::new(
                Relation::Reaches,
                "The route's integration invokes the function with the request.",
                Some(route.integration.span),
            ),
        );
    }
    // SAM API events whose route was not adapted as a route of its own.
    for (f, &fid) in model.aws.lambda.functions.iter().zip(&n.functions) {
        for t in &f.triggers {
            if !t.kind.is_api() || t.route.is_some() {
                continue;
            }
            let Some(auth) = &t.auth else { continue };
            if !auth.is(|a| a.eq_ignore_ascii_case("NONE")) {
                continue;
            }
            let internet = b.synthetic(Synthetic::Internet);
            b.g.add_edge(
                internet,
                fid,
                Edge::new(
                    Relation::Exposes,
                    format!(
                        "The API event `{}` has no authorizer: anyone on the internet invokes the function.",
                        t.name
                    ),
                    Some(auth.span),
                ),
            );
        }
    }
}

/// `aws_lambda_permission` with principal `*` and no source condition: any AWS account
/// may invoke the function.
fn lambda_permissions(b: &mut Builder, model: &Model, n: &AwsNodes) {
    for p in &model.aws.lambda.permissions {
        let Some(function) = target(&n.functions, &p.function) else {
            continue;
        };
        if !p.principal.is(|s| s == "*") {
            continue;
        }
        let unconstrained =
            p.source_arn.is_none() && p.source_account.is_none() && p.principal_org_id.is_none();
        if !unconstrained {
            continue;
        }
        let url_none = p
            .function_url_auth_type
            .is(|t| t.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("NONE")));
        let (source, why) = if url_none {
            (
                Synthetic::Internet,
                "The permission lets anyone call the function's URL without authentication.",
            )
        } else {
            (
                Synthetic::AnyAwsAccount,
                "The permission's principal is `*` with no source condition: any AWS account may invoke the function.",
            )
        };
        let s = b.synthetic(source);
        b.g.add_edge(
            s,
            function,
            Edge::new(Relation::Exposes, why, Some(p.principal.span)),
        );
    }
}

/// Event sources in the scan invoke functions: whoever can write to them feeds the
/// function.
fn triggers(b: &mut Builder, model: &Model, n: &AwsNodes) {
    for (f, &fid) in model.aws.lambda.functions.iter().zip(&n.functions) {
        for t in &f.triggers {
            if !matches!(
                t.kind,
                TriggerKind::S3
                    | TriggerKind::Sqs
                    | TriggerKind::Sns
                    | TriggerKind::EventBridgeRule
            ) {
                continue;
            }
            let Some(source) = t.source.get() else {
                continue;
            };
            for data in b.joins.resolve(&LAMBDA_EVENT_SOURCE, source) {
                let why = format!(
                    "Every {} event from {} invokes the function with attacker-writable content.",
                    t.kind.as_str(),
                    b.g.node(data).label
                );
                b.g.add_edge(data, fid, Edge::new(Relation::Triggers, why, Some(t.span)));
            }
        }
    }
}

/// Buckets, queues, topics, keys and secrets whose resource policy or ACL lets anyone in.
fn public_data(b: &mut Builder, model: &Model, n: &AwsNodes) {
    let s3 = &model.aws.s3;
    for (i, &bucket) in n.buckets.iter().enumerate() {
        use trustmap_model::aws::s3::{BlockFlag, PublicGroup, canned_acl_audience};
        if !s3.is_blocked(i, BlockFlag::IgnorePublicAcls) {
            for acl in s3.acls_of(i) {
                let Some(canned) = &acl.canned else { continue };
                let Some(c) = canned.get() else { continue };
                if canned_acl_audience(c) != Some(PublicGroup::AllUsers) {
                    continue;
                }
                let level = if c == "public-read-write" {
                    AccessLevel::Write
                } else {
                    AccessLevel::Read
                };
                let internet = b.synthetic(Synthetic::Internet);
                b.g.add_edge(
                    internet,
                    bucket,
                    Edge::new(
                        level.relation(),
                        format!(
                            "The bucket's ACL `{c}` lets anyone on the internet {} its objects.",
                            super::aws_access::verb(level)
                        ),
                        Some(canned.span),
                    )
                    .with_access(Access {
                        level,
                        actions: vec![format!("ACL {c}")],
                    }),
                );
            }
        }
        if !s3.is_blocked(i, BlockFlag::RestrictPublicBuckets) {
            for p in s3.policies_of(i) {
                if let Some(doc) = p.document.get() {
                    let t = super::aws_access::target(DataService::S3, n.data_name(bucket));
                    super::aws_access::public_policy(b, doc, bucket, &t, Synthetic::Internet);
                }
            }
        }
    }
    let lists = [
        (&model.aws.sqs.policies, &n.queues, DataService::Sqs),
        (&model.aws.sns.policies, &n.topics, DataService::Sns),
        (&model.aws.kms.policies, &n.keys, DataService::Kms),
        (
            &model.aws.secretsmanager.policies,
            &n.secrets,
            DataService::SecretsManager,
        ),
    ];
    for (policies, nodes, service) in lists {
        for p in policies {
            let (Some(node), Some(doc)) = (target(nodes, &p.target), p.document.get()) else {
                continue;
            };
            let t = super::aws_access::target(service, n.data_name(node));
            super::aws_access::public_policy(b, doc, node, &t, Synthetic::AnyAwsAccount);
        }
    }
}
