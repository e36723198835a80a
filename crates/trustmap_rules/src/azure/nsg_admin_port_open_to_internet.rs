use trustmap_model::Model;
use trustmap_model::azure::network::NsgRule;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An inbound `Allow` network security group rule whose source is the internet (`*`,
    /// `Any`, `Internet`, `0.0.0.0/0` or `::/0`, in `source_address_prefix` or
    /// `source_address_prefixes`) and whose destination ports reach a remote administration
    /// or database port: SSH (22), RDP (3389), Telnet, WinRM, MySQL, PostgreSQL, SQL Server,
    /// Oracle, MongoDB, Redis, Elasticsearch, Memcached, the Docker and Kubernetes APIs and
    /// the kubelet. Inline `security_rule` blocks and `azurerm_network_security_rule` are
    /// both checked. Rules that open every port are reported by
    /// `nsg-all-ports-open-to-internet`.
    ///
    /// ## Why it matters
    /// RDP and SSH exposed to the internet are among the most brute-forced services there
    /// are, and ransomware crews buy access to them in bulk. One weak or reused password, or
    /// one unpatched service, puts the attacker on a VM inside the virtual network, next to
    /// its managed identity.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_network_security_rule" "rdp" {
    ///   name                        = "rdp"
    ///   priority                    = 100
    ///   direction                   = "Inbound"
    ///   access                      = "Allow"
    ///   protocol                    = "Tcp"
    ///   source_port_range           = "*"
    ///   destination_port_range      = "3389"
    ///   source_address_prefix       = "*"
    ///   destination_address_prefix  = "*"
    ///   resource_group_name         = azurerm_resource_group.main.name
    ///   network_security_group_name = azurerm_network_security_group.vms.name
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use Azure Bastion or just-in-time VM access, or allow only a known network:
    ///
    /// ```hcl
    ///   source_address_prefix = "203.0.113.0/24" # office VPN egress
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/bastion/bastion-overview>
    /// - <https://learn.microsoft.com/azure/defender-for-cloud/just-in-time-access-usage>
    pub(crate) NsgAdminPortOpenToInternet {
        id: "AZU-NETWORK-001",
        name: "nsg-admin-port-open-to-internet",
        severity: High,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_9", "CKV_AZURE_10"],
            trivy: ["AVD-AZU-0048", "AVD-AZU-0050", "AVD-AZU-0047"],
            cwe: ["CWE-284"],
        },
    }
}

/// Ports an attacker should never reach from the internet, with what listens on them.
const ADMIN_PORTS: &[(i64, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2375, "Docker API"),
    (2376, "Docker API"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5985, "WinRM"),
    (5986, "WinRM"),
    (6379, "Redis"),
    (6443, "Kubernetes API"),
    (9200, "Elasticsearch"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// At most this many ports are named in one message.
const NAMED: usize = 3;

/// The rule's label for messages: its name, or its address.
pub(super) fn rule_label(rule: &NsgRule) -> String {
    match rule.name.get() {
        Some(n) if rule.span != rule.meta.span => format!("`{n}` in `{}`", rule.meta.address),
        _ => format!("`{}`", rule.meta.address),
    }
}

impl Rule for NsgAdminPortOpenToInternet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.azure.nsg_rules {
            match rule.is_inbound_allow() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => continue,
                Some(true) => {}
            }
            let internet: Vec<_> = rule.internet_sources().collect();
            if internet.is_empty() {
                if rule.sources.iter().any(|s| s.is_unknown()) {
                    out.unknown();
                } else {
                    out.pass();
                }
                continue;
            }
            match rule.opens_all_ports() {
                // Every port: reported by AZU-NETWORK-002.
                Some(true) => continue,
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {}
            }
            let mut open = Vec::new();
            let mut unknown = false;
            for &(port, what) in ADMIN_PORTS {
                match rule.opens_tcp_port(port) {
                    Some(true) => open.push(format!("{port} ({what})")),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            if open.is_empty() {
                if unknown {
                    out.unknown()
                } else {
                    out.pass()
                }
                continue;
            }
            let ports = if open.len() > NAMED {
                format!(
                    "ports {} and {} more",
                    open[..NAMED].join(", "),
                    open.len() - NAMED
                )
            } else if open.len() == 1 {
                format!("port {}", open[0])
            } else {
                format!("ports {}", open.join(", "))
            };
            for source in internet {
                out.report(
                    &rule.meta,
                    source.span,
                    &source.via,
                    format!(
                        "security rule {} allows {ports} from `{}`",
                        rule_label(rule),
                        source.get().map_or("", String::as_str)
                    ),
                );
            }
        }
    }
}
