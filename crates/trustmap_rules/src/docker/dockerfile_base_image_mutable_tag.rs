use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `FROM` that pulls its base image by the `latest` tag or by no tag at all.
    ///
    /// No tag means `latest`; a `@sha256:` digest passes whatever the tag. Stages built earlier
    /// in the same file and `scratch` are not pulled and pass; `FROM ${BASE}` is judged on the
    /// default of the global `ARG BASE`, and is unknown when that `ARG` has no default.
    ///
    /// ## Why it matters
    ///
    /// `latest` is whatever the publisher (or whoever compromised the publisher's account)
    /// pushed last. An attacker who can push to that repository — or a typo-squatted name —
    /// gets their code into every image built after, with no change in your repository to
    /// review. Mutable tags also make builds unreproducible, so a bad image cannot be traced.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM python
    /// FROM node:latest AS web
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin a version tag and, better, the digest it had when you reviewed it (Dependabot and
    /// Renovate keep digests up to date):
    ///
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:2f1d8c…e9a0
    /// FROM node:20.11-bookworm AS web
    /// ```
    ///
    /// Version tags can still be moved by the publisher; only a digest is immutable.
    ///
    /// ## References
    ///
    /// - Docker docs: "Image digests" and "Pin base image versions" (Dockerfile best practices)
    pub(crate) DockerfileBaseImageMutableTag {
        id: "DKR-001",
        name: "dockerfile-base-image-mutable-tag",
        severity: Medium,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            checkov: ["CKV_DOCKER_7"],
            trivy: ["AVD-DS-0001"],
            cwe: ["CWE-829"],
        },
    }
}

impl Rule for DockerfileBaseImageMutableTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            for stage in &d.stages {
                let image = &stage.from;
                if image.is_stage_ref || image.is_scratch {
                    continue;
                }
                let Some(resolved) = &image.resolved else {
                    out.unknown();
                    continue;
                };
                if image.digest.is_some() {
                    out.pass_at(d.meta.span);
                    continue;
                }
                let shown = if image.uses_arg {
                    format!("`{}` (resolves to `{resolved}`)", image.text)
                } else {
                    format!("`{}`", image.text)
                };
                let message = match image.tag.as_deref() {
                    None => {
                        format!("base image {shown} has no tag, so it pulls whatever `latest` is")
                    }
                    Some(t) if t.eq_ignore_ascii_case("latest") => {
                        format!("base image {shown} uses the mutable `latest` tag")
                    }
                    Some(_) => {
                        out.pass_at(d.meta.span);
                        continue;
                    }
                };
                out.report(&d.meta, image.span, &image.via, message);
            }
        }
    }
}
