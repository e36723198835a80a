//! ECS rules: what a task's containers can do to their host, what they carry in their
//! environment, and which identity their code runs as.

mod ecs_container_env_plaintext_secret;
mod ecs_container_privileged;
mod ecs_container_writable_root_filesystem;
mod ecs_task_host_network;
mod ecs_task_host_pid;
mod ecs_task_without_task_role;

pub(crate) use ecs_container_env_plaintext_secret::EcsContainerEnvPlaintextSecret;
pub(crate) use ecs_container_privileged::EcsContainerPrivileged;
pub(crate) use ecs_container_writable_root_filesystem::EcsContainerWritableRootFilesystem;
pub(crate) use ecs_task_host_network::EcsTaskHostNetwork;
pub(crate) use ecs_task_host_pid::EcsTaskHostPid;
pub(crate) use ecs_task_without_task_role::EcsTaskWithoutTaskRole;
