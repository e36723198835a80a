//! Namespaces, for the labels that configure what runs in them (Pod Security admission,
//! service-mesh injection).

use super::{KeyValue, Object};

/// The label that sets the Pod Security level the API server enforces in a namespace.
pub const PSS_ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";

/// A Namespace.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Namespace {
    pub object: Object,
}

/// The label prefix of the Pod Security admission modes: `<prefix>enforce`, `warn`,
/// `audit`, and their `-version` companions.
pub const PSS_LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

impl Namespace {
    /// The Pod Security label of `mode` (`enforce`, `warn`, `audit`) with the level it
    /// names; `None` when absent, unknown or not a level.
    pub fn pss_mode(&self, mode: &str) -> Option<(PssLevel, &KeyValue)> {
        let kv = self.object.label(&format!("{PSS_LABEL_PREFIX}{mode}"))?;
        Some((PssLevel::parse(kv.value.get()?)?, kv))
    }

    /// The minor version of `<mode>-version` when it names one (`v1.23` is 23); `None`
    /// for `latest`, absent, unknown or unreadable values (admission then uses the latest).
    pub fn pss_version(&self, mode: &str) -> Option<u32> {
        let kv = self
            .object
            .label(&format!("{PSS_LABEL_PREFIX}{mode}-version"))?;
        let minor = kv.value.get()?.trim().strip_prefix("v1.")?;
        minor.parse().ok()
    }

    /// The `pod-security.kubernetes.io/enforce` label with the level it names; `None` when
    /// the label is absent, unknown or not a level (the API server rejects such a label).
    pub fn pss_enforce(&self) -> Option<(PssLevel, &KeyValue)> {
        let kv = self.object.label(PSS_ENFORCE_LABEL)?;
        Some((PssLevel::parse(kv.value.get()?)?, kv))
    }
}

/// A Pod Security Standards level, from the least to the most restrictive.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    Privileged,
    Baseline,
    Restricted,
}

impl PssLevel {
    /// `privileged`, `baseline` or `restricted` (as the namespace labels spell them).
    pub fn parse(text: &str) -> Option<PssLevel> {
        match text.trim() {
            "privileged" => Some(PssLevel::Privileged),
            "baseline" => Some(PssLevel::Baseline),
            "restricted" => Some(PssLevel::Restricted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Privileged => "privileged",
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PssLevel;

    #[test]
    fn levels_parse_and_order_from_least_to_most_restrictive() {
        assert_eq!(PssLevel::parse("restricted"), Some(PssLevel::Restricted));
        assert_eq!(PssLevel::parse("Restricted"), None);
        assert!(PssLevel::Privileged < PssLevel::Baseline);
        assert!(PssLevel::Baseline < PssLevel::Restricted);
    }
}
