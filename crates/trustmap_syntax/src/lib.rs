//! Parsers that keep spans: YAML and JSON into the shared [`Node`] tree.
//!
//! A parser never panics on bad input: it returns what it could read plus
//! [`Diagnostic`](trustmap_source::Diagnostic)s with locations, and the scan goes on.

pub mod json;
pub mod node;
pub mod yaml;

pub use node::{Entry, Node, NodeKind, Number, Part};

/// Diagnostic codes the parsers emit (stable: reports and tests match on them).
pub mod codes {
    /// The text is not valid YAML/JSON; the broken document is skipped.
    pub const PARSE_ERROR: &str = "parse-error";
    /// A map repeats a key; both entries are kept and lookups take the last.
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    /// Alias expansion or nesting broke a budget; the document is skipped.
    pub const YAML_BUDGET: &str = "yaml-budget";
}
