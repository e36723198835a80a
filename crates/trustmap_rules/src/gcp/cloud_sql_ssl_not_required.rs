use trustmap_model::Model;
use trustmap_model::gcp::sql::SSL_MODE_ALLOW_UNENCRYPTED;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_sql_database_instance` that accepts unencrypted connections:
    /// `settings.ip_configuration.ssl_mode` is `ALLOW_UNENCRYPTED_AND_ENCRYPTED`, or is
    /// omitted (the same default). Configurations written for provider versions before 6.0
    /// are read too: `require_ssl = false` (or omitted) counts as unencrypted allowed,
    /// `require_ssl = true` as enforced.
    ///
    /// ## Why it matters
    /// Clients that do not ask for TLS (most drivers' defaults) send passwords and query
    /// results in clear text. Anyone on the path (a compromised VM in the VPC, a peered
    /// network, a misrouted connection over the internet) can read them and replay the
    /// credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_sql_database_instance" "orders" {
    ///   database_version = "POSTGRES_15"
    ///   settings {
    ///     tier = "db-custom-2-7680"
    ///     ip_configuration {
    ///       ipv4_enabled    = false
    ///       private_network = google_compute_network.main.id
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    ///     ip_configuration {
    ///       ipv4_enabled    = false
    ///       private_network = google_compute_network.main.id
    ///       ssl_mode        = "ENCRYPTED_ONLY"
    ///     }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/sql/docs/postgres/configure-ssl-instance>
    pub(crate) CloudSqlSslNotRequired {
        id: "GCP-SQL-002",
        name: "cloud-sql-ssl-not-required",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_6"],
            trivy: ["AVD-GCP-0015"],
            cwe: ["CWE-319"],
        },
    }
}

impl Rule for CloudSqlSslNotRequired {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for db in &model.gcp.sql_instances {
            let v = &db.ssl_mode;
            match v.get() {
                None => out.unknown(),
                Some(mode) if mode != SSL_MODE_ALLOW_UNENCRYPTED => out.pass_at(db.meta.span),
                Some(_) => {
                    let state = if v.is_default() {
                        "sets no `ssl_mode` (default `ALLOW_UNENCRYPTED_AND_ENCRYPTED`)"
                    } else {
                        "allows unencrypted connections"
                    };
                    out.report(
                        &db.meta,
                        v.span,
                        &v.via,
                        format!(
                            "Cloud SQL instance `{}` {state}, so clients may send credentials and data in clear text",
                            db.meta.address
                        ),
                    );
                }
            }
        }
    }
}
