//! Azure resources adapted from Terraform.
//!
//! Filled in by its adapter; empty until that input is supported.

/// Azure resources adapted from Terraform.
#[derive(Debug, Default)]
pub struct Azure {}
