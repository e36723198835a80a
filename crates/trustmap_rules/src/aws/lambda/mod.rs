//! Lambda rules: who can invoke a function, and what its configuration exposes.

mod lambda_env_plaintext_secret;
mod lambda_function_url_without_auth;
mod lambda_permission_without_source;

pub(crate) use lambda_env_plaintext_secret::LambdaEnvPlaintextSecret;
pub(crate) use lambda_function_url_without_auth::LambdaFunctionUrlWithoutAuth;
pub(crate) use lambda_permission_without_source::LambdaPermissionWithoutSource;
