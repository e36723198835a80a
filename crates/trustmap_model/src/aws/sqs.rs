//! SQS queues and their resource policies.

use super::policy::ResourcePolicy;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Sqs {
    pub queues: Vec<Queue>,
    /// Inline `policy` arguments and `aws_sqs_queue_policy` resources.
    pub policies: Vec<ResourcePolicy>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Queue {
    pub meta: ResourceMeta,
    /// Unknown when generated (`name_prefix`, omitted) or computed.
    pub name: Value<String>,
}
