//! EC2 rules: network exposure through security groups, the instance metadata service, and
//! the network record a VPC keeps.

mod ec2_imdsv1_allowed;
mod security_group_admin_port_open_to_world;
mod security_group_all_ports_open_to_world;
mod vpc_without_flow_logs;

pub(crate) use ec2_imdsv1_allowed::Ec2Imdsv1Allowed;
pub(crate) use security_group_admin_port_open_to_world::SecurityGroupAdminPortOpenToWorld;
pub(crate) use security_group_all_ports_open_to_world::SecurityGroupAllPortsOpenToWorld;
pub(crate) use vpc_without_flow_logs::VpcWithoutFlowLogs;

use trustmap_model::Model;
use trustmap_model::aws::ec2::SgRule;

/// The group a rule belongs to, for messages.
fn group_label<'a>(model: &'a Model, rule: &'a SgRule) -> &'a str {
    super::label(&rule.group, |i| {
        model
            .aws
            .ec2
            .security_groups
            .get(i)
            .map(|g| g.meta.address.as_str())
    })
}
