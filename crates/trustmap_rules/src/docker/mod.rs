//! Dockerfile rules.

mod dockerfile_add_from_url;
mod dockerfile_base_image_mutable_tag;
mod dockerfile_base_image_not_pinned_by_digest;
mod dockerfile_copies_secret_file;
mod dockerfile_disables_tls_verification;
mod dockerfile_pipes_download_to_shell;
mod dockerfile_run_security_insecure;
mod dockerfile_runs_as_root;
mod dockerfile_secret_in_env_or_arg;
mod dockerfile_uses_sudo;
mod dockerfile_without_healthcheck;
mod dockerfile_world_writable_permissions;

pub(crate) use dockerfile_add_from_url::DockerfileAddFromUrl;
pub(crate) use dockerfile_base_image_mutable_tag::DockerfileBaseImageMutableTag;
pub(crate) use dockerfile_base_image_not_pinned_by_digest::DockerfileBaseImageNotPinnedByDigest;
pub(crate) use dockerfile_copies_secret_file::DockerfileCopiesSecretFile;
pub(crate) use dockerfile_disables_tls_verification::DockerfileDisablesTlsVerification;
pub(crate) use dockerfile_pipes_download_to_shell::DockerfilePipesDownloadToShell;
pub(crate) use dockerfile_pipes_download_to_shell::piped_downloads;
pub(crate) use dockerfile_run_security_insecure::DockerfileRunSecurityInsecure;
pub(crate) use dockerfile_runs_as_root::DockerfileRunsAsRoot;
pub(crate) use dockerfile_secret_in_env_or_arg::DockerfileSecretInEnvOrArg;
pub(crate) use dockerfile_uses_sudo::DockerfileUsesSudo;
pub(crate) use dockerfile_without_healthcheck::DockerfileWithoutHealthcheck;
pub(crate) use dockerfile_world_writable_permissions::DockerfileWorldWritablePermissions;

use trustmap_model::docker::shell::Script;
use trustmap_model::docker::{Dockerfile, Instruction, InstructionKind};

/// Every instruction of every stage, `ONBUILD` triggers included (they run in child builds).
pub(crate) fn instructions(d: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    d.stages.iter().flat_map(|s| s.all_instructions())
}

/// Every shell script a `RUN` executes.
pub(crate) fn scripts(d: &Dockerfile) -> impl Iterator<Item = &Script> {
    instructions(d).flat_map(|i| match &i.kind {
        InstructionKind::Run(r) => r.scripts.as_slice(),
        _ => &[],
    })
}
