use trustmap_model::Model;
use trustmap_model::aws::ec2::Direction;

use super::group_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A security group ingress rule from `0.0.0.0/0` or `::/0` that reaches a remote
    /// administration or database port.
    ///
    /// The ports are SSH (22), RDP (3389), Telnet, WinRM, MySQL, PostgreSQL, SQL Server,
    /// Oracle, MongoDB, Redis, Elasticsearch, Memcached, the Docker and Kubernetes APIs and the
    /// kubelet, whenever the rule's TCP port range covers them. Inline `ingress` blocks,
    /// `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule` are all checked.
    /// Rules that open every port are reported by `security-group-all-ports-open-to-world`.
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH, RDP or database port within minutes. From
    /// there the attacker needs one weak or reused password, one leaked key or one unpatched
    /// service to be inside your network, next to the instance role's credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "ssh" {
    ///   security_group_id = aws_security_group.bastion.id
    ///   ip_protocol       = "tcp"
    ///   from_port         = 22
    ///   to_port           = 22
    ///   cidr_ipv4         = "0.0.0.0/0"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Reach instances through SSM Session Manager (no inbound port at all), or allow only a
    /// known network:
    ///
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "ssh" {
    ///   security_group_id = aws_security_group.bastion.id
    ///   ip_protocol       = "tcp"
    ///   from_port         = 22
    ///   to_port           = 22
    ///   cidr_ipv4         = "203.0.113.0/24" # office VPN egress
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html>
    pub(crate) SecurityGroupAdminPortOpenToWorld {
        id: "AWS-EC2-001",
        name: "security-group-admin-port-open-to-world",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_24", "CKV_AWS_25"],
            trivy: ["AVD-AWS-0107"],
            cwe: ["CWE-284"],
        },
    }
}

/// Ports an attacker should never reach from the internet, with what listens on them, in
/// port order (messages list them in this order).
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

impl Rule for SecurityGroupAdminPortOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.aws.ec2.sg_rules {
            if rule.direction != Direction::Ingress {
                continue;
            }
            let world: Vec<_> = rule.world_cidrs().collect();
            if world.is_empty() {
                if rule.cidrs.iter().any(|c| c.is_unknown()) {
                    out.unknown();
                } else {
                    out.pass();
                }
                continue;
            }
            match rule.opens_all_ports() {
                // Every port: reported by AWS-EC2-002.
                Some(true) => continue,
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {}
            }
            let mut open = Vec::new();
            let mut unknown = false;
            for &(port, what) in ADMIN_PORTS {
                match rule.opens_tcp_port(port) {
                    Some(true) => open.push(format!("{port} ({what})")),
                    Some(false) => {}
                    None => unknown = true,
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
                    &rule.meta,
                    cidr.span,
                    &cidr.via,
                    format!(
                        "security group `{}` allows {ports} from `{}`",
                        group_label(model, rule),
                        cidr.get().map_or("", String::as_str)
                    ),
                );
            }
        }
    }
}
