//! How each output shows suppressions: the mechanism (inline comment, configuration entry,
//! a peer's comment honoured for migration), where it is written, and whether inline
//! suppressions were refused for the scan.

use trustmap_engine::{Report, Suppression};
use trustmap_model::suppression::Source;

use crate::json::v1;

pub(crate) fn to_dto(s: &Suppression) -> v1::Suppression {
    v1::Suppression {
        kind: match s.source {
            Source::Inline => v1::SuppressionKind::Inline,
            Source::Config => v1::SuppressionKind::Config,
            Source::Checkov => v1::SuppressionKind::Checkov,
            Source::Tfsec => v1::SuppressionKind::Tfsec,
            Source::Trivy => v1::SuppressionKind::Trivy,
            Source::Kics => v1::SuppressionKind::Kics,
        },
        reason: s.reason.clone(),
        path: s.path.clone(),
        line: s.line,
        until: s.until.map(|d| d.to_string()),
    }
}

pub(crate) fn refusal_dto(report: &Report) -> Option<v1::InlineSuppressionsDisabled> {
    let r = report.governance.inline_refused.as_ref()?;
    Some(v1::InlineSuppressionsDisabled {
        by: r.by.clone(),
        ignored: r.ignored as u64,
    })
}

/// SARIF's suppression kind: comments are `inSource`, configuration entries `external`.
pub(crate) fn sarif_kind(s: &Suppression) -> &'static str {
    if s.source.is_inline() {
        "inSource"
    } else {
        "external"
    }
}

/// One line for people: `reason (mechanism at path:line, until date)`.
pub(crate) fn describe(s: &Suppression) -> String {
    let how = match s.source {
        Source::Inline => "trustmap:ignore".to_string(),
        Source::Config => "configuration".to_string(),
        peer => format!("{} comment", peer.as_str()),
    };
    let until = s.until.map(|d| format!(", until {d}")).unwrap_or_default();
    format!("{s} ({how} at {}:{}{until})", s.path, s.line)
}

/// The sentence every output shows once when inline suppressions were refused.
pub(crate) fn refusal_sentence(report: &Report) -> Option<String> {
    let r = report.governance.inline_refused.as_ref()?;
    Some(format!(
        "inline suppressions are disabled ({}): {} ignored",
        r.by,
        if r.ignored == 1 {
            "1 comment".to_string()
        } else {
            format!("{} comments", r.ignored)
        }
    ))
}
