//! IAM policy documents, parsed once by the adapter and read by every IAM, S3 and Lambda rule.
//!
//! The same type holds identity policies, trust policies and resource policies, whether they
//! were written as `jsonencode(...)`, a heredoc, a JSON file or an
//! `aws_iam_policy_document` data source. Every element keeps its own span, so a finding
//! points at the one `"Action": "*"` at fault, not at the whole document.
//!
//! [`ResourcePolicy`] is the resource-based policy of a queue, topic, key, secret or
//! repository, and [`PolicyDocument::public_grants`] the one test of "open to anyone" that
//! every resource-policy and trust-policy rule shares.

use trustmap_source::Span;

use super::Link;
use crate::{ResourceMeta, Value};

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PolicyDocument {
    pub span: Span,
    pub statements: Vec<Statement>,
}

impl PolicyDocument {
    /// Statements whose effect is known to be `Allow`.
    pub fn allows(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| s.is_allow())
    }

    /// The `Allow` statements that name anyone ([`Statement::everyone`]) with no condition
    /// limiting the caller ([`Statement::limited_by_condition`]). A statement whose conditions
    /// cannot be decided is left out and sets [`PublicGrants::undecided`].
    pub fn public_grants(&self) -> PublicGrants<'_> {
        let mut out = PublicGrants::default();
        for statement in self.allows() {
            let Some(principal) = statement.everyone() else {
                continue;
            };
            match statement.limited_by_condition() {
                Some(true) => {}
                None => out.undecided = true,
                Some(false) => out.grants.push(PublicGrant {
                    statement,
                    principal,
                }),
            }
        }
        out
    }
}

/// One statement that lets anyone in, and the principal that says so.
#[derive(Clone, Copy, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PublicGrant<'a> {
    pub statement: &'a Statement,
    /// The `*` principal (or the first `NotPrincipal` entry): where the finding points.
    pub principal: &'a Principal,
}

impl PublicGrant<'_> {
    /// The statement's known actions, for messages.
    pub fn known_actions(&self) -> Vec<String> {
        self.statement
            .actions
            .iter()
            .filter_map(|a| a.get().cloned())
            .collect()
    }

    /// Whether the statement may grant `action`: a known pattern matches it, or an action is
    /// unknown, or the statement uses `NotAction` (which grants everything it does not list).
    pub fn may_grant(&self, action: &str) -> bool {
        let st = self.statement;
        !st.not_actions.is_empty()
            || st.has_unknown_actions()
            || st.actions_matching(action).next().is_some()
    }
}

/// What [`PolicyDocument::public_grants`] found.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct PublicGrants<'a> {
    pub grants: Vec<PublicGrant<'a>>,
    /// Some statement names anyone but its conditions cannot be decided.
    pub undecided: bool,
}

/// A resource-based policy on one resource: an SQS queue, SNS topic, KMS key, Secrets Manager
/// secret or ECR repository. Written inline (`aws_sqs_queue.policy`, `aws_kms_key.policy`)
/// or as a separate resource (`aws_sqs_queue_policy`, `aws_kms_key_policy`, ...); both forms
/// land in the service's `policies` list.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ResourcePolicy {
    /// The resource that declares the document (the governed resource itself when inline).
    pub meta: ResourceMeta,
    /// The resource the policy governs.
    pub target: Link,
    pub document: Value<PolicyDocument>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement. Lists hold one [`Value`] per element; a list that cannot be known at all is
/// a single unknown element, so "no known element matches" never reads as "nothing matches".
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Statement {
    pub span: Span,
    pub sid: Option<Value<String>>,
    pub effect: Value<Effect>,
    pub actions: Vec<Value<String>>,
    pub not_actions: Vec<Value<String>>,
    pub resources: Vec<Value<String>>,
    pub not_resources: Vec<Value<String>>,
    pub principals: Vec<Principal>,
    pub not_principals: Vec<Principal>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// Known to allow.
    pub fn is_allow(&self) -> bool {
        self.effect.get() == Some(&Effect::Allow)
    }

    /// The principal that means "anyone", if the statement names one. A statement with only
    /// a `NotPrincipal` also applies to anyone (but the listed principals): its first
    /// excluded principal is returned, to have a location.
    pub fn everyone(&self) -> Option<&Principal> {
        if self.principals.is_empty() {
            return self.not_principals.first();
        }
        self.principals.iter().find(|p| p.is_everyone())
    }

    /// Whether a condition narrows the statement to specific callers (an organization,
    /// account, source ARN, VPC endpoint, ...). `None` when a condition is unknown and no
    /// known condition limits.
    pub fn limited_by_condition(&self) -> Option<bool> {
        let mut unknown = false;
        for c in &self.conditions {
            match c.limits_callers() {
                Some(true) => return Some(true),
                Some(false) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }

    /// The `Resource` element that is exactly `*`, if any.
    pub fn all_resources(&self) -> Option<&Value<String>> {
        self.resources.iter().find(|r| r.is(|s| s == "*"))
    }

    /// Known `Action` patterns that grant `action` (IAM wildcards, case-insensitive).
    pub fn actions_matching<'a>(
        &'a self,
        action: &'a str,
    ) -> impl Iterator<Item = &'a Value<String>> {
        self.actions
            .iter()
            .filter(move |a| a.is(|p| iam_match(p, action)))
    }

    /// An `Action` element that is `*` or `*:*` (every action of every service).
    pub fn any_action(&self) -> Option<&Value<String>> {
        self.actions.iter().find(|a| a.is(|p| is_any_action(p)))
    }

    pub fn has_unknown_actions(&self) -> bool {
        self.actions.iter().any(Value::is_unknown)
    }

    pub fn has_unknown_resources(&self) -> bool {
        self.resources.iter().any(Value::is_unknown)
    }
}

/// The principal types of a policy's `Principal` element.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum PrincipalKind {
    /// The bare `"Principal": "*"`.
    Everyone,
    Aws,
    Service,
    Federated,
    CanonicalUser,
    Other(String),
    /// The principal block itself could not be evaluated.
    Unknown,
}

/// One principal identifier with its type.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub id: Value<String>,
    /// For a `Federated` principal that references an OIDC provider defined in the scan:
    /// that provider's `url`, so the issuer is known even though the ARN is computed.
    pub provider_url: Option<Value<String>>,
}

impl Principal {
    /// Anyone: `"*"`, or `{"AWS": "*"}` (every AWS account, and anonymous callers for
    /// resource policies).
    pub fn is_everyone(&self) -> bool {
        match self.kind {
            PrincipalKind::Everyone => true,
            PrincipalKind::Aws => self.id.is(|s| s == "*"),
            _ => false,
        }
    }

    /// For a federated web-identity principal, the issuer host the token must come from
    /// (`token.actions.githubusercontent.com`); the value is unknown when the provider
    /// cannot be resolved. `None` for other principals and for SAML and Cognito federation.
    pub fn oidc_host(&self) -> Option<Value<String>> {
        if self.kind != PrincipalKind::Federated {
            return None;
        }
        if let Some(id) = self.id.get() {
            return oidc_host_of(id)
                .map(|h| Value::explicit(h, self.id.span).with_via(self.id.via.clone()));
        }
        if let Some(url) = &self.provider_url {
            return Some(url.clone().map(|u| host_of_url(&u)));
        }
        Some(Value::unknown(self.id.span).with_via(self.id.via.clone()))
    }
}

/// Web identity federations whose subject is not a `:sub` claim: Cognito identity pools
/// (scoped by `:aud`), Login with Amazon (`:user_id`) and Facebook (`:id`).
const NOT_OIDC_ISSUERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
];

/// The issuer host named by a federated principal: an OIDC provider ARN
/// (`arn:aws:iam::123456789012:oidc-provider/HOST`) or a bare issuer such as
/// `accounts.google.com`. SAML providers and Cognito identity pools are not OIDC issuers here.
fn oidc_host_of(id: &str) -> Option<String> {
    if let Some((_, host)) = id.split_once(":oidc-provider/") {
        return Some(host.to_ascii_lowercase());
    }
    let is_bare_host = !id.starts_with("arn:") && id.contains('.') && !id.contains(' ');
    let id = id.to_ascii_lowercase();
    (is_bare_host && !NOT_OIDC_ISSUERS.contains(&id.as_str())).then_some(id)
}

/// `https://token.actions.githubusercontent.com/` → `token.actions.githubusercontent.com`.
pub fn host_of_url(url: &str) -> String {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest.trim_end_matches('/').to_ascii_lowercase()
}

/// One `operator: { key: values }` test of a `Condition` block.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Condition {
    pub span: Span,
    /// `StringEquals`, `ForAnyValue:StringLike`, `ArnLike`, ...
    pub operator: Value<String>,
    /// The context key, e.g. `aws:SourceArn` or `token.actions.githubusercontent.com:sub`.
    pub key: Value<String>,
    pub values: Vec<Value<String>>,
}

/// Context keys that tie a request to specific callers, networks or sources.
const CALLER_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpce",
    "aws:SourceVpc",
    "aws:SourceIp",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:userid",
    "aws:username",
    // KMS: the account of the caller (AWS-managed key policies pair it with `Principal: *`).
    "kms:CallerAccount",
];

impl Condition {
    /// `StringNotEquals`, `ArnNotLike`, `NotIpAddress`, `Null`, ...: tests that let through
    /// everything they do not name.
    pub fn is_negated(&self) -> Option<bool> {
        self.operator
            .get()
            .map(|op| op.contains("Not") || base_operator(op).eq_ignore_ascii_case("Null"))
    }

    /// `...IfExists`: passes when the key is absent from the request.
    pub fn is_if_exists(&self) -> Option<bool> {
        self.operator.get().map(|op| op.ends_with("IfExists"))
    }

    /// True for a `*Like` test, where `*` and `?` are wildcards.
    pub fn is_like(&self) -> Option<bool> {
        self.operator
            .get()
            .map(|op| base_operator(op).to_ascii_lowercase().contains("like"))
    }

    /// Whether the key equals `key` (case-insensitive).
    pub fn key_is(&self, key: &str) -> Option<bool> {
        self.key.get().map(|k| k.eq_ignore_ascii_case(key))
    }

    /// Whether this test narrows the statement to specific callers: a positive test of a
    /// caller key ([`CALLER_KEYS`]) whose values are all known and none matches everything.
    pub fn limits_callers(&self) -> Option<bool> {
        let key = self.key.get()?;
        if !CALLER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            return Some(false);
        }
        if self.is_negated()? || self.is_if_exists()? {
            return Some(false);
        }
        if self.values.is_empty() {
            return Some(false);
        }
        let mut unknown = false;
        for v in &self.values {
            match v.get() {
                Some(s) if is_all_wildcard(s) || s == "0.0.0.0/0" || s == "::/0" => {
                    return Some(false);
                }
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(true) }
    }
}

/// `ForAnyValue:StringLikeIfExists` → `StringLikeIfExists`.
fn base_operator(op: &str) -> &str {
    op.rsplit_once(':').map_or(op, |(_, b)| b)
}

/// A pattern made only of `*` (and `?`): matches anything.
pub fn is_all_wildcard(p: &str) -> bool {
    !p.is_empty() && p.chars().all(|c| c == '*')
}

/// `*` or `*:*`: every action of every service.
pub fn is_any_action(p: &str) -> bool {
    p.split(':').all(is_all_wildcard)
}

/// `*` or `service:*`: every action of every service, or of one service.
pub fn is_service_wildcard(p: &str) -> bool {
    is_any_action(p)
        || p.split_once(':')
            .is_some_and(|(svc, rest)| !svc.is_empty() && is_all_wildcard(rest))
}

/// IAM wildcard match: `*` any run, `?` one character, case-insensitive (as IAM compares
/// action names).
pub fn iam_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Iterative glob with single backtrack point: linear in practice, never exponential.
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_wildcards_match_like_iam() {
        assert!(iam_match("*", "s3:GetObject"));
        assert!(iam_match("s3:*", "S3:GetObject"));
        assert!(iam_match("s3:Get*", "s3:getobject"));
        assert!(iam_match("ssm:GetParameter?", "ssm:GetParameters"));
        assert!(!iam_match("ssm:GetParameter?", "ssm:GetParameter"));
        assert!(!iam_match("s3:Put*", "s3:GetObject"));
        assert!(iam_match("*:*", "kms:Decrypt"));
    }

    #[test]
    fn service_wildcards() {
        assert!(is_service_wildcard("*"));
        assert!(is_service_wildcard("iam:*"));
        assert!(!is_service_wildcard("iam:Get*"));
        assert!(!is_service_wildcard(":*"));
        assert!(is_any_action("*:*") && is_any_action("*") && !is_any_action("s3:*"));
    }

    #[test]
    fn oidc_hosts() {
        assert_eq!(
            oidc_host_of(
                "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
            )
            .as_deref(),
            Some("token.actions.githubusercontent.com")
        );
        assert_eq!(
            oidc_host_of("accounts.google.com").as_deref(),
            Some("accounts.google.com")
        );
        assert_eq!(oidc_host_of("cognito-identity.amazonaws.com"), None);
        assert_eq!(
            oidc_host_of("arn:aws:iam::123456789012:saml-provider/okta"),
            None
        );
        assert_eq!(
            host_of_url("https://gitlab.example.com/"),
            "gitlab.example.com"
        );
    }

    #[test]
    fn negated_and_if_exists_conditions_do_not_limit() {
        let c = |op: &str, key: &str, v: &str| Condition {
            span: Span::default(),
            operator: Value::explicit(op.to_string(), Span::default()),
            key: Value::explicit(key.to_string(), Span::default()),
            values: vec![Value::explicit(v.to_string(), Span::default())],
        };
        assert_eq!(
            c("StringEquals", "aws:SourceAccount", "1").limits_callers(),
            Some(true)
        );
        assert_eq!(
            c("StringNotEquals", "aws:SourceAccount", "1").limits_callers(),
            Some(false)
        );
        assert_eq!(
            c("ArnLikeIfExists", "aws:SourceArn", "x").limits_callers(),
            Some(false)
        );
        assert_eq!(
            c("StringEquals", "aws:PrincipalOrgID", "*").limits_callers(),
            Some(false)
        );
        assert_eq!(
            c("Bool", "aws:SecureTransport", "true").limits_callers(),
            Some(false)
        );
        let mut u = c("StringEquals", "aws:SourceVpce", "x");
        u.values = vec![Value::unknown(Span::default())];
        assert_eq!(u.limits_callers(), None);
    }
}
