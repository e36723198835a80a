use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An ECS task definition with `pid_mode = "host"`.
    ///
    /// ## Why it matters
    /// The containers see every process on the EC2 host: other tasks' processes, the ECS
    /// agent, the container runtime. A compromised container reads their command lines and
    /// environments (which hold credentials), signals or kills them, and, with enough
    /// privilege, attaches to them to run code in their context.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "monitor" {
    ///   family   = "monitor"
    ///   pid_mode = "host"
    ///   container_definitions = jsonencode([{
    ///     name  = "monitor"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/monitor:0.9.0"
    ///   }])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Leave `pid_mode` out (each task gets its own process namespace), or use `task` to share
    /// it only between the task's own containers:
    ///
    /// ```hcl
    /// resource "aws_ecs_task_definition" "monitor" {
    ///   family   = "monitor"
    ///   pid_mode = "task"
    ///   container_definitions = jsonencode([{
    ///     name  = "monitor"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/monitor:0.9.0"
    ///   }])
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_definition_pidmode>
    /// - Peer checks: Checkov `CKV_AWS_335` is equivalent. Trivy has none.
    pub(crate) EcsTaskHostPid {
        id: "AWS-ECS-003",
        name: "ecs-task-host-pid",
        severity: Medium,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_335"],
            cwe: ["CWE-668"],
        },
    }
}

impl Rule for EcsTaskHostPid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for task in &model.aws.ecs.task_definitions {
            match task.pid_mode.get() {
                None => out.unknown(),
                Some(Some(m)) if m == "host" => {
                    out.report(
                        &task.meta,
                        task.pid_mode.span,
                        &task.pid_mode.via,
                        format!(
                            "task definition `{}` sets `pid_mode = \"host\"`, so its containers see and can signal every process on the host",
                            task.meta.address
                        ),
                    );
                }
                Some(_) => out.pass_at(task.meta.span),
            }
        }
    }
}
