//! The service accounts of instances, instance templates and GKE node pools, and VPC
//! firewall rules.

use trustmap_model::Value;
use trustmap_model::gcp::compute::{Firewall, FirewallAllow, VmIdentity, VmKind, VmServiceAccount};
use trustmap_syntax::Node;
use trustmap_terraform::TfResource;

use super::Index;
use crate::terraform_read::{self as read, Blocks, blocks, meta};

/// Resources with a Compute Engine `service_account { email scopes }` block.
const VMS: &[(&str, VmKind)] = &[
    ("google_compute_instance", VmKind::Instance),
    ("google_compute_instance_template", VmKind::InstanceTemplate),
    (
        "google_compute_region_instance_template",
        VmKind::InstanceTemplate,
    ),
];

/// The email the provider sends when `service_account.email` is omitted: the project's
/// Compute Engine default service account.
const DEFAULT_EMAIL: &str = "default";

pub(super) fn adapt(index: &Index<'_>) -> (Vec<VmIdentity>, Vec<Firewall>) {
    let mut vms = Vec::new();
    for &(rtype, kind) in VMS {
        for r in index.managed(rtype) {
            // Without a `service_account` block the VM has no service account at all.
            let service_account = match blocks(&r.body, "service_account") {
                Blocks::Absent => None,
                Blocks::Known(list) => list.first().map(|b| VmServiceAccount {
                    span: b.span,
                    email: read::string_or(b, "email", DEFAULT_EMAIL, b.span),
                    scopes: read::strings_at(b, "scopes"),
                }),
                Blocks::Unknown(span) => Some(VmServiceAccount {
                    span,
                    email: Value::unknown(span),
                    scopes: Vec::new(),
                }),
            };
            vms.push(VmIdentity {
                meta: meta(r),
                kind,
                service_account,
            });
        }
    }
    for r in index.managed("google_container_cluster") {
        node_configs(&mut vms, r, &r.body);
        for pool in blocks(&r.body, "node_pool").known() {
            node_configs(&mut vms, r, pool);
        }
    }
    for r in index.managed("google_container_node_pool") {
        node_configs(&mut vms, r, &r.body);
    }
    let firewalls = index
        .managed("google_compute_firewall")
        .iter()
        .map(|r| firewall(r))
        .collect();
    (vms, firewalls)
}

/// The `node_config` of a cluster (its default pool) or a node pool. Nodes without one run
/// as the default service account with GKE's default scopes, which exclude
/// `cloud-platform`; only written configs are listed.
fn node_configs(vms: &mut Vec<VmIdentity>, r: &TfResource, holder: &Node) {
    let service_account = match blocks(holder, "node_config") {
        Blocks::Absent => return,
        Blocks::Known(list) => match list.first() {
            Some(c) => VmServiceAccount {
                span: c.span,
                email: read::string_or(c, "service_account", DEFAULT_EMAIL, c.span),
                scopes: read::strings_at(c, "oauth_scopes"),
            },
            None => return,
        },
        Blocks::Unknown(span) => VmServiceAccount {
            span,
            email: Value::unknown(span),
            scopes: Vec::new(),
        },
    };
    vms.push(VmIdentity {
        meta: meta(r),
        kind: VmKind::GkeNodePool,
        service_account: Some(service_account),
    });
}

fn firewall(r: &TfResource) -> Firewall {
    let b = &r.body;
    let allows = blocks(b, "allow")
        .known()
        .iter()
        .map(|a| FirewallAllow {
            span: a.span,
            protocol: read::string_at(a, "protocol", a.span),
            ports: read::strings_at(a, "ports"),
        })
        .collect();
    Firewall {
        meta: meta(r),
        direction: read::string_or(b, "direction", "INGRESS", r.span),
        disabled: read::bool_or(b, "disabled", false, r.span),
        source_ranges: read::strings_at(b, "source_ranges"),
        allows,
    }
}
