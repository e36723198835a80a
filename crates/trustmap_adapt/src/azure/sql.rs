//! Database servers and their firewall rules.

use trustmap_model::Value;
use trustmap_model::azure::sql::{SqlFirewallRule, SqlKind, SqlServer};
use trustmap_syntax::Node;

use super::{Index, Target};
use crate::terraform_read::{self as read, attr, meta};

/// Server types, in the join table's order (`super::TARGETS`), so a server's position here
/// is its index in `Azure::sql_servers`.
const SERVERS: &[(&str, SqlKind)] = &[
    ("azurerm_mssql_server", SqlKind::SqlServer),
    ("azurerm_sql_server", SqlKind::SqlServer),
    ("azurerm_postgresql_server", SqlKind::PostgreSql),
    (
        "azurerm_postgresql_flexible_server",
        SqlKind::PostgreSqlFlexible,
    ),
    ("azurerm_mysql_server", SqlKind::MySql),
    ("azurerm_mysql_flexible_server", SqlKind::MySqlFlexible),
    ("azurerm_mariadb_server", SqlKind::MariaDb),
];

/// Firewall rule types and the arguments naming their server (newest first).
const FIREWALL_RULES: &[(&str, &[&str])] = &[
    ("azurerm_mssql_firewall_rule", &["server_id"]),
    ("azurerm_sql_firewall_rule", &["server_name"]),
    ("azurerm_postgresql_firewall_rule", &["server_name"]),
    (
        "azurerm_postgresql_flexible_server_firewall_rule",
        &["server_id"],
    ),
    ("azurerm_mysql_firewall_rule", &["server_name"]),
    (
        "azurerm_mysql_flexible_server_firewall_rule",
        &["server_id", "server_name"],
    ),
    ("azurerm_mariadb_firewall_rule", &["server_name"]),
];

pub(super) fn adapt(index: &Index<'_>) -> (Vec<SqlServer>, Vec<SqlFirewallRule>) {
    let mut servers = Vec::new();
    for &(rtype, kind) in SERVERS {
        for r in index.managed(rtype) {
            servers.push(SqlServer {
                meta: meta(r),
                kind,
                name: read::string_at(&r.body, "name", r.span),
                public_network_access: public_access(&r.body, kind, r.span),
            });
        }
    }
    let mut rules = Vec::new();
    for &(rtype, server_args) in FIREWALL_RULES {
        for r in index.managed(rtype) {
            rules.push(SqlFirewallRule {
                meta: meta(r),
                server: index.link_any(Target::SqlServer, &r.body, server_args, r.span),
                start_ip: read::string_at(&r.body, "start_ip_address", r.span),
                end_ip: read::string_at(&r.body, "end_ip_address", r.span),
            });
        }
    }
    (servers, rules)
}

/// `public_network_access_enabled` (default `true`), or a 5.x MySQL flexible server's
/// `public_network_access = "Enabled" | "Disabled"`. A flexible server integrated into a
/// virtual network (`delegated_subnet_id`) has no public access.
fn public_access(b: &Node, kind: SqlKind, at: trustmap_source::Span) -> Value<bool> {
    if let Some(n) = attr(b, "public_network_access_enabled") {
        return read::bool_or(b, "public_network_access_enabled", true, n.span);
    }
    if let Some(n) = attr(b, "public_network_access") {
        return read::string(n).map(|s| s.eq_ignore_ascii_case("Enabled"));
    }
    let flexible = matches!(kind, SqlKind::PostgreSqlFlexible | SqlKind::MySqlFlexible);
    if flexible && let Some(n) = attr(b, "delegated_subnet_id") {
        return Value::default_at(false, n.span);
    }
    Value::default_at(true, at)
}
