//! A database's port published on every host interface.

use trustmap_model::Model;
use trustmap_model::compose::{Port, Service};

use super::services;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `ports` entries that publish a database on every interface of the host: the service
    /// runs a database image (PostgreSQL, MySQL, MariaDB, MongoDB, Redis, Valkey,
    /// Elasticsearch, OpenSearch, Memcached, Cassandra, CouchDB), or the published container
    /// port is a database's default port (5432, 3306, 27017, 6379, 9200, 9300, 11211, 9042,
    /// 5984), and the entry names no host IP (`"5432:5432"`, `"5432"`) or a wildcard one
    /// (`0.0.0.0`, `::`). Entries bound to one address (`"127.0.0.1:5432:5432"`) pass.
    ///
    /// ## Why it matters
    ///
    /// Docker publishes ports by writing its own firewall rules, ahead of the host's
    /// (`ufw`, `firewalld`): a database published this way is reachable from every network
    /// the host is on — the office LAN, the cloud VPC, often the internet — whatever the
    /// host firewall says. Development databases run with default or well-known passwords,
    /// and Redis and Elasticsearch often with none; scanners find and wipe or ransom them
    /// within hours.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports:
    ///       - "5432:5432"
    /// ```
    ///
    /// ## Fix
    ///
    /// Bind the port to the loopback interface, or do not publish it at all: services of the
    /// same compose project reach the database by its service name on their shared network.
    ///
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// ## References
    ///
    /// - Docker docs: "Packet filtering and firewalls" (published ports and `ufw`)
    /// - Compose Specification: `ports` (`host_ip`)
    pub(crate) ComposeDatabasePortExposed {
        id: "CMP-005",
        name: "compose-database-port-exposed",
        severity: High,
        capability: Design,
        languages: [Compose],
        equivalents: {
            kics: ["451d79dc-0588-476a-ad03-3c7f0320abb3"],
            cwe: ["CWE-668"],
        },
    }
}

/// Database images (last path component of the repository), with the product's name.
const DB_IMAGES: &[(&str, &str)] = &[
    ("postgres", "PostgreSQL"),
    ("postgresql", "PostgreSQL"),
    ("postgis", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mysql-server", "MySQL"),
    ("percona", "MySQL"),
    ("percona-server", "MySQL"),
    ("mariadb", "MariaDB"),
    ("mongo", "MongoDB"),
    ("mongodb", "MongoDB"),
    ("mongodb-community-server", "MongoDB"),
    ("redis", "Redis"),
    ("redis-stack", "Redis"),
    ("redis-stack-server", "Redis"),
    ("valkey", "Valkey"),
    ("elasticsearch", "Elasticsearch"),
    ("opensearch", "OpenSearch"),
    ("memcached", "Memcached"),
    ("cassandra", "Cassandra"),
    ("couchdb", "CouchDB"),
];

/// Databases' default ports.
const DB_PORTS: &[(u16, &str)] = &[
    (5432, "PostgreSQL"),
    (3306, "MySQL"),
    (27017, "MongoDB"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
    (11211, "Memcached"),
    (9042, "Cassandra"),
    (5984, "CouchDB"),
];

/// The database a service's image runs, by its repository's last path component.
fn database_image(s: &Service) -> Option<&'static str> {
    let image = s.image.as_ref()?.get()?;
    let name = image.repository.rsplit('/').next()?.to_ascii_lowercase();
    DB_IMAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, label)| *label)
}

/// The first default database port the entry publishes.
fn database_port(p: &Port) -> Option<(u16, &'static str)> {
    let range = p.target_ports()?;
    DB_PORTS
        .iter()
        .copied()
        .find(|(port, _)| range.contains(port))
}

impl Rule for ComposeDatabasePortExposed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let image_db = database_image(s);
            let (mut found, mut unknown) = (false, false);
            for p in &s.ports {
                let by_port = database_port(p);
                let what = match (image_db, by_port) {
                    (Some(db), _) => db,
                    (None, Some((_, db))) => db,
                    (None, None) => {
                        if p.target.is_unknown() {
                            unknown = true;
                        }
                        continue;
                    }
                };
                match p.binds_all_interfaces() {
                    None => unknown = true,
                    Some(false) => {}
                    Some(true) => {
                        found = true;
                        let port = p.target.get().cloned().unwrap_or_default();
                        out.report(
                            &s.meta,
                            p.span,
                            &p.target.via,
                            format!(
                                "service `{}` publishes {what} (container port {port}) on every host interface",
                                s.label()
                            ),
                        );
                    }
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
