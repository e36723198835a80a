use trustmap_model::Model;

use super::super::settle;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A container in an ECS task definition's `container_definitions` with
    /// `"privileged": true`.
    ///
    /// ## Why it matters
    /// A privileged container holds every Linux capability and sees every device of the EC2
    /// host. Code execution in it (a vulnerable dependency, an injected command) is code
    /// execution on the host: the attacker mounts the host's disk, reads other tasks'
    /// secrets and credentials, and takes the ECS agent's role, which reaches every task on
    /// the instance.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "agent" {
    ///   family = "agent"
    ///   container_definitions = jsonencode([{
    ///     name       = "agent"
    ///     image      = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/agent:1.4.2"
    ///     privileged = true
    ///   }])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Drop `privileged` and add only the capability the container needs:
    ///
    /// ```hcl
    /// resource "aws_ecs_task_definition" "agent" {
    ///   family = "agent"
    ///   container_definitions = jsonencode([{
    ///     name  = "agent"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/agent:1.4.2"
    ///     linuxParameters = {
    ///       capabilities = { add = ["NET_ADMIN"], drop = ["ALL"] }
    ///     }
    ///   }])
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html>
    /// - Peer checks: Checkov `CKV_AWS_334` is equivalent. Trivy has none.
    pub(crate) EcsContainerPrivileged {
        id: "AWS-ECS-001",
        name: "ecs-container-privileged",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_334"],
            cwe: ["CWE-250"],
        },
    }
}

impl Rule for EcsContainerPrivileged {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for task in &model.aws.ecs.task_definitions {
            let Some(containers) = task.containers.get() else {
                out.unknown();
                continue;
            };
            let (mut found, mut unknown) = (false, false);
            for (i, c) in containers.iter().enumerate() {
                match c.privileged.get() {
                    None => unknown = true,
                    Some(false) => {}
                    Some(true) => {
                        out.report(
                            &task.meta,
                            c.privileged.span,
                            &c.privileged.via,
                            format!(
                                "container `{}` of task definition `{}` is privileged, so code in it controls the host",
                                c.label(i),
                                task.meta.address
                            ),
                        );
                        found = true;
                    }
                }
            }
            settle(out, task.meta.span, found, unknown);
        }
    }
}
