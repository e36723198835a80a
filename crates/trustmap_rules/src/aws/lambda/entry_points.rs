//! Which functions are invoked from outside: function URLs and API Gateway routes.

use trustmap_model::Model;

use super::super::apigw::route_requires_auth;

/// How one function can be reached from outside AWS.
pub(super) struct EntryPoint {
    /// `function URL `aws_lambda_function_url.x`` or `route `GET /x` (`aws_...`)`.
    pub(super) label: String,
    /// Callers need no credentials.
    pub(super) unauthenticated: bool,
}

/// For every function (by position in `Lambda::functions`), its known entry points.
pub(super) fn entry_points(model: &Model) -> Vec<Vec<EntryPoint>> {
    let lambda = &model.aws.lambda;
    let mut out: Vec<Vec<EntryPoint>> = lambda.functions.iter().map(|_| Vec::new()).collect();
    for url in &lambda.urls {
        if let Some(slot) = url.function.target.and_then(|i| out.get_mut(i)) {
            slot.push(EntryPoint {
                label: format!("function URL `{}`", url.meta.address),
                unauthenticated: url.authorization_type.is(|a| a == "NONE"),
            });
        }
    }
    let gw = &model.aws.apigw;
    for route in &gw.routes {
        let function = route
            .integration
            .target
            .and_then(|i| gw.integrations.get(i))
            .and_then(|x| x.function.as_ref())
            .and_then(|f| f.target);
        if let Some(slot) = function.and_then(|i| out.get_mut(i)) {
            slot.push(EntryPoint {
                label: format!("route `{}` (`{}`)", route.label(), route.meta.address),
                unauthenticated: route_requires_auth(route) == Some(false),
            });
        }
    }
    out
}
