//! EKS clusters: who can reach the Kubernetes API, how Secrets are encrypted, and what the
//! control plane logs.

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Eks {
    pub clusters: Vec<EksCluster>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct EksCluster {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// The `vpc_config` block (or the resource when it cannot be found).
    pub vpc_config_span: Span,
    /// `endpoint_public_access`, default `true`.
    pub endpoint_public_access: Value<bool>,
    /// `endpoint_private_access`, default `false`.
    pub endpoint_private_access: Value<bool>,
    /// `public_access_cidrs`; the default is a single `0.0.0.0/0` located at `vpc_config`.
    pub public_access_cidrs: Vec<Value<String>>,
    /// Envelope encryption configurations (`encryption_config`); known-empty when none is
    /// written.
    pub encryption: Value<Vec<EksEncryption>>,
    /// `enabled_cluster_log_types`; known-empty (located at the resource) when omitted.
    pub log_types: Value<Vec<Value<String>>>,
}

/// One `encryption_config`: which Kubernetes resources are encrypted with which key.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct EksEncryption {
    pub span: Span,
    /// `secrets` is the only value EKS accepts today.
    pub resources: Vec<Value<String>>,
    pub key: Value<Option<String>>,
}

impl EksCluster {
    /// Whether a known encryption configuration covers `secrets` (`None`: cannot tell).
    pub fn encrypts_secrets(&self) -> Option<bool> {
        let configs = self.encryption.get()?;
        let mut unknown = false;
        for c in configs {
            for r in &c.resources {
                match r.get() {
                    Some(s) if s.eq_ignore_ascii_case("secrets") => return Some(true),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
        }
        if unknown { None } else { Some(false) }
    }
}
