use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An ECS task definition with `network_mode = "host"`.
    ///
    /// ## Why it matters
    /// The containers share the EC2 host's network stack: they bind the host's ports, see
    /// every interface, and reach the instance metadata service and every service listening
    /// on the host's loopback address (the ECS agent's introspection API, other tasks'
    /// local ports). A compromised container then steps over the boundary security groups
    /// and `awsvpc` mode draw around each task, and takes the instance role's credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "proxy" {
    ///   family       = "proxy"
    ///   network_mode = "host"
    ///   container_definitions = jsonencode([{
    ///     name  = "proxy"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/proxy:3.1.0"
    ///   }])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Give each task its own network interface and security group:
    ///
    /// ```hcl
    /// resource "aws_ecs_task_definition" "proxy" {
    ///   family       = "proxy"
    ///   network_mode = "awsvpc"
    ///   container_definitions = jsonencode([{
    ///     name  = "proxy"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/proxy:3.1.0"
    ///   }])
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html>
    /// - Peer checks: neither Checkov nor Trivy has an equivalent.
    pub(crate) EcsTaskHostNetwork {
        id: "AWS-ECS-002",
        name: "ecs-task-host-network",
        severity: Medium,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            cwe: ["CWE-668"],
        },
    }
}

impl Rule for EcsTaskHostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for task in &model.aws.ecs.task_definitions {
            match task.network_mode.get() {
                None => out.unknown(),
                Some(m) if m == "host" => {
                    out.report(
                        &task.meta,
                        task.network_mode.span,
                        &task.network_mode.via,
                        format!(
                            "task definition `{}` sets `network_mode = \"host\"`, so its containers share the host's network stack",
                            task.meta.address
                        ),
                    );
                }
                Some(_) => out.pass_at(task.meta.span),
            }
        }
    }
}
