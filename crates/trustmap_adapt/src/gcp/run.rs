//! Cloud Run services.

use trustmap_model::gcp::run::RunService;

use super::Index;
use crate::terraform_read::{self as read, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<RunService> {
    let mut services = Vec::new();
    // In join-table order (`super::TARGETS`): v1 first, then v2.
    for rtype in ["google_cloud_run_service", "google_cloud_run_v2_service"] {
        for r in index.managed(rtype) {
            services.push(RunService {
                meta: meta(r),
                name: read::string_at(&r.body, "name", r.span),
                invoker_iam_disabled: read::bool_or(&r.body, "invoker_iam_disabled", false, r.span),
            });
        }
    }
    services
}
