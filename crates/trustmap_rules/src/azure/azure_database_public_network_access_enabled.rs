use trustmap_model::Model;

use super::bool_state;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A managed database server with public network access on:
    /// `public_network_access_enabled = true`, or omitted (the default is `true`) on
    /// `azurerm_mssql_server`, `azurerm_sql_server`, `azurerm_postgresql_server`,
    /// `azurerm_postgresql_flexible_server`, `azurerm_mysql_server`,
    /// `azurerm_mysql_flexible_server` and `azurerm_mariadb_server`. A 5.x MySQL flexible
    /// server's `public_network_access = "Enabled"` is read the same way; a flexible server
    /// integrated into a virtual network (`delegated_subnet_id`) has no public access.
    ///
    /// ## Why it matters
    /// The server gets a public endpoint, and its firewall rules (often edited by hand, in
    /// the portal, "just for a test") decide who reaches it. Every rule added later is an
    /// opening to the internet. With public access off, only private endpoints and virtual
    /// network integration can reach the database, whatever the firewall says.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_mssql_server" "main" {
    ///   name                         = "acme-sql"
    ///   resource_group_name          = azurerm_resource_group.main.name
    ///   location                     = "westeurope"
    ///   version                      = "12.0"
    ///   administrator_login          = "sqladmin"
    ///   administrator_login_password = var.sql_admin_password
    /// }
    /// ```
    ///
    /// ## Fix
    /// Disable public access and connect through a private endpoint:
    ///
    /// ```hcl
    ///   public_network_access_enabled = false
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings#deny-public-network-access>
    /// - <https://learn.microsoft.com/azure/private-link/private-endpoint-overview>
    pub(crate) DatabasePublicNetworkAccessEnabled {
        id: "AZU-SQL-002",
        name: "azure-database-public-network-access-enabled",
        severity: Medium,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_113", "CKV_AZURE_68", "CKV_AZURE_53", "CKV_AZURE_48"],
            trivy: ["AVD-AZU-0022"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for DatabasePublicNetworkAccessEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for server in &model.azure.sql_servers {
            let v = &server.public_network_access;
            match v.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(server.meta.span),
                Some(true) => {
                    let state = if v.is_default() {
                        bool_state(v, "public_network_access_enabled")
                    } else {
                        "enables public network access".to_string()
                    };
                    out.report(
                        &server.meta,
                        v.span,
                        &v.via,
                        format!(
                            "{} `{}` {state}, so its firewall rules alone decide who on the internet reaches it",
                            server.kind.as_str(),
                            server.meta.address
                        ),
                    );
                }
            }
        }
    }
}
