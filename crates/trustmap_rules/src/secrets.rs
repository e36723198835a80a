//! One rule per secret detector, generated from the detector tables of `trustmap_secrets`.
//!
//! Secrets are the one exception to "rules read the model": the engine's secrets pass scans
//! the raw bytes of every text file (and, on request, every blob of the git history) and
//! reports through these rules, so each detector has its own id (`SEC-AWS-001`), shows up in
//! `trustmap rules`, can be selected with `--rule`, documented, exported to SARIF and
//! suppressed with `trustmap:ignore[SEC-AWS-001] reason` like any other rule. Their
//! [`Rule::check`] does nothing.
//!
//! Capability: **identity**. A committed credential is a long-lived identity anyone with the
//! repository can assume, whatever file it sits in (DESIGN.md's capability table: "no
//! long-lived keys"), so secrets in Terraform or YAML count against identity too, not IaC.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use trustmap_model::{Language, Model};
use trustmap_secrets::{Detector, Tier};

use crate::meta::{Capability, RuleMeta, Severity};
use crate::{Rule, Sink};

/// A rule backed by one detector.
#[derive(Debug)]
pub struct SecretRule {
    pub detector: &'static Detector,
    meta: &'static RuleMeta,
}

impl Rule for SecretRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, _: &Model, _: &mut Sink) {}
}

static RULES: LazyLock<Vec<SecretRule>> = LazyLock::new(|| {
    trustmap_secrets::detectors::all()
        .iter()
        .map(|d| SecretRule {
            detector: d,
            // Built once per process; rule metadata is `'static` like that of declared rules.
            meta: Box::leak(Box::new(meta_of(d))),
        })
        .collect()
});

static BY_ID: LazyLock<HashMap<&'static str, &'static SecretRule>> =
    LazyLock::new(|| RULES.iter().map(|r| (r.meta.id, r)).collect());

/// Every secret rule, in detector-table order.
pub fn rules() -> impl Iterator<Item = &'static dyn Rule> {
    RULES.iter().map(|r| r as &'static dyn Rule)
}

/// The detector behind a rule, when it is a secret rule.
pub fn secret_detector(meta: &RuleMeta) -> Option<&'static Detector> {
    BY_ID.get(meta.id).map(|r| r.detector)
}

/// Maps a detector severity onto the rule severity scale.
pub fn severity(s: trustmap_secrets::Severity) -> Severity {
    match s {
        trustmap_secrets::Severity::Critical => Severity::Critical,
        trustmap_secrets::Severity::High => Severity::High,
        trustmap_secrets::Severity::Medium => Severity::Medium,
        trustmap_secrets::Severity::Low => Severity::Low,
        trustmap_secrets::Severity::Info => Severity::Info,
    }
}

fn meta_of(d: &'static Detector) -> RuleMeta {
    RuleMeta {
        id: d.id,
        name: d.name,
        severity: severity(d.severity),
        capability: Capability::Identity,
        languages: &[Language::Text],
        equivalents: &[("cwe", &["CWE-798"])],
        doc: Box::leak(doc_of(d).into_boxed_str()),
    }
}

/// The rule's documentation, written as rustdoc-style lines (one leading space), like the
/// doc comments of hand-written rules.
fn doc_of(d: &Detector) -> String {
    let mut md = String::new();
    let what = match d.tier {
        Tier::Provider => format!(
            "{}{} written in a file or committed to the git history.\n\n\
             Detector `{}` recognises the provider's published format{}. Placeholders \
             (`changeme`, `xxxx`, `<your-token>`, `${{VAR}}`, `{{{{ .Values.x }}}}`, documented \
             example keys), runs of one character and sequences are ignored; in test, fixture and \
             example paths the finding is kept one severity lower.",
            d.title,
            if d.title.contains(d.provider) {
                String::new()
            } else {
                format!(" ({})", d.provider)
            },
            d.id,
            match d.check {
                trustmap_secrets::Check::Base62Crc32 { .. } =>
                    " and verifies its built-in CRC32 checksum, so random look-alikes are not reported",
                trustmap_secrets::Check::PrivateKey =>
                    " and checks that the block is well-formed base64 of a plausible size; encrypted keys are reported one severity lower",
                trustmap_secrets::Check::Jwt =>
                    " and checks that its header decodes to JSON with an `alg`",
                trustmap_secrets::Check::PypiMacaroon =>
                    " and checks that the rest decodes to a macaroon",
                trustmap_secrets::Check::Base64UserPass =>
                    " and checks that it decodes to `user:password`",
                trustmap_secrets::Check::UrlPassword =>
                    ", ignoring placeholder passwords and passwords equal to the user name",
                _ => "",
            }
        ),
        Tier::Generic => format!(
            "{} assigned in plain text: {}.\n\n\
             The key must name a secret and the value must look like one: references \
             (`var.x`, `os.getenv(...)`), templates (`${{X}}`, `{{{{ x }}}}`), placeholders, words, \
             hashes (`sha512-…`, bcrypt), UUIDs, paths and URLs are ignored, and tokens need \
             enough entropy. A provider-specific detector that matches the same value wins. \
             Lockfiles are not checked by generic detectors.",
            d.title,
            generic_shape(d)
        ),
    };
    let example = redacted_example(d);
    let _ = write!(
        md,
        "## What it finds\n{what}\n\n\
         ## Why it matters\n\
         Anyone who can read the repository — every clone, fork, CI cache and backup, and its \
         history forever — can use the credential as its owner. Attackers scan public and \
         leaked repositories for exactly these formats within minutes of a push, and a \
         credential found in a private repository is the usual first step from one \
         compromised laptop or CI job to the systems the credential reaches.\n\n\
         ## Example\n```text\n{example}\n```\n\n\
         ## Fix\n{}\n\n\
         Then remove the value from the file and load it at runtime from a secret manager \
         (or the platform's secret store). Deleting the line does not un-leak it: rotate \
         first, and rewrite history only as cleanup. A reviewed false positive can be \
         accepted with `# trustmap:ignore[{}] reason` on the line or the line above.\n",
        d.rotate, d.id
    );
    md.lines()
        .map(|l| format!(" {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn generic_shape(d: &Detector) -> String {
    match d.name {
        "generic-password" => {
            "a key ending in `password`, `passwd`, `pwd` or `passphrase` set to a literal".into()
        }
        "generic-secret" => "a key ending in `secret`, `token`, `api_key`, `access_key`, \
             `private_key`, `client_secret` or `credentials` set to a random-looking literal"
            .into(),
        _ => format!("{} ({})", d.title.to_lowercase(), d.name),
    }
}

/// The detector's first example with its longest token-like run (the secret) shown the way
/// reports show it. No regex: rule docs are built on every run, scanners only when scanning.
fn redacted_example(d: &Detector) -> String {
    let Some(ex) = d.examples.first() else {
        return String::new();
    };
    let lines: Vec<&str> = ex.lines().collect();
    if lines.len() > 4 {
        // Keys and other blocks: the first and last line tell the format.
        return format!("{}\n…\n{}", lines[0], lines[lines.len() - 1]);
    }
    let sep = |c: char| c.is_whitespace() || "\"'`=:,;<>(){}[]".contains(c);
    let mut best = (0, 0);
    let mut start = None;
    for (i, c) in ex.char_indices().chain(std::iter::once((ex.len(), ' '))) {
        match (sep(c), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                if i - s > best.1 - best.0 {
                    best = (s, i);
                }
                start = None;
            }
            _ => {}
        }
    }
    let (s, e) = best;
    format!(
        "{}{}{}",
        &ex[..s],
        trustmap_secrets::redact::preview(&ex.as_bytes()[s..e]),
        &ex[e..]
    )
}
