use trustmap_model::Model;

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

/// Ports an attacker should never reach from the internet, with what listens on them.
const ADMIN_PORTS: &[(i64, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2375, "Docker API"),
    (2376, "Docker API"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5985, "WinRM"),
    (5986, "WinRM"),
    (6379, "Redis"),
    (6443, "Kubernetes API"),
    (9200, "Elasticsearch"),
    (10250, "kubelet"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// At most this many ports are named in one message.
const NAMED: usize = 3;

impl Rule for GcpFirewallAdminPortOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for fw in &model.gcp.firewalls {
            match fw.is_active_ingress() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => continue,
                Some(true) => {}
            }
            let world: Vec<_> = fw.world_sources().collect();
            if world.is_empty() {
                if fw.source_ranges.iter().any(|c| c.is_unknown()) {
                    out.unknown();
                } else {
                    out.pass();
                }
                continue;
            }
            let mut open = Vec::new();
            let mut unknown = false;
            for allow in &fw.allows {
                match allow.opens_all_ports() {
                    // Every port: reported by GCP-COMPUTE-003.
                    Some(true) => continue,
                    None => {
                        unknown = true;
                        continue;
                    }
                    Some(false) => {}
                }
                for &(port, what) in ADMIN_PORTS {
                    match allow.opens_tcp_port(port) {
                        Some(true) => {
                            let label = format!("{port} ({what})");
                            if !open.contains(&label) {
                                open.push(label);
                            }
                        }
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
            }
            if open.is_empty() {
                if unknown {
                    out.unknown()
                } else {
                    out.pass()
                }
                continue;
            }
            let ports = if open.len() > NAMED {
                format!(
                    "ports {} and {} more",
                    open[..NAMED].join(", "),
                    open.len() - NAMED
                )
            } else if open.len() == 1 {
                format!("port {}", open[0])
            } else {
                format!("ports {}", open.join(", "))
            };
            for cidr in world {
                out.report(
                    &fw.meta,
                    cidr.span,
                    &cidr.via,
                    format!(
                        "firewall `{}` allows {ports} from `{}`",
                        fw.meta.address,
                        cidr.get().map_or("", String::as_str)
                    ),
                );
            }
        }
    }
}
