//! AWS resources adapted from Terraform (and later CloudFormation).
//!
//! Split resources are joined by the adapter: an `aws_s3_bucket_acl` is a [`s3::BucketAcl`]
//! with a [`Link`] to its bucket, a separate security group rule a [`ec2::SgRule`] with a link
//! to its group. Parts that cannot be joined (the target is outside the scan or unknown) are
//! kept with an unresolved link, so rules still judge them on their own.

pub mod apigw;
pub mod cloudtrail;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod eks;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod policy;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod sns;
pub mod sqs;

/// Everything AWS in one scan.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Aws {
    pub s3: s3::S3,
    pub iam: iam::Iam,
    pub ec2: ec2::Ec2,
    pub lambda: lambda::Lambda,
    pub rds: rds::Rds,
    pub eks: eks::Eks,
    pub apigw: apigw::ApiGateway,
    pub sqs: sqs::Sqs,
    pub sns: sns::Sns,
    pub kms: kms::Kms,
    pub secretsmanager: secretsmanager::SecretsManager,
    pub ecr: ecr::Ecr,
    pub ecs: ecs::Ecs,
    pub cloudtrail: cloudtrail::CloudTrail,
}

impl Aws {
    /// Number of adapted AWS objects (for statistics).
    pub fn object_count(&self) -> usize {
        self.s3.buckets.len()
            + self.iam.roles.len()
            + self.iam.users.len()
            + self.iam.groups.len()
            + self.iam.policies.len()
            + self.ec2.instances.len()
            + self.ec2.launch_templates.len()
            + self.ec2.security_groups.len()
            + self.lambda.functions.len()
            + self.rds.instances.len()
            + self.rds.clusters.len()
            + self.eks.clusters.len()
            + self.apigw.apis.len()
            + self.apigw.routes.len()
            + self.apigw.stages.len()
            + self.sqs.queues.len()
            + self.sns.topics.len()
            + self.kms.keys.len()
            + self.secretsmanager.secrets.len()
            + self.ecr.repositories.len()
            + self.ecs.task_definitions.len()
            + self.cloudtrail.trails.len()
            + self.ec2.vpcs.len()
    }
}

/// Links are shared with the other clouds' models.
pub use crate::Link;
