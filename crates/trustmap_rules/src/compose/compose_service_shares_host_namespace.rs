//! `network_mode: host`, `pid: host`, `ipc: host` on a compose service.

use trustmap_model::Model;

use super::services;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Compose services that share a namespace with the host: `network_mode: host`,
    /// `pid: host` or `ipc: host`.
    ///
    /// ## Why it matters
    ///
    /// Each one removes a wall between the container and the host. With the host's network,
    /// the container listens on the host's interfaces (no port mapping decides what is
    /// exposed) and reaches every service bound to `localhost` on the host — the Docker API on
    /// a TCP port, cloud metadata proxies, admin consoles. With the host's PID namespace it
    /// sees every process, reads their environment and command lines (secrets included) and,
    /// as root, can `ptrace` them. With the host's IPC namespace it reads and writes the shared
    /// memory of host processes.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: registry.example.com/agent:4.2.0
    ///     network_mode: host
    ///     pid: host
    /// ```
    ///
    /// ## Fix
    ///
    /// Remove the settings; publish the ports the service needs and put services that talk to
    /// each other on a shared network:
    ///
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: registry.example.com/agent:4.2.0
    ///     networks: [backend]
    ///     ports: ["127.0.0.1:8125:8125/udp"]
    /// networks:
    ///   backend: {}
    /// ```
    ///
    /// ## References
    ///
    /// - Compose Specification: `network_mode`, `pid`, `ipc`
    pub(crate) ComposeServiceSharesHostNamespace {
        id: "CMP-002",
        name: "compose-service-shares-host-namespace",
        severity: High,
        capability: Design,
        languages: [Compose],
        equivalents: {
            kics: [
                "071a71ff-f868-47a4-ac0b-3c59e4ab5443",
                "4f31dd9f-2cc3-4751-9b53-67e4af83dac0",
                "baa3890f-bed7-46f5-ab8f-1da8fc91c729",
            ],
            cwe: ["CWE-668"],
        },
    }
}

impl Rule for ComposeServiceSharesHostNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let (mut found, mut unknown) = (false, false);
            for (field, value, namespace) in [
                ("network_mode", &s.network_mode, "network"),
                ("pid", &s.pid, "PID"),
                ("ipc", &s.ipc, "IPC"),
            ] {
                match value.get() {
                    None => unknown = true,
                    Some(Some(mode)) if mode.trim() == "host" => {
                        found = true;
                        out.report(
                            &s.meta,
                            value.span,
                            &value.via,
                            format!(
                                "service `{}` shares the host's {namespace} namespace (`{field}: host`)",
                                s.label()
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            match (found, unknown) {
                (false, false) => out.pass_at(s.meta.span),
                (false, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
