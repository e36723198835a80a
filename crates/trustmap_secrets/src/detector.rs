//! What a detector is: one credential format of one provider, written as data.
//!
//! Detectors live in tables, one file per provider family under `detectors/`. Each entry is
//! a [`Detector`] built from [`BASE`] with struct-update syntax, so a table row states only
//! what is particular to its format.

/// How bad a leaked secret of this kind is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// One step lower (`Info` stays `Info`): used when the evidence is weaker.
    #[must_use]
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }
}

/// Which pass finds the detector. Provider formats run first; generic keyword-and-value
/// detectors run apart and lose to a provider match that overlaps them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tier {
    /// A provider-specific format (a prefix, a structure, or a provider keyword next to it).
    Provider,
    /// A `password = "..."`-style assignment judged by its key, its value and entropy.
    Generic,
}

/// Extra validation of a candidate, beyond the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Nothing beyond the pattern, placeholders and entropy.
    None,
    /// GitHub/npm-style token: the last 6 characters are the base62 CRC32 of the characters
    /// between the `prefix_len`-byte prefix and them. A token whose checksum is wrong is not a
    /// real token and is dropped.
    Base62Crc32 { prefix_len: usize },
    /// A JWT: the header decodes (base64url) to a JSON object with an `alg`.
    Jwt,
    /// A PEM/OpenSSH/PGP private key block: base64 body of a plausible length that decodes.
    /// Encrypted keys (PEM `Proc-Type: 4,ENCRYPTED`, OpenSSH with a cipher) are reported one
    /// severity lower.
    PrivateKey,
    /// A PyPI token: `pypi-` plus a base64url macaroon.
    PypiMacaroon,
    /// Base64 that decodes to `user:password` with a non-placeholder password.
    Base64UserPass,
    /// Base64 of a PEM block (kubeconfig `client-key-data`).
    Base64PrivateKey,
    /// A URL whose password (the secret group) must not be a placeholder.
    UrlPassword,
    /// A generic password value: not a reference, template, word or placeholder.
    GenericPassword,
    /// A generic token value: long enough, random enough, not a hash, UUID or reference.
    GenericToken,
    /// A token in an HTTP header: like [`Check::GenericToken`], but never an identifier
    /// reference (header values are literals).
    HeaderToken,
    /// [`Check::GenericPassword`] when the key names a password, else [`Check::GenericToken`].
    GenericByKey,
}

/// One credential format.
#[derive(Debug)]
pub struct Detector {
    /// Stable id, `SEC-<PROVIDER>-NNN`. Never reused.
    pub id: &'static str,
    /// Kebab-case rule name, e.g. `github-classic-token`.
    pub name: &'static str,
    /// What it is, for messages: "GitHub personal access token (classic)".
    pub title: &'static str,
    /// Who issues it: "GitHub".
    pub provider: &'static str,
    pub severity: Severity,
    pub tier: Tier,
    /// A byte regex (compiled with Unicode off). Named groups `s`, `s1`, `s2`, … hold the
    /// secret (the first that took part in the match wins); without them the whole match is
    /// the secret. A group `k` may hold the key of an assignment.
    pub pattern: &'static str,
    /// Literal strings (matched ASCII case-insensitively) that every match contains near its
    /// start: the prefilter only runs the regexes around them.
    pub keywords: &'static [&'static str],
    pub check: Check,
    /// Minimum Shannon entropy of the secret in bits per byte (0: no minimum).
    pub min_entropy: f32,
    /// How far past a keyword a match may end, in bytes (the prefilter's window).
    pub max_len: u32,
    /// How to revoke or rotate it: goes into the rule's `## Fix`.
    pub rotate: &'static str,
    /// Strings this detector must find (its table test and its docs' example).
    pub examples: &'static [&'static str],
    /// Strings it must not find.
    pub counter_examples: &'static [&'static str],
}

/// Defaults for table rows.
pub const BASE: Detector = Detector {
    id: "",
    name: "",
    title: "",
    provider: "",
    severity: Severity::High,
    tier: Tier::Provider,
    pattern: "",
    keywords: &[],
    check: Check::None,
    min_entropy: 0.0,
    max_len: 400,
    rotate: "Revoke the credential in the provider's console and issue a new one.",
    examples: &[],
    counter_examples: &[],
};
