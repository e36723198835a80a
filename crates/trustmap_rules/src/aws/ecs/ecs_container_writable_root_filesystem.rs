use trustmap_model::Model;

use super::super::settle;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A container in an ECS task definition whose `readonlyRootFilesystem` is `false` or
    /// left out (the default is `false`).
    ///
    /// ## Why it matters
    /// An attacker who gets code execution in a container with a writable root filesystem
    /// drops tools, replaces binaries the application calls, or plants a persistence hook
    /// that survives until the task is replaced. A read-only root makes the image the only
    /// code that can run; the application writes only to the volumes it declares.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family = "api"
    ///   container_definitions = jsonencode([{
    ///     name  = "api"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.0.1"
    ///   }])
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family = "api"
    ///   container_definitions = jsonencode([{
    ///     name                   = "api"
    ///     image                  = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.0.1"
    ///     readonlyRootFilesystem = true
    ///     mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp" }]
    ///   }])
    ///   volume {
    ///     name = "tmp"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html>
    /// - Peer checks: Checkov `CKV_AWS_336` is equivalent. Trivy has none.
    pub(crate) EcsContainerWritableRootFilesystem {
        id: "AWS-ECS-006",
        name: "ecs-container-writable-root-filesystem",
        severity: Low,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_336"],
            cwe: ["CWE-732"],
        },
    }
}

impl Rule for EcsContainerWritableRootFilesystem {
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
                let ro = &c.read_only_root;
                match ro.get() {
                    None => unknown = true,
                    Some(true) => {}
                    Some(false) => {
                        let how = if ro.is_default() {
                            "does not set `readonlyRootFilesystem`"
                        } else {
                            "sets `readonlyRootFilesystem` to `false`"
                        };
                        out.report(
                            &task.meta,
                            ro.span,
                            &ro.via,
                            format!(
                                "container `{}` of task definition `{}` {how}, so code running in it can modify its own filesystem",
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
