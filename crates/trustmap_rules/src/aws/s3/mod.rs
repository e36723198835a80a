//! S3 rules: who can reach a bucket's objects, whether the bucket's controls are owned, and
//! whether access to it is recorded.

mod s3_bucket_access_logging_disabled;
mod s3_bucket_policy_public;
mod s3_bucket_public_access_block_missing;
mod s3_bucket_public_acl;
mod s3_bucket_unencrypted;

pub(crate) use s3_bucket_access_logging_disabled::S3BucketAccessLoggingDisabled;
pub(crate) use s3_bucket_policy_public::S3BucketPolicyPublic;
pub(crate) use s3_bucket_public_access_block_missing::S3BucketPublicAccessBlockMissing;
pub(crate) use s3_bucket_public_acl::S3BucketPublicAcl;
pub(crate) use s3_bucket_unencrypted::S3BucketUnencrypted;
