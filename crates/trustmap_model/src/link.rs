//! A reference from one model object to another, shared by every cloud's model.

use trustmap_source::{Span, Via};

/// A reference from one resource to another, as written and as resolved.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Link {
    /// What the source names: the referenced address (`aws_s3_bucket.b`) for a reference,
    /// the literal name, ARN or resource ID otherwise; `None` when it cannot be known.
    pub text: Option<String>,
    /// Where the reference is written.
    pub span: Span,
    pub via: Vec<Via>,
    /// Index of the target in its model list (`S3::buckets`, `Gcp::buckets`, ...) when the
    /// scan defines it.
    pub target: Option<usize>,
}

impl Link {
    /// A link whose target is not known at all.
    pub fn unknown(span: Span) -> Self {
        Self {
            text: None,
            span,
            via: Vec::new(),
            target: None,
        }
    }

    /// A link to an object the adapter found directly (an inline block of its parent).
    pub fn parent(index: usize, text: &str, span: Span) -> Self {
        Self {
            text: Some(text.to_string()),
            span,
            via: Vec::new(),
            target: Some(index),
        }
    }

    /// A short label for messages: the target's address or name, or `unknown`.
    pub fn label(&self) -> &str {
        self.text.as_deref().unwrap_or("unknown")
    }
}
