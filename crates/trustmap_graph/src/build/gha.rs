//! GitHub Actions: jobs that obtain cloud credentials through OIDC, whether a fork's code
//! runs in them, and which roles their token can assume given each role's trust policy.
//!
//! The scanned workflow is taken to belong to the repository a trust policy names (the
//! scan cannot know the repository's name): each of the job's possible tokens is a
//! [`Caller::this_repository`] with the job's ref, event and environment, judged by
//! `trustmap_iam`'s trust evaluation.

use trustmap_iam::{Caller, TrustDecision, can_assume};
use trustmap_model::Model;
use trustmap_model::aws::policy::PolicyDocument;
use trustmap_model::gha::{CloudProvider, JobIdentity, Workflow};
use trustmap_model::{State, Value};

use super::{Builder, Synthetic};
use crate::joins::{GHA_GCP_SERVICE_ACCOUNT, GHA_ROLE_TO_ASSUME};
use crate::types::{Edge, NodeKind, Relation};

pub(crate) fn build(b: &mut Builder, model: &Model, azure: &super::azure::AzureNodes) {
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
            let callers = callers(&ji);
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
                            let conditions = match trust.map(|t| trust_admits(t, &callers)) {
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
                    CloudProvider::Azure => {
                        super::azure::job_signs_in(b, model, azure, jid, role, &callers);
                    }
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

/// The callers the job's OIDC token can stand for: one per environment, pull-request
/// event or ref filter of its triggers (`git_ref: None` is any ref the trigger allows). A
/// `pull_request_target` token's `sub` is taken to be `pull_request`, as for
/// `pull_request`.
fn callers(ji: &JobIdentity<'_>) -> Vec<Caller> {
    if let Some(env) = ji.environment {
        return vec![Caller::this_repository(None, None, Some(env.value.clone()))];
    }
    let mut out = Vec::new();
    for t in &ji.triggers {
        let event = match t.event.as_str() {
            "pull_request" | "pull_request_target" => {
                out.push(Caller::this_repository(
                    None,
                    Some("pull_request".to_string()),
                    None,
                ));
                continue;
            }
            other => other.to_string(),
        };
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
                out.push(Caller::this_repository(
                    Some(format!("{prefix}/{}", v.value)),
                    Some(event.clone()),
                    None,
                ));
            }
        }
        if !filtered {
            out.push(Caller::this_repository(None, Some(event), None));
        }
    }
    out
}

enum Admits {
    Yes,
    No,
    Unknown,
}

/// Whether a trust policy lets one of the job's tokens assume the role
/// ([`trustmap_iam::can_assume`]). The scanned repository is taken to be the one the policy
/// names (the scan cannot know its name), so an answer that rests only on that is a yes.
fn trust_admits(trust: &Value<PolicyDocument>, callers: &[Caller]) -> Admits {
    let doc = match &trust.state {
        State::Explicit(d) | State::Default(d) => d,
        State::Unknown => return Admits::Unknown,
    };
    let mut unknown = false;
    for caller in callers {
        match can_assume(doc, caller) {
            TrustDecision::Allowed(_) => return Admits::Yes,
            TrustDecision::Unknown { .. } => unknown = true,
            TrustDecision::Denied => {}
        }
    }
    if unknown { Admits::Unknown } else { Admits::No }
}
