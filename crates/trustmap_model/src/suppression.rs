//! Inline suppression comments, as written in the scanned files.
//!
//! They are part of the model because rules judge them too: a suppression without a
//! reason is itself a finding.

use trustmap_source::Span;

use crate::ResourceMeta;

/// One `trustmap:ignore[ID, ...] reason` comment.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Directive {
    /// Rule ids or names it silences, as written.
    pub rules: Vec<String>,
    /// The reason after the bracket, trimmed; `None` when missing.
    pub reason: Option<String>,
    /// The comment text from `trustmap:ignore` to the end of the line.
    pub span: Span,
    /// 1-based line the comment is on.
    pub line: u32,
    /// The file as a resource (address = path), for reporting.
    pub file: ResourceMeta,
}
