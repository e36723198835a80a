use trustmap_model::Model;
use trustmap_model::aws::apigw::ApiKind;

use super::super::function_label;
use super::{api_label, route_requires_auth};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An API Gateway entry point that anyone can call without credentials:
    ///
    /// - a REST API method (`aws_api_gateway_method`) with `authorization = "NONE"` and no
    ///   `api_key_required`, other than `OPTIONS` (CORS preflight);
    /// - an HTTP API route (`aws_apigatewayv2_route`) whose `authorization_type` is `NONE` or
    ///   left out (the default is `NONE`), or the `$default` route a quick-create
    ///   `aws_apigatewayv2_api` with `target` makes;
    /// - a WebSocket API's `$connect` route without authorization (the other routes of a
    ///   WebSocket API run on a connection that `$connect` already accepted).
    ///
    /// REST methods and v2 routes are one rule because they are one kind of entry point in the
    /// model, whichever API version serves them. Private REST APIs are reported too: an
    /// endpoint that only checks where a request comes from trusts everything inside the
    /// network.
    ///
    /// ## Why it matters
    /// The route is an open door to the backend behind it, usually a Lambda function running
    /// with its own role. Anyone who finds the URL (they are listed in browser code, mobile
    /// apps and certificate transparency logs) invokes it as often as they like: scraping
    /// data, abusing business logic, or probing the function for injection, with nothing to
    /// tie the traffic to an identity. Public endpoints by design should say so with a
    /// suppression and a reason.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_apigatewayv2_route" "orders" {
    ///   api_id    = aws_apigatewayv2_api.shop.id
    ///   route_key = "GET /orders"
    ///   target    = "integrations/${aws_apigatewayv2_integration.orders.id}"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Attach an authorizer (JWT from your identity provider, IAM, or a Lambda authorizer):
    ///
    /// ```hcl
    /// resource "aws_apigatewayv2_route" "orders" {
    ///   api_id             = aws_apigatewayv2_api.shop.id
    ///   route_key          = "GET /orders"
    ///   target             = "integrations/${aws_apigatewayv2_integration.orders.id}"
    ///   authorization_type = "JWT"
    ///   authorizer_id      = aws_apigatewayv2_authorizer.cognito.id
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html>
    /// - Peer checks: Checkov `CKV_AWS_59`, `CKV2_AWS_70` and Trivy `AVD-AWS-0004` are
    ///   narrower (REST methods only); Checkov `CKV_AWS_309` is narrower (v2 routes only).
    pub(crate) ApigwRouteWithoutAuth {
        id: "AWS-APIGW-001",
        name: "apigw-route-without-auth",
        severity: Medium,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_59", "CKV2_AWS_70", "CKV_AWS_309"],
            trivy: ["AVD-AWS-0004"],
            cwe: ["CWE-306"],
        },
    }
}

impl Rule for ApigwRouteWithoutAuth {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let gw = &model.aws.apigw;
        for route in &gw.routes {
            match route_requires_auth(route) {
                None => out.unknown(),
                Some(true) => out.pass_at(route.meta.span),
                Some(false) => {
                    let backend = route
                        .integration
                        .target
                        .and_then(|i| gw.integrations.get(i))
                        .and_then(|x| x.function.as_ref())
                        .map_or_else(
                            || "its backend".to_string(),
                            |f| format!("function `{}`", function_label(model, f)),
                        );
                    let api = api_label(model, &route.api);
                    let how = if route.meta.address == api {
                        "is a quick-create route with no authorization"
                    } else if route.kind.is(|k| *k == ApiKind::Rest) {
                        "sets `authorization = \"NONE\"` without an API key"
                    } else if route.authorization.is_default() {
                        "leaves `authorization_type` to its default `NONE`"
                    } else {
                        "sets `authorization_type = \"NONE\"`"
                    };
                    out.report(
                        &route.meta,
                        route.authorization.span,
                        &route.authorization.via,
                        format!(
                            "route `{}` of API `{api}` {how}, so anyone can invoke {backend}",
                            route.label()
                        ),
                    );
                }
            }
        }
    }
}
