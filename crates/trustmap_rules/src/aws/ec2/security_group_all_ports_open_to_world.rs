use trustmap_model::Model;
use trustmap_model::aws::ec2::{Direction, Protocol};

use super::group_label;
use crate::network_exposure::{report_world_sources, world_sources};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A security group ingress rule from `0.0.0.0/0` or `::/0` that allows every protocol
    /// (`-1`) or every TCP or UDP port (`0`–`65535`).
    ///
    /// ## Why it matters
    /// Every service the instance runs, including the ones nobody meant to publish (debug
    /// endpoints, metrics, admin consoles, databases bound to all interfaces), is one scan away
    /// from anyone on the internet. The security group stops being a boundary at all, so the
    /// first vulnerable listener becomes the attacker's way in.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   name = "app"
    ///   ingress {
    ///     from_port   = 0
    ///     to_port     = 0
    ///     protocol    = "-1"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Open only the port the service answers on, and only to who needs it (here, the load
    /// balancer's security group):
    ///
    /// ```hcl
    /// resource "aws_security_group" "app" {
    ///   name = "app"
    ///   ingress {
    ///     from_port       = 8080
    ///     to_port         = 8080
    ///     protocol        = "tcp"
    ///     security_groups = [aws_security_group.alb.id]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html>
    /// - Peer checks: Checkov `CKV_AWS_277` overlaps (its title covers port `-1`, all traffic, not
    ///   a `0`–`65535` range). Trivy `AVD-AWS-0107` overlaps (SSH or RDP from anywhere, which an
    ///   all-ports rule also opens, but it flags those ports alone too).
    pub(crate) SecurityGroupAllPortsOpenToWorld {
        id: "AWS-EC2-002",
        name: "security-group-all-ports-open-to-world",
        severity: Critical,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_277"],
            trivy: ["AVD-AWS-0107"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for SecurityGroupAllPortsOpenToWorld {
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
            match rule.opens_all_ports() {
                None => out.unknown(),
                Some(false) => out.pass_at(rule.meta.span),
                Some(true) => {
                    let what = match rule.protocol.get() {
                        Some(Protocol::All) => "every protocol and port",
                        Some(Protocol::Udp) => "every UDP port",
                        _ => "every TCP port",
                    };
                    report_world_sources(out, &rule.meta, world, |cidr| {
                        format!(
                            "security group `{}` allows {what} from `{cidr}`",
                            group_label(model, rule)
                        )
                    });
                }
            }
        }
    }
}
