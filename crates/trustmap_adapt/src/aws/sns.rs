//! SNS topics and topic policies (inline or `aws_sns_topic_policy`).

use trustmap_model::aws::sns::{Sns, Topic};

use super::join::{Index, Target};
use super::policy::{inline_resource_policy, separate_resource_policies};
use super::read::{self, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Sns {
    let mut sns = Sns::default();
    for (i, r) in index.managed("aws_sns_topic").iter().enumerate() {
        sns.policies.extend(inline_resource_policy(r, i, index));
        sns.topics.push(Topic {
            meta: meta(r),
            name: read::string_at(&r.body, "name", r.span),
        });
    }
    sns.policies.extend(separate_resource_policies(
        index,
        "aws_sns_topic_policy",
        Target::Topic,
        "arn",
    ));
    super::cloudformation::sns::adapt(index, &mut sns);
    sns
}
