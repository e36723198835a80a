use trustmap_model::Model;

use super::gcp_firewall_admin_port_open_to_world::ingress_world_sources;
use crate::network_exposure::{pass_or_unknown, report_world_sources};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An enabled ingress `google_compute_firewall` with `0.0.0.0/0` or `::/0` in
    /// `source_ranges` and an `allow` block for every protocol (`all`) or for every TCP or
    /// UDP port (no `ports`, or `0-65535`).
    ///
    /// ## Why it matters
    /// Every service on the targeted VMs becomes an internet-facing service: debug ports,
    /// admin consoles, databases and agents that were meant to be reachable only inside the
    /// VPC. Scanners find them within minutes, and one weak or unpatched service is enough
    /// to get in.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_firewall" "open" {
    ///   name          = "allow-all"
    ///   network       = google_compute_network.main.name
    ///   source_ranges = ["0.0.0.0/0"]
    ///   allow {
    ///     protocol = "all"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Open only the ports the service offers, to the sources that need them:
    ///
    /// ```hcl
    /// resource "google_compute_firewall" "https" {
    ///   name          = "allow-https"
    ///   network       = google_compute_network.main.name
    ///   source_ranges = ["0.0.0.0/0"]
    ///   target_tags   = ["web"]
    ///   allow {
    ///     protocol = "tcp"
    ///     ports    = ["443"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/firewall/docs/firewalls>
    pub(crate) GcpFirewallAllPortsOpenToWorld {
        id: "GCP-COMPUTE-003",
        name: "gcp-firewall-all-ports-open-to-world",
        severity: Critical,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV2_GCP_12"],
            trivy: ["AVD-GCP-0027", "AVD-GCP-0072"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for GcpFirewallAllPortsOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for fw in &model.gcp.firewalls {
            let Some(world) = ingress_world_sources(fw, out) else {
                continue;
            };
            let mut all = None;
            let mut unknown = false;
            for allow in &fw.allows {
                match allow.opens_all_ports() {
                    Some(true) => {
                        all = Some(allow);
                        break;
                    }
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            let Some(allow) = all else {
                pass_or_unknown(out, fw.meta.span, unknown);
                continue;
            };
            let what = match allow.protocol.get().map(|p| p.trim().to_ascii_lowercase()) {
                Some(p) if p == "all" => "every protocol and port",
                Some(p) if p == "udp" || p == "17" => "every UDP port",
                _ => "every TCP port",
            };
            report_world_sources(out, &fw.meta, world, |cidr| {
                format!("firewall `{}` allows {what} from `{cidr}`", fw.meta.address)
            });
        }
    }
}
