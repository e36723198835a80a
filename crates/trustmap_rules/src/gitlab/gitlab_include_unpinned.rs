use trustmap_model::Model;
use trustmap_model::gitlab::IncludeKind;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// An `include:` of configuration from outside the repository that is not pinned to an
    /// immutable version.
    ///
    /// That is a `remote:` URL (or a bare `https://` include) without an `integrity:` hash, a
    /// `project:` include with no `ref:` or a `ref:` that is not a full commit SHA, and a
    /// `component:` whose `@version` is not a commit SHA (`@1.2.0`, `@main`, `@~latest`).
    /// Local includes and GitLab's own `template:` includes pass.
    ///
    /// ## Why it matters
    ///
    /// Included configuration becomes part of the pipeline: its jobs and scripts run with the
    /// project's CI/CD variables, job token, runners and deployment rights. Whoever can change
    /// the remote file, push to the other project's branch or move its tag — its maintainers,
    /// or an attacker who took over that project or web server — changes what every pipeline
    /// of this project runs, without a commit here.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// include:
    ///   - remote: https://example.com/ci/build.yml
    ///   - project: platform/ci-templates
    ///     ref: main
    ///     file: /deploy.yml
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin the commit (and check the remote file's hash):
    ///
    /// ```yaml
    /// include:
    ///   - remote: https://example.com/ci/build.yml
    ///     integrity: sha256-L3/GAoKaw0Arw6hDCKeKQlV1QPEgHYxGBHsH4zG1IY8=
    ///   - project: platform/ci-templates
    ///     ref: 9f2c1e4b7a0d3c5e8f1a2b4c6d8e0f1a3b5c7d9e
    ///     file: /deploy.yml
    /// ```
    pub(crate) GitlabIncludeUnpinned {
        id: "GLCI-005",
        name: "gitlab-include-unpinned",
        severity: Medium,
        capability: Iac,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-829", "CWE-494"],
        },
    }
}

impl Rule for GitlabIncludeUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            for inc in &p.includes {
                let target = inc.target.value.trim();
                let problem = match inc.kind {
                    IncludeKind::Local | IncludeKind::Template => None,
                    IncludeKind::Remote if inc.integrity.is_none() => Some((
                        inc.target.span,
                        format!(
                            "remote include `{target}` is fetched on every pipeline run with no `integrity` hash"
                        ),
                    )),
                    IncludeKind::Remote => None,
                    IncludeKind::Project | IncludeKind::Component if inc.is_sha_pinned() => None,
                    IncludeKind::Project => Some(match &inc.git_ref {
                        None => (
                            inc.target.span,
                            format!(
                                "project include `{target}` has no `ref`, so it follows that project's default branch"
                            ),
                        ),
                        Some(r) => (
                            r.span,
                            format!(
                                "project include `{target}` is pinned to `{}`, a branch or tag its maintainers can move",
                                r.value
                            ),
                        ),
                    }),
                    IncludeKind::Component => Some((
                        inc.target.span,
                        match &inc.git_ref {
                            Some(r) => format!(
                                "component `{target}` is pinned to `{}`, not to a commit SHA",
                                r.value
                            ),
                            None => format!("component `{target}` has no version"),
                        },
                    )),
                };
                match problem {
                    Some((span, message)) => {
                        out.report(&p.meta, span, &[], message);
                    }
                    None => out.pass_at(p.meta.span),
                }
            }
        }
    }
}
