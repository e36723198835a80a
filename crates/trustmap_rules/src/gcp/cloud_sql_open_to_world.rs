use trustmap_model::Model;
use trustmap_model::gcp::is_world_cidr;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_sql_database_instance` with a public IPv4 address (`ipv4_enabled`, which
    /// defaults to `true`) and `0.0.0.0/0` (or `::/0`) among its
    /// `ip_configuration.authorized_networks`.
    ///
    /// ## Why it matters
    /// The database port answers the whole internet. Its password (or a default account, or
    /// the next authentication bug) is all that stands between scanners and the data;
    /// brute-forcing database logins is routine for botnets. Authorized networks exist to
    /// limit who can connect to the public IP, and `0.0.0.0/0` switches that off.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_sql_database_instance" "orders" {
    ///   database_version = "POSTGRES_15"
    ///   settings {
    ///     tier = "db-custom-2-7680"
    ///     ip_configuration {
    ///       authorized_networks {
    ///         name  = "anywhere"
    ///         value = "0.0.0.0/0"
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use a private IP and connect through the VPC, or through the Cloud SQL Auth Proxy
    /// (IAM-authenticated, no authorized networks needed):
    ///
    /// ```hcl
    ///     ip_configuration {
    ///       ipv4_enabled    = false
    ///       private_network = google_compute_network.main.id
    ///       ssl_mode        = "ENCRYPTED_ONLY"
    ///     }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/sql/docs/postgres/configure-ip>
    /// - <https://cloud.google.com/sql/docs/postgres/sql-proxy>
    pub(crate) CloudSqlOpenToWorld {
        id: "GCP-SQL-001",
        name: "cloud-sql-open-to-world",
        severity: Critical,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_11"],
            trivy: ["AVD-GCP-0017"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for CloudSqlOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for db in &model.gcp.sql_instances {
            match db.public_ip.get() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {
                    out.pass_at(db.meta.span);
                    continue;
                }
                Some(true) => {}
            }
            let world: Vec<_> = db
                .authorized_networks
                .iter()
                .filter(|n| n.is(|s| is_world_cidr(s)))
                .collect();
            if world.is_empty() {
                if db.authorized_networks.iter().any(|n| n.is_unknown()) {
                    out.unknown();
                } else {
                    out.pass_at(db.meta.span);
                }
                continue;
            }
            let ip = if db.public_ip.is_default() {
                "a public IP (`ipv4_enabled` defaults to `true`)"
            } else {
                "a public IP"
            };
            for n in world {
                out.report(
                    &db.meta,
                    n.span,
                    &n.via,
                    format!(
                        "Cloud SQL instance `{}` has {ip} and authorizes `{}`, so any address can connect",
                        db.meta.address,
                        n.get().map_or("", String::as_str)
                    ),
                );
            }
        }
    }
}
