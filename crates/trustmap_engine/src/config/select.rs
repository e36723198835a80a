//! Rule selectors, as written in `trustmap.toml`: a rule id (`AWS-S3-001`), a rule name
//! (`s3-bucket-public-acl`), an id prefix ending at a `-` boundary (`AWS`, `AWS-S3`,
//! `K8S-`), a capability (`identity`, `failure`, `iac`, `design`), or `ALL`.

use trustmap_rules::{Capability, RuleMeta, all_rules, find_rule};

/// One parsed selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Rule(&'static str),
    /// Upper-case id prefix without its trailing `-`.
    Prefix(String),
    Capability(Capability),
}

impl Selector {
    /// Parses a selector; one that matches no rule is an error (a typo would otherwise
    /// select or ignore nothing, silently).
    pub fn parse(s: &str) -> Result<Selector, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") || s == "*" {
            return Ok(Selector::All);
        }
        if let Some(c) = Capability::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
        {
            return Ok(Selector::Capability(c));
        }
        if let Some(rule) = find_rule(s) {
            return Ok(Selector::Rule(rule.meta().id));
        }
        let prefix = s.trim_end_matches('-').to_ascii_uppercase();
        let sel = Selector::Prefix(prefix);
        if !prefix_is_empty(&sel) && all_rules().iter().any(|r| sel.matches(r.meta())) {
            return Ok(sel);
        }
        Err(format!(
            "`{s}` is not a rule id, rule name, id prefix or capability (see `trustmap rules`)"
        ))
    }

    pub fn matches(&self, meta: &RuleMeta) -> bool {
        match self {
            Selector::All => true,
            Selector::Rule(id) => meta.id == *id,
            Selector::Capability(c) => meta.capability == *c,
            Selector::Prefix(p) => {
                let id = meta.id.to_ascii_uppercase();
                id.strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
            }
        }
    }
}

fn prefix_is_empty(s: &Selector) -> bool {
    matches!(s, Selector::Prefix(p) if p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_ids_names_prefixes_and_capabilities() {
        let meta = find_rule("TM-SUP-001").expect("rule").meta();
        for ok in [
            "TM-SUP-001",
            "suppression-without-reason",
            "TM",
            "tm-sup",
            "TM-SUP-",
            "design",
            "ALL",
        ] {
            let s = Selector::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(s.matches(meta), "{ok}");
        }
        assert!(!Selector::parse("iac").expect("capability").matches(meta));
        // A prefix ends at a `-` boundary: `TM-SU` is not a prefix of `TM-SUP-001`.
        assert!(Selector::parse("TM-SU").is_err());
        assert!(Selector::parse("-").is_err());
        assert!(Selector::parse("NOPE-").is_err());
    }
}
