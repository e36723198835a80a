//! Cloud Storage buckets and their ACL resources.

use trustmap_model::Value;
use trustmap_model::gcp::storage::{AclEntry, AclKind, Bucket};
use trustmap_syntax::Node;
use trustmap_terraform::TfResource;

use super::{Index, Target};
use crate::terraform_read::{self as read, attr, meta};

/// Single-entry ACL resources: type and which ACL they write.
const ACCESS_CONTROLS: &[(&str, AclKind)] = &[
    ("google_storage_bucket_access_control", AclKind::Bucket),
    (
        "google_storage_default_object_access_control",
        AclKind::DefaultObject,
    ),
];

/// Whole-ACL resources: type, which ACL, and the argument holding a predefined ACL.
const ACLS: &[(&str, AclKind, &str)] = &[
    (
        "google_storage_bucket_acl",
        AclKind::Bucket,
        "predefined_acl",
    ),
    (
        "google_storage_default_object_acl",
        AclKind::DefaultObject,
        "predefined_acl",
    ),
];

pub(super) fn adapt(index: &Index<'_>) -> (Vec<Bucket>, Vec<AclEntry>) {
    let buckets = index
        .managed("google_storage_bucket")
        .iter()
        .map(|r| Bucket {
            meta: meta(r),
            name: read::string_at(&r.body, "name", r.span),
            uniform_access: read::bool_or(&r.body, "uniform_bucket_level_access", false, r.span),
            public_access_prevention: read::string_or(
                &r.body,
                "public_access_prevention",
                "inherited",
                r.span,
            ),
        })
        .collect();
    let mut acls = Vec::new();
    for &(rtype, kind) in ACCESS_CONTROLS {
        for r in index.managed(rtype) {
            acls.push(AclEntry {
                meta: meta(r),
                bucket: index.link_any(Target::Bucket, &r.body, &["bucket"], r.span),
                kind,
                entity: read::string_at(&r.body, "entity", r.span),
                role: read::string_at(&r.body, "role", r.span),
            });
        }
    }
    for &(rtype, kind, predefined) in ACLS {
        for r in index.managed(rtype) {
            whole_acl(&mut acls, r, kind, predefined, index);
        }
    }
    // `google_storage_bucket_acl` also sets the default object ACL with `default_acl`.
    for r in index.managed("google_storage_bucket_acl") {
        if let Some(n) = attr(&r.body, "default_acl") {
            predefined_entries(&mut acls, r, AclKind::DefaultObject, n, index);
        }
    }
    (buckets, acls)
}

/// `role_entity = ["READER:allUsers", ...]` and `predefined_acl = "publicRead"`.
fn whole_acl(
    acls: &mut Vec<AclEntry>,
    r: &TfResource,
    kind: AclKind,
    predefined: &str,
    index: &Index<'_>,
) {
    for v in read::strings_at(&r.body, "role_entity") {
        let (role, entity) = match v.get().and_then(|s| s.split_once(':')) {
            Some((role, entity)) => (
                Value::explicit(role.to_string(), v.span).with_via(v.via.clone()),
                Value::explicit(entity.to_string(), v.span).with_via(v.via.clone()),
            ),
            None => (Value::unknown(v.span), Value::unknown(v.span)),
        };
        acls.push(AclEntry {
            meta: meta(r),
            bucket: index.link_any(Target::Bucket, &r.body, &["bucket"], r.span),
            kind,
            entity,
            role,
        });
    }
    if let Some(n) = attr(&r.body, predefined) {
        predefined_entries(acls, r, kind, n, index);
    }
}

/// The public entries a predefined ACL grants (private ones grant nothing of interest).
fn predefined_entries(
    acls: &mut Vec<AclEntry>,
    r: &TfResource,
    kind: AclKind,
    n: &Node,
    index: &Index<'_>,
) {
    let v = read::string(n);
    let grants: &[(&str, &str)] = match v.get().map(String::as_str) {
        None => &[("", "")],
        Some("publicRead") => &[("READER", "allUsers")],
        Some("publicReadWrite") => &[("WRITER", "allUsers")],
        Some("authenticatedRead") => &[("READER", "allAuthenticatedUsers")],
        Some(_) => &[],
    };
    for &(role, entity) in grants {
        let value = |s: &str| {
            if v.is_known() {
                Value::explicit(s.to_string(), v.span).with_via(v.via.clone())
            } else {
                Value::unknown(v.span)
            }
        };
        acls.push(AclEntry {
            meta: meta(r),
            bucket: index.link_any(Target::Bucket, &r.body, &["bucket"], r.span),
            kind,
            entity: value(entity),
            role: value(role),
        });
    }
}
