//! CloudFormation and SAM → AWS model, into the same structs as Terraform.
//!
//! Each service adapter of the parent module fills its lists from Terraform, then calls the
//! matching function here to append the CloudFormation resources (in [`super::join::CFN_TARGETS`]
//! order, so positions in the join table are positions in the lists) before it finishes (the
//! S3 default ACLs, part indexes). Properties are read with the same helpers and the same
//! provider defaults, located at the resource that omitted them; references (`Ref`,
//! `Fn::GetAtt`) resolve through the same join table, scoped to their template.
//!
//! Addresses are logical ids. SAM resources are read directly: a serverless function is a
//! Lambda function with triggers, a serverless API an API Gateway API with routes; the
//! resources SAM generates (implicit roles, function URLs, implicit APIs) come from
//! [`trustmap_cloudformation::sam`].

pub(super) mod apigw;
pub(super) mod cloudtrail;
pub(super) mod ec2;
pub(super) mod ecr;
pub(super) mod ecs;
pub(super) mod eks;
pub(super) mod iam;
pub(super) mod kms;
pub(super) mod lambda;
pub(super) mod rds;
pub(super) mod s3;
pub(super) mod secretsmanager;
pub(super) mod sns;
pub(super) mod sqs;

#[cfg(test)]
mod tests;

use trustmap_cloudformation::Resource;
use trustmap_model::{Language, ResourceMeta};
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::read::attr;

pub(super) fn meta(r: &Resource) -> ResourceMeta {
    ResourceMeta {
        address: r.logical_id.clone(),
        language: Language::CloudFormation,
        span: r.span,
        via: r.via.clone(),
    }
}

/// A nested property object (`PublicAccessBlockConfiguration`, `MetadataOptions`, ...).
pub(super) enum Object<'a> {
    Absent,
    Known(&'a Node),
    /// Written, but decided by something unknown (an `Fn::If` on an unknown condition).
    Unknown(Span),
}

pub(super) fn object<'a>(body: &'a Node, key: &str) -> Object<'a> {
    match attr(body, key) {
        None => Object::Absent,
        Some(n) if n.as_map().is_some() => Object::Known(n),
        Some(n) => Object::Unknown(n.span),
    }
}

/// The items of a list property; an unknown list is `Err` with its span.
pub(super) fn items<'a>(body: &'a Node, key: &str) -> Result<Vec<&'a Node>, Span> {
    match attr(body, key) {
        None => Ok(Vec::new()),
        Some(n) if n.is_unknown() => Err(n.span),
        Some(n) => Ok(n.one_or_many()),
    }
}
