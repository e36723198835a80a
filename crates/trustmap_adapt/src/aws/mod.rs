//! Terraform → AWS model.
//!
//! Each service module reads its resource types from the [`join::Index`], which groups the
//! evaluated resources by type and resolves references between them (see [`join::TARGETS`]).
//! Provider defaults are filled in here, located at the block that omitted them.

mod ec2;
mod iam;
mod join;
mod lambda;
mod policy;
mod read;
mod s3;

#[cfg(test)]
mod tests;

use trustmap_model::aws::Aws;
use trustmap_terraform::TfOutput;

/// Builds the AWS model from evaluated Terraform.
pub fn from_terraform(tf: &TfOutput) -> Aws {
    let index = join::Index::new(&tf.resources);
    Aws {
        s3: s3::adapt(&index),
        iam: iam::adapt(&index),
        ec2: ec2::adapt(&index),
        lambda: lambda::adapt(&index),
    }
}
