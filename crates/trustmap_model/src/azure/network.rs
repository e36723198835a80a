//! Network security group rules.

use trustmap_source::Span;

use crate::{Link, ResourceMeta, Value};

/// One NSG rule.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct NsgRule {
    /// The group (for an inline `security_rule`) or the `azurerm_network_security_rule`.
    pub meta: ResourceMeta,
    pub group: Link,
    /// The block or resource.
    pub span: Span,
    pub name: Value<String>,
    /// `Inbound` or `Outbound`.
    pub direction: Value<String>,
    /// `Allow` or `Deny`.
    pub access: Value<String>,
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`.
    pub protocol: Value<String>,
    /// `source_address_prefix` and `source_address_prefixes`.
    pub sources: Vec<Value<String>>,
    /// `destination_port_range` and `destination_port_ranges`: `22`, `1000-2000` or `*`.
    pub destination_ports: Vec<Value<String>>,
}

impl NsgRule {
    /// An inbound rule that allows traffic; `None` when unknown.
    pub fn is_inbound_allow(&self) -> Option<bool> {
        let inbound = self.direction.get()?.eq_ignore_ascii_case("inbound");
        let allow = self.access.get()?.eq_ignore_ascii_case("allow");
        Some(inbound && allow)
    }

    /// Sources that mean "the internet".
    pub fn internet_sources(&self) -> impl Iterator<Item = &Value<String>> {
        self.sources
            .iter()
            .filter(|s| s.is(|s| super::is_internet_prefix(s)))
    }

    fn protocol_in(&self, names: &[&str]) -> Option<bool> {
        let p = self.protocol.get()?.trim().to_ascii_lowercase();
        Some(names.contains(&p.as_str()))
    }

    /// Whether the rule opens every destination port (of every protocol, or of TCP/UDP).
    pub fn opens_all_ports(&self) -> Option<bool> {
        if !self.protocol_in(&["*", "tcp", "udp"])? {
            return Some(false);
        }
        self.any_port(|from, to| from <= 1 && to >= 65535)
    }

    /// Whether TCP `port` is open through this rule.
    pub fn opens_tcp_port(&self, port: i64) -> Option<bool> {
        if !self.protocol_in(&["*", "tcp"])? {
            return Some(false);
        }
        self.any_port(|from, to| from <= port && port <= to)
    }

    fn any_port(&self, hit: impl Fn(i64, i64) -> bool) -> Option<bool> {
        let mut unknown = false;
        for p in &self.destination_ports {
            match p.get().and_then(|p| port_range(p)) {
                Some((from, to)) if hit(from, to) => return Some(true),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }
}

/// `*` → every port; `22` → (22, 22); `1000-2000` → (1000, 2000).
pub fn port_range(s: &str) -> Option<(i64, i64)> {
    let s = s.trim();
    if s == "*" {
        return Some((0, 65535));
    }
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
    fn port_ranges() {
        assert_eq!(port_range("*"), Some((0, 65535)));
        assert_eq!(port_range(" 22 "), Some((22, 22)));
        assert_eq!(port_range("1000-2000"), Some((1000, 2000)));
        assert_eq!(port_range("ssh"), None);
    }
}
