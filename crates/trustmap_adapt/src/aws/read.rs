//! The generic Terraform readers live in [`crate::terraform_read`], shared with the Google
//! Cloud and Azure adapters; this module keeps the AWS adapter's `read::` paths working.

pub(crate) use crate::terraform_read::*;
