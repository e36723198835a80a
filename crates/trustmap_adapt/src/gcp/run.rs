//! Cloud Run services.

use trustmap_model::Value;
use trustmap_model::gcp::run::RunService;

use super::Index;
use crate::terraform_read::{self as read, Blocks, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<RunService> {
    let mut services = Vec::new();
    // In join-table order (`super::TARGETS`): v1 first, then v2.
    for rtype in ["google_cloud_run_service", "google_cloud_run_v2_service"] {
        for r in index.managed(rtype) {
            services.push(RunService {
                meta: meta(r),
                name: read::string_at(&r.body, "name", r.span),
                invoker_iam_disabled: read::bool_or(&r.body, "invoker_iam_disabled", false, r.span),
                service_account: service_account(r),
            });
        }
    }
    services
}

/// The runtime service account: v1 `template.spec.service_account_name`, v2
/// `template.service_account`; `None` (the default compute account) when omitted.
fn service_account(r: &trustmap_terraform::TfResource) -> Value<Option<String>> {
    let template = blocks(&r.body, "template");
    let Some(t) = template.first() else {
        return match template {
            Blocks::Unknown(span) => Value::unknown(span),
            _ => Value::default_at(None, r.span),
        };
    };
    if r.rtype == "google_cloud_run_service" {
        match blocks(t, "spec") {
            Blocks::Unknown(span) => Value::unknown(span),
            spec => match spec.first() {
                Some(s) => read::opt_string(s, "service_account_name", s.span),
                None => Value::default_at(None, t.span),
            },
        }
    } else {
        read::opt_string(t, "service_account", t.span)
    }
}
