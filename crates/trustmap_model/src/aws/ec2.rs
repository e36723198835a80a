//! EC2: instances and launch templates (for the instance metadata service), security
//! groups with their rules, inline or separate, and VPCs with their flow logs.

use trustmap_source::Span;

use super::Link;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Ec2 {
    pub instances: Vec<Instance>,
    /// Launch templates and launch configurations.
    pub launch_templates: Vec<LaunchTemplate>,
    pub security_groups: Vec<SecurityGroup>,
    /// Every rule: inline `ingress`/`egress` blocks, `aws_security_group_rule`,
    /// `aws_vpc_security_group_ingress_rule` and `..._egress_rule`.
    pub sg_rules: Vec<SgRule>,
    pub vpcs: Vec<Vpc>,
    pub flow_logs: Vec<FlowLog>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Vpc {
    pub meta: ResourceMeta,
    /// The region's default VPC adopted into the configuration (`aws_default_vpc`).
    pub is_default: bool,
}

/// A flow log. Only flow logs attached to a whole VPC carry a `vpc` link; those on a subnet,
/// network interface or transit gateway have `None`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FlowLog {
    pub meta: ResourceMeta,
    pub vpc: Option<Link>,
}

/// Instance metadata service settings, with the provider's defaults filled in.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct MetadataOptions {
    /// The `metadata_options` block, or the resource that omitted it.
    pub span: Span,
    /// `enabled` (default) or `disabled`.
    pub http_endpoint: Value<String>,
    /// `optional` (IMDSv1 allowed; the default) or `required` (IMDSv2 only).
    pub http_tokens: Value<String>,
    pub hop_limit: Value<i64>,
}

impl MetadataOptions {
    /// IMDSv1 answers: the endpoint is on and session tokens are not required.
    /// `None` when a setting is unknown.
    pub fn allows_v1(&self) -> Option<bool> {
        if self.http_endpoint.get()? == "disabled" {
            return Some(false);
        }
        Some(self.http_tokens.get()? != "required")
    }
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Instance {
    pub meta: ResourceMeta,
    /// `None` when the instance leaves metadata options to its launch template.
    pub metadata: Option<MetadataOptions>,
    pub launch_template: Option<Link>,
    /// The instance profile whose role the instance's code runs as (`iam_instance_profile`);
    /// `None` when the instance names none (it may take its launch template's).
    pub instance_profile: Option<Link>,
    /// Security groups attached (`vpc_security_group_ids`, `security_groups`); empty means the
    /// VPC's default group.
    pub security_groups: Vec<Link>,
    /// `associate_public_ip_address`; `None` when omitted (the subnet decides).
    pub public_ip: Value<Option<bool>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum TemplateKind {
    LaunchTemplate,
    LaunchConfiguration,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct LaunchTemplate {
    pub meta: ResourceMeta,
    pub kind: TemplateKind,
    pub name: Value<Option<String>>,
    pub metadata: MetadataOptions,
    /// The instance profile of the instances launched from it.
    pub instance_profile: Option<Link>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SecurityGroup {
    pub meta: ResourceMeta,
    pub name: Value<Option<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum Direction {
    Ingress,
    Egress,
}

/// IP protocol of a rule, normalised from names and numbers (`-1`/`all`, `tcp`/`6`, ...).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum Protocol {
    All,
    Tcp,
    Udp,
    Icmp,
    Other(String),
}

/// One security group rule.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SgRule {
    /// The resource that declares it (the group itself for an inline block).
    pub meta: ResourceMeta,
    pub group: Link,
    /// The inline block or the separate resource.
    pub span: Span,
    pub direction: Direction,
    pub protocol: Value<Protocol>,
    /// Port range; ignored when the protocol is [`Protocol::All`].
    pub from_port: Value<i64>,
    pub to_port: Value<i64>,
    /// CIDR sources (ingress) or destinations (egress), IPv4 and IPv6; other groups and
    /// prefix lists are not listed.
    pub cidrs: Vec<Value<String>>,
}

impl Ec2 {
    /// The ingress rules of a group (by its index in [`Ec2::security_groups`]) that admit a
    /// world CIDR on some TCP port, with the first such CIDR.
    pub fn world_ingress(&self, group: usize) -> impl Iterator<Item = (&SgRule, &Value<String>)> {
        self.sg_rules
            .iter()
            .filter(move |r| r.direction == Direction::Ingress && r.group.target == Some(group))
            .filter(|r| matches!(r.protocol.get(), Some(Protocol::All | Protocol::Tcp) | None))
            .filter_map(|r| r.world_cidrs().next().map(|c| (r, c)))
    }
}

/// Highest TCP/UDP port.
const MAX_PORT: i64 = 65535;

impl SgRule {
    /// CIDRs that mean "anywhere".
    pub fn world_cidrs(&self) -> impl Iterator<Item = &Value<String>> {
        self.cidrs.iter().filter(|c| c.is(|s| is_world_cidr(s)))
    }

    /// Whether the rule opens every port of every protocol (or every TCP/UDP port).
    pub fn opens_all_ports(&self) -> Option<bool> {
        match self.protocol.get()? {
            Protocol::All => Some(true),
            Protocol::Tcp | Protocol::Udp => {
                Some(*self.from_port.get()? <= 1 && *self.to_port.get()? >= MAX_PORT)
            }
            _ => Some(false),
        }
    }

    /// Whether TCP `port` is open through this rule.
    pub fn opens_tcp_port(&self, port: i64) -> Option<bool> {
        match self.protocol.get()? {
            Protocol::All => Some(true),
            Protocol::Tcp => {
                let (from, to) = (*self.from_port.get()?, *self.to_port.get()?);
                Some(from <= port && port <= to)
            }
            _ => Some(false),
        }
    }
}

/// `0.0.0.0/0` or `::/0` (also written `::0/0`).
pub fn is_world_cidr(cidr: &str) -> bool {
    matches!(
        cidr.trim(),
        "0.0.0.0/0" | "::/0" | "::0/0" | "0:0:0:0:0:0:0:0/0"
    )
}
