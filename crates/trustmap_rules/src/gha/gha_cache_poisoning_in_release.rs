use trustmap_model::Model;
use trustmap_model::gha::{Step, Workflow};
use trustmap_source::Span;

use super::UNTRUSTED_TRIGGERS;
use super::sites::{Site, all_sites, job_sites};
use crate::{Related, Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A release or publishing job that restores a GitHub Actions cache.
    ///
    /// A release job runs in a workflow triggered by `release` or by `push` of `tags:`, or
    /// has a publishing step (`npm publish`, `cargo publish`, `twine upload`, `docker push`,
    /// `gh release create`, `goreleaser`, `pypa/gh-action-pypi-publish`,
    /// `softprops/action-gh-release`, `docker/build-push-action` with `push: true`, …). The
    /// cache is `actions/cache` (or `actions/cache/restore`), `setup-node`/`setup-python`/
    /// `setup-java` with `cache:`, `setup-go` v4 and later (which caches by default),
    /// `Swatinem/rust-cache`, `ruby/setup-ruby` with `bundler-cache: true`,
    /// `astral-sh/setup-uv` with `enable-cache: true`, `gradle/actions/setup-gradle`, or a
    /// `docker/build-push-action` with `cache-from: type=gha`. Steps of composite actions of
    /// the same repository are followed.
    ///
    /// The finding is raised to high when a workflow of the scan that outsiders can start on
    /// the default branch (`pull_request_target`, `issue_comment`, `workflow_run`, …) writes
    /// caches: that is the way in.
    ///
    /// ## Why it matters
    ///
    /// Caches are shared by every workflow run on the default branch, and a tag or release run
    /// restores them. Code that runs in any default-branch workflow — a `pull_request_target`
    /// job that builds a fork's code, an injected script, a compromised dependency of the test
    /// job — can save a poisoned entry under the key the release job restores. The release
    /// then builds and signs the attacker's dependencies or binaries, and ships them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// on:
    ///   push:
    ///     tags: ['v*']
    /// jobs:
    ///   publish:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - uses: actions/setup-node@v4
    ///         with:
    ///           cache: npm
    ///       - run: npm ci && npm publish
    /// ```
    ///
    /// ## Fix
    ///
    /// Build releases from a clean state: no cache in release and publishing jobs.
    ///
    /// ```yaml
    ///       - uses: actions/setup-node@v4
    ///         with:
    ///           node-version: 22
    ///       - run: npm ci && npm publish
    /// ```
    pub(crate) GhaCachePoisoningInRelease {
        id: "GHA-009",
        name: "gha-cache-poisoning-in-release",
        severity: Medium,
        capability: Design,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-349"],
            zizmor: ["cache-poisoning"],
        },
    }
}

impl Rule for GhaCachePoisoningInRelease {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let writer = untrusted_cache_writer(model);
        for w in &model.workflows {
            let release_trigger = release_trigger(w);
            for job in &w.jobs {
                let sites = job_sites(model, w, job);
                let publish = sites.iter().find_map(|s| publishes(s.step));
                let why = match (release_trigger, publish) {
                    (Some(t), _) => format!("a workflow triggered by `{t}`"),
                    (None, Some((_, what))) => format!("a job that runs `{what}`"),
                    (None, None) => continue,
                };
                let mut clean = true;
                for site in &sites {
                    let Some((span, what)) = restores_cache(site.step) else {
                        continue;
                    };
                    clean = false;
                    let message = format!(
                        "{what} restores a cache in {why}, and any default-branch run can write that cache"
                    );
                    let f = out.report(site.resource(), span, &[], message);
                    if let Some((s, note)) = &writer {
                        f.severity = Severity::High;
                        f.related.push(Related {
                            span: *s,
                            note: note.clone(),
                        });
                    }
                }
                if clean {
                    out.pass_at(job.meta.span);
                }
            }
        }
    }
}

/// `release`, or `push` limited to tags.
fn release_trigger(w: &Workflow) -> Option<&'static str> {
    let triggers = w.effective_triggers();
    if triggers.iter().any(|t| t.event == "release") {
        return Some("release");
    }
    triggers
        .iter()
        .any(|t| t.event == "push" && t.filters.iter().any(|f| f.key == "tags"))
        .then_some("push` of `tags")
}

/// A step of a workflow outsiders can start on the default branch that writes a cache.
fn untrusted_cache_writer(model: &Model) -> Option<(Span, String)> {
    all_sites(model).into_iter().find_map(|s: Site<'_>| {
        let t = s.trigger(UNTRUSTED_TRIGGERS)?;
        let (span, what) = restores_cache(s.step)?;
        if s.step.uses_action("actions/cache/restore") {
            return None;
        }
        let place = s
            .job
            .map_or_else(|| s.resource().address.clone(), |j| j.meta.address.clone());
        Some((
            span,
            format!(
                "{what} in `{place}`, started by `{}`, writes caches here",
                t.event
            ),
        ))
    })
}

/// A step that restores a cache: its span and how to name it.
fn restores_cache(step: &Step) -> Option<(Span, String)> {
    let u = step.uses.as_ref()?;
    let input = |k: &str| step.input(k).map(|kv| kv.value.value.trim().to_string());
    let at = |k: &str| step.input(k).map_or(u.span, |kv| kv.value.span);
    let named = |s: Span| Some((s, format!("`{}`", u.owner_repo())));
    if u.is_action("actions/cache") || u.is_action("actions/cache/restore") {
        return Some((
            u.span,
            format!("`{}`", u.text.split('@').next().unwrap_or("")),
        ));
    }
    for setup in [
        "actions/setup-node",
        "actions/setup-python",
        "actions/setup-java",
    ] {
        if u.is_action(setup) && input("cache").is_some_and(|c| !c.is_empty() && c != "false") {
            return named(at("cache"));
        }
    }
    if u.is_action("actions/setup-dotnet") && input("cache").as_deref() == Some("true") {
        return named(at("cache"));
    }
    if u.is_action("actions/setup-go") {
        return match input("cache").as_deref() {
            Some("false") => None,
            Some(_) => named(at("cache")),
            None if u.major_version().is_some_and(|m| m >= 4) => named(u.span),
            None => None,
        };
    }
    if u.is_action("Swatinem/rust-cache") || u.is_action("gradle/actions/setup-gradle") {
        return named(u.span);
    }
    if u.is_action("ruby/setup-ruby") && input("bundler-cache").as_deref() == Some("true") {
        return named(at("bundler-cache"));
    }
    if u.is_action("astral-sh/setup-uv") && input("enable-cache").as_deref() == Some("true") {
        return named(at("enable-cache"));
    }
    if u.is_action("docker/build-push-action")
        && input("cache-from").is_some_and(|c| c.contains("type=gha"))
    {
        return named(at("cache-from"));
    }
    None
}

/// A publishing step: its span and what it runs.
fn publishes(step: &Step) -> Option<(Span, String)> {
    if let Some(u) = &step.uses {
        let push = step.input("push").is_some_and(|p| p.value.value == "true");
        let publishing = [
            "pypa/gh-action-pypi-publish",
            "softprops/action-gh-release",
            "goreleaser/goreleaser-action",
            "ncipollo/release-action",
            "js-devtools/npm-publish",
            "rubygems/release-gem",
        ]
        .iter()
        .any(|a| u.is_action(a))
            || (u.is_action("docker/build-push-action") && push);
        if publishing {
            return Some((u.span, u.owner_repo()));
        }
    }
    let script = step.script.as_ref()?;
    script.commands().find_map(|c| {
        let p = c.program()?;
        let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
        let first = args.first().copied().unwrap_or("");
        let hit = match p {
            "npm" | "pnpm" | "cargo" | "poetry" | "uv" | "gradle" | "./gradlew" | "gradlew" => {
                first == "publish"
            }
            "yarn" => first == "publish" || args.starts_with(&["npm", "publish"]),
            "twine" => first == "upload",
            "gem" | "docker" | "podman" | "helm" => first == "push",
            "gh" => {
                args.starts_with(&["release", "create"]) || args.starts_with(&["release", "upload"])
            }
            "goreleaser" => first == "release",
            "mvn" => args.contains(&"deploy"),
            "dotnet" => args.starts_with(&["nuget", "push"]),
            _ => false,
        };
        hit.then(|| {
            let shown = match args.first() {
                Some(a) => format!("{p} {a}"),
                None => p.to_string(),
            };
            (c.span, shown)
        })
    })
}
