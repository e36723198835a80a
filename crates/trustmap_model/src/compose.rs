//! Docker Compose files.
//!
//! Filled in by its adapter; empty until that input is supported.

/// Docker Compose files.
#[derive(Debug)]
pub struct ComposeFile {}
