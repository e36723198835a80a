use trustmap_model::azure::network::NsgRule;
use trustmap_model::{Model, Value};

use crate::network_exposure::{admin_ports_of_range, report_world_sources, world_sources};
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

/// The rule's label for messages: its name, or its address.
pub(super) fn rule_label(rule: &NsgRule) -> String {
    match rule.name.get() {
        Some(n) if rule.span != rule.meta.span => format!("`{n}` in `{}`", rule.meta.address),
        _ => format!("`{}`", rule.meta.address),
    }
}

/// The internet sources of an inbound `Allow` rule, or `None` when there is nothing to report:
/// not inbound `Allow` (not a target), undecided (recorded as unknown), or no internet source
/// (recorded as passed or unknown).
pub(super) fn inbound_internet_sources<'a>(
    rule: &'a NsgRule,
    out: &mut Sink,
) -> Option<Vec<&'a Value<String>>> {
    match rule.is_inbound_allow() {
        None => {
            out.unknown();
            return None;
        }
        Some(false) => return None,
        Some(true) => {}
    }
    let unknown_source = rule.sources.iter().any(|s| s.is_unknown());
    world_sources(rule.meta.span, rule.internet_sources(), unknown_source, out)
}

impl Rule for NsgAdminPortOpenToInternet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.azure.nsg_rules {
            let Some(internet) = inbound_internet_sources(rule, out) else {
                continue;
            };
            // A rule opening every port is left to AZU-NETWORK-002.
            let opens = |port| rule.opens_tcp_port(port);
            let Some(ports) =
                admin_ports_of_range(rule.opens_all_ports(), opens, rule.meta.span, out)
            else {
                continue;
            };
            report_world_sources(out, &rule.meta, internet, |source| {
                format!(
                    "security rule {} allows {ports} from `{source}`",
                    rule_label(rule)
                )
            });
        }
    }
}
