//! Secret Manager secrets.

use trustmap_model::gcp::secrets::Secret;

use super::Index;
use crate::terraform_read::{self as read, meta};

/// In join-table order (`super::TARGETS`).
pub(super) fn adapt(index: &Index<'_>) -> Vec<Secret> {
    index
        .managed("google_secret_manager_secret")
        .iter()
        .map(|r| Secret {
            meta: meta(r),
            secret_id: read::string_at(&r.body, "secret_id", r.span),
        })
        .collect()
}
