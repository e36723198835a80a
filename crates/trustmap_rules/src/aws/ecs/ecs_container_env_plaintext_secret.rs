use trustmap_model::Model;

use super::super::settle;
use crate::plaintext_secret::plaintext_secret;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `environment` entry of an ECS container definition that holds a secret written in
    /// the code: a variable whose name says it holds a credential (`DB_PASSWORD`, `API_KEY`,
    /// `GITHUB_TOKEN`, ...) and whose value is a literal (directly, or through a variable
    /// default or `.tfvars`), or any value that is a URL with a password in it. Names that
    /// point at a secret (`*_ARN`, `*_SECRET_ID`, ...), ARN values and unknown values are not
    /// reported; the `secrets` list, which references Secrets Manager or Parameter Store, is
    /// the fix. The heuristic is the one `lambda-env-plaintext-secret` uses.
    ///
    /// ## Why it matters
    /// The secret sits in the repository history, the Terraform state and the task definition
    /// itself, which `ecs:DescribeTaskDefinition` returns in clear to anyone with read-only
    /// access to ECS. An attacker with any of these gets the database or third-party account
    /// behind it, and every old task definition revision keeps the value after it is changed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family = "api"
    ///   container_definitions = jsonencode([{
    ///     name  = "api"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.0.1"
    ///     environment = [
    ///       { name = "DB_PASSWORD", value = "s3cr3t-Passw0rd" },
    ///     ]
    ///   }])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Reference the secret; ECS injects it at start with the execution role:
    ///
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family             = "api"
    ///   execution_role_arn = aws_iam_role.api_execution.arn
    ///   container_definitions = jsonencode([{
    ///     name  = "api"
    ///     image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:2.0.1"
    ///     secrets = [
    ///       { name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn },
    ///     ]
    ///   }])
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html>
    /// - Peer checks: Trivy `AVD-AWS-0036` is broader (any secret-looking name, whatever the
    ///   value). Checkov has none.
    pub(crate) EcsContainerEnvPlaintextSecret {
        id: "AWS-ECS-004",
        name: "ecs-container-env-plaintext-secret",
        severity: High,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            trivy: ["AVD-AWS-0036"],
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for EcsContainerEnvPlaintextSecret {
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
                let Some(vars) = c.environment.get() else {
                    unknown = true;
                    continue;
                };
                for var in vars {
                    let Some(value) = var.value.get() else {
                        unknown = true;
                        continue;
                    };
                    let Some(why) = plaintext_secret(&var.name, value) else {
                        continue;
                    };
                    out.report(
                        &task.meta,
                        var.value.span,
                        &var.value.via,
                        format!(
                            "environment variable `{}` of container `{}` in `{}` {why}",
                            var.name,
                            c.label(i),
                            task.meta.address
                        ),
                    )
                    .redact(var.value.span);
                    found = true;
                }
            }
            settle(out, task.meta.span, found, unknown);
        }
    }
}
