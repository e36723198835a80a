use trustmap_model::Model;
use trustmap_model::gha::{Step, UsesRef};

use super::sites::job_sites;
use crate::{Related, Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A job whose `actions/checkout` keeps its token in `.git/config` and that later uploads
    /// the workspace, `.git` included, as an artifact.
    ///
    /// The checkout persists the token unless it sets `persist-credentials: false` (versions
    /// before v6 write it into `.git/config`). The upload is `actions/upload-artifact` with a
    /// `path:` that is the workspace root (`.`, `./`, `*`, `${{ github.workspace }}`) or names
    /// `.git`, and that keeps hidden files: `include-hidden-files: true`, or a version before
    /// v4.4 (which uploaded hidden files by default). An exclusion such as `!.git` passes.
    /// Steps of composite actions of the same repository are followed. A SHA-pinned checkout
    /// or upload whose version cannot be told is counted as undecided.
    ///
    /// ## Why it matters
    ///
    /// Artifacts are downloadable by anyone who can read the repository's workflow runs —
    /// everyone, for a public repository — and the `.git/config` inside holds the token as an
    /// `http.extraheader`. While the run lasts a `GITHUB_TOKEN` grants its permissions to
    /// whoever grabs it; a personal access token or app token passed in `token:` stays valid
    /// long after.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// steps:
    ///   - uses: actions/checkout@v4
    ///   - run: make site
    ///   - uses: actions/upload-artifact@v4
    ///     with:
    ///       name: site
    ///       path: .
    ///       include-hidden-files: true
    /// ```
    ///
    /// ## Fix
    ///
    /// Do not keep the token, and upload only the build output:
    ///
    /// ```yaml
    /// steps:
    ///   - uses: actions/checkout@v4
    ///     with:
    ///       persist-credentials: false
    ///   - run: make site
    ///   - uses: actions/upload-artifact@v4
    ///     with:
    ///       name: site
    ///       path: public/
    /// ```
    pub(crate) GhaCheckoutCredentialsInArtifact {
        id: "GHA-008",
        name: "gha-checkout-credentials-in-artifact",
        severity: Medium,
        capability: Failure,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-522", "CWE-538"],
            zizmor: ["artipacked"],
        },
    }
}

impl Rule for GhaCheckoutCredentialsInArtifact {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            for job in &w.jobs {
                let sites = job_sites(model, w, job);
                for (i, checkout) in sites.iter().enumerate() {
                    let Some(persists) = persists_token(checkout.step) else {
                        if checkout.step.uses_action("actions/checkout") {
                            out.unknown();
                        }
                        continue;
                    };
                    if !persists {
                        out.pass_at(checkout.resource().span);
                        continue;
                    }
                    let mut undecided = false;
                    let upload = sites[i + 1..].iter().find(|s| match uploads_git(s.step) {
                        Some(found) => found,
                        None => {
                            undecided |= s.step.uses_action("actions/upload-artifact");
                            false
                        }
                    });
                    let Some(upload) = upload else {
                        if undecided {
                            out.unknown();
                        } else {
                            out.pass_at(checkout.resource().span);
                        }
                        continue;
                    };
                    let u = checkout
                        .step
                        .uses
                        .as_ref()
                        .map_or(checkout.step.span, |u| u.span);
                    let long_lived = checkout.step.input("token").is_some_and(|t| {
                        t.value.expressions.iter().any(|e| {
                            e.contexts.iter().any(|c| {
                                c.path.starts_with("secrets.") && c.path != "secrets.github_token"
                            })
                        })
                    });
                    let message = if long_lived {
                        "`actions/checkout` leaves its `token` (a long-lived secret) in `.git/config`, and a later artifact uploads it"
                    } else {
                        "`actions/checkout` leaves its token in `.git/config`, and a later artifact uploads it"
                    };
                    let path = upload
                        .step
                        .input("path")
                        .map_or(upload.step.span, |p| p.value.span);
                    let f = out.report(checkout.resource(), u, &[], message);
                    if long_lived {
                        f.severity = Severity::High;
                    }
                    f.related.push(Related {
                        span: path,
                        note: "the artifact includes `.git` here".to_string(),
                    });
                }
            }
        }
    }
}

/// Whether a checkout step leaves its token in `.git/config`; `None` for other steps and for
/// a checkout whose version cannot be told.
fn persists_token(step: &Step) -> Option<bool> {
    if !step.uses_action("actions/checkout") {
        return None;
    }
    if let Some(p) = step.input("persist-credentials") {
        if p.value.value == "false" {
            return Some(false);
        }
        if !p.value.expressions.is_empty() {
            return None;
        }
    }
    // v6 keeps credentials in a separate file outside the workspace.
    let major = step.uses.as_ref().and_then(UsesRef::major_version)?;
    Some(major < 6)
}

/// Whether an upload step's artifact includes `.git`; `None` for other steps and when the
/// version (hence the hidden-files default) cannot be told.
fn uploads_git(step: &Step) -> Option<bool> {
    if !step.uses_action("actions/upload-artifact") {
        return None;
    }
    let path = step.input("path")?;
    let lines: Vec<&str> = path
        .value
        .value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let excludes_git = lines
        .iter()
        .any(|l| l.starts_with('!') && l.contains(".git"));
    let covers_git = lines
        .iter()
        .filter(|l| !l.starts_with('!'))
        .any(|l| covers(l));
    if excludes_git || !covers_git {
        return Some(false);
    }
    match step.input("include-hidden-files") {
        Some(h) if h.value.value == "true" => return Some(true),
        Some(h) if !h.value.expressions.is_empty() => return None,
        _ => {}
    }
    let u = step.uses.as_ref()?;
    let git_ref = u.git_ref.as_deref().unwrap_or("");
    let (major, minor, _) = u.version()?;
    // A bare major tag floats to the newest release of that major.
    let major_only = !git_ref.contains('.');
    let hides = if major_only {
        major >= 4
    } else {
        (major, minor) >= (4, 4)
    };
    Some(!hides)
}

/// A path entry that reaches `.git`: the workspace root or `.git` itself.
fn covers(line: &str) -> bool {
    let mut p = line;
    for prefix in [
        "${{ github.workspace }}",
        "${{github.workspace}}",
        "$GITHUB_WORKSPACE",
    ] {
        if let Some(rest) = p.strip_prefix(prefix) {
            p = rest;
        }
    }
    let p = p.trim_start_matches("./").trim_start_matches('/');
    let p = p
        .trim_end_matches("/**")
        .trim_end_matches("/*")
        .trim_end_matches('/');
    matches!(p, "" | "." | "*" | "**") || p == ".git" || p.starts_with(".git/")
}
