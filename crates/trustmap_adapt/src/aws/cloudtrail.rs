//! CloudTrail trails.

use trustmap_model::aws::cloudtrail::{CloudTrail, Trail};

use super::join::Index;
use super::read::{self, meta};

pub(crate) fn adapt(index: &Index<'_>) -> CloudTrail {
    let mut ct = CloudTrail::default();
    for r in index.managed("aws_cloudtrail") {
        let b = &r.body;
        ct.trails.push(Trail {
            meta: meta(r),
            multi_region: read::bool_or(b, "is_multi_region_trail", false, r.span),
            log_validation: read::bool_or(b, "enable_log_file_validation", false, r.span),
            kms_key: read::opt_string(b, "kms_key_id", r.span),
            logging: read::bool_or(b, "enable_logging", true, r.span),
        });
    }
    super::cloudformation::cloudtrail::adapt(index, &mut ct);
    ct
}
