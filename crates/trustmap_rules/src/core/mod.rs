//! Rules about trustmap's own directives, shared by every input language.

pub(crate) mod suppression_expired;
pub(crate) mod suppression_without_reason;
