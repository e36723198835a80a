//! Render and parse errors, each with the template span it happened at.

use trustmap_source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template text is not a valid Go template.
    Parse,
    /// Executing failed the way Go/Helm would fail (nil pointer, wrong types, bad call).
    Exec,
    /// A function or feature Helm has and trustmap's renderer does not.
    Unsupported,
    /// A render budget was exhausted (output size, work, recursion): a template bomb, or a
    /// chart that recurses without end.
    Limit,
}

/// Why a template did not render, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The action (or token) at fault, in the template file; for text given to `tpl`,
    /// the `tpl` call.
    pub span: Span,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> Self {
        Self {
            kind,
            span,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
