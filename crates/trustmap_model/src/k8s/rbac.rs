//! RBAC: what Roles allow and whom bindings grant it to.

use trustmap_source::Span;

use super::{KeyValue, Object};
use crate::Value;

/// A Role (namespaced) or ClusterRole.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Role {
    pub object: Object,
    /// A ClusterRole.
    pub cluster: bool,
    pub rules: Vec<PolicyRule>,
    /// A ClusterRole's `aggregationRule`: the controller replaces its `rules` with the rules
    /// of every ClusterRole its selectors match (see [`super::RbacIndex`]).
    pub aggregation: Option<AggregationRule>,
}

impl Role {
    /// A ClusterRole whose rules are filled in by the aggregation controller.
    pub fn is_aggregated(&self) -> bool {
        self.aggregation.is_some()
    }
}

/// `aggregationRule`: ClusterRoles whose labels match any selector contribute their rules.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct AggregationRule {
    pub span: Span,
    /// `clusterRoleSelectors`; a role matches when it matches any one of them.
    pub selectors: Vec<LabelSelector>,
}

/// A label selector (`matchLabels` and `matchExpressions`, all of which must hold).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct LabelSelector {
    pub span: Span,
    pub match_labels: Vec<KeyValue>,
    pub match_expressions: Vec<LabelRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct LabelRequirement {
    pub span: Span,
    pub key: Value<String>,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: Value<String>,
    pub values: Vec<Value<String>>,
}

/// One entry of `rules`. Lists hold each item with its own span; a list that cannot be
/// read is one unknown item.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RoleBinding {
    pub object: Object,
    /// A ClusterRoleBinding.
    pub cluster: bool,
    pub role_ref: RoleRef,
    pub subjects: Vec<Subject>,
}

/// `roleRef`: the Role or ClusterRole granted.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RoleRef {
    pub span: Span,
    pub kind: Value<String>,
    pub name: Value<String>,
}

/// One subject the binding grants to.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Subject {
    pub span: Span,
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: Value<String>,
    pub name: Value<String>,
    /// For ServiceAccounts; `None` when omitted.
    pub namespace: Value<Option<String>>,
}
