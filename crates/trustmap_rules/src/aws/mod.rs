//! AWS rules, over the AWS model (Terraform today; CloudFormation adapts into the same model).
//!
//! Split resources are already joined by the adapter, and every policy is a typed
//! [`PolicyDocument`](trustmap_model::aws::policy::PolicyDocument), so a rule reads one list
//! and covers inline blocks, separate resources, `jsonencode` and `aws_iam_policy_document`.

mod ec2;
mod iam;
mod lambda;
mod s3;

pub(crate) use ec2::*;
pub(crate) use iam::*;
pub(crate) use lambda::*;
pub(crate) use s3::*;

use trustmap_model::aws::Link;
use trustmap_model::aws::iam::{Iam, IdentityLink};
use trustmap_model::aws::policy::Principal;

/// The address of a linked object when the scan defines it, else what the source names.
fn label<'a>(link: &'a Link, address_of: impl Fn(usize) -> Option<&'a str>) -> &'a str {
    link.target
        .and_then(address_of)
        .unwrap_or_else(|| link.label())
}

fn bucket_label<'a>(model: &'a trustmap_model::Model, link: &'a Link) -> &'a str {
    label(link, |i| {
        model.aws.s3.buckets.get(i).map(|b| b.meta.address.as_str())
    })
}

fn function_label<'a>(model: &'a trustmap_model::Model, link: &'a Link) -> &'a str {
    label(link, |i| {
        model
            .aws
            .lambda
            .functions
            .get(i)
            .map(|f| f.meta.address.as_str())
    })
}

fn identity_label<'a>(iam: &'a Iam, to: &'a IdentityLink) -> &'a str {
    iam.identity(to)
        .map_or_else(|| to.link.label(), |m| m.address.as_str())
}

/// `a`, `a` and `b`, `a`, `b` and `c`: a short list for messages, each item in backticks.
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Who a statement's "anyone" principal is, for messages.
fn anyone(p: &Principal) -> &'static str {
    if p.is_everyone() {
        "any principal (`*`)"
    } else {
        "any principal not excluded by `NotPrincipal`"
    }
}
