//! Managed identities: `azurerm_user_assigned_identity`, the `identity` block of the
//! resources that run code, and the principal a role assignment names.

use trustmap_model::azure::identity::{ManagedIdentity, PrincipalRef, UserAssignedIdentity};
use trustmap_syntax::Node;

use super::{Index, Target};
use crate::terraform_read::{self as read, Blocks, attr, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<UserAssignedIdentity> {
    index
        .managed("azurerm_user_assigned_identity")
        .iter()
        .map(|r| UserAssignedIdentity {
            meta: meta(r),
            name: read::string_at(&r.body, "name", r.span),
        })
        .collect()
}

/// The `identity` block of `body`; `None` when absent.
pub(super) fn block(body: &Node, index: &Index<'_>) -> Option<ManagedIdentity> {
    match blocks(body, "identity") {
        Blocks::Absent => None,
        Blocks::Unknown(span) => Some(ManagedIdentity {
            span,
            kind: trustmap_model::Value::unknown(span),
            identity_ids: Vec::new(),
        }),
        Blocks::Known(list) => list.first().map(|i| ManagedIdentity {
            span: i.span,
            kind: read::string_at(i, "type", i.span),
            identity_ids: match attr(i, "identity_ids") {
                Some(ids) => match &ids.kind {
                    trustmap_syntax::NodeKind::Seq(items) => items
                        .iter()
                        .map(|n| index.link(Target::UserAssignedIdentity, n))
                        .collect(),
                    _ => vec![index.link(Target::UserAssignedIdentity, ids)],
                },
                None => Vec::new(),
            },
        }),
    }
}

/// What `principal_id` names: a reference to an identity's (or an app's
/// `identity[0]`) `principal_id`, or a literal object ID.
pub(super) fn principal(n: &Node) -> PrincipalRef {
    let address = match &n.kind {
        trustmap_syntax::NodeKind::Ref { address, .. } => Some(address.clone()),
        trustmap_syntax::NodeKind::Template(_) => read::template(n).and_then(|t| {
            t.segment_references()
                .next()
                .map(|(address, _)| address.to_string())
        }),
        _ => None,
    };
    PrincipalRef {
        object_id: address.is_none().then(|| n.scalar_text()).flatten(),
        address,
        span: n.span,
    }
}
