//! GitLab CI pipelines.
//!
//! Filled in by its adapter; empty until that input is supported.

/// GitLab CI pipelines.
#[derive(Debug)]
pub struct Pipeline {}
