//! Why a decision was made: the statement, the elements that matched, and the conditions
//! that were assumed rather than decided.

use serde::Serialize;
use trustmap_model::aws::policy::Condition;
use trustmap_source::Span;

/// The policy statement behind an answer, with the elements that matched, so a finding or a
/// graph edge points at the one `"Action": "s3:*"` at fault.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evidence {
    /// The statement (or, for a synthesised AWS-managed policy, the attachment's ARN).
    pub statement: Span,
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
    /// The `Action` element that matched (`None` for a `NotAction` statement).
    pub action: Option<Span>,
    /// The `Resource` element that matched (`None` for `NotResource` or an implicit resource).
    pub resource: Option<Span>,
    /// The `Principal` element that matched, for resource and trust policies.
    pub principal: Option<Span>,
    /// Every condition of the statement, shown as `key Operator value, value`.
    pub conditions: Vec<String>,
    /// Some condition was assumed to hold rather than decided: the answer is "yes, if the
    /// request satisfies these conditions".
    pub conditional: bool,
    /// Caveats: a conditional `Deny` that might also apply, a policy that could not be read.
    pub notes: Vec<String>,
}

impl Evidence {
    /// A statement's evidence, its conditions shown.
    pub(crate) fn of_statement(span: Span, sid: Option<String>, conditions: &[String]) -> Self {
        Evidence {
            statement: span,
            sid,
            conditional: !conditions.is_empty(),
            conditions: conditions.to_vec(),
            ..Evidence::default()
        }
    }
}

/// `aws:SourceIp IpAddress 10.0.0.0/8` (unknown parts shown as `(unknown)`).
pub fn show_condition(c: &Condition) -> String {
    let unknown = "(unknown)";
    let values: Vec<&str> = c
        .values
        .iter()
        .map(|v| v.get().map_or(unknown, String::as_str))
        .collect();
    format!(
        "{} {} {}",
        c.key.get().map_or(unknown, String::as_str),
        c.operator.get().map_or(unknown, String::as_str),
        values.join(", ")
    )
}
