//! Docker Compose files: services and the settings that decide how much of the host each
//! one gets (privileges, namespaces, mounts, published ports) and what it carries
//! (environment, image).
//!
//! Values written with `${VAR}` interpolation depend on the environment `docker compose`
//! runs in: typed fields holding one are unknown, and environment values keep their text but
//! are marked [`EnvValue::Interpolated`]. Omitted fields carry Docker's default, located at
//! the service that omitted them.

use trustmap_source::Span;

use crate::k8s::ImageRef;
use crate::{ResourceMeta, Value};

/// One compose file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ComposeFile {
    /// Address = the file's path; span = the document.
    pub meta: ResourceMeta,
    pub services: Vec<Service>,
}

/// One entry of `services`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Service {
    /// Address `path#service`; span = the service's mapping.
    pub meta: ResourceMeta,
    pub name: String,
    pub name_span: Span,
    /// `image`; `None` when the service is only built (`build:` without `image:`).
    pub image: Option<Value<ImageRef>>,
    /// The `build` entry, when the service's image is built from a Dockerfile (then
    /// `image`, if set, names the result rather than something pulled).
    pub build: Option<Span>,
    /// Default `false`.
    pub privileged: Value<bool>,
    /// `network_mode` (`host`, `bridge`, `none`, `service:x`, `container:x`); default `None`
    /// (the project's networks).
    pub network_mode: Value<Option<String>>,
    /// `pid` (`host`, `service:x`); default `None` (a private PID namespace).
    pub pid: Value<Option<String>>,
    /// `ipc` (`host`, `shareable`, `service:x`); default `None` (private).
    pub ipc: Value<Option<String>>,
    pub cap_add: Vec<Value<String>>,
    pub cap_drop: Vec<Value<String>>,
    pub volumes: Vec<Volume>,
    pub ports: Vec<Port>,
    pub environment: Vec<EnvVar>,
    /// `user`; default `None` (the image's `USER`).
    pub user: Value<Option<String>>,
    /// Default `false`.
    pub read_only: Value<bool>,
    pub security_opt: Vec<Value<String>>,
}

impl Service {
    /// The service's name for messages.
    pub fn label(&self) -> &str {
        &self.name
    }
}

/// How a volume entry is backed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum VolumeKind {
    /// A host path (short syntax with a path source, or `type: bind`).
    Bind,
    /// A named or anonymous volume.
    Volume,
    Tmpfs,
    /// A Windows named pipe (`type: npipe`).
    Npipe,
    /// Another `type`, as written.
    Other(String),
}

/// One `volumes` entry of a service.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Volume {
    /// The whole entry.
    pub span: Span,
    pub kind: VolumeKind,
    /// The host path or volume name; `None` for an anonymous volume or tmpfs.
    pub source: Option<Value<String>>,
    pub target: Value<String>,
    /// Default `false`.
    pub read_only: Value<bool>,
}

impl Volume {
    /// The host path, for a bind mount whose source is known.
    pub fn host_path(&self) -> Option<&str> {
        match self.kind {
            VolumeKind::Bind | VolumeKind::Npipe => self.source.as_ref()?.get().map(String::as_str),
            _ => None,
        }
    }
}

/// One `ports` entry: a container port, and where it is published on the host.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Port {
    /// The whole entry.
    pub span: Span,
    /// `host_ip` (or the `IP:` prefix of the short syntax); default `None`: every host
    /// interface (`0.0.0.0` and `::`), unless the Docker daemon is configured otherwise.
    pub host_ip: Value<Option<String>>,
    /// The host port or range; `None` when Docker picks an ephemeral host port (the port is
    /// still published).
    pub published: Value<Option<String>>,
    /// The container port or range, e.g. `5432` or `5000-5010`.
    pub target: Value<String>,
    /// Default `tcp`.
    pub protocol: Value<String>,
}

impl Port {
    /// Known to listen on every host interface (no host IP, or a wildcard one).
    pub fn binds_all_interfaces(&self) -> Option<bool> {
        let ip = self.host_ip.get()?;
        Some(match ip.as_deref() {
            None => true,
            Some(ip) => matches!(
                ip.trim().trim_start_matches('[').trim_end_matches(']'),
                "" | "0.0.0.0" | "::" | "*"
            ),
        })
    }

    /// The container ports this entry covers (`5432`, or `5000-5010` as a range).
    pub fn target_ports(&self) -> Option<std::ops::RangeInclusive<u16>> {
        port_range(self.target.get()?)
    }
}

/// `5432` or `5000-5010` as a range of ports.
pub fn port_range(text: &str) -> Option<std::ops::RangeInclusive<u16>> {
    let text = text.trim();
    match text.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some(a..=b)
        }
        None => {
            let p = text.parse().ok()?;
            Some(p..=p)
        }
    }
}

/// One `environment` entry (map or list form).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct EnvVar {
    pub name: String,
    pub name_span: Span,
    /// The whole entry.
    pub span: Span,
    pub value: EnvValue,
}

/// Where an environment variable's value comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub enum EnvValue {
    /// Written in the file (after `$$` unescaping).
    Literal(Value<String>),
    /// Contains `${VAR}` / `$VAR` interpolation: the value comes from the shell or `.env`
    /// file `docker compose` runs with. The text is kept as written.
    Interpolated(Value<String>),
    /// `- NAME` or `NAME:` with no value: passed through from the environment.
    FromHost(Span),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges() {
        assert_eq!(port_range("5432"), Some(5432..=5432));
        assert_eq!(port_range("5000-5010"), Some(5000..=5010));
        assert_eq!(port_range("x"), None);
        assert_eq!(port_range("9-1"), None);
    }
}
