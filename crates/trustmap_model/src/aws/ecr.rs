//! ECR repositories: tag mutability, image scanning and repository policies.

use trustmap_source::Span;

use super::policy::{ResourcePolicy, iam_match};
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Ecr {
    pub repositories: Vec<Repository>,
    /// `aws_ecr_repository_policy` resources.
    pub policies: Vec<ResourcePolicy>,
    /// Registry-wide scanning rules (`aws_ecr_registry_scanning_configuration`), which take
    /// precedence over each repository's `scan_on_push`.
    pub registry_scanning: Vec<RegistryScanning>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Repository {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// `MUTABLE` (default), `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION`, `IMMUTABLE_WITH_EXCLUSION`.
    pub tag_mutability: Value<String>,
    /// `image_scanning_configuration.scan_on_push`, default `false`.
    pub scan_on_push: Value<bool>,
}

impl Repository {
    /// Tags can be moved to another image (`None`: cannot tell).
    pub fn tags_mutable(&self) -> Option<bool> {
        self.tag_mutability
            .get()
            .map(|m| m.to_ascii_uppercase().starts_with("MUTABLE"))
    }
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RegistryScanning {
    pub meta: ResourceMeta,
    /// `BASIC` or `ENHANCED`.
    pub scan_type: Value<String>,
    pub rules: Vec<ScanRule>,
}

/// One registry scanning rule: how often repositories matching its filters are scanned.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ScanRule {
    pub span: Span,
    /// `SCAN_ON_PUSH`, `CONTINUOUS_SCAN` or `MANUAL`.
    pub frequency: Value<String>,
    /// Repository name patterns (`*` wildcards).
    pub filters: Vec<Value<String>>,
}

impl ScanRule {
    /// Whether the rule scans new images automatically.
    pub fn scans_new_images(&self) -> Option<bool> {
        self.frequency
            .get()
            .map(|f| f == "SCAN_ON_PUSH" || f == "CONTINUOUS_SCAN")
    }

    /// Whether a filter matches a repository name (`None`: a filter is unknown).
    pub fn covers(&self, repository: &str) -> Option<bool> {
        let mut unknown = false;
        for f in &self.filters {
            match f.get() {
                Some(p) if iam_match(p, repository) => return Some(true),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }
}
