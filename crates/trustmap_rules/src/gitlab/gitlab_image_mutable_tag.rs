use std::collections::HashSet;

use trustmap_model::gitlab::Image;
use trustmap_model::{Model, ResourceMeta};
use trustmap_source::Span;

use super::runnable;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A job image or service image pulled by the `latest` tag or by no tag at all, without
    /// a digest.
    ///
    /// Images come from `default:` (or the top-level `image:`/`services:`) and from each job,
    /// `extends:` templates included; each written image is reported once. An image named
    /// through a variable (`$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA`) is counted as undecided.
    ///
    /// ## Why it matters
    ///
    /// `latest` is whatever the image's publisher — or whoever took over their account or
    /// registry — pushed last. The job runs that image with the pipeline's CI/CD variables,
    /// its job token and its deployment rights, so a poisoned or simply broken push changes
    /// every pipeline at once, and nobody can tell afterwards which image ran.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// build:
    ///   image: node
    ///   services:
    ///     - postgres:latest
    ///   script:
    ///     - npm ci && npm test
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin a version, and a digest where the image matters:
    ///
    /// ```yaml
    /// build:
    ///   image: node:22.11-alpine@sha256:96cc8323e25c8cc6ddcb8b965e135cfd57846e8003ec0d7bcec16c5fd5f6d39f
    ///   services:
    ///     - postgres:17.2
    ///   script:
    ///     - npm ci && npm test
    /// ```
    pub(crate) GitlabImageMutableTag {
        id: "GLCI-002",
        name: "gitlab-image-mutable-tag",
        severity: Medium,
        capability: Iac,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-829", "CWE-494"],
        },
    }
}

impl Rule for GitlabImageMutableTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            let mut seen: HashSet<Span> = HashSet::new();
            let defaults = p.default.image.iter().chain(&p.default.services);
            let mut all: Vec<(&ResourceMeta, &Image, bool)> = defaults
                .map(|i| (&p.meta, i, p.default.image.as_ref() != Some(i)))
                .collect();
            for j in runnable(p) {
                all.extend(j.image.iter().map(|i| (&j.meta, i, false)));
                all.extend(j.services.iter().map(|i| (&j.meta, i, true)));
            }
            for (resource, image, service) in all {
                if !seen.insert(image.name.span) {
                    continue;
                }
                match image.parts() {
                    None => out.unknown(),
                    Some((_, _, Some(_))) => out.pass_at(resource.span),
                    Some((repo, tag, None)) => {
                        let what = if service { "service image" } else { "image" };
                        let message = match tag.as_deref() {
                            None => format!(
                                "{what} `{repo}` has no tag, so every pipeline pulls whatever `latest` is"
                            ),
                            Some("latest") => {
                                format!("{what} `{repo}:latest` pulls whatever was pushed last")
                            }
                            Some(_) => {
                                out.pass_at(resource.span);
                                continue;
                            }
                        };
                        out.report(resource, image.name.span, &[], message);
                    }
                }
            }
        }
    }
}
