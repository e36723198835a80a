//! Adapters: map each parsed language into the typed [`trustmap_model::Model`].
//!
//! Adapters are total: anything they cannot read becomes an unknown value (or a diagnostic
//! for a whole object), never a panic and never a guess. Provider defaults are encoded here,
//! once, located at the block that omitted them.

pub mod aws;
pub mod docker;
pub mod gha;
pub mod k8s;
