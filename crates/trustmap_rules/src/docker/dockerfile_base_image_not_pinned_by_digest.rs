//! Base images pulled by a version tag without a digest.

use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `FROM` that pulls its base image by a version tag (`python:3.12-slim`) without a
    /// `@sha256:` digest.
    ///
    /// The policy: a tag is a name the publisher can point at other content at any time;
    /// only a digest names the content itself. `latest` and untagged images are reported by
    /// `dockerfile-base-image-mutable-tag` (DKR-001), not here, so one `FROM` gets one
    /// finding. Stages of the same file, `scratch`, and `FROM ${BASE}` whose global `ARG`
    /// has no default (unknown) are not judged; an `ARG` default is substituted first.
    ///
    /// ## Why it matters
    ///
    /// Version tags are moved routinely (rebuilds for patches) and can be moved maliciously
    /// by whoever controls the publisher's account or registry. A build that trusts the tag
    /// runs whatever it points at today, including code that did not exist when the file was
    /// reviewed, and two builds of the same commit can differ — so an incident cannot be
    /// traced to the image that caused it.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ```
    ///
    /// ## Fix
    ///
    /// Keep the tag for readers and add the digest it had when you reviewed it; let
    /// Renovate or Dependabot propose digest updates as reviewable pull requests:
    ///
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:2f1d8c…e9a0
    /// ```
    ///
    /// ## References
    ///
    /// - Docker docs: "Pin base image versions" (Dockerfile best practices)
    pub(crate) DockerfileBaseImageNotPinnedByDigest {
        id: "DKR-007",
        name: "dockerfile-base-image-not-pinned-by-digest",
        severity: Low,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            cwe: ["CWE-829", "CWE-494"],
        },
    }
}

impl Rule for DockerfileBaseImageNotPinnedByDigest {
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
                // `latest` and untagged images are DKR-001's.
                let Some(tag) = image
                    .tag
                    .as_deref()
                    .filter(|t| !t.eq_ignore_ascii_case("latest"))
                else {
                    continue;
                };
                let shown = if image.uses_arg {
                    format!("`{}` (resolves to `{resolved}`)", image.text)
                } else {
                    format!("`{}`", image.text)
                };
                out.report(
                    &d.meta,
                    image.span,
                    &image.via,
                    format!("base image {shown} is pinned by its tag `{tag}`, not by digest, so its content can change under the same name"),
                );
            }
        }
    }
}
