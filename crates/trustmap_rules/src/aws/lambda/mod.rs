//! Lambda rules: who can invoke a function, and what its configuration exposes.

mod entry_points;
mod lambda_async_without_failure_destination;
mod lambda_env_plaintext_secret;
mod lambda_function_url_without_auth;
mod lambda_layer_public;
mod lambda_permission_without_source;
mod lambda_public_without_reserved_concurrency;
mod lambda_timeout_default_or_maximum;
mod lambda_tracing_disabled;

pub(crate) use lambda_async_without_failure_destination::LambdaAsyncWithoutFailureDestination;
pub(crate) use lambda_env_plaintext_secret::LambdaEnvPlaintextSecret;
pub(crate) use lambda_function_url_without_auth::LambdaFunctionUrlWithoutAuth;
pub(crate) use lambda_layer_public::LambdaLayerPublic;
pub(crate) use lambda_permission_without_source::LambdaPermissionWithoutSource;
pub(crate) use lambda_public_without_reserved_concurrency::LambdaPublicWithoutReservedConcurrency;
pub(crate) use lambda_timeout_default_or_maximum::LambdaTimeoutDefaultOrMaximum;
pub(crate) use lambda_tracing_disabled::LambdaTracingDisabled;
