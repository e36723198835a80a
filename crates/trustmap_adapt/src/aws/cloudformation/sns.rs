//! `AWS::SNS::Topic`, `AWS::SNS::TopicPolicy` (one policy per topic it lists) and
//! `AWS::SNS::TopicInlinePolicy`.

use trustmap_model::aws::policy::ResourcePolicy;
use trustmap_model::aws::sns::{Sns, Topic};

use super::{items, meta};
use crate::aws::join::{Index, Target};
use crate::aws::policy;
use crate::aws::read;

pub(in crate::aws) fn adapt(index: &Index<'_>, sns: &mut Sns) {
    for r in index.cfn("AWS::SNS::Topic") {
        sns.topics.push(Topic {
            meta: meta(r),
            name: read::string_at(&r.properties, "TopicName", r.span),
        });
    }
    for r in index.cfn("AWS::SNS::TopicPolicy") {
        let p = &r.properties;
        for topic in items(p, "Topics").unwrap_or_default() {
            sns.policies.push(ResourcePolicy {
                meta: meta(r),
                target: index.link(Target::Topic, topic),
                document: policy::document_at(p, "PolicyDocument", r.span, index),
            });
        }
    }
    for r in index.cfn("AWS::SNS::TopicInlinePolicy") {
        let p = &r.properties;
        sns.policies.push(ResourcePolicy {
            meta: meta(r),
            target: index.link_at(Target::Topic, p, "TopicArn", r.span),
            document: policy::document_at(p, "PolicyDocument", r.span, index),
        });
    }
}
