//! Docker Compose rules, over the compose model: what each service gets from the host it
//! runs on (privileges, namespaces, the Docker socket, published ports) and what it carries
//! (secrets in its environment, the image it pulls).

mod compose_database_port_exposed;
mod compose_docker_socket_mounted;
mod compose_env_plaintext_secret;
mod compose_image_mutable_tag;
mod compose_service_adds_dangerous_capabilities;
mod compose_service_privileged;
mod compose_service_shares_host_namespace;

pub(crate) use compose_database_port_exposed::ComposeDatabasePortExposed;
pub(crate) use compose_docker_socket_mounted::ComposeDockerSocketMounted;
pub(crate) use compose_env_plaintext_secret::ComposeEnvPlaintextSecret;
pub(crate) use compose_image_mutable_tag::ComposeImageMutableTag;
pub(crate) use compose_service_adds_dangerous_capabilities::ComposeServiceAddsDangerousCapabilities;
pub(crate) use compose_service_privileged::ComposeServicePrivileged;
pub(crate) use compose_service_shares_host_namespace::ComposeServiceSharesHostNamespace;

use trustmap_model::Model;
use trustmap_model::compose::{ComposeFile, Service};

/// Every service of every compose file.
fn services(model: &Model) -> impl Iterator<Item = (&ComposeFile, &Service)> {
    model
        .compose
        .iter()
        .flat_map(|f| f.services.iter().map(move |s| (f, s)))
}
