use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A database server firewall rule from `0.0.0.0` to `255.255.255.255`: every IPv4
    /// address. Covers `azurerm_mssql_firewall_rule`, `azurerm_sql_firewall_rule`,
    /// `azurerm_postgresql_firewall_rule`, `azurerm_postgresql_flexible_server_firewall_rule`,
    /// `azurerm_mysql_firewall_rule`, `azurerm_mysql_flexible_server_firewall_rule` and
    /// `azurerm_mariadb_firewall_rule`. A rule on a server in the scan with public network
    /// access disabled has no effect and is not reported.
    ///
    /// The special rule `0.0.0.0`–`0.0.0.0` ("allow Azure services") is not reported here,
    /// although it admits connections from any Azure customer's resources.
    ///
    /// ## Why it matters
    /// The database port answers the whole internet; its login is the only barrier, and
    /// database logins are brute-forced by botnets around the clock. A firewall rule exists
    /// to name who may connect, and this one names everyone.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_mssql_firewall_rule" "all" {
    ///   name             = "all"
    ///   server_id        = azurerm_mssql_server.main.id
    ///   start_ip_address = "0.0.0.0"
    ///   end_ip_address   = "255.255.255.255"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Allow only the addresses that connect, or use a private endpoint:
    ///
    /// ```hcl
    /// resource "azurerm_mssql_firewall_rule" "office" {
    ///   name             = "office"
    ///   server_id        = azurerm_mssql_server.main.id
    ///   start_ip_address = "203.0.113.10"
    ///   end_ip_address   = "203.0.113.20"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/azure-sql/database/firewall-configure>
    pub(crate) DatabaseFirewallAllowsAllIps {
        id: "AZU-SQL-001",
        name: "azure-database-firewall-allows-all-ips",
        severity: Critical,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_11", "CKV2_AZURE_34"],
            trivy: ["AVD-AZU-0029"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for DatabaseFirewallAllowsAllIps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.azure.sql_firewall_rules {
            let server = rule
                .server
                .target
                .and_then(|i| model.azure.sql_servers.get(i));
            if server.is_some_and(|s| s.public_network_access.is_false()) {
                out.pass_at(rule.meta.span);
                continue;
            }
            match rule.allows_all() {
                None => out.unknown(),
                Some(false) => out.pass_at(rule.meta.span),
                Some(true) => {
                    let (kind, name) = match server {
                        Some(s) => (s.kind.as_str(), s.meta.address.as_str()),
                        None => ("server", rule.server.label()),
                    };
                    out.report(
                        &rule.meta,
                        rule.end_ip.span,
                        &rule.end_ip.via,
                        format!(
                            "firewall rule `{}` opens {kind} `{name}` to every IPv4 address (`0.0.0.0`–`255.255.255.255`)",
                            rule.meta.address
                        ),
                    );
                }
            }
        }
    }
}
