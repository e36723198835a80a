//! `AWS::SQS::Queue` and `AWS::SQS::QueuePolicy` (one policy per queue it lists).

use trustmap_model::aws::policy::ResourcePolicy;
use trustmap_model::aws::sqs::{Queue, Sqs};

use super::{items, meta};
use crate::aws::join::{Index, Target};
use crate::aws::policy;
use crate::aws::read;

pub(in crate::aws) fn adapt(index: &Index<'_>, sqs: &mut Sqs) {
    for r in index.cfn("AWS::SQS::Queue") {
        sqs.queues.push(Queue {
            meta: meta(r),
            name: read::string_at(&r.properties, "QueueName", r.span),
        });
    }
    for r in index.cfn("AWS::SQS::QueuePolicy") {
        let p = &r.properties;
        for queue in items(p, "Queues").unwrap_or_default() {
            sqs.policies.push(ResourcePolicy {
                meta: meta(r),
                target: index.link(Target::Queue, queue),
                document: policy::document_at(p, "PolicyDocument", r.span, index),
            });
        }
    }
}
