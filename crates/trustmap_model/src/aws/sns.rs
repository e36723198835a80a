//! SNS topics and their resource policies.

use super::policy::ResourcePolicy;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Sns {
    pub topics: Vec<Topic>,
    /// Inline `policy` arguments and `aws_sns_topic_policy` resources.
    pub policies: Vec<ResourcePolicy>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Topic {
    pub meta: ResourceMeta,
    pub name: Value<String>,
}
