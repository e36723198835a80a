//! The container runtime's API socket mounted into a compose service.

use trustmap_model::Model;

use super::services;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Compose services that mount a container runtime's API socket from the host:
    /// `/var/run/docker.sock` (or `/run/docker.sock`), and the Podman, containerd and CRI-O
    /// sockets. A read-only mount (`:ro`) is found too: it stops writes to the socket file,
    /// not calls to the API behind it.
    ///
    /// ## Why it matters
    ///
    /// Whoever can talk to the Docker API is root on the host: one call starts a new
    /// privileged container with the host's `/` mounted. Any code execution in this service —
    /// a dependency, a template injection in a dashboard, a CI job it runs — becomes full
    /// control of the host and of every other container on it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   dashboard:
    ///     image: registry.example.com/dashboard:2.0.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the mount. If the service must read container state, put a filtering proxy in
    /// front of the socket that allows only the read-only endpoints it uses, and give the
    /// service that proxy's address:
    ///
    /// ```yaml
    /// services:
    ///   dashboard:
    ///     image: registry.example.com/dashboard:2.0.1
    ///     environment:
    ///       DOCKER_HOST: tcp://socket-proxy:2375
    ///   socket-proxy:
    ///     image: registry.example.com/docker-socket-proxy:0.3.0
    ///     environment:
    ///       CONTAINERS: "1"
    ///       POST: "0"
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    ///
    /// Keep that proxy on an internal network only, and accept this finding on it with a
    /// reason (`# trustmap:ignore[CMP-003] read-only API proxy, internal network`).
    pub(crate) ComposeDockerSocketMounted {
        id: "CMP-003",
        name: "compose-docker-socket-mounted",
        severity: Critical,
        capability: Design,
        languages: [Compose],
        equivalents: {
            kics: ["d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"],
            cwe: ["CWE-250"],
        },
    }
}

/// Runtime API sockets, by file name.
const SOCKETS: &[&str] = &["docker.sock", "podman.sock", "containerd.sock", "crio.sock"];

/// True for `/var/run/docker.sock`, `//var/run/docker.sock`, `/run/podman/podman.sock`, ...
fn is_runtime_socket(path: &str) -> bool {
    let name = path
        .trim()
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    SOCKETS.contains(&name)
}

impl Rule for ComposeDockerSocketMounted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let (mut found, mut unknown) = (false, false);
            for v in &s.volumes {
                let Some(source) = &v.source else { continue };
                if source.is_unknown() {
                    unknown = true;
                    continue;
                }
                let Some(path) = v.host_path().filter(|p| is_runtime_socket(p)) else {
                    continue;
                };
                found = true;
                out.report(
                    &s.meta,
                    source.span,
                    &source.via,
                    format!(
                        "service `{}` mounts the container runtime socket `{path}`, which gives it root on the host",
                        s.label()
                    ),
                );
            }
            match (found, unknown) {
                (false, false) => out.pass_at(s.meta.span),
                (false, true) => out.unknown(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_runtime_socket;

    #[test]
    fn runtime_sockets() {
        assert!(is_runtime_socket("/var/run/docker.sock"));
        assert!(is_runtime_socket("//var/run/docker.sock"));
        assert!(is_runtime_socket("/run/podman/podman.sock"));
        assert!(!is_runtime_socket("/var/run/docker"));
        assert!(!is_runtime_socket("./docker.sock.d/config"));
    }
}
