use trustmap_model::Model;

use super::nsg_admin_port_open_to_internet::{inbound_internet_sources, rule_label};
use crate::network_exposure::report_world_sources;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An inbound `Allow` network security group rule from the internet (`*`, `Any`,
    /// `Internet`, `0.0.0.0/0` or `::/0`) to every destination port (`*` or `0-65535`) of
    /// every protocol, TCP or UDP. Inline `security_rule` blocks and
    /// `azurerm_network_security_rule` are both checked.
    ///
    /// ## Why it matters
    /// Every service on the VMs behind the group becomes an internet-facing service:
    /// management agents, databases, debug ports and admin consoles that were meant to be
    /// reachable only inside the virtual network. Scanners find them within minutes.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_network_security_group" "app" {
    ///   name                = "app"
    ///   location            = "westeurope"
    ///   resource_group_name = azurerm_resource_group.main.name
    ///
    ///   security_rule {
    ///     name                       = "any"
    ///     priority                   = 100
    ///     direction                  = "Inbound"
    ///     access                     = "Allow"
    ///     protocol                   = "*"
    ///     source_port_range          = "*"
    ///     destination_port_range     = "*"
    ///     source_address_prefix      = "Internet"
    ///     destination_address_prefix = "*"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Open only the ports the application serves:
    ///
    /// ```hcl
    ///   security_rule {
    ///     name                       = "https"
    ///     priority                   = 100
    ///     direction                  = "Inbound"
    ///     access                     = "Allow"
    ///     protocol                   = "Tcp"
    ///     source_port_range          = "*"
    ///     destination_port_range     = "443"
    ///     source_address_prefix      = "Internet"
    ///     destination_address_prefix = "*"
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview>
    pub(crate) NsgAllPortsOpenToInternet {
        id: "AZU-NETWORK-002",
        name: "nsg-all-ports-open-to-internet",
        severity: Critical,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            trivy: ["AVD-AZU-0047"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for NsgAllPortsOpenToInternet {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.azure.nsg_rules {
            let Some(internet) = inbound_internet_sources(rule, out) else {
                continue;
            };
            match rule.opens_all_ports() {
                None => out.unknown(),
                Some(false) => out.pass_at(rule.meta.span),
                Some(true) => {
                    let protocol = rule.protocol.get().map_or("", String::as_str);
                    let what = if protocol.trim() == "*" {
                        "every protocol and port".to_string()
                    } else {
                        format!("every {} port", protocol.to_ascii_uppercase())
                    };
                    report_world_sources(out, &rule.meta, internet, |source| {
                        format!(
                            "security rule {} allows {what} from `{source}`",
                            rule_label(rule)
                        )
                    });
                }
            }
        }
    }
}
