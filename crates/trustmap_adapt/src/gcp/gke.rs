//! GKE clusters.

use trustmap_model::Value;
use trustmap_model::gcp::gke::{AuthorizedNetworks, Cluster};
use trustmap_syntax::Node;

use super::Index;
use crate::terraform_read::{self as read, Blocks, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<Cluster> {
    index
        .managed("google_container_cluster")
        .iter()
        .map(|r| {
            let b = &r.body;
            let at = r.span;
            // The resource's own body is located at the whole resource block.
            let span_of = |n: &Node| if std::ptr::eq(n, b) { at } else { n.span };
            // A flag inside a nested block: default when the block (or the flag) is omitted,
            // unknown when the block is a dynamic block that could not be expanded.
            let nested = |path: &[&str], key: &str, default: bool| -> Value<bool> {
                let mut node: &Node = b;
                for step in path {
                    match blocks(node, step) {
                        Blocks::Known(list) => match list.first() {
                            Some(n) => node = n,
                            None => return Value::default_at(default, at),
                        },
                        Blocks::Absent => return Value::default_at(default, span_of(node)),
                        Blocks::Unknown(span) => return Value::unknown(span),
                    }
                }
                read::bool_or(node, key, default, span_of(node))
            };
            let authorized_networks = match blocks(b, "master_authorized_networks_config") {
                Blocks::Absent => Value::default_at(None, at),
                Blocks::Unknown(span) => Value::unknown(span),
                Blocks::Known(list) => match list.first() {
                    None => Value::default_at(None, at),
                    Some(c) => {
                        let cidrs = match blocks(c, "cidr_blocks") {
                            Blocks::Unknown(span) => vec![Value::unknown(span)],
                            other => other
                                .known()
                                .iter()
                                .map(|cb| read::string_at(cb, "cidr_block", cb.span))
                                .collect(),
                        };
                        Value::explicit(
                            Some(AuthorizedNetworks {
                                span: c.span,
                                cidrs,
                                gcp_public_cidrs: read::bool_or(
                                    c,
                                    "gcp_public_cidrs_access_enabled",
                                    false,
                                    c.span,
                                ),
                            }),
                            c.span,
                        )
                    }
                },
            };
            Cluster {
                meta: meta(r),
                legacy_abac: read::bool_or(b, "enable_legacy_abac", false, at),
                issue_client_certificate: nested(
                    &["master_auth", "client_certificate_config"],
                    "issue_client_certificate",
                    false,
                ),
                private_endpoint: nested(
                    &["private_cluster_config"],
                    "enable_private_endpoint",
                    false,
                ),
                ip_endpoint: nested(
                    &["control_plane_endpoints_config", "ip_endpoints_config"],
                    "enabled",
                    true,
                ),
                authorized_networks,
            }
        })
        .collect()
}
