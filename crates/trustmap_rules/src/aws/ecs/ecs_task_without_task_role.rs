use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An ECS task definition that can run on EC2 (or external) container instances, which is
    /// the default when `requires_compatibilities` does not limit it to `FARGATE`, and sets no
    /// `task_role_arn`.
    ///
    /// ## Why it matters
    /// Without a task role, the application's AWS SDK finds no container credentials and
    /// falls back to the instance metadata service: the code runs as the container
    /// instance's role, shared by every task on the host and usually granted ECR, ECS and
    /// CloudWatch access for the agent. The task has no identity of its own to scope, audit
    /// or revoke, and a compromise of any one task is a compromise of the host's role. A
    /// task role gives each workload its own least-privilege identity (block the metadata
    /// service for tasks as well, with `ECS_AWSVPC_BLOCK_IMDS` or `awsvpc` mode and hop
    /// limit 1).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "worker" {
    ///   family = "worker"
    ///   container_definitions = jsonencode([{
    ///     name  = "worker"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
    ///   }])
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_ecs_task_definition" "worker" {
    ///   family        = "worker"
    ///   task_role_arn = aws_iam_role.worker_task.arn
    ///   container_definitions = jsonencode([{
    ///     name  = "worker"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0"
    ///   }])
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html>
    /// - Peer checks: neither Checkov nor Trivy has an equivalent (Checkov `CKV_AWS_249`
    ///   checks that the task and execution roles differ, a different concern).
    pub(crate) EcsTaskWithoutTaskRole {
        id: "AWS-ECS-005",
        name: "ecs-task-without-task-role",
        severity: Medium,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for EcsTaskWithoutTaskRole {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for task in &model.aws.ecs.task_definitions {
            if task.task_role.is_some() {
                out.pass_at(task.meta.span);
                continue;
            }
            match task.may_run_on_hosts() {
                None => out.unknown(),
                Some(false) => out.pass_at(task.meta.span),
                Some(true) => {
                    out.report(
                        &task.meta,
                        task.meta.span,
                        &[],
                        format!(
                            "task definition `{}` sets no `task_role_arn` and can run on EC2 hosts, so its code runs with the container instance's role",
                            task.meta.address
                        ),
                    );
                }
            }
        }
    }
}
