//! IAM grants (`_iam_member`, `_iam_binding`, `_iam_policy` on the hierarchy and on
//! resources), service-account keys and workload identity pool providers.

use trustmap_model::gcp::iam::{
    Grant, GrantKind, GrantTarget, ServiceAccountKey, WorkloadIdentityProvider,
};
use trustmap_model::{Link, Value};
use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::{Node, NodeKind};
use trustmap_terraform::{Mode, TfResource};

use super::{Index, Target};
use crate::terraform_read::{self as read, attr, blocks, meta};

/// IAM resource families: type prefix, what they grant on, the argument naming it, and the
/// model list it joins to.
const FAMILIES: &[(&str, GrantTarget, &str, Option<Target>)] = &[
    (
        "google_organization_iam",
        GrantTarget::Organization,
        "org_id",
        None,
    ),
    ("google_folder_iam", GrantTarget::Folder, "folder", None),
    ("google_project_iam", GrantTarget::Project, "project", None),
    (
        "google_storage_bucket_iam",
        GrantTarget::Bucket,
        "bucket",
        Some(Target::Bucket),
    ),
    (
        "google_cloud_run_service_iam",
        GrantTarget::CloudRunService,
        "service",
        Some(Target::RunService),
    ),
    (
        "google_cloud_run_v2_service_iam",
        GrantTarget::CloudRunService,
        "name",
        Some(Target::RunService),
    ),
    (
        "google_secret_manager_secret_iam",
        GrantTarget::Secret,
        "secret_id",
        Some(Target::Secret),
    ),
    (
        "google_service_account_iam",
        GrantTarget::ServiceAccount,
        "service_account_id",
        None,
    ),
    (
        "google_cloudfunctions_function_iam",
        GrantTarget::CloudFunction,
        "cloud_function",
        None,
    ),
    (
        "google_cloudfunctions2_function_iam",
        GrantTarget::CloudFunction,
        "cloud_function",
        None,
    ),
];

pub(super) fn adapt_grants(index: &Index<'_>) -> Vec<Grant> {
    let mut grants = Vec::new();
    for &(prefix, on, target_arg, join) in FAMILIES {
        let target_of = |r: &TfResource| match (attr(&r.body, target_arg), join) {
            (Some(n), Some(t)) => index.link(t, n),
            (Some(n), None) => plain_link(n),
            (None, _) => Link::unknown(r.span),
        };
        for r in index.managed(&format!("{prefix}_member")) {
            let member =
                attr(&r.body, "member").map_or_else(|| Value::unknown(r.span), read::string);
            grants.push(Grant {
                meta: meta(r),
                on,
                target: target_of(r),
                kind: GrantKind::Member,
                span: r.span,
                role: read::string_at(&r.body, "role", r.span),
                members: vec![member],
                condition: condition(&r.body),
            });
        }
        for r in index.managed(&format!("{prefix}_binding")) {
            grants.push(Grant {
                meta: meta(r),
                on,
                target: target_of(r),
                kind: GrantKind::Binding,
                span: r.span,
                role: read::string_at(&r.body, "role", r.span),
                members: members(&r.body, "members", r.span),
                condition: condition(&r.body),
            });
        }
        for r in index.managed(&format!("{prefix}_policy")) {
            policy(&mut grants, r, on, target_of(r), index);
        }
    }
    grants
}

/// A link to something the model does not list (a project, a function): what is written.
fn plain_link(n: &Node) -> Link {
    let text = match n.as_ref_target() {
        Some((address, _)) => Some(address.to_string()),
        None => n.scalar_text(),
    };
    Link {
        text,
        span: n.span,
        via: n.via.clone(),
        target: None,
    }
}

/// The members list; an unknown list is one unknown member.
fn members(body: &Node, key: &str, at: Span) -> Vec<Value<String>> {
    match attr(body, key) {
        Some(n) => read::strings(n),
        None => vec![Value::unknown(at)],
    }
}

/// `condition { expression = ... }`.
fn condition(body: &Node) -> Option<Value<String>> {
    match blocks(body, "condition") {
        read::Blocks::Absent => None,
        read::Blocks::Known(list) => list
            .first()
            .map(|c| read::string_at(c, "expression", c.span)),
        read::Blocks::Unknown(span) => Some(Value::unknown(span)),
    }
}

/// The bindings of an `_iam_policy`: from the `google_iam_policy` data source it references,
/// or from a `jsonencode`d (or literal JSON) policy document.
fn policy(
    grants: &mut Vec<Grant>,
    r: &TfResource,
    on: GrantTarget,
    target: Link,
    index: &Index<'_>,
) {
    let Some(data) = attr(&r.body, "policy_data") else {
        return;
    };
    let grant = |span: Span, role: Value<String>, members: Vec<Value<String>>, condition| Grant {
        meta: meta(r),
        on,
        target: target.clone(),
        kind: GrantKind::Policy,
        span,
        role,
        members,
        condition,
    };
    let source = data.as_ref_target().and_then(|(address, _)| {
        index
            .resource(address)
            .filter(|d| d.mode == Mode::Data && d.rtype == "google_iam_policy")
    });
    if let Some(d) = source {
        let mut hop = vec![Via {
            kind: ViaKind::Other {
                note: format!("data source `{}`", d.address),
            },
            span: data.span,
        }];
        hop.extend(data.via.iter().cloned());
        match blocks(&d.body, "binding") {
            read::Blocks::Absent => {}
            read::Blocks::Known(list) => {
                for b in list {
                    let via = |v: Value<String>| {
                        let mut all = v.via.clone();
                        all.extend(hop.iter().cloned());
                        v.with_via(all)
                    };
                    grants.push(grant(
                        b.span,
                        via(read::string_at(b, "role", b.span)),
                        members(b, "members", b.span).into_iter().map(via).collect(),
                        condition(b).map(via),
                    ));
                }
            }
            read::Blocks::Unknown(span) => {
                grants.push(grant(span, Value::unknown(span), Vec::new(), None));
            }
        }
        return;
    }
    let bindings = data
        .json_tree()
        .and_then(|t| t.get("bindings"))
        .filter(|b| !b.is_unknown());
    match bindings.map(|b| &b.kind) {
        Some(NodeKind::Seq(items)) => {
            for b in items {
                let cond = b.get("condition").map(|c| {
                    c.get("expression")
                        .map_or_else(|| Value::unknown(c.span), read::string)
                });
                grants.push(grant(
                    b.span,
                    read::string_at(b, "role", b.span),
                    members(b, "members", b.span),
                    cond,
                ));
            }
        }
        Some(_) => {}
        None => grants.push(grant(
            data.span,
            Value::unknown(data.span),
            Vec::new(),
            None,
        )),
    }
}

pub(super) fn adapt_identities(
    index: &Index<'_>,
) -> (Vec<ServiceAccountKey>, Vec<WorkloadIdentityProvider>) {
    let keys = index
        .managed("google_service_account_key")
        .iter()
        .map(|r| ServiceAccountKey {
            meta: meta(r),
            service_account: attr(&r.body, "service_account_id")
                .map_or_else(|| Link::unknown(r.span), plain_link),
            uploaded_public_key: read::opt_string(&r.body, "public_key_data", r.span),
        })
        .collect();
    let providers = index
        .managed("google_iam_workload_identity_pool_provider")
        .iter()
        .map(|r| {
            let b = &r.body;
            let issuer = match blocks(b, "oidc") {
                read::Blocks::Absent => Value::default_at(None, r.span),
                read::Blocks::Known(list) => list.first().map_or_else(
                    || Value::default_at(None, r.span),
                    |o| read::string_at(o, "issuer_uri", o.span).map(Some),
                ),
                read::Blocks::Unknown(span) => Value::unknown(span),
            };
            let attribute_mapping = attr(b, "attribute_mapping")
                .and_then(Node::as_map)
                .map(|entries| {
                    entries
                        .iter()
                        .map(|e| (e.key.clone(), read::string(&e.value)))
                        .collect()
                })
                .unwrap_or_default();
            WorkloadIdentityProvider {
                meta: meta(r),
                issuer,
                attribute_condition: read::opt_string(b, "attribute_condition", r.span),
                attribute_mapping,
                disabled: read::bool_or(b, "disabled", false, r.span),
                pool: read::string_at(b, "workload_identity_pool_id", r.span),
            }
        })
        .collect();
    (keys, providers)
}
