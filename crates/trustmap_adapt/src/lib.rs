//! Adapters: map each parsed language into the typed [`trustmap_model::Model`].
//!
//! Adapters are total: anything they cannot read becomes an unknown value (or a diagnostic
//! for a whole object), never a panic and never a guess. Provider defaults are encoded here,
//! once, located at the block that omitted them.

pub mod aws;
pub mod azure;
pub mod compose;
pub mod docker;
pub mod gcp;
pub mod gha;
pub mod gitlab;
pub mod k8s;
pub mod kustomize;
mod terraform_join;
mod terraform_read;
