//! Managed database servers (Azure SQL, PostgreSQL, MySQL, MariaDB) and their firewall rules.

use crate::{Link, ResourceMeta, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum SqlKind {
    /// `azurerm_mssql_server`, or the older `azurerm_sql_server`.
    SqlServer,
    /// `azurerm_postgresql_server` (single server, retired).
    PostgreSql,
    PostgreSqlFlexible,
    /// `azurerm_mysql_server` (single server, retired).
    MySql,
    MySqlFlexible,
    MariaDb,
}

impl SqlKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SqlKind::SqlServer => "SQL server",
            SqlKind::PostgreSql | SqlKind::PostgreSqlFlexible => "PostgreSQL server",
            SqlKind::MySql | SqlKind::MySqlFlexible => "MySQL server",
            SqlKind::MariaDb => "MariaDB server",
        }
    }
}

/// A database server.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SqlServer {
    pub meta: ResourceMeta,
    pub kind: SqlKind,
    pub name: Value<String>,
    /// `public_network_access_enabled` (or `public_network_access = "Enabled"` on a 5.x
    /// MySQL flexible server); default `true`, except for a flexible server integrated into
    /// a virtual network (`delegated_subnet_id`), which has no public access.
    pub public_network_access: Value<bool>,
}

/// A server firewall rule (`azurerm_mssql_firewall_rule`, `azurerm_sql_firewall_rule`,
/// `azurerm_postgresql_firewall_rule`, `azurerm_postgresql_flexible_server_firewall_rule`,
/// `azurerm_mysql_firewall_rule`, `azurerm_mysql_flexible_server_firewall_rule`,
/// `azurerm_mariadb_firewall_rule`).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SqlFirewallRule {
    pub meta: ResourceMeta,
    /// `server_id`, or `server_name` for the older resources.
    pub server: Link,
    pub start_ip: Value<String>,
    pub end_ip: Value<String>,
}

impl SqlFirewallRule {
    /// Whether the rule admits every IPv4 address (`0.0.0.0`–`255.255.255.255`); `None`
    /// when unknown.
    pub fn allows_all(&self) -> Option<bool> {
        let start = ipv4(self.start_ip.get()?)?;
        let end = ipv4(self.end_ip.get()?)?;
        Some(start == 0 && end == u32::MAX)
    }
}

fn ipv4(s: &str) -> Option<u32> {
    s.trim().parse::<std::net::Ipv4Addr>().ok().map(u32::from)
}
