//! RBAC: what Roles allow and whom bindings grant it to.

use trustmap_source::Span;

use super::Object;
use crate::Value;

/// A Role (namespaced) or ClusterRole.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Role {
    pub object: Object,
    /// A ClusterRole.
    pub cluster: bool,
    pub rules: Vec<PolicyRule>,
    /// A ClusterRole with an `aggregationRule`: its rules are filled in by the controller.
    pub aggregated: bool,
}

/// One entry of `rules`. Lists hold each item with its own span; a list that cannot be
/// read is one unknown item.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PolicyRule {
    pub span: Span,
    /// `""` is the core group.
    pub api_groups: Vec<Value<String>>,
    pub resources: Vec<Value<String>>,
    pub verbs: Vec<Value<String>>,
    /// Non-empty: the rule only applies to these object names.
    pub resource_names: Vec<Value<String>>,
    pub non_resource_urls: Vec<Value<String>>,
}

/// A RoleBinding (namespaced) or ClusterRoleBinding.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RoleBinding {
    pub object: Object,
    /// A ClusterRoleBinding.
    pub cluster: bool,
    pub role_ref: RoleRef,
    pub subjects: Vec<Subject>,
}

/// `roleRef`: the Role or ClusterRole granted.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RoleRef {
    pub span: Span,
    pub kind: Value<String>,
    pub name: Value<String>,
}

/// One subject the binding grants to.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Subject {
    pub span: Span,
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: Value<String>,
    pub name: Value<String>,
    /// For ServiceAccounts; `None` when omitted.
    pub namespace: Value<Option<String>>,
}
