//! Workload identity federation outside AWS: whether a caller's OIDC token is accepted by an
//! Azure federated identity credential or a Google workload identity pool provider.
//!
//! Azure compares the token's issuer and `sub` exactly (no wildcards). Google accepts every
//! token of the provider's issuer that satisfies its `attribute_condition`, a CEL
//! expression; the common forms are evaluated here — a conjunction (`&&`) of
//! `assertion.X == 'v'`, `!=`, `.startsWith('v')` and `in ['a', 'b']` over token claims or
//! mapped `attribute.X` / `google.subject` — and anything else (`||`, negation, functions)
//! is assumed to hold and shown, never read as a denial. A provider without a condition
//! accepts every token of its issuer: for GitHub, every repository.

use trustmap_model::aws::policy::host_of_url;
use trustmap_model::azure::authorization::FederatedCredential;
use trustmap_model::gcp::iam::WorkloadIdentityProvider;

use crate::evidence::Evidence;
use crate::glob;
use crate::trust::{Caller, TrustDecision};

/// Whether the caller's issuer is `issuer` (`None`: cannot be known).
fn same_issuer(caller: &Caller, issuer: &str) -> Option<bool> {
    let want = caller.issuer_host()?;
    let host = host_of_url(issuer);
    want.map(|w| host == w || host.starts_with(&format!("{w}/")))
}

fn unknown(why: &str, evidence: Evidence) -> TrustDecision {
    TrustDecision::Unknown {
        why: why.to_string(),
        evidence: Some(evidence),
    }
}

/// Whether an Azure federated identity credential accepts the caller's token.
pub fn azure_credential_admits(cred: &FederatedCredential, caller: &Caller) -> TrustDecision {
    let mut evidence = Evidence {
        statement: cred.meta.span,
        principal: Some(cred.subject.span),
        ..Evidence::default()
    };
    let (Some(issuer), Some(subject)) = (cred.issuer.get(), cred.subject.get()) else {
        return unknown(
            "the credential's issuer or subject cannot be known statically",
            evidence,
        );
    };
    evidence.conditions = vec![format!("sub == {subject}")];
    match same_issuer(caller, issuer) {
        Some(false) => return TrustDecision::Denied,
        None if caller.issuer_host().is_none() => return TrustDecision::Denied,
        None => evidence.conditional = true,
        Some(true) => {}
    }
    let mut best: Option<bool> = None;
    for claims in caller.claims() {
        let Some((_, sub)) = claims.iter().find(|(k, _)| *k == "sub") else {
            continue;
        };
        if glob::matches(sub, subject, false) {
            let assumed = sub.contains('*') && !caller.chooses_free_values();
            best = Some(best.map_or(assumed, |b| b && assumed));
        }
    }
    match best {
        Some(assumed) => {
            evidence.conditional |= assumed;
            TrustDecision::Allowed(evidence)
        }
        None => TrustDecision::Denied,
    }
}

/// The outcome of one CEL clause.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Pass,
    Fail,
    Assumed,
}

/// Whether a Google workload identity pool provider accepts the caller's token.
pub fn gcp_provider_admits(p: &WorkloadIdentityProvider, caller: &Caller) -> TrustDecision {
    let mut evidence = Evidence {
        statement: p.meta.span,
        ..Evidence::default()
    };
    if p.disabled.is_true() {
        return TrustDecision::Denied;
    }
    let issuer = match p.issuer.get() {
        Some(Some(i)) => i,
        Some(None) => return TrustDecision::Denied,
        None => return unknown("the provider's issuer cannot be known statically", evidence),
    };
    match same_issuer(caller, issuer) {
        Some(false) => return TrustDecision::Denied,
        None if caller.issuer_host().is_none() => return TrustDecision::Denied,
        None => evidence.conditional = true,
        Some(true) => {}
    }
    let condition = match p.attribute_condition.get() {
        Some(None) => return TrustDecision::Allowed(evidence),
        Some(Some(c)) => c,
        None => {
            evidence.principal = Some(p.attribute_condition.span);
            return unknown(
                "the attribute condition cannot be known statically",
                evidence,
            );
        }
    };
    evidence.principal = Some(p.attribute_condition.span);
    evidence.conditions = vec![condition.clone()];
    let Some(clauses) = conjunction(condition) else {
        evidence.conditional = true;
        return TrustDecision::Allowed(evidence);
    };
    let mut best: Option<bool> = None;
    for claims in caller.claims() {
        let mut assumed = false;
        let mut failed = false;
        for clause in &clauses {
            match judge_clause(clause, p, &claims, caller) {
                Clause::Pass => {}
                Clause::Fail => failed = true,
                Clause::Assumed => assumed = true,
            }
        }
        if !failed {
            best = Some(best.map_or(assumed, |b| b && assumed));
        }
    }
    match best {
        Some(assumed) => {
            evidence.conditional |= assumed;
            TrustDecision::Allowed(evidence)
        }
        None => TrustDecision::Denied,
    }
}

/// Splits `a && b && c` at the top level; `None` when the expression has `||` or `!`
/// outside string literals (not evaluated).
fn conjunction(expr: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            cur.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                cur.push(c);
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                out.push(std::mem::take(&mut cur).trim().to_string());
            }
            '|' => return None,
            '!' if chars.peek() != Some(&'=') => return None,
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    Some(out)
}

/// `'acme/app'` or `"acme/app"` → `acme/app`.
fn literal(s: &str) -> Option<&str> {
    let s = s.trim();
    let q = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    s.strip_prefix(q)?.strip_suffix(q)
}

/// The token claim an operand names: `assertion.X`, or `attribute.X` / `google.subject`
/// through the provider's attribute mapping.
fn claim_of<'a>(operand: &'a str, p: &'a WorkloadIdentityProvider) -> Option<String> {
    let operand = operand.trim();
    if let Some(c) = operand.strip_prefix("assertion.") {
        return Some(c.to_string());
    }
    if operand.starts_with("attribute.") || operand == "google.subject" {
        let mapped = p.mapping(operand)?.get()?;
        return mapped.trim().strip_prefix("assertion.").map(str::to_string);
    }
    None
}

fn judge_clause(
    clause: &str,
    p: &WorkloadIdentityProvider,
    claims: &[(&str, String)],
    caller: &Caller,
) -> Clause {
    let value_of = |claim: &str| {
        claims
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(claim))
            .map(|(_, v)| v.as_str())
    };
    // (operand, allowed literals as globs, negated)
    let parsed: Option<(&str, Vec<String>, bool)> = if let Some((l, r)) = clause.split_once("!=") {
        literal(r).map(|v| (l, vec![v.to_string()], true))
    } else if let Some((l, r)) = clause.split_once("==") {
        literal(r).map(|v| (l, vec![v.to_string()], false))
    } else if let Some((l, r)) = clause.split_once(".startsWith(") {
        r.strip_suffix(')')
            .and_then(literal)
            .map(|v| (l, vec![format!("{v}*")], false))
    } else if let Some((l, r)) = clause.split_once(" in ") {
        r.trim()
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|list| {
                list.split(',')
                    .map(|x| literal(x).map(str::to_string))
                    .collect()
            })
            .map(|vs| (l, vs, false))
    } else {
        None
    };
    let Some((operand, values, negated)) = parsed else {
        return Clause::Assumed;
    };
    let Some(claim) = claim_of(operand, p) else {
        return Clause::Assumed;
    };
    let Some(value) = value_of(&claim) else {
        return Clause::Assumed;
    };
    // `values` are globs only for startsWith; equality is literal, so escape nothing but
    // compare the caller's (possibly free) value as the pattern.
    let possible = values.iter().any(|v| {
        if v.ends_with('*') && !value.contains('*') {
            glob::matches(v, value, false)
        } else {
            glob::overlaps(v, value, false)
        }
    });
    let certain =
        !value.contains(['*', '?']) && values.iter().any(|v| glob::matches(v, value, false));
    let chosen = caller.chooses_free_values();
    match (negated, possible, certain) {
        (false, true, true) => Clause::Pass,
        (false, true, false) if chosen => Clause::Pass,
        (false, true, false) => Clause::Assumed,
        (false, false, _) => Clause::Fail,
        (true, _, true) => Clause::Fail,
        (true, false, _) => Clause::Pass,
        (true, true, false) if chosen => Clause::Pass,
        (true, true, false) => Clause::Assumed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_model::{Language, ResourceMeta, Value};
    use trustmap_source::Span;

    fn meta() -> ResourceMeta {
        ResourceMeta {
            address: "x".into(),
            language: Language::Terraform,
            span: Span::default(),
            via: Vec::new(),
        }
    }

    fn s(v: &str) -> Value<String> {
        Value::explicit(v.to_string(), Span::default())
    }

    fn gh(repo: Option<&str>, git_ref: &str) -> Caller {
        Caller::GithubActions {
            repo: repo.map(String::from),
            git_ref: Some(git_ref.into()),
            event: Some("push".into()),
            environment: None,
        }
    }

    fn provider(condition: Option<&str>) -> WorkloadIdentityProvider {
        WorkloadIdentityProvider {
            meta: meta(),
            issuer: Value::explicit(
                Some("https://token.actions.githubusercontent.com".into()),
                Span::default(),
            ),
            attribute_condition: Value::explicit(condition.map(String::from), Span::default()),
            attribute_mapping: vec![
                ("google.subject".into(), s("assertion.sub")),
                ("attribute.repository".into(), s("assertion.repository")),
            ],
            disabled: Value::default_at(false, Span::default()),
            pool: s("github"),
        }
    }

    fn allowed(d: &TrustDecision) -> bool {
        matches!(d, TrustDecision::Allowed(_))
    }

    #[test]
    fn gcp_provider_without_condition_admits_any_repository() {
        let p = provider(None);
        assert!(allowed(&gcp_provider_admits(
            &p,
            &Caller::any_github_repository()
        )));
        let k8s = Caller::KubernetesServiceAccount {
            issuer: Some(
                "https://container.googleapis.com/v1/projects/p/locations/l/clusters/c".into(),
            ),
            namespace: "a".into(),
            name: "b".into(),
        };
        assert_eq!(gcp_provider_admits(&p, &k8s), TrustDecision::Denied);
    }

    #[test]
    fn gcp_attribute_conditions() {
        let p = provider(Some(
            "attribute.repository == 'acme/app' && assertion.ref == 'refs/heads/main'",
        ));
        assert_eq!(
            gcp_provider_admits(&p, &Caller::any_github_repository()),
            TrustDecision::Denied
        );
        assert!(allowed(&gcp_provider_admits(
            &p,
            &gh(Some("acme/app"), "refs/heads/main")
        )));
        assert_eq!(
            gcp_provider_admits(&p, &gh(Some("acme/app"), "refs/heads/dev")),
            TrustDecision::Denied
        );
        let owner = provider(Some("assertion.repository_owner in ['acme', 'acme-labs']"));
        assert!(allowed(&gcp_provider_admits(
            &owner,
            &gh(Some("acme-labs/x"), "refs/heads/x")
        )));
        assert_eq!(
            gcp_provider_admits(&owner, &Caller::any_github_repository()),
            TrustDecision::Denied
        );
        let prefix = provider(Some("assertion.repository.startsWith('acme/')"));
        assert!(allowed(&gcp_provider_admits(
            &prefix,
            &gh(Some("acme/x"), "refs/heads/x")
        )));
        assert_eq!(
            gcp_provider_admits(&prefix, &Caller::any_github_repository()),
            TrustDecision::Denied
        );
        // Not evaluated: assumed, shown.
        let or = provider(Some(
            "assertion.repository == 'a/b' || assertion.repository == 'c/d'",
        ));
        let TrustDecision::Allowed(e) = gcp_provider_admits(&or, &Caller::any_github_repository())
        else {
            panic!("an expression we do not evaluate is never a denial");
        };
        assert!(e.conditional && e.conditions[0].contains("||"));
    }

    #[test]
    fn azure_subjects_are_exact() {
        let cred = FederatedCredential {
            meta: meta(),
            issuer: s("https://token.actions.githubusercontent.com"),
            subject: s("repo:acme/app:environment:prod"),
            parent: trustmap_model::Link::unknown(meta().span),
        };
        let env = Caller::GithubActions {
            repo: Some("acme/app".into()),
            git_ref: Some("refs/heads/main".into()),
            event: Some("push".into()),
            environment: Some("prod".into()),
        };
        assert!(allowed(&azure_credential_admits(&cred, &env)));
        assert_eq!(
            azure_credential_admits(&cred, &gh(Some("acme/app"), "refs/heads/main")),
            TrustDecision::Denied
        );
        assert_eq!(
            azure_credential_admits(&cred, &Caller::any_github_repository()),
            TrustDecision::Denied
        );
        let TrustDecision::Allowed(e) = azure_credential_admits(
            &cred,
            &Caller::this_repository(
                Some("refs/heads/main".into()),
                Some("push".into()),
                Some("prod".into()),
            ),
        ) else {
            panic!("the scanned repository may be acme/app");
        };
        assert!(e.conditional);
        let aks = FederatedCredential {
            meta: meta(),
            issuer: s("https://eastus.oic.prod-aks.azure.com/tenant/guid/"),
            subject: s("system:serviceaccount:shop:api"),
            parent: trustmap_model::Link::unknown(meta().span),
        };
        let sa = |name: &str| Caller::KubernetesServiceAccount {
            issuer: Some("https://eastus.oic.prod-aks.azure.com/tenant/guid/".into()),
            namespace: "shop".into(),
            name: name.into(),
        };
        assert!(allowed(&azure_credential_admits(&aks, &sa("api"))));
        assert_eq!(
            azure_credential_admits(&aks, &sa("worker")),
            TrustDecision::Denied
        );
    }
}
