//! GitHub Actions: jobs that obtain cloud credentials through OIDC, whether a fork's code
//! runs in them, and which roles their token can assume given each role's trust policy.
//!
//! The scanned workflow is taken to belong to the repository a trust policy names (the
//! scan cannot know the repository's name), so the match is on the rest of the token's
//! `sub`: `environment:NAME` for a job with an environment, `pull_request` for pull-request
//! events, `ref:refs/heads/BRANCH` otherwise.

use trustmap_model::Model;
use trustmap_model::aws::policy::{PolicyDocument, PrincipalKind, iam_match};
use trustmap_model::gha::{CloudProvider, JobIdentity, Workflow};
use trustmap_model::{State, Value};

use super::{Builder, Synthetic};
use crate::joins::{GHA_GCP_SERVICE_ACCOUNT, GHA_ROLE_TO_ASSUME};
use crate::types::{Edge, NodeKind, Relation};

const GITHUB_OIDC: &str = "token.actions.githubusercontent.com";

pub(crate) fn build(b: &mut Builder, model: &Model) {
    for w in &model.workflows {
        let fork = fork_code_runs(w);
        for ji in w.job_identities() {
            let job = ji.job;
            let jid = b.object(
                NodeKind::Workload,
                &job.meta,
                format!("job {} of {}", job.id, w.meta.address),
                None,
            );
            if let Some((event, span)) = &fork {
                let f = b.synthetic(Synthetic::ForkPullRequest);
                b.g.add_edge(
                    f,
                    jid,
                    Edge::new(
                        Relation::Exposes,
                        format!("On `{event}` the workflow checks out and runs a fork's code with the base repository's OIDC token."),
                        Some(*span),
                    ),
                );
            }
            let subs = subjects(&ji);
            for role in ji.roles {
                let value = &role.principal.value;
                match role.provider {
                    CloudProvider::Aws => {
                        for target in b.joins.resolve(&GHA_ROLE_TO_ASSUME, value) {
                            let trust = b
                                .role_index
                                .get(&target)
                                .and_then(|&i| model.aws.iam.roles.get(i))
                                .map(|r| &r.trust);
                            let conditions = match trust.map(|t| trust_admits(t, &subs)) {
                                Some(Admits::No) => continue,
                                Some(Admits::Yes) | None => Vec::new(),
                                Some(Admits::Unknown) => {
                                    vec!["the role's trust policy cannot be evaluated".to_string()]
                                }
                            };
                            let why = format!(
                                "The job exchanges its OIDC token for {}'s credentials (`role-to-assume`).",
                                b.g.node(target).label
                            );
                            b.g.add_edge(
                                jid,
                                target,
                                Edge::new(Relation::CanAssume, why, Some(role.principal.span))
                                    .with_conditions(conditions),
                            );
                        }
                    }
                    CloudProvider::Gcp => {
                        let Some(sa) = &role.service_account else {
                            continue;
                        };
                        for target in b.joins.resolve(&GHA_GCP_SERVICE_ACCOUNT, &sa.value) {
                            b.g.add_edge(
                                jid,
                                target,
                                Edge::new(
                                    Relation::CanAssume,
                                    "The job impersonates this service account through workload identity federation.",
                                    Some(sa.span),
                                ),
                            );
                        }
                    }
                    CloudProvider::Azure => {}
                }
            }
        }
    }
}

/// The `pull_request_target`/`workflow_run` trigger under which a step checks out the
/// pull request's head (`actions/checkout` with a head `ref`, or `gh pr checkout`).
fn fork_code_runs(w: &Workflow) -> Option<(String, trustmap_source::Span)> {
    let trigger = w.effective_trigger(&["pull_request_target", "workflow_run"])?;
    let head = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("pull_request.head")
            || s.contains("head_ref")
            || s.contains("workflow_run.head")
            || s.contains("refs/pull/")
    };
    let checks_out = w.jobs.iter().flat_map(|j| &j.steps).any(|st| {
        let checkout = st.uses_action("actions/checkout")
            && st.input("ref").is_some_and(|r| head(&r.value.value));
        let gh = st
            .run
            .as_ref()
            .is_some_and(|r| r.value.contains("gh pr checkout"));
        checkout || gh
    });
    checks_out.then(|| (trigger.event.clone(), trigger.span))
}

/// The `sub` claims (after `repo:OWNER/REPO:`) the job's token can carry.
fn subjects(ji: &JobIdentity<'_>) -> Vec<String> {
    if let Some(env) = ji.environment {
        return vec![format!("environment:{}", env.value)];
    }
    let mut out = Vec::new();
    for t in &ji.triggers {
        match t.event.as_str() {
            "pull_request" | "pull_request_target" => out.push("pull_request".to_string()),
            _ => {
                let mut filtered = false;
                for f in ji
                    .ref_filters
                    .iter()
                    .filter(|f| t.filters.iter().any(|tf| std::ptr::eq(tf, **f)))
                {
                    filtered = true;
                    let prefix = if f.key == "tags" {
                        "refs/tags"
                    } else {
                        "refs/heads"
                    };
                    for v in &f.values {
                        out.push(format!("ref:{prefix}/{}", v.value));
                    }
                }
                if !filtered {
                    out.push("ref:refs/heads/\u{1}any".to_string());
                }
            }
        }
    }
    out
}

enum Admits {
    Yes,
    No,
    Unknown,
}

/// Whether a trust policy lets a GitHub OIDC token with one of `subs` assume the role.
fn trust_admits(trust: &Value<PolicyDocument>, subs: &[String]) -> Admits {
    let doc = match &trust.state {
        State::Explicit(d) | State::Default(d) => d,
        State::Unknown => return Admits::Unknown,
    };
    let sub_key = format!("{GITHUB_OIDC}:sub");
    let mut unknown = false;
    for st in doc.allows() {
        let github = st.principals.iter().any(|p| {
            p.kind == PrincipalKind::Federated
                && p.oidc_host().is_some_and(|h| h.is(|h| h == GITHUB_OIDC))
        });
        if !github {
            continue;
        }
        let conds: Vec<_> = st
            .conditions
            .iter()
            .filter(|c| c.key_is(&sub_key) == Some(true))
            .collect();
        if conds.is_empty() {
            return Admits::Yes;
        }
        for c in conds {
            for v in &c.values {
                let Some(v) = v.get() else {
                    unknown = true;
                    continue;
                };
                let rest = v
                    .strip_prefix("repo:")
                    .and_then(|r| r.split_once(':'))
                    .map_or(v.as_str(), |(_, rest)| rest);
                if subs.iter().any(|s| iam_match(rest, s)) {
                    return Admits::Yes;
                }
            }
        }
    }
    if unknown { Admits::Unknown } else { Admits::No }
}
