//! Which expression contexts an outsider controls.
//!
//! Paths are the model's normalised form: lower-case, indexes as segments, `*` for a
//! filter. A pattern's `*` matches any one segment.

/// Values anyone who can open an issue, a pull request, a comment or a discussion — or push a
/// branch to a fork — writes freely, including quotes, `$(…)` and newlines.
const ATTACKER_CONTROLLED: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.comment.body",
    "github.event.review.body",
    "github.event.review_comment.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.commits.*.message",
    "github.event.commits.*.author.email",
    "github.event.commits.*.author.name",
    "github.event.head_commit.message",
    "github.event.head_commit.author.email",
    "github.event.head_commit.author.name",
    "github.event.head_commit.committer.email",
    "github.event.head_commit.committer.name",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.pull_requests.*.head.ref",
];

/// Refs and repositories that name the pull request's own code rather than the base branch.
const PR_HEAD: &[&str] = &[
    "github.head_ref",
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.repo.full_name",
    "github.event.pull_request.merge_commit_sha",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_repository.full_name",
    "github.event.workflow_run.pull_requests.*.head.sha",
    "github.event.workflow_run.pull_requests.*.head.ref",
];

/// True for an attacker-controlled value.
pub(crate) fn is_attacker_controlled(path: &str) -> bool {
    ATTACKER_CONTROLLED.iter().any(|p| matches(p, path))
}

/// True for an object that contains an attacker-controlled value: serialised with
/// `toJSON(github.event.issue)` it prints the title too.
pub(crate) fn contains_attacker_controlled(path: &str) -> bool {
    path.starts_with("github.event") && ATTACKER_CONTROLLED.iter().any(|p| is_prefix_of(path, p))
}

/// True for a ref or repository of the pull request's head.
pub(crate) fn is_pr_head(path: &str) -> bool {
    PR_HEAD.iter().any(|p| matches(p, path))
}

/// Segment-wise equality where `*` in either matches any one segment.
fn matches(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('.'), path.split('.'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b || a == "*" || b == "*" => {}
            _ => return false,
        }
    }
}

/// `path` names an object that contains `pattern`'s value.
fn is_prefix_of(path: &str, pattern: &str) -> bool {
    let n = path.split('.').count();
    pattern.split('.').count() > n
        && matches(
            &pattern.split('.').take(n).collect::<Vec<_>>().join("."),
            path,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_contexts() {
        assert!(is_attacker_controlled("github.event.issue.title"));
        assert!(is_attacker_controlled("github.event.commits.0.message"));
        assert!(is_attacker_controlled("github.event.commits.*.author.name"));
        assert!(!is_attacker_controlled("github.event.pull_request"));
        assert!(contains_attacker_controlled("github.event.pull_request"));
        assert!(contains_attacker_controlled("github.event"));
        assert!(!is_attacker_controlled("github.event.pull_request.number"));
        assert!(!is_attacker_controlled("github.sha"));
        assert!(!is_attacker_controlled("github"));
        assert!(is_pr_head("github.event.pull_request.head.sha"));
        assert!(is_pr_head(
            "github.event.workflow_run.pull_requests.0.head.sha"
        ));
        assert!(!is_pr_head("github.event.pull_request.base.sha"));
    }
}
