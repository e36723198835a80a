//! Secret Manager secrets.

use crate::{ResourceMeta, Value};

/// A `google_secret_manager_secret` (its versions hold the values).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Secret {
    pub meta: ResourceMeta,
    /// `secret_id` (required): the secret's name in its project.
    pub secret_id: Value<String>,
}
