//! Secret detection: provider credential formats written as data, a fast multi-pattern byte
//! scanner, and (feature `history`) every blob of a git repository's history.
//!
//! - [`detector`]: what a detector is; [`detectors`]: the tables, one file per provider family.
//! - [`scanner`]: keyword prefilter (Aho-Corasick) → windows → one `meta::Regex::build_many`
//!   per tier (Unicode off, 64 MiB lazy-DFA cache) → validation (checksums, structure),
//!   placeholders, entropy and path context.
//! - [`redact`]: how a secret is shown in messages (at most 4 characters and a fingerprint).
//! - [`history`]: reads every commit of every branch with gix and scans each blob once.

pub mod detector;
pub mod detectors;
#[cfg(feature = "history")]
pub mod history;
pub mod placeholder;
pub mod redact;
pub mod scanner;
pub mod validate;

use std::sync::LazyLock;

pub use detector::{Check, Detector, Severity, Tier};
pub use scanner::{FileContext, Hit, Scanner};

/// A scanner over every detector, compiled once per process.
pub fn scanner() -> &'static Scanner {
    static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
        Scanner::new(detectors::all()).expect("the built-in detector tables compile (tested)")
    });
    &SCANNER
}
