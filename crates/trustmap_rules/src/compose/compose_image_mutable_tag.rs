//! A compose service pulling an image by `latest` or no tag.

use trustmap_model::Model;

use super::services;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Compose services that pull their image by the `latest` tag or by no tag (which means
    /// `latest`), without a digest. Services that are built (`build:`) pass: their `image`
    /// names what the build produces, not what is pulled. `image: ${IMAGE}` is unknown.
    ///
    /// ## Why it matters
    ///
    /// `latest` is whatever was pushed last, by the publisher or by whoever took over the
    /// publisher's account or a look-alike name. Every `docker compose pull` or fresh host
    /// can run different code with no change in the repository to review, and a bad image
    /// cannot be traced back to a version.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin a version tag, and better its digest (Renovate and Dependabot keep both current):
    ///
    /// ```yaml
    /// services:
    ///   cache:
    ///     image: redis:7.4.1@sha256:…
    /// ```
    pub(crate) ComposeImageMutableTag {
        id: "CMP-007",
        name: "compose-image-mutable-tag",
        severity: Medium,
        capability: Iac,
        languages: [Compose],
        equivalents: {
            cwe: ["CWE-829"],
        },
    }
}

impl Rule for ComposeImageMutableTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let Some(image) = s.image.as_ref().filter(|_| s.build.is_none()) else {
                continue;
            };
            match image.get() {
                None => out.unknown(),
                Some(i) if i.is_mutable_latest() => {
                    let how = if i.tag.is_none() {
                        "has no tag, so it pulls whatever `latest` is"
                    } else {
                        "uses the mutable `latest` tag"
                    };
                    out.report(
                        &s.meta,
                        image.span,
                        &image.via,
                        format!("image `{}` of service `{}` {how}", i.text, s.label()),
                    );
                }
                Some(_) => out.pass_at(s.meta.span),
            }
        }
    }
}
