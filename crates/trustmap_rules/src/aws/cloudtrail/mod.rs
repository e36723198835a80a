//! CloudTrail rules: whether the audit trail covers every region, can be trusted, and is
//! protected by a key you control.

mod cloudtrail_log_validation_disabled;
mod cloudtrail_not_encrypted_with_kms;
mod cloudtrail_single_region;

pub(crate) use cloudtrail_log_validation_disabled::CloudtrailLogValidationDisabled;
pub(crate) use cloudtrail_not_encrypted_with_kms::CloudtrailNotEncryptedWithKms;
pub(crate) use cloudtrail_single_region::CloudtrailSingleRegion;
