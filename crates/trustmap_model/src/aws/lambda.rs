//! Lambda functions and the ways they can be invoked: function URLs and resource-based
//! permissions.

use trustmap_source::Span;

use super::Link;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default)]
pub struct Lambda {
    pub functions: Vec<Function>,
    pub urls: Vec<FunctionUrl>,
    pub permissions: Vec<Permission>,
}

#[derive(Debug)]
pub struct Function {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// The execution role.
    pub role: Link,
    /// `environment.variables`; known-empty when there is no `environment` block.
    pub environment: Value<Vec<EnvVar>>,
}

/// One environment variable.
#[derive(Debug)]
pub struct EnvVar {
    pub name: String,
    pub name_span: Span,
    pub value: Value<String>,
}

/// `aws_lambda_function_url`.
#[derive(Debug)]
pub struct FunctionUrl {
    pub meta: ResourceMeta,
    pub function: Link,
    /// `AWS_IAM` or `NONE`.
    pub authorization_type: Value<String>,
}

/// `aws_lambda_permission`: a resource-based policy statement on a function.
#[derive(Debug)]
pub struct Permission {
    pub meta: ResourceMeta,
    pub function: Link,
    pub action: Value<String>,
    /// An account ID, an ARN, a service principal (`s3.amazonaws.com`) or `*`.
    pub principal: Value<String>,
    pub source_arn: Value<Option<String>>,
    pub source_account: Value<Option<String>>,
    pub principal_org_id: Value<Option<String>>,
    pub function_url_auth_type: Value<Option<String>>,
}

impl Permission {
    /// The principal is an AWS service (`events.amazonaws.com`, `s3.amazonaws.com`, ...).
    pub fn is_service_principal(&self) -> Option<bool> {
        self.principal
            .get()
            .map(|p| p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn"))
    }
}
