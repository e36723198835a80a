//! SNS rules: who can publish to and subscribe to a topic.

mod sns_topic_policy_public;

pub(crate) use sns_topic_policy_public::SnsTopicPolicyPublic;
