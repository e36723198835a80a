//! SQS queues and queue policies (inline or `aws_sqs_queue_policy`).

use trustmap_model::aws::sqs::{Queue, Sqs};

use super::join::{Index, Target};
use super::policy::{inline_resource_policy, separate_resource_policies};
use super::read::{self, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Sqs {
    let mut sqs = Sqs::default();
    for (i, r) in index.managed("aws_sqs_queue").iter().enumerate() {
        sqs.policies.extend(inline_resource_policy(r, i, index));
        sqs.queues.push(Queue {
            meta: meta(r),
            name: read::string_at(&r.body, "name", r.span),
        });
    }
    sqs.policies.extend(separate_resource_policies(
        index,
        "aws_sqs_queue_policy",
        Target::Queue,
        "queue_url",
    ));
    super::cloudformation::sqs::adapt(index, &mut sqs);
    sqs
}
