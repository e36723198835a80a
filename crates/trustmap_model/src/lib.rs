//! The typed model every rule reads.
//!
//! Adapters map each input language into these structs, so an S3 bucket is the same value
//! whether it came from Terraform or CloudFormation, and a Deployment the same whether it
//! came from plain YAML, Helm or Kustomize. Every field is a [`Value`] that records whether
//! it was written, left to the provider's default, or unknown, and where.

pub mod aws;
pub mod azure;
pub mod compose;
pub mod docker;
pub mod gcp;
pub mod gha;
pub mod gitlab;
pub mod k8s;
pub mod link;
pub mod suppression;
pub mod template;
pub mod value;

pub use link::Link;
pub use template::{Template, TemplatePart};
pub use value::{State, Value};

use trustmap_source::{Span, Via};

/// Which input language a model object came from.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
pub enum Language {
    Terraform,
    CloudFormation,
    Kubernetes,
    Helm,
    Kustomize,
    Dockerfile,
    Compose,
    GithubActions,
    GitlabCi,
    Serverless,
    /// Any other text file: only the secrets pass reads it.
    Text,
}

impl Language {
    /// Stable kebab-case name (fixture directories, JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Terraform => "terraform",
            Language::CloudFormation => "cloudformation",
            Language::Kubernetes => "kubernetes",
            Language::Helm => "helm",
            Language::Kustomize => "kustomize",
            Language::Dockerfile => "dockerfile",
            Language::Compose => "compose",
            Language::GithubActions => "github-actions",
            Language::GitlabCi => "gitlab-ci",
            Language::Serverless => "serverless",
            Language::Text => "text",
        }
    }
}

/// Identity and location of one model object (a resource, a workload, a job).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ResourceMeta {
    /// Stable address: a Terraform address with instance keys (`aws_s3_bucket.b["x"]`,
    /// `module.m.aws_iam_role.r`), `Kind/namespace/name` for Kubernetes, a workflow path `#job`.
    pub address: String,
    pub language: Language,
    /// The whole block / document / job; its first line is where resource-level
    /// suppressions go, and the location of provider defaults.
    pub span: Span,
    /// Module calls that instantiated this resource, outermost last.
    pub via: Vec<Via>,
}

/// Everything adapted from one scan.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Model {
    pub aws: aws::Aws,
    pub k8s: k8s::K8s,
    pub dockerfiles: Vec<docker::Dockerfile>,
    pub workflows: Vec<gha::Workflow>,
    /// GitHub Actions metadata files (`action.yml`), composite actions' steps included.
    pub gha_actions: Vec<gha::Action>,
    pub gcp: gcp::Gcp,
    pub azure: azure::Azure,
    pub compose: Vec<compose::ComposeFile>,
    pub gitlab: Vec<gitlab::Pipeline>,
    /// Inline `trustmap:ignore[...]` comments found in the scanned files.
    pub suppressions: Vec<suppression::Directive>,
}
