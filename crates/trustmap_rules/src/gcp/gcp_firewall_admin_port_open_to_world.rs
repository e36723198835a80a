use trustmap_model::gcp::compute::Firewall;
use trustmap_model::{Model, Value};

use crate::network_exposure::{OpenAdminPorts, report_world_sources, world_sources};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An enabled ingress `google_compute_firewall` with `0.0.0.0/0` or `::/0` in
    /// `source_ranges` whose `allow` block reaches a remote administration or database port:
    /// SSH (22), RDP (3389), Telnet, WinRM, MySQL, PostgreSQL, SQL Server, Oracle, MongoDB,
    /// Redis, Elasticsearch, Memcached, the Docker and Kubernetes APIs and the kubelet.
    /// Rules that open every port are reported by `gcp-firewall-all-ports-open-to-world`.
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH, RDP or database port within minutes. From
    /// there the attacker needs one weak or reused password, one leaked key or one
    /// unpatched service to be inside the VPC, next to the VM's service account token.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_firewall" "ssh" {
    ///   name          = "allow-ssh"
    ///   network       = google_compute_network.main.name
    ///   source_ranges = ["0.0.0.0/0"]
    ///   allow {
    ///     protocol = "tcp"
    ///     ports    = ["22"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Reach VMs through Identity-Aware Proxy TCP forwarding (its range is
    /// `35.235.240.0/20`) or a VPN, never from anywhere:
    ///
    /// ```hcl
    /// resource "google_compute_firewall" "ssh" {
    ///   name          = "allow-ssh-from-iap"
    ///   network       = google_compute_network.main.name
    ///   source_ranges = ["35.235.240.0/20"]
    ///   allow {
    ///     protocol = "tcp"
    ///     ports    = ["22"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/iap/docs/using-tcp-forwarding>
    pub(crate) GcpFirewallAdminPortOpenToWorld {
        id: "GCP-COMPUTE-002",
        name: "gcp-firewall-admin-port-open-to-world",
        severity: High,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_2", "CKV_GCP_3", "CKV_GCP_88"],
            trivy: ["AVD-GCP-0027", "AVD-GCP-0070", "AVD-GCP-0071"],
            cwe: ["CWE-284"],
        },
    }
}

/// The world sources of an enabled ingress firewall, or `None` when there is nothing to
/// report: not enabled ingress (not a target), undecided (recorded as unknown), or no world
/// source (recorded as passed or unknown).
pub(super) fn ingress_world_sources<'a>(
    fw: &'a Firewall,
    out: &mut Sink,
) -> Option<Vec<&'a Value<String>>> {
    match fw.is_active_ingress() {
        None => {
            out.unknown();
            return None;
        }
        Some(false) => return None,
        Some(true) => {}
    }
    let unknown_range = fw.source_ranges.iter().any(|c| c.is_unknown());
    world_sources(fw.meta.span, fw.world_sources(), unknown_range, out)
}

impl Rule for GcpFirewallAdminPortOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for fw in &model.gcp.firewalls {
            let Some(world) = ingress_world_sources(fw, out) else {
                continue;
            };
            let mut open = OpenAdminPorts::default();
            for allow in &fw.allows {
                match allow.opens_all_ports() {
                    // Every port: reported by GCP-COMPUTE-003.
                    Some(true) => continue,
                    None => {
                        open.unknown = true;
                        continue;
                    }
                    Some(false) => {}
                }
                open.add(|port| allow.opens_tcp_port(port));
            }
            let Some(ports) = open.describe_or_record(fw.meta.span, out) else {
                continue;
            };
            report_world_sources(out, &fw.meta, world, |cidr| {
                format!(
                    "firewall `{}` allows {ports} from `{cidr}`",
                    fw.meta.address
                )
            });
        }
    }
}
