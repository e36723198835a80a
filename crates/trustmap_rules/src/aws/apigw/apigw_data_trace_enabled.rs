use trustmap_model::Model;

use super::super::label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// API Gateway stage settings with `data_trace_enabled = true`: REST API method settings
    /// (`aws_api_gateway_method_settings`) and the default or per-route settings of a
    /// WebSocket stage (`aws_apigatewayv2_stage`).
    ///
    /// ## Why it matters
    /// Data tracing writes full request and response bodies and headers to CloudWatch Logs:
    /// passwords posted to a login route, bearer tokens, API keys, personal data. Anyone who
    /// can read the log group (often every developer, and every log-shipping integration)
    /// now holds those secrets, long after the requests are gone, and log retention turns a
    /// debugging aid into a credential store for the next intruder. AWS recommends against
    /// it in production.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_api_gateway_method_settings" "all" {
    ///   rest_api_id = aws_api_gateway_rest_api.shop.id
    ///   stage_name  = aws_api_gateway_stage.prod.stage_name
    ///   method_path = "*/*"
    ///   settings {
    ///     logging_level      = "INFO"
    ///     data_trace_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep execution logging at `ERROR` (or `INFO` without bodies), and use access logs with a
    /// format that names the caller, not the payload:
    ///
    /// ```hcl
    /// resource "aws_api_gateway_method_settings" "all" {
    ///   rest_api_id = aws_api_gateway_rest_api.shop.id
    ///   stage_name  = aws_api_gateway_stage.prod.stage_name
    ///   method_path = "*/*"
    ///   settings {
    ///     logging_level      = "ERROR"
    ///     data_trace_enabled = false
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html>
    /// - Peer checks: Checkov `CKV_AWS_276` is narrower (REST method settings only). Trivy has
    ///   none.
    pub(crate) ApigwDataTraceEnabled {
        id: "AWS-APIGW-002",
        name: "apigw-data-trace-enabled",
        severity: Medium,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_276"],
            cwe: ["CWE-532"],
        },
    }
}

impl Rule for ApigwDataTraceEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let gw = &model.aws.apigw;
        for s in &gw.method_settings {
            match s.data_trace.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(s.meta.span),
                Some(true) => {
                    let stage = label(&s.stage, |i| {
                        gw.stages.get(i).map(|st| st.meta.address.as_str())
                    });
                    let path = s.method_path.get().map_or("unknown", String::as_str);
                    out.report(
                        &s.meta,
                        s.data_trace.span,
                        &s.data_trace.via,
                        format!(
                            "settings `{path}` of stage `{stage}` set `data_trace_enabled = true`, so full request and response bodies are written to CloudWatch Logs"
                        ),
                    );
                }
            }
        }
    }
}
