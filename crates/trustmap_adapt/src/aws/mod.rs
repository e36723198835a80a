//! Terraform and CloudFormation → AWS model.
//!
//! Each service module reads its resource types from the [`join::Index`], which groups the
//! evaluated resources by type and resolves references between them (see [`join::TARGETS`]
//! and [`join::CFN_TARGETS`]). Provider defaults are filled in here, located at the block
//! that omitted them. A service fills its lists from Terraform first, then (through
//! [`cloudformation`]) from CloudFormation templates, so one list holds both languages.

mod apigw;
mod cloudformation;
mod cloudtrail;
mod ec2;
mod ecr;
mod ecs;
mod eks;
mod iam;
mod join;
mod kms;
mod lambda;
mod policy;
mod rds;
mod read;
mod s3;
mod secretsmanager;
pub mod serverless;
mod sns;
mod sqs;

#[cfg(test)]
mod template_tests;
#[cfg(test)]
mod tests;

use trustmap_cloudformation::Template;
use trustmap_model::aws::Aws;
use trustmap_terraform::TfOutput;

/// Builds the AWS model from evaluated Terraform.
pub fn from_terraform(tf: &TfOutput) -> Aws {
    from_sources(tf, &[])
}

/// Builds the AWS model from evaluated Terraform and CloudFormation/SAM templates.
pub fn from_sources(tf: &TfOutput, templates: &[Template]) -> Aws {
    let index = join::Index::with_templates(&tf.resources, templates);
    let mut aws = Aws {
        s3: s3::adapt(&index),
        iam: iam::adapt(&index),
        ec2: ec2::adapt(&index),
        lambda: lambda::adapt(&index),
        rds: rds::adapt(&index),
        eks: eks::adapt(&index),
        apigw: apigw::adapt(&index),
        sqs: sqs::adapt(&index),
        sns: sns::adapt(&index),
        kms: kms::adapt(&index),
        secretsmanager: secretsmanager::adapt(&index),
        ecr: ecr::adapt(&index),
        ecs: ecs::adapt(&index),
        cloudtrail: cloudtrail::adapt(&index),
    };
    // SAM API events become routes once both the APIs and the functions are known.
    cloudformation::apigw::sam_events(&index, &mut aws);
    aws
}
