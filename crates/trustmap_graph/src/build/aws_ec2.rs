//! EC2 instances: workloads that run as their instance profile's role, exposed to the
//! internet when they have a public IP and a security group admits the world.
//!
//! The instance metadata service hands the role's credentials to anything on the instance
//! that can send it an HTTP request; with IMDSv1 (`http_tokens = "optional"`, the default) a
//! plain GET through a server-side request forgery is enough, so the `runs-as` edge says so.
//! With IMDSv2 required the edge stays, with that obstacle as a condition.

use trustmap_model::aws::ec2::{Ec2, Instance, MetadataOptions, Protocol, SgRule};
use trustmap_model::{Link, Model, Value};

use super::aws::AwsNodes;
use super::{Builder, Synthetic};
use crate::graph::NodeId;
use crate::types::{Edge, NodeKind, Relation};

pub(crate) fn build(b: &mut Builder, model: &Model, n: &AwsNodes) {
    let ec2 = &model.aws.ec2;
    for instance in &ec2.instances {
        let id = b.object(
            NodeKind::Workload,
            &instance.meta,
            format!("EC2 instance {}", instance.meta.address),
            None,
        );
        let metadata = metadata_of(ec2, instance);
        if let Some((link, role)) = profile_role(model, instance, n) {
            let edge = runs_as(b.g.node(role).label.as_str(), &link, metadata);
            b.g.add_edge(id, role, edge);
        }
        if let Some(edge) = exposure(ec2, instance) {
            let internet = b.synthetic(Synthetic::Internet);
            b.g.add_edge(internet, id, edge);
        }
    }
}

/// The instance's own metadata options, else its launch template's.
fn metadata_of<'a>(ec2: &'a Ec2, instance: &'a Instance) -> Option<&'a MetadataOptions> {
    instance
        .metadata
        .as_ref()
        .or_else(|| template(ec2, instance).map(|t| &t.metadata))
}

fn template<'a>(
    ec2: &'a Ec2,
    instance: &Instance,
) -> Option<&'a trustmap_model::aws::ec2::LaunchTemplate> {
    let i = instance.launch_template.as_ref()?.target?;
    ec2.launch_templates.get(i)
}

/// The role node the instance's profile holds, with the link that names the profile (the
/// instance's own `iam_instance_profile`, else its launch template's).
fn profile_role(model: &Model, instance: &Instance, n: &AwsNodes) -> Option<(Link, NodeId)> {
    let link = instance.instance_profile.as_ref().or_else(|| {
        template(&model.aws.ec2, instance)?
            .instance_profile
            .as_ref()
    })?;
    let profile = model.aws.iam.instance_profiles.get(link.target?)?;
    let role = n.roles.get(profile.role.as_ref()?.target?).copied()?;
    Some((link.clone(), role))
}

fn runs_as(role: &str, profile: &Link, metadata: Option<&MetadataOptions>) -> Edge {
    let v1 = metadata.and_then(MetadataOptions::allows_v1);
    let disabled = metadata.is_some_and(|m| m.http_endpoint.is(|e| e == "disabled"));
    let why = if v1 == Some(true) {
        format!(
            "The instance gets {role}'s credentials from its metadata service, which answers IMDSv1 without a session token: one server-side request forgery in its applications hands them out."
        )
    } else {
        format!(
            "The instance's code gets {role}'s credentials from its metadata service through the instance profile."
        )
    };
    let condition = if disabled {
        Some(
            "the metadata endpoint is disabled: only software that fetches credentials another way gets them",
        )
    } else if v1 == Some(false) {
        Some(
            "IMDSv2 is required: a plain server-side request forgery cannot read the credentials, code execution on the instance can",
        )
    } else if v1.is_none() {
        Some("whether the metadata service answers IMDSv1 is not known statically")
    } else {
        None
    };
    let edge = Edge::new(Relation::RunsAs, why, Some(profile.span));
    match condition {
        Some(c) => edge.with_conditions(vec![c.to_string()]),
        None => edge,
    }
}

/// `internet → instance` when a security group of the instance admits a world CIDR and the
/// instance has (or may have) a public IP.
fn exposure(ec2: &Ec2, instance: &Instance) -> Option<Edge> {
    let (rule, cidr) = instance
        .security_groups
        .iter()
        .filter_map(|g| g.target)
        .find_map(|g| ec2.world_ingress(g).next())?;
    let mut conditions = Vec::new();
    match public_ip(&instance.public_ip) {
        PublicIp::No => return None,
        PublicIp::Yes => {}
        PublicIp::SubnetDecides => conditions.push(
            "the instance's subnet assigns public IPv4 addresses on launch (as the default VPC's do)"
                .to_string(),
        ),
        PublicIp::Unknown => conditions
            .push("`associate_public_ip_address` is not known statically".to_string()),
    }
    let span = cidr.span;
    let cidr = cidr.get().map_or("the world", String::as_str);
    let why = format!(
        "Security group {} admits {cidr} on {} and the instance is reachable on a public IP: anyone on the internet can send its services requests.",
        rule.group.label(),
        ports(rule)
    );
    Some(Edge::new(Relation::Exposes, why, Some(span)).with_conditions(conditions))
}

enum PublicIp {
    Yes,
    No,
    SubnetDecides,
    Unknown,
}

fn public_ip(v: &Value<Option<bool>>) -> PublicIp {
    match v.get() {
        Some(Some(true)) => PublicIp::Yes,
        Some(Some(false)) => PublicIp::No,
        Some(None) => PublicIp::SubnetDecides,
        None => PublicIp::Unknown,
    }
}

/// `every port`, `TCP port 80` or `TCP ports 8000-8080`.
fn ports(rule: &SgRule) -> String {
    match (
        rule.protocol.get(),
        rule.from_port.get(),
        rule.to_port.get(),
    ) {
        (Some(Protocol::All), _, _) => "every port".to_string(),
        (Some(Protocol::Tcp), Some(from), Some(to)) if from == to => format!("TCP port {from}"),
        (Some(Protocol::Tcp), Some(from), Some(to)) => format!("TCP ports {from}-{to}"),
        _ => "some ports".to_string(),
    }
}
