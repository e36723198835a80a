//! EC2 instances, launch templates and security groups.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::ec2::{
    Direction, Ec2, FlowLog, Instance, LaunchTemplate, MetadataOptions, Protocol, SecurityGroup,
    SgRule, TemplateKind, Vpc,
};
use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::Node;
use trustmap_terraform::TfResource;

use super::join::{Index, Target};
use super::read::{self, attr, blocks, meta};

/// Launch template-like resources.
const TEMPLATES: &[(&str, TemplateKind)] = &[
    ("aws_launch_template", TemplateKind::LaunchTemplate),
    (
        "aws_launch_configuration",
        TemplateKind::LaunchConfiguration,
    ),
];

/// Separate rule resources of the VPC API: type and direction.
const VPC_RULES: &[(&str, Direction)] = &[
    ("aws_vpc_security_group_ingress_rule", Direction::Ingress),
    ("aws_vpc_security_group_egress_rule", Direction::Egress),
];

pub(crate) fn adapt(index: &Index<'_>) -> Ec2 {
    let mut ec2 = Ec2::default();
    let tokens_default = account_tokens_default(index);
    for r in index.managed("aws_instance") {
        let lt = blocks(&r.body, "launch_template").first();
        let own = blocks(&r.body, "metadata_options").first();
        let launch_template = lt.map(|t| {
            let by = attr(t, "id").or_else(|| attr(t, "name"));
            by.map_or_else(
                || Link::unknown(t.span),
                |n| index.link(Target::LaunchTemplate, n),
            )
        });
        // Without its own block an instance takes the template's settings.
        let metadata = match (own, lt) {
            (None, Some(_)) => None,
            _ => Some(metadata_options(r, own, &tokens_default)),
        };
        let b = &r.body;
        ec2.instances.push(Instance {
            meta: meta(r),
            metadata,
            launch_template,
            instance_profile: attr(b, "iam_instance_profile")
                .map(|n| index.link(Target::InstanceProfile, n)),
            security_groups: ["vpc_security_group_ids", "security_groups"]
                .iter()
                .filter_map(|k| attr(b, k))
                .flat_map(Node::one_or_many)
                .map(|n| index.link(Target::SecurityGroup, n))
                .collect(),
            public_ip: opt_bool(b, "associate_public_ip_address", r.span),
        });
    }
    for &(rtype, kind) in TEMPLATES {
        for r in index.managed(rtype) {
            let own = blocks(&r.body, "metadata_options").first();
            ec2.launch_templates.push(LaunchTemplate {
                meta: meta(r),
                kind,
                name: read::opt_string(&r.body, "name", r.span),
                metadata: metadata_options(r, own, &tokens_default),
                instance_profile: template_profile(index, &r.body),
            });
        }
    }
    for r in index.managed("aws_security_group") {
        let i = ec2.security_groups.len();
        for (key, direction) in [
            ("ingress", Direction::Ingress),
            ("egress", Direction::Egress),
        ] {
            for block in blocks(&r.body, key).known() {
                ec2.sg_rules.push(SgRule {
                    meta: meta(r),
                    group: Link::parent(i, &r.address, r.span),
                    span: block.span,
                    direction,
                    protocol: protocol(attr(block, "protocol"), block.span),
                    from_port: read::int(block, "from_port", None, block.span),
                    to_port: read::int(block, "to_port", None, block.span),
                    cidrs: cidrs(block, &["cidr_blocks", "ipv6_cidr_blocks"]),
                });
            }
        }
        ec2.security_groups.push(SecurityGroup {
            meta: meta(r),
            name: read::opt_string(&r.body, "name", r.span),
        });
    }
    for r in index.managed("aws_security_group_rule") {
        let b = &r.body;
        let direction = match attr(b, "type").and_then(Node::as_str) {
            Some("ingress") => Direction::Ingress,
            Some("egress") => Direction::Egress,
            _ => continue,
        };
        ec2.sg_rules.push(SgRule {
            meta: meta(r),
            group: index.link_at(Target::SecurityGroup, b, "security_group_id", r.span),
            span: r.span,
            direction,
            protocol: protocol(attr(b, "protocol"), r.span),
            from_port: read::int(b, "from_port", None, r.span),
            to_port: read::int(b, "to_port", None, r.span),
            cidrs: cidrs(b, &["cidr_blocks", "ipv6_cidr_blocks"]),
        });
    }
    for &(rtype, direction) in VPC_RULES {
        for r in index.managed(rtype) {
            let b = &r.body;
            ec2.sg_rules.push(SgRule {
                meta: meta(r),
                group: index.link_at(Target::SecurityGroup, b, "security_group_id", r.span),
                span: r.span,
                direction,
                protocol: protocol(attr(b, "ip_protocol"), r.span),
                from_port: read::int(b, "from_port", None, r.span),
                to_port: read::int(b, "to_port", None, r.span),
                cidrs: cidrs(b, &["cidr_ipv4", "cidr_ipv6"]),
            });
        }
    }
    // In join-table order: `aws_vpc`, then `aws_default_vpc`.
    for (rtype, is_default) in [("aws_vpc", false), ("aws_default_vpc", true)] {
        for r in index.managed(rtype) {
            ec2.vpcs.push(Vpc {
                meta: meta(r),
                is_default,
            });
        }
    }
    for r in index.managed("aws_flow_log") {
        ec2.flow_logs.push(FlowLog {
            meta: meta(r),
            vpc: attr(&r.body, "vpc_id").map(|n| index.link(Target::Vpc, n)),
        });
    }
    super::cloudformation::ec2::adapt(index, &mut ec2);
    ec2
}

/// A launch template's `iam_instance_profile { arn | name }` block, or a launch
/// configuration's `iam_instance_profile` name or ARN.
fn template_profile(index: &Index<'_>, body: &Node) -> Option<Link> {
    let written = attr(body, "iam_instance_profile")?;
    // A block arrives as a one-element list of maps.
    let n = written
        .as_seq()
        .and_then(<[Node]>::first)
        .unwrap_or(written);
    let named = if n.as_map().is_some() {
        attr(n, "arn").or_else(|| attr(n, "name"))
    } else {
        Some(n)
    };
    Some(named.map_or_else(
        || Link::unknown(n.span),
        |n| index.link(Target::InstanceProfile, n),
    ))
}

/// An optional boolean argument without a default (`None` when omitted).
pub(super) fn opt_bool(body: &Node, key: &str, at: Span) -> Value<Option<bool>> {
    match attr(body, key) {
        Some(n) => match n.as_bool() {
            Some(b) => Value::explicit(Some(b), n.span),
            None => Value::unknown(n.span),
        }
        .with_via(n.via.clone()),
        None => Value::default_at(None, at),
    }
}

/// The provider's defaults: endpoint `enabled`, tokens `optional` (IMDSv1 allowed) unless an
/// `aws_ec2_instance_metadata_defaults` in the scan requires them, hop limit 1.
fn metadata_options(
    r: &TfResource,
    own: Option<&Node>,
    tokens_default: &Value<String>,
) -> MetadataOptions {
    let (body, at) = own.map_or((&r.body, r.span), |b| (b, b.span));
    let in_block = |key| own.and_then(|b| attr(b, key));
    let http_tokens = match in_block("http_tokens") {
        Some(n) => read::string(n),
        None => {
            let mut d = tokens_default.clone();
            d.span = at;
            d
        }
    };
    MetadataOptions {
        span: at,
        http_endpoint: match in_block("http_endpoint") {
            Some(n) => read::string(n),
            None => Value::default_at("enabled".to_string(), at),
        },
        http_tokens,
        hop_limit: if own.is_some() {
            read::int(body, "http_put_response_hop_limit", Some(1), at)
        } else {
            Value::default_at(1, at)
        },
    }
}

/// `optional`, or `required` with a provenance hop when the account default says so.
pub(super) fn account_tokens_default(index: &Index<'_>) -> Value<String> {
    let optional = Value::default_at("optional".to_string(), Span::default());
    for r in index.managed("aws_ec2_instance_metadata_defaults") {
        if let Some(n) = attr(&r.body, "http_tokens").filter(|n| n.as_str() == Some("required")) {
            return Value::default_at("required".to_string(), Span::default()).with_via(vec![
                Via {
                    kind: ViaKind::Other {
                        note: format!("account default `{}`", r.address),
                    },
                    span: n.span,
                },
            ]);
        }
    }
    optional
}

/// Protocol names and numbers, normalised; required, so unknown when omitted.
pub(super) fn protocol(n: Option<&Node>, at: Span) -> Value<Protocol> {
    let Some(n) = n else {
        return Value::unknown(at);
    };
    read::string(n).map(|p| match p.to_ascii_lowercase().as_str() {
        "-1" | "all" => Protocol::All,
        "tcp" | "6" => Protocol::Tcp,
        "udp" | "17" => Protocol::Udp,
        "icmp" | "1" | "icmpv6" | "58" => Protocol::Icmp,
        other => Protocol::Other(other.to_string()),
    })
}

/// CIDRs from list arguments (`cidr_blocks`) and single ones (`cidr_ipv4`).
fn cidrs(body: &Node, keys: &[&str]) -> Vec<Value<String>> {
    keys.iter()
        .flat_map(|k| read::strings_at(body, k))
        .collect()
}
