//! Images pulled as `latest` (or untagged) without a digest.

use trustmap_model::Model;

use super::{containers, tally};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Containers whose image has no digest and either no tag or the `latest` tag (an
    /// untagged image means `latest`).
    ///
    /// ## Why it matters
    ///
    /// `latest` points at whatever was pushed last. Anyone who can push to that repository
    /// (a leaked registry token, a compromised upstream maintainer, a typo-squatted public
    /// image) changes what runs in the cluster at the next pod restart or node scale-up,
    /// with no change in this repository to review. It also means two replicas can run
    /// different code, and a rollback cannot bring the old image back.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: { app: api }
    ///   template:
    ///     metadata:
    ///       labels: { app: api }
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/api:latest
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin a version tag and, better, the digest of the image you tested; let a bot
    /// (Renovate, Dependabot) propose updates as reviewed changes.
    ///
    /// ```yaml
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/api:2.14.1@sha256:4b1f0c1a7d2e9c3b5a6f8e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978695a4b
    /// ```
    pub(crate) ContainerImageMutableTag {
        id: "K8S-014",
        name: "container-image-mutable-tag",
        severity: Medium,
        capability: Iac,
        languages: [Kubernetes, Kustomize, Helm],
        equivalents: {
            checkov: ["CKV_K8S_14", "CKV_K8S_43"],
            trivy: ["AVD-KSV-0013"],
            cwe: ["CWE-494"],
        },
    }
}

impl Rule for ContainerImageMutableTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in containers(model) {
            let image = &container.image;
            match image.get() {
                Some(i) if i.repository.is_empty() => out.unknown(),
                Some(i) if i.is_mutable_latest() => {
                    let text = i.text.trim();
                    let what = if i.tag.is_some() {
                        format!("`{text}`, a mutable tag without a digest")
                    } else {
                        format!("untagged image `{text}`, which means `latest`")
                    };
                    out.report(
                        &workload.object.meta,
                        image.span,
                        &image.via,
                        format!("container `{}` runs {what}", container.label()),
                    );
                }
                _ => tally(out, container.span, image),
            }
        }
    }
}
