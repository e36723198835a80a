use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An API Gateway stage (`aws_api_gateway_stage`, `aws_apigatewayv2_stage`) without
    /// `access_log_settings`.
    ///
    /// ## Why it matters
    /// Access logs are the record of who called the API: source address, caller identity,
    /// route, status and latency. Without them, credential stuffing, scraping and a slow
    /// enumeration of IDs leave no trace, and after an incident there is no way to tell which
    /// records an attacker requested or since when.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_apigatewayv2_stage" "prod" {
    ///   api_id      = aws_apigatewayv2_api.shop.id
    ///   name        = "prod"
    ///   auto_deploy = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_apigatewayv2_stage" "prod" {
    ///   api_id      = aws_apigatewayv2_api.shop.id
    ///   name        = "prod"
    ///   auto_deploy = true
    ///   access_log_settings {
    ///     destination_arn = aws_cloudwatch_log_group.api.arn
    ///     format = jsonencode({
    ///       requestId = "$context.requestId"
    ///       ip        = "$context.identity.sourceIp"
    ///       route     = "$context.routeKey"
    ///       status    = "$context.status"
    ///     })
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html>
    /// - Peer checks: Checkov `CKV_AWS_76` (REST) and `CKV_AWS_95` (v2, CloudFormation only)
    ///   are each narrower; Trivy `AVD-AWS-0001` is equivalent.
    pub(crate) ApigwAccessLoggingDisabled {
        id: "AWS-APIGW-003",
        name: "apigw-access-logging-disabled",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_76", "CKV_AWS_95"],
            trivy: ["AVD-AWS-0001"],
            cwe: ["CWE-778"],
        },
    }
}

impl Rule for ApigwAccessLoggingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for stage in &model.aws.apigw.stages {
            match stage.access_log.get() {
                None => out.unknown(),
                Some(Some(_)) => out.pass_at(stage.meta.span),
                Some(None) => {
                    out.report(
                        &stage.meta,
                        stage.access_log.span,
                        &stage.access_log.via,
                        format!(
                            "stage `{}` has no `access_log_settings`, so calls to the API are not logged",
                            stage.meta.address
                        ),
                    );
                }
            }
        }
    }
}
