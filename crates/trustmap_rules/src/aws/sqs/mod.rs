//! SQS rules: who can send to and read from a queue.

mod sqs_queue_policy_public;

pub(crate) use sqs_queue_policy_public::SqsQueuePolicyPublic;
