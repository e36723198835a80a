//! ECR rules: whether an image reference means one image, whether images are scanned, and
//! who can pull and push.

mod ecr_repository_mutable_tags;
mod ecr_repository_policy_public;
mod ecr_scan_on_push_disabled;

pub(crate) use ecr_repository_mutable_tags::EcrRepositoryMutableTags;
pub(crate) use ecr_repository_policy_public::EcrRepositoryPolicyPublic;
pub(crate) use ecr_scan_on_push_disabled::EcrScanOnPushDisabled;
