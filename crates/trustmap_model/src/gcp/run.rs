//! Cloud Run services.

use crate::{ResourceMeta, Value};

/// A `google_cloud_run_service` or `google_cloud_run_v2_service`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RunService {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// `invoker_iam_disabled` (v2 only), default `false`: when `true`, Cloud Run skips the
    /// `run.invoker` check and anyone who can reach the service can call it.
    pub invoker_iam_disabled: Value<bool>,
    /// The e-mail of the service account the containers run as: v1
    /// `template.spec.service_account_name`, v2 `template.service_account`; `None` when
    /// omitted (the project's default compute service account).
    pub service_account: Value<Option<String>>,
}
