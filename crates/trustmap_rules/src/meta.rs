//! Rule metadata: identity, severity, capability, docs and peer equivalents.

use serde::Serialize;
use trustmap_model::Language;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }

    /// Weight used by the capability score (see `trustmap_engine::scorecard`).
    pub fn weight(self) -> u32 {
        match self {
            Severity::Critical => 10,
            Severity::High => 5,
            Severity::Medium => 2,
            Severity::Low | Severity::Info => 1,
        }
    }
}

/// The four capabilities every rule is evidence for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Capability {
    Identity,
    Failure,
    Iac,
    Design,
}

impl Capability {
    pub const ALL: [Capability; 4] = [
        Capability::Identity,
        Capability::Failure,
        Capability::Iac,
        Capability::Design,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Identity => "identity",
            Capability::Failure => "failure",
            Capability::Iac => "iac",
            Capability::Design => "design",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Capability::Identity => "identity-aware coding",
            Capability::Failure => "coding for failure and abuse",
            Capability::Iac => "infrastructure-as-code ownership",
            Capability::Design => "design-level threat awareness",
        }
    }
}

/// Everything a rule declares about itself. Built by [`crate::declare_rule!`].
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id, e.g. `AWS-S3-001`. Never reused.
    pub id: &'static str,
    /// Kebab-case name of the bad pattern, e.g. `s3-bucket-public-acl`.
    pub name: &'static str,
    pub severity: Severity,
    pub capability: Capability,
    /// Input languages whose model feeds this rule; each needs a failing and a passing fixture.
    pub languages: &'static [Language],
    /// Peer checks that find the same concept: (`checkov`|`trivy`|`kics`|`cwe`, ids).
    pub equivalents: &'static [(&'static str, &'static [&'static str])],
    /// The doc comment, markdown, with the sections `## What it finds`, `## Why it matters`,
    /// `## Example`, `## Fix` (and optionally `## References`).
    pub doc: &'static str,
}

impl RuleMeta {
    /// First paragraph of `## What it finds`, as one line: the rule's short description.
    pub fn summary(&self) -> String {
        self.section("What it finds")
            .and_then(|s| s.split("\n\n").next().map(str::to_string))
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The doc comment as markdown: each `///` line loses the one space rustdoc keeps.
    pub fn doc_markdown(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The body of a `## Heading` section of the doc comment, trimmed.
    pub fn section(&self, heading: &str) -> Option<String> {
        let doc = self.doc_markdown();
        let mut lines = doc.lines();
        lines.find(|l| l.trim_end() == format!("## {heading}"))?;
        let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
        Some(body.join("\n").trim().to_string())
    }

    pub fn equivalent(&self, tool: &str) -> &'static [&'static str] {
        self.equivalents
            .iter()
            .find(|(t, _)| *t == tool)
            .map_or(&[], |(_, ids)| ids)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Rule, declare_rule};

    declare_rule! {
        /// ## What it finds
        /// A thing that is
        /// wrong.
        ///
        /// More detail.
        ///
        /// ## Why it matters
        /// Because.
        ///
        /// ## Fix
        /// Do this.
        pub(crate) Sample { id: "T-001", name: "sample", severity: Low, capability: Iac,
            languages: [Terraform], equivalents: { checkov: ["CKV_X_1"] } }
    }

    impl Rule for Sample {
        fn meta(&self) -> &'static crate::RuleMeta {
            &Self::META
        }
        fn check(&self, _: &trustmap_model::Model, _: &mut crate::Sink) {}
    }

    #[test]
    fn sections_stop_at_the_next_heading() {
        let m = Sample.meta();
        assert_eq!(m.section("Why it matters").as_deref(), Some("Because."));
        assert_eq!(m.section("Fix").as_deref(), Some("Do this."));
        assert_eq!(m.section("Example"), None);
        assert_eq!(m.summary(), "A thing that is wrong.");
        assert!(m.doc_markdown().starts_with("## What it finds\n"));
        assert_eq!(m.equivalent("checkov"), ["CKV_X_1"]);
        assert!(m.equivalent("trivy").is_empty());
    }
}
