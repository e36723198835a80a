use trustmap_model::Model;
use trustmap_model::aws::ec2::Direction;

use super::group_label;
use crate::network_exposure::{admin_ports_of_range, report_world_sources, world_sources};
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
    /// - Peer checks: Checkov `CKV_AWS_24` (port 22) and `CKV_AWS_25` (port 3389) are narrower (one
    ///   port each). Trivy `AVD-AWS-0107` is narrower (SSH and RDP only; it missed
    ///   `aws_vpc_security_group_ingress_rule` until trivy#6764).
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

impl Rule for SecurityGroupAdminPortOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for rule in &model.aws.ec2.sg_rules {
            if rule.direction != Direction::Ingress {
                continue;
            }
            let unknown_cidr = rule.cidrs.iter().any(|c| c.is_unknown());
            let Some(world) = world_sources(rule.meta.span, rule.world_cidrs(), unknown_cidr, out)
            else {
                continue;
            };
            // A rule opening every port is left to AWS-EC2-002.
            let opens = |port| rule.opens_tcp_port(port);
            let Some(ports) =
                admin_ports_of_range(rule.opens_all_ports(), opens, rule.meta.span, out)
            else {
                continue;
            };
            report_world_sources(out, &rule.meta, world, |cidr| {
                format!(
                    "security group `{}` allows {ports} from `{cidr}`",
                    group_label(model, rule)
                )
            });
        }
    }
}
