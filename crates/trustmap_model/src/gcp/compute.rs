//! Compute Engine: the service account VM-backed workloads run as, and VPC firewall rules.

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

/// What kind of VM-backed workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum VmKind {
    Instance,
    InstanceTemplate,
    /// A GKE node pool (`node_config` of a cluster, an inline `node_pool`, or a
    /// `google_container_node_pool`).
    GkeNodePool,
}

impl VmKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VmKind::Instance => "instance",
            VmKind::InstanceTemplate => "instance template",
            VmKind::GkeNodePool => "GKE node pool",
        }
    }
}

/// The identity of one VM-backed workload.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct VmIdentity {
    pub meta: ResourceMeta,
    pub kind: VmKind,
    /// `None` when no service account is attached (an instance without a
    /// `service_account` block).
    pub service_account: Option<VmServiceAccount>,
}

/// The service account of a VM and the OAuth scopes its token carries.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct VmServiceAccount {
    /// The `service_account` / `node_config` block (or the resource that omitted it).
    pub span: Span,
    /// The email, or `default` (the provider's value when it is omitted) for the Compute
    /// Engine default service account.
    pub email: Value<String>,
    /// The scopes written (short names or URLs); empty when left to the default set, which
    /// never includes `cloud-platform`.
    pub scopes: Vec<Value<String>>,
}

impl VmServiceAccount {
    /// Whether this is the project's Compute Engine default service account.
    pub fn is_default(&self) -> Option<bool> {
        self.email.get().map(|e| is_default_compute_account(e))
    }

    /// The scope that grants every Google API, when listed.
    pub fn full_access_scope(&self) -> Option<&Value<String>> {
        self.scopes
            .iter()
            .find(|s| s.is(|s| is_full_access_scope(s)))
    }
}

/// `default`, or `<project-number>-compute@developer.gserviceaccount.com`.
pub fn is_default_compute_account(email: &str) -> bool {
    let e = email.trim();
    e == "default" || e.ends_with("-compute@developer.gserviceaccount.com")
}

/// `cloud-platform` or its URL: the token may call every Google API the account is
/// permitted to.
pub fn is_full_access_scope(scope: &str) -> bool {
    matches!(
        scope.trim().trim_end_matches('/'),
        "cloud-platform" | "https://www.googleapis.com/auth/cloud-platform"
    )
}

/// A `google_compute_firewall`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Firewall {
    pub meta: ResourceMeta,
    /// `INGRESS` (the default) or `EGRESS`.
    pub direction: Value<String>,
    /// `disabled`, default `false`.
    pub disabled: Value<bool>,
    pub source_ranges: Vec<Value<String>>,
    /// The `allow` blocks (`deny` rules open nothing).
    pub allows: Vec<FirewallAllow>,
}

impl Firewall {
    /// Whether this is an enabled ingress rule; `None` when unknown.
    pub fn is_active_ingress(&self) -> Option<bool> {
        if *self.disabled.get()? {
            return Some(false);
        }
        Some(self.direction.get()?.eq_ignore_ascii_case("INGRESS"))
    }

    /// Source ranges that mean "anywhere".
    pub fn world_sources(&self) -> impl Iterator<Item = &Value<String>> {
        self.source_ranges
            .iter()
            .filter(|c| c.is(|s| super::is_world_cidr(s)))
    }
}

/// One `allow { protocol ports }` block.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FirewallAllow {
    pub span: Span,
    /// `tcp`, `udp`, `icmp`, `all`, ... or an IP protocol number.
    pub protocol: Value<String>,
    /// Ports and ranges (`22`, `8000-8080`); empty means every port.
    pub ports: Vec<Value<String>>,
}

impl FirewallAllow {
    fn protocol_is(&self, names: &[&str]) -> Option<bool> {
        let p = self.protocol.get()?.trim().to_ascii_lowercase();
        Some(names.contains(&p.as_str()))
    }

    /// Whether the block allows every protocol, or every TCP or UDP port.
    pub fn opens_all_ports(&self) -> Option<bool> {
        if self.protocol_is(&["all"])? {
            return Some(true);
        }
        if !self.protocol_is(&["tcp", "6", "udp", "17"])? {
            return Some(false);
        }
        if self.ports.is_empty() {
            return Some(true);
        }
        let mut unknown = false;
        for p in &self.ports {
            match p.get().and_then(|p| port_range(p)) {
                Some((from, to)) if from <= 1 && to >= 65535 => return Some(true),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }

    /// Whether TCP `port` is allowed through this block.
    pub fn opens_tcp_port(&self, port: i64) -> Option<bool> {
        if self.protocol_is(&["all"])? {
            return Some(true);
        }
        if !self.protocol_is(&["tcp", "6"])? {
            return Some(false);
        }
        if self.ports.is_empty() {
            return Some(true);
        }
        let mut unknown = false;
        for p in &self.ports {
            match p.get().and_then(|p| port_range(p)) {
                Some((from, to)) if from <= port && port <= to => return Some(true),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }
}

/// `22` → (22, 22); `8000-8080` → (8000, 8080).
pub fn port_range(s: &str) -> Option<(i64, i64)> {
    let s = s.trim();
    match s.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let p = s.parse().ok()?;
            Some((p, p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_accounts_and_scopes() {
        assert!(is_default_compute_account("default"));
        assert!(is_default_compute_account(
            "123456789012-compute@developer.gserviceaccount.com"
        ));
        assert!(!is_default_compute_account(
            "web@acme-prod.iam.gserviceaccount.com"
        ));
        assert!(is_full_access_scope("cloud-platform"));
        assert!(is_full_access_scope(
            "https://www.googleapis.com/auth/cloud-platform"
        ));
        assert!(!is_full_access_scope(
            "https://www.googleapis.com/auth/cloud-platform.read-only"
        ));
    }
}
