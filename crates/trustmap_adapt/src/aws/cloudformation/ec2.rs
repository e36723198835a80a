//! EC2: `AWS::EC2::Instance` (metadata options come from its launch template: CloudFormation
//! has no per-instance setting), `AWS::EC2::LaunchTemplate`,
//! `AWS::AutoScaling::LaunchConfiguration`, `AWS::EC2::SecurityGroup` with inline rules,
//! `AWS::EC2::SecurityGroupIngress` / `Egress`, `AWS::EC2::VPC` and `AWS::EC2::FlowLog`.

use trustmap_cloudformation::Resource;
use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::ec2::{
    Direction, Ec2, FlowLog, Instance, LaunchTemplate, MetadataOptions, SecurityGroup, SgRule,
    TemplateKind, Vpc,
};
use trustmap_source::Span;
use trustmap_syntax::Node;

use super::{Object, items, meta, object};
use crate::aws::ec2::{account_tokens_default, opt_bool, protocol};
use crate::aws::join::{Index, Target};
use crate::aws::read::{self, attr};

/// Separate rule resources and their direction.
const RULES: &[(&str, Direction)] = &[
    ("AWS::EC2::SecurityGroupIngress", Direction::Ingress),
    ("AWS::EC2::SecurityGroupEgress", Direction::Egress),
];

pub(in crate::aws) fn adapt(index: &Index<'_>, ec2: &mut Ec2) {
    let tokens_default = account_tokens_default(index);
    for r in index.cfn("AWS::EC2::Instance") {
        let p = &r.properties;
        let launch_template = match object(p, "LaunchTemplate") {
            Object::Absent => None,
            Object::Unknown(span) => Some(Link::unknown(span)),
            Object::Known(lt) => Some(
                attr(lt, "LaunchTemplateId")
                    .or_else(|| attr(lt, "LaunchTemplateName"))
                    .map_or_else(
                        || Link::unknown(lt.span),
                        |n| index.link(Target::LaunchTemplate, n),
                    ),
            ),
        };
        // Without a launch template the instance gets the service defaults.
        let metadata = launch_template
            .is_none()
            .then(|| metadata_options(r, Object::Absent, &tokens_default));
        let primary = primary_interface(p);
        ec2.instances.push(Instance {
            meta: meta(r),
            metadata,
            launch_template,
            instance_profile: attr(p, "IamInstanceProfile")
                .map(|n| index.link(Target::InstanceProfile, n)),
            security_groups: ["SecurityGroupIds", "SecurityGroups"]
                .iter()
                .flat_map(|k| items(p, k).unwrap_or_default())
                .chain(primary.map_or_else(Vec::new, |i| items(i, "GroupSet").unwrap_or_default()))
                .map(|n| index.link(Target::SecurityGroup, n))
                .collect(),
            public_ip: match (primary, items(p, "NetworkInterfaces")) {
                (_, Err(span)) => Value::unknown(span),
                (Some(i), _) => opt_bool(i, "AssociatePublicIpAddress", i.span),
                (None, _) => Value::default_at(None, r.span),
            },
        });
    }
    for r in index.cfn("AWS::EC2::LaunchTemplate") {
        let p = &r.properties;
        let own = match object(p, "LaunchTemplateData") {
            Object::Known(data) => object(data, "MetadataOptions"),
            Object::Absent => Object::Absent,
            Object::Unknown(span) => Object::Unknown(span),
        };
        let profile = match object(p, "LaunchTemplateData") {
            Object::Known(data) => match object(data, "IamInstanceProfile") {
                Object::Known(ip) => {
                    Some(attr(ip, "Arn").or_else(|| attr(ip, "Name")).map_or_else(
                        || Link::unknown(ip.span),
                        |n| index.link(Target::InstanceProfile, n),
                    ))
                }
                Object::Absent => None,
                Object::Unknown(span) => Some(Link::unknown(span)),
            },
            Object::Absent => None,
            Object::Unknown(span) => Some(Link::unknown(span)),
        };
        ec2.launch_templates.push(LaunchTemplate {
            meta: meta(r),
            kind: TemplateKind::LaunchTemplate,
            name: read::opt_string(p, "LaunchTemplateName", r.span),
            metadata: metadata_options(r, own, &tokens_default),
            instance_profile: profile,
        });
    }
    for r in index.cfn("AWS::AutoScaling::LaunchConfiguration") {
        let p = &r.properties;
        ec2.launch_templates.push(LaunchTemplate {
            meta: meta(r),
            kind: TemplateKind::LaunchConfiguration,
            name: read::opt_string(p, "LaunchConfigurationName", r.span),
            metadata: metadata_options(r, object(p, "MetadataOptions"), &tokens_default),
            instance_profile: attr(p, "IamInstanceProfile")
                .map(|n| index.link(Target::InstanceProfile, n)),
        });
    }
    for r in index.cfn("AWS::EC2::SecurityGroup") {
        let p = &r.properties;
        let i = ec2.security_groups.len();
        for (key, direction) in [
            ("SecurityGroupIngress", Direction::Ingress),
            ("SecurityGroupEgress", Direction::Egress),
        ] {
            // An unknown list of rules decides nothing.
            for rule in items(p, key).unwrap_or_default() {
                let group = Link::parent(i, &r.logical_id, r.span);
                ec2.sg_rules
                    .push(sg_rule(r, group, rule, rule.span, direction));
            }
        }
        ec2.security_groups.push(SecurityGroup {
            meta: meta(r),
            name: read::opt_string(p, "GroupName", r.span),
        });
    }
    for &(rtype, direction) in RULES {
        for r in index.cfn(rtype) {
            let p = &r.properties;
            let group = index.link_at(Target::SecurityGroup, p, "GroupId", r.span);
            ec2.sg_rules.push(sg_rule(r, group, p, r.span, direction));
        }
    }
    for r in index.cfn("AWS::EC2::VPC") {
        ec2.vpcs.push(Vpc {
            meta: meta(r),
            is_default: false,
        });
    }
    for r in index.cfn("AWS::EC2::FlowLog") {
        let p = &r.properties;
        let on_vpc = attr(p, "ResourceType").and_then(Node::as_str) == Some("VPC");
        ec2.flow_logs.push(FlowLog {
            meta: meta(r),
            vpc: on_vpc
                .then(|| attr(p, "ResourceId").map(|n| index.link(Target::Vpc, n)))
                .flatten(),
        });
    }
}

/// The primary network interface (device 0, or the first listed), whose
/// `AssociatePublicIpAddress` and `GroupSet` apply to the instance.
fn primary_interface(p: &Node) -> Option<&Node> {
    let interfaces = items(p, "NetworkInterfaces").ok()?;
    interfaces
        .iter()
        .find(|i| {
            attr(i, "DeviceIndex").and_then(|n| n.as_i64().or_else(|| n.as_str()?.parse().ok()))
                == Some(0)
        })
        .or(interfaces.first())
        .copied()
}

/// One rule, inline (`body` is the list item) or separate (`body` is the properties).
fn sg_rule(r: &Resource, group: Link, body: &Node, span: Span, direction: Direction) -> SgRule {
    let cidrs = ["CidrIp", "CidrIpv6"]
        .iter()
        .filter_map(|k| attr(body, k).map(read::string))
        .collect();
    SgRule {
        meta: meta(r),
        group,
        span,
        direction,
        protocol: protocol(attr(body, "IpProtocol"), span),
        from_port: read::int(body, "FromPort", None, span),
        to_port: read::int(body, "ToPort", None, span),
        cidrs,
    }
}

/// The same defaults as Terraform's: endpoint `enabled`, tokens `optional` (IMDSv1 allowed)
/// unless the account default in the scan requires them, hop limit 1 — located at the
/// `MetadataOptions` block, or at the resource that omitted it.
fn metadata_options(
    r: &Resource,
    own: Object<'_>,
    tokens_default: &Value<String>,
) -> MetadataOptions {
    let (block, at) = match own {
        Object::Known(b) => (Some(b), b.span),
        Object::Absent => (None, r.span),
        Object::Unknown(span) => {
            return MetadataOptions {
                span,
                http_endpoint: Value::unknown(span),
                http_tokens: Value::unknown(span),
                hop_limit: Value::unknown(span),
            };
        }
    };
    let in_block = |key| block.and_then(|b| attr(b, key));
    MetadataOptions {
        span: at,
        http_endpoint: in_block("HttpEndpoint").map_or_else(
            || Value::default_at("enabled".to_string(), at),
            read::string,
        ),
        http_tokens: in_block("HttpTokens").map_or_else(
            || {
                let mut d = tokens_default.clone();
                d.span = at;
                d
            },
            read::string,
        ),
        hop_limit: match block {
            Some(b) => read::int(b, "HttpPutResponseHopLimit", Some(1), at),
            None => Value::default_at(1, at),
        },
    }
}
