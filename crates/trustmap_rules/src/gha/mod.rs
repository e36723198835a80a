//! GitHub Actions rules.

mod contexts;
mod gha_excessive_permissions;
mod gha_permissions_unspecified;
mod gha_script_injection;
mod gha_self_hosted_runner_on_public_trigger;
mod gha_unpinned_action;
mod gha_untrusted_checkout_on_privileged_trigger;

pub(crate) use gha_excessive_permissions::GhaExcessivePermissions;
pub(crate) use gha_permissions_unspecified::GhaPermissionsUnspecified;
pub(crate) use gha_script_injection::GhaScriptInjection;
pub(crate) use gha_self_hosted_runner_on_public_trigger::GhaSelfHostedRunnerOnPublicTrigger;
pub(crate) use gha_unpinned_action::GhaUnpinnedAction;
pub(crate) use gha_untrusted_checkout_on_privileged_trigger::GhaUntrustedCheckoutOnPrivilegedTrigger;

use trustmap_model::gha::{Job, KeyValue, Step, Workflow};

/// Triggers that run with the base repository's secrets and a write token while being started
/// by, or carrying data from, people outside the repository.
pub(crate) const PRIVILEGED_TRIGGERS: &[&str] =
    &["pull_request_target", "workflow_run", "issue_comment"];

/// The `env` entry a step sees under `name`: the step's own, else the job's, else the
/// workflow's (GitHub compares the names case-insensitively in `env.NAME`).
pub(crate) fn env_entry<'a>(
    w: &'a Workflow,
    job: &'a Job,
    step: Option<&'a Step>,
    name: &str,
) -> Option<&'a KeyValue> {
    let find = |env: &'a [KeyValue]| {
        env.iter()
            .rev()
            .find(|kv| kv.key.eq_ignore_ascii_case(name))
    };
    step.and_then(|s| find(&s.env))
        .or_else(|| find(&job.env))
        .or_else(|| find(&w.env))
}
