use trustmap_model::gha::{CloudRole, Job, Level, Permissions, ScopePermission, Step, Workflow};
use trustmap_model::{Model, State};

use super::sites::{job_sites, resolved_action};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `id-token: write` granted to jobs that never request an OIDC token.
    ///
    /// A job uses the token when a step signs in to a cloud with it
    /// (`aws-actions/configure-aws-credentials` with `role-to-assume`,
    /// `google-github-actions/auth` with `workload_identity_provider`, `azure/login` with
    /// `client-id`), signs or attests artifacts (`sigstore/*`, `actions/attest*`,
    /// `slsa-framework/*`, `cosign`), publishes through trusted publishing
    /// (`pypa/gh-action-pypi-publish`, `rubygems/release-gem`,
    /// `rust-lang/crates-io-auth-action`, `npm publish`), deploys GitHub Pages
    /// (`actions/deploy-pages`), calls a reusable workflow, or reads
    /// `ACTIONS_ID_TOKEN_REQUEST_*` / `core.getIDToken()` itself. Composite actions of the same
    /// repository are followed. A third-party action the rule does not know may request the
    /// token, so such a job is counted as undecided, never reported.
    ///
    /// ## Why it matters
    ///
    /// With `id-token: write`, any code running in the job — a compromised action, a
    /// malicious dependency, an injected script — can mint an OIDC token for the workflow and
    /// exchange it for cloud credentials wherever a role trusts this repository (often with a
    /// subject condition as broad as `repo:org/repo:*`). A job that does not need the token
    /// should not be able to mint one.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// permissions:
    ///   contents: read
    ///   id-token: write
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: make test
    /// ```
    ///
    /// ## Fix
    ///
    /// Grant `id-token: write` only to the job that signs in, and nothing more at the top:
    ///
    /// ```yaml
    /// permissions:
    ///   contents: read
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: make test
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     permissions:
    ///       contents: read
    ///       id-token: write
    ///     steps:
    ///       - uses: aws-actions/configure-aws-credentials@v4
    ///         with:
    ///           role-to-assume: arn:aws:iam::123456789012:role/deploy
    ///           aws-region: eu-west-1
    /// ```
    pub(crate) GhaUnusedOidcPermission {
        id: "GHA-007",
        name: "gha-unused-oidc-permission",
        severity: Medium,
        capability: Identity,
        languages: [GithubActions],
        equivalents: {
            cwe: ["CWE-250"],
            zizmor: ["excessive-permissions"],
        },
    }
}

/// Whether a job requests an OIDC token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Usage {
    Used,
    Unused,
    Unknown,
}

impl Rule for GhaUnusedOidcPermission {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for w in &model.workflows {
            let workflow_grant = id_token_write(&w.permissions.state);
            let mut inheriting: Vec<(&Job, Usage)> = Vec::new();
            for job in &w.jobs {
                if job.permissions_inherited {
                    if workflow_grant.is_some() {
                        inheriting.push((job, usage(model, w, job)));
                    }
                    continue;
                }
                let Some(grant) = id_token_write(&job.permissions.state) else {
                    continue;
                };
                match usage(model, w, job) {
                    Usage::Used => out.pass_at(job.meta.span),
                    Usage::Unknown => out.unknown(),
                    Usage::Unused => {
                        let message = format!(
                            "job `{}` is granted `id-token: write` but none of its steps requests an OIDC token",
                            job.id
                        );
                        out.report(&job.meta, grant.scope_span, &[], message);
                    }
                }
            }
            let Some(grant) = workflow_grant else {
                continue;
            };
            if inheriting.is_empty() {
                // Every job sets its own permissions: the workflow-level grant reaches nobody.
                continue;
            }
            if inheriting.iter().any(|(_, u)| *u == Usage::Used) {
                out.pass_at(w.meta.span);
            } else if inheriting.iter().any(|(_, u)| *u == Usage::Unknown) {
                out.unknown();
            } else {
                let ids: Vec<String> = inheriting
                    .iter()
                    .map(|(j, _)| format!("`{}`", j.id))
                    .collect();
                let jobs = if ids.len() == 1 { "job" } else { "jobs" };
                let message = format!(
                    "the workflow grants `id-token: write` to {jobs} {} but no step requests an OIDC token",
                    ids.join(", ")
                );
                out.report(&w.meta, grant.scope_span, &[], message);
            }
        }
    }
}

/// The `id-token: write` entry of explicit mapping-form permissions.
fn id_token_write(p: &State<Permissions>) -> Option<&ScopePermission> {
    match p {
        State::Explicit(Permissions::Scopes(s)) => s
            .iter()
            .rev()
            .find(|p| p.scope == "id-token")
            .filter(|p| p.level == Level::Write),
        _ => None,
    }
}

fn usage(model: &Model, w: &Workflow, job: &Job) -> Usage {
    if job.uses.is_some() {
        // A reusable workflow receives the caller's permissions.
        return Usage::Used;
    }
    let mut result = Usage::Unused;
    for site in job_sites(model, w, job) {
        match step_usage(model, site.step) {
            Usage::Used => return Usage::Used,
            Usage::Unknown => result = Usage::Unknown,
            Usage::Unused => {}
        }
    }
    result
}

/// Actions that request the OIDC token (some only with a given input set).
const CONSUMERS: &[&str] = &[
    "actions/attest",
    "actions/attest-build-provenance",
    "actions/attest-sbom",
    "actions/deploy-pages",
    "pypa/gh-action-pypi-publish",
    "rubygems/release-gem",
    "rubygems/configure-rubygems-credentials",
    "rust-lang/crates-io-auth-action",
    "octo-sts/action",
    "pulumi/auth-actions",
    "chainguard-dev/setup-chainctl",
];
/// Owners all of whose actions sign or attest with the OIDC token.
const CONSUMER_OWNERS: &[&str] = &["sigstore", "slsa-framework", "depot"];
/// Well-known actions that never request the token.
const NOT_CONSUMERS: &[&str] = &[
    "docker/setup-buildx-action",
    "docker/setup-qemu-action",
    "docker/metadata-action",
    "docker/login-action",
    "docker/build-push-action",
    "docker/bake-action",
    "hashicorp/setup-terraform",
    "azure/setup-kubectl",
    "azure/setup-helm",
    "dtolnay/rust-toolchain",
    "swatinem/rust-cache",
    "pnpm/action-setup",
    "golangci/golangci-lint-action",
    "softprops/action-gh-release",
    "peter-evans/create-pull-request",
    "aws-actions/amazon-ecr-login",
    "ruby/setup-ruby",
    "astral-sh/setup-uv",
    "gradle/actions",
    "google-github-actions/setup-gcloud",
    "aquasecurity/trivy-action",
    "bridgecrewio/checkov-action",
    "gitleaks/gitleaks-action",
];
/// Owners none of whose actions request the token (except those in [`CONSUMERS`]).
const NOT_CONSUMER_OWNERS: &[&str] = &["actions", "github"];

fn step_usage(model: &Model, step: &Step) -> Usage {
    if let Some(run) = &step.run {
        let text = &run.value;
        let reads_token = text.contains("ACTIONS_ID_TOKEN_REQUEST")
            || text.contains("getIDToken")
            || text.contains("assume-role-with-web-identity")
            || text.contains("--federated-token");
        let uses_cli = step.script.as_ref().is_some_and(|s| {
            s.commands().any(|c| {
                let args: Vec<&str> = c.args().iter().map(|a| a.text.as_str()).collect();
                match c.program() {
                    Some("cosign") => true,
                    Some("npm" | "pnpm") => args.first() == Some(&"publish"),
                    Some("yarn") => args.starts_with(&["npm", "publish"]),
                    Some("uv") => args.first() == Some(&"publish"),
                    _ => false,
                }
            })
        });
        if reads_token || uses_cli {
            return Usage::Used;
        }
    }
    if step
        .env
        .iter()
        .any(|kv| kv.value.value.contains("ACTIONS_ID_TOKEN_REQUEST"))
    {
        return Usage::Used;
    }
    let Some(u) = &step.uses else {
        return Usage::Unused;
    };
    if u.is_local() {
        // Its steps are visited as sites when it resolved to a composite action.
        return match resolved_action(model, step) {
            Some(a) if a.is_composite() => Usage::Unused,
            _ => Usage::Unknown,
        };
    }
    if u.is_docker() {
        return Usage::Unknown;
    }
    if CloudRole::from_step(step).is_some() {
        return Usage::Used;
    }
    let name = u.owner_repo().to_ascii_lowercase();
    let owner = u.owner.as_deref().unwrap_or("").to_ascii_lowercase();
    let input_is = |k: &str, v: &str| step.input(k).is_some_and(|kv| kv.value.value == v);
    let consumes = CONSUMERS.iter().any(|c| u.is_action(c) || name == *c)
        || CONSUMER_OWNERS.contains(&owner.as_str())
        || (name == "pypa/gh-action-pypi-publish" && step.input("password").is_none())
        || (name == "hashicorp/vault-action" && input_is("method", "jwt"))
        || (name == "codecov/codecov-action" && input_is("use_oidc", "true"))
        || (name == "jfrog/setup-jfrog-cli" && step.input("oidc-provider-name").is_some())
        || (name == "actions/github-script"
            && step
                .input("script")
                .is_some_and(|s| s.value.value.contains("getIDToken")));
    if consumes {
        return Usage::Used;
    }
    let known = NOT_CONSUMERS.contains(&name.as_str())
        || NOT_CONSUMER_OWNERS.contains(&owner.as_str())
        || matches!(
            name.as_str(),
            "hashicorp/vault-action" | "codecov/codecov-action" | "jfrog/setup-jfrog-cli"
        )
        || name.starts_with("aws-actions/")
        || name.starts_with("google-github-actions/")
        || name.starts_with("azure/");
    if known { Usage::Unused } else { Usage::Unknown }
}
