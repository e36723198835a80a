//! GitHub Actions rules.

mod contexts;
mod gha_cache_poisoning_in_release;
mod gha_checkout_credentials_in_artifact;
mod gha_deploy_without_environment;
mod gha_excessive_permissions;
mod gha_permissions_unspecified;
mod gha_script_injection;
mod gha_secret_written_to_log;
mod gha_secrets_inherit;
mod gha_security_step_continue_on_error;
mod gha_self_hosted_runner_on_public_trigger;
mod gha_unpinned_action;
mod gha_untrusted_checkout_on_privileged_trigger;
mod gha_unused_oidc_permission;
mod sites;
mod taint;

pub(crate) use gha_cache_poisoning_in_release::GhaCachePoisoningInRelease;
pub(crate) use gha_checkout_credentials_in_artifact::GhaCheckoutCredentialsInArtifact;
pub(crate) use gha_deploy_without_environment::{GhaDeployWithoutEnvironment, deploy_command};
pub(crate) use gha_excessive_permissions::GhaExcessivePermissions;
pub(crate) use gha_permissions_unspecified::GhaPermissionsUnspecified;
pub(crate) use gha_script_injection::GhaScriptInjection;
pub(crate) use gha_secret_written_to_log::GhaSecretWrittenToLog;
pub(crate) use gha_secrets_inherit::GhaSecretsInherit;
pub(crate) use gha_security_step_continue_on_error::GhaSecurityStepContinueOnError;
pub(crate) use gha_self_hosted_runner_on_public_trigger::GhaSelfHostedRunnerOnPublicTrigger;
pub(crate) use gha_unpinned_action::GhaUnpinnedAction;
pub(crate) use gha_untrusted_checkout_on_privileged_trigger::GhaUntrustedCheckoutOnPrivilegedTrigger;
pub(crate) use gha_unused_oidc_permission::GhaUnusedOidcPermission;

use trustmap_model::gha::{Caller, Scalar, Step, Workflow};

/// Triggers that run with the base repository's secrets and a write token while being started
/// by, or carrying data from, people outside the repository.
pub(crate) const PRIVILEGED_TRIGGERS: &[&str] =
    &["pull_request_target", "workflow_run", "issue_comment"];

/// Triggers an outsider can start that run in the default branch's context (its caches,
/// its secrets, a token that can write).
pub(crate) const UNTRUSTED_TRIGGERS: &[&str] = &[
    "pull_request_target",
    "workflow_run",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
];

/// The caller a workflow inherits `event` from, when the workflow does not list it itself.
pub(crate) fn trigger_origin<'a>(w: &'a Workflow, event: &str) -> Option<&'a Caller> {
    if w.has_trigger(event) {
        return None;
    }
    w.callers
        .iter()
        .find(|c| c.triggers.iter().any(|t| t.event == event))
}

/// Every scalar a step holds: `run`, `with`, `env`, `if`.
pub(crate) fn step_scalars(s: &Step) -> impl Iterator<Item = &Scalar> {
    s.run
        .iter()
        .chain(s.with.iter().map(|kv| &kv.value))
        .chain(s.env.iter().map(|kv| &kv.value))
        .chain(s.condition.iter())
}

/// Every scalar of a workflow: its `env`, its jobs' `env`/`with`/`outputs`/`if` and steps.
pub(crate) fn workflow_scalars(w: &Workflow) -> Vec<&Scalar> {
    let mut out: Vec<&Scalar> = w.env.iter().map(|kv| &kv.value).collect();
    for j in &w.jobs {
        out.extend(j.env.iter().map(|kv| &kv.value));
        out.extend(j.with.iter().map(|kv| &kv.value));
        out.extend(j.outputs.iter().map(|kv| &kv.value));
        out.extend(j.condition.iter());
        out.extend(j.steps.iter().flat_map(step_scalars));
    }
    out
}
