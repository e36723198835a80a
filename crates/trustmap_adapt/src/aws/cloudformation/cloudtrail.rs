//! `AWS::CloudTrail::Trail`.

use trustmap_model::aws::cloudtrail::{CloudTrail, Trail};

use super::meta;
use crate::aws::join::Index;
use crate::aws::read;

pub(in crate::aws) fn adapt(index: &Index<'_>, ct: &mut CloudTrail) {
    for r in index.cfn("AWS::CloudTrail::Trail") {
        let p = &r.properties;
        ct.trails.push(Trail {
            meta: meta(r),
            multi_region: read::bool_or(p, "IsMultiRegionTrail", false, r.span),
            log_validation: read::bool_or(p, "EnableLogFileValidation", false, r.span),
            kms_key: read::opt_string(p, "KMSKeyId", r.span),
            // Required by CloudFormation; a trail that omits it is rejected, not silent.
            logging: read::bool_or(p, "IsLogging", true, r.span),
        });
    }
}
