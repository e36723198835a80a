use trustmap_model::Model;
use trustmap_model::gha::{UsesKind, UsesRef};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A third-party action, reusable workflow or `docker://` image not pinned to an immutable
    /// commit SHA or digest.
    ///
    /// That is `owner/repo@v4`, `owner/repo@main`, a `docker://` image without an `@sha256:`
    /// digest, and a `uses:` with no `@ref` at all.
    ///
    /// Policy: actions owned by GitHub (`actions/*`, `github/*`) may use a version tag, since
    /// GitHub's own release process is already part of the platform you trust; a branch name
    /// (`main`, `master`, …) is flagged for them too. Local actions (`./…`) pass: they come
    /// from the repository itself, and the steps of the repository's own composite actions
    /// (`action.yml`) are checked the same way.
    ///
    /// ## Why it matters
    ///
    /// A tag or branch is a pointer its owner — or whoever steals the owner's credentials — can
    /// move to new code at any time, and every workflow using it runs that code on the next
    /// trigger, with its token and secrets. This is how the 2025 `tj-actions/changed-files`
    /// compromise leaked secrets from thousands of repositories: the attacker re-pointed every
    /// version tag to a malicious commit.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// steps:
    ///   - uses: tj-actions/changed-files@v45
    ///   - uses: docker://ghcr.io/example/linter:latest
    /// ```
    ///
    /// ## Fix
    ///
    /// Pin the full commit SHA (keep the tag as a comment so Dependabot or Renovate can update
    /// it), and pin images by digest:
    ///
    /// ```yaml
    /// steps:
    ///   - uses: tj-actions/changed-files@ed68ef82c095e0d48ec87eccea555d944a631a4c # v46.0.5
    ///   - uses: docker://ghcr.io/example/linter@sha256:3c4b2a…91fe
    /// ```
    pub(crate) GhaUnpinnedAction {
        id: "GHA-005",
        name: "gha-unpinned-action",
        severity: Medium,
        capability: Iac,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-829", "CWE-494"],
            zizmor: ["unpinned-uses"],
        },
    }
}

/// Owners whose actions may be used by tag.
const TRUSTED_OWNERS: &[&str] = &["actions", "github"];
/// Refs that are branches by convention, never acceptable as a pin.
const BRANCHES: &[&str] = &[
    "main", "master", "develop", "dev", "trunk", "head", "latest",
];

impl Rule for GhaUnpinnedAction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            for job in &w.jobs {
                let uses = job
                    .uses
                    .iter()
                    .chain(job.steps.iter().filter_map(|s| s.uses.as_ref()));
                for u in uses {
                    check_one(&job.meta, u, out);
                }
            }
        }
        for a in &model.gha_actions {
            for u in a.steps.iter().filter_map(|s| s.uses.as_ref()) {
                check_one(&a.meta, u, out);
            }
        }
    }
}

fn check_one(resource: &trustmap_model::ResourceMeta, u: &UsesRef, out: &mut Sink) {
    match problem(u) {
        Verdict::Pass => out.pass_at(u.span),
        Verdict::Unknown => out.unknown(),
        Verdict::Fail(message) => {
            out.report(resource, u.span, &[], message);
        }
    }
}

enum Verdict {
    Pass,
    Unknown,
    Fail(String),
}

fn problem(u: &UsesRef) -> Verdict {
    match u.kind {
        UsesKind::Local => Verdict::Pass,
        _ if u.is_sha_pinned => Verdict::Pass,
        UsesKind::Docker => {
            Verdict::Fail(format!("`{}` is not pinned to a `sha256` digest", u.text))
        }
        UsesKind::Invalid if u.text.contains("${{") => Verdict::Unknown,
        UsesKind::Invalid => Verdict::Fail(format!(
            "`{}` names no `@ref`, so it runs whatever the default branch holds",
            u.text
        )),
        UsesKind::Action | UsesKind::ReusableWorkflow => {
            let owner = u.owner.as_deref().unwrap_or("").to_ascii_lowercase();
            let git_ref = u.git_ref.as_deref().unwrap_or("");
            let branch = BRANCHES.contains(&git_ref.to_ascii_lowercase().as_str());
            if TRUSTED_OWNERS.contains(&owner.as_str()) && !branch {
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
                    "`{}` is pinned to `{git_ref}`, a {} its owner can move, not to a commit SHA",
                    u.text,
                    if branch { "branch" } else { "tag or branch" }
                ))
            }
        }
    }
}
