//! Cloud SQL instances.

use trustmap_model::Value;
use trustmap_model::gcp::sql::{SSL_MODE_ALLOW_UNENCRYPTED, SqlInstance};

use super::Index;
use crate::terraform_read::{self as read, Blocks, attr, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<SqlInstance> {
    let mut out = Vec::new();
    for r in index.managed("google_sql_database_instance") {
        let settings = match blocks(&r.body, "settings") {
            Blocks::Known(list) => list.first().copied(),
            Blocks::Absent => None,
            Blocks::Unknown(span) => {
                out.push(unknown_instance(r, span));
                continue;
            }
        };
        let Some(settings) = settings else {
            // `settings` is required; without it nothing can be said.
            out.push(unknown_instance(r, r.span));
            continue;
        };
        let ip = match blocks(settings, "ip_configuration") {
            Blocks::Known(list) => list.first().copied(),
            Blocks::Absent => None,
            Blocks::Unknown(span) => {
                out.push(unknown_instance(r, span));
                continue;
            }
        };
        // Defaults are located at the `ip_configuration` block, or at `settings` when the
        // whole block is omitted.
        let (body, at) = ip.map_or((settings, settings.span), |b| (b, b.span));
        let ssl_mode = match (attr(body, "ssl_mode"), attr(body, "require_ssl")) {
            (Some(n), _) => read::string(n),
            (None, Some(n)) => match n.as_bool() {
                Some(true) => Value::explicit("TRUSTED_CLIENT_CERTIFICATE_REQUIRED".into(), n.span),
                Some(false) => Value::explicit(SSL_MODE_ALLOW_UNENCRYPTED.into(), n.span),
                None => Value::unknown(n.span),
            }
            .with_via(n.via.clone()),
            (None, None) => Value::default_at(SSL_MODE_ALLOW_UNENCRYPTED.into(), at),
        };
        let authorized_networks = match ip {
            Some(b) => blocks(b, "authorized_networks")
                .known()
                .iter()
                .map(|n| read::string_at(n, "value", n.span))
                .collect(),
            None => Vec::new(),
        };
        let authorized_networks = match ip.map(|b| blocks(b, "authorized_networks")) {
            Some(Blocks::Unknown(span)) => vec![Value::unknown(span)],
            _ => authorized_networks,
        };
        out.push(SqlInstance {
            meta: meta(r),
            ip_span: at,
            public_ip: read::bool_or(body, "ipv4_enabled", true, at),
            authorized_networks,
            ssl_mode,
        });
    }
    out
}

fn unknown_instance(
    r: &trustmap_terraform::TfResource,
    span: trustmap_source::Span,
) -> SqlInstance {
    SqlInstance {
        meta: meta(r),
        ip_span: span,
        public_ip: Value::unknown(span),
        authorized_networks: Vec::new(),
        ssl_mode: Value::unknown(span),
    }
}
