//! The baseline file (`trustmap baseline`): the fingerprints of the findings a team has
//! accepted for now, so `scan --baseline FILE` reports only new ones.
//!
//! Pretty-printed JSON, one finding per object, sorted by path, rule, resource and
//! fingerprint, without line numbers: it changes only where the findings do, and reviews as
//! a plain diff. `schemas/baseline.schema.json` is generated from [`BaselineFile`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use trustmap_engine::Report;
use trustmap_engine::baseline::{Known, KnownFinding, KnownPath};

/// The version of the baseline format this build writes and reads.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline of accepted findings.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "trustmap baseline")]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    /// The version of this format; a newer one than the reader knows is refused.
    pub baseline_version: u32,
    /// The trustmap version that wrote the file (informative).
    pub generated_by: String,
    /// The accepted findings.
    pub findings: Vec<BaselineFinding>,
    /// The accepted attack paths.
    #[serde(default)]
    pub attack_paths: Vec<BaselinePath>,
}

/// One accepted attack path.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaselinePath {
    /// The path's `fingerprint`, as in the JSON report.
    pub fingerprint: String,
    pub title: String,
}

/// One accepted finding. Only `fingerprint` is compared; the rest names the finding when it
/// is reported fixed.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BaselineFinding {
    /// The finding's `fingerprint`, as in the JSON report.
    pub fingerprint: String,
    /// Stable rule id, e.g. `AWS-S3-001`.
    pub rule_id: String,
    pub rule_name: String,
    /// Where the finding was when the baseline was written.
    pub path: String,
    pub resource: String,
}

/// Renders the baseline of every finding (suppressed ones too) and attack path of `report`.
pub fn render(report: &Report, version: &str) -> String {
    let known = Known::of(report);
    let file = BaselineFile {
        baseline_version: BASELINE_VERSION,
        generated_by: format!("trustmap {version}"),
        attack_paths: known
            .attack_paths
            .into_iter()
            .map(|p| BaselinePath {
                fingerprint: p.fingerprint,
                title: p.title,
            })
            .collect(),
        findings: known
            .findings
            .into_iter()
            .map(|k| BaselineFinding {
                fingerprint: k.fingerprint,
                rule_id: k.rule_id,
                rule_name: k.rule_name,
                path: k.path,
                resource: k.resource,
            })
            .collect(),
    };
    crate::json::to_pretty(&file)
}

/// Why a baseline file cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub enum BaselineError {
    /// Not JSON, or not a baseline; the message names the line and column.
    Corrupt(String),
    /// Written by a newer trustmap.
    NewerVersion(u32),
}

impl std::fmt::Display for BaselineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Corrupt(msg) => write!(f, "not a trustmap baseline: {msg}"),
            Self::NewerVersion(v) => write!(
                f,
                "baseline version {v} is newer than this trustmap understands \
                 ({BASELINE_VERSION}); upgrade trustmap or rewrite the baseline with \
                 `trustmap baseline`"
            ),
        }
    }
}

impl std::error::Error for BaselineError {}

/// Parses a baseline file's text into what it accepts.
pub fn parse(text: &str) -> Result<Known, BaselineError> {
    // The version first, so a newer file is refused for what it is, not as corrupt.
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| BaselineError::Corrupt(e.to_string()))?;
    match value
        .get("baseline_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v > u64::from(BASELINE_VERSION) => {
            return Err(BaselineError::NewerVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        Some(_) => {}
        None => {
            return Err(BaselineError::Corrupt(
                "no `baseline_version` number".into(),
            ));
        }
    }
    let file: BaselineFile =
        serde_json::from_value(value).map_err(|e| BaselineError::Corrupt(e.to_string()))?;
    Ok(Known {
        findings: file
            .findings
            .into_iter()
            .map(|f| KnownFinding {
                fingerprint: f.fingerprint,
                rule_id: f.rule_id,
                rule_name: f.rule_name,
                path: f.path,
                resource: f.resource,
            })
            .collect(),
        attack_paths: file
            .attack_paths
            .into_iter()
            .map(|p| KnownPath {
                fingerprint: p.fingerprint,
                title: p.title,
            })
            .collect(),
    })
}

/// The JSON schema of [`BaselineFile`], as committed in `schemas/baseline.schema.json`.
pub fn baseline_schema() -> String {
    crate::json::to_pretty(&schemars::schema_for!(BaselineFile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_newer_versions_and_garbage() {
        assert_eq!(
            parse(r#"{"baseline_version": 2, "generated_by": "x", "findings": []}"#),
            Err(BaselineError::NewerVersion(2))
        );
        assert!(matches!(parse("{"), Err(BaselineError::Corrupt(_))));
        assert!(matches!(
            parse(r#"{"findings": []}"#),
            Err(BaselineError::Corrupt(_))
        ));
        assert!(matches!(
            parse(
                r#"{"baseline_version": 1, "generated_by": "x", "findings": [{"fingerprint": 3}]}"#
            ),
            Err(BaselineError::Corrupt(_))
        ));
    }

    #[test]
    fn reads_what_it_accepts() {
        let text = r#"{"baseline_version": 1, "generated_by": "trustmap 0.1.0", "findings": [
            {"fingerprint": "ab", "rule_id": "AWS-S3-001", "rule_name": "s3-bucket-public-acl",
             "path": "main.tf", "resource": "aws_s3_bucket_acl.a"}]}"#;
        let known = parse(text).expect("valid");
        assert_eq!(known.findings.len(), 1);
        assert_eq!(known.findings[0].fingerprint, "ab");
        assert_eq!(known.findings[0].resource, "aws_s3_bucket_acl.a");
        assert!(known.attack_paths.is_empty());
    }
}
