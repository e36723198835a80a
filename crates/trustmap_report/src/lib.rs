//! Output formats for a finished [`trustmap_engine::Report`], and the rule list and docs.
//!
//! Every renderer is a pure function from the report to a `String` (ending in a newline);
//! the CLI decides where it goes. The formats:
//!
//! - [`text`]: for people, a code frame per finding (annotate-snippets), then errors, a
//!   summary and the capability scorecard;
//! - [`json`]: for scripts, versioned DTOs separate from the engine's types, with a JSON
//!   schema generated from them (`schemas/report.schema.json`);
//! - [`sarif`]: SARIF 2.1.0 for code scanning, from our own minimal serde structs;
//! - [`junit`], [`markdown`], [`github`]: JUnit XML for CI test reports, a pull-request
//!   comment, GitHub workflow annotations;
//! - [`baseline`]: the baseline file of `trustmap baseline`;
//! - [`rules_doc`]: `trustmap rules list|show` and the generated `docs/rules.md`.
//!
//! Text that comes from the scanned repository (messages, resource names, paths, snippets)
//! is untrusted: the text renderer neutralises control and bidi characters in it, and the
//! machine formats escape it through JSON.

pub mod baseline;
mod comparison;
mod doc;
pub mod github;
pub mod json;
pub mod junit;
pub mod markdown;
mod pod_security;
mod region;
pub mod rules_doc;
pub mod sarif;
mod suppression;
pub mod text;

/// The project's home page, from the workspace manifest.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
