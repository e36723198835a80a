//! Who owns a file: `trustmap.toml` `[owners]` first, then CODEOWNERS, else nobody.

use std::collections::BTreeMap;

use crate::codeowners::CodeOwners;

/// The team name files without an owner are reported under.
pub const UNOWNED: &str = "(unowned)";

/// Resolves the team owning each file of one scan.
#[derive(Debug, Default)]
pub struct Ownership {
    /// From `[owners]` of trustmap.toml, per scanned file (the report's governance owners).
    config: BTreeMap<String, String>,
    codeowners: Option<CodeOwners>,
}

impl Ownership {
    pub fn new(config: BTreeMap<String, String>, codeowners: Option<CodeOwners>) -> Self {
        Self { config, codeowners }
    }

    /// The first CODEOWNERS file found at the usual places, read with `read`.
    pub fn find_codeowners(read: impl Fn(&str) -> Option<String>) -> Option<CodeOwners> {
        crate::codeowners::LOCATIONS
            .iter()
            .find_map(|p| read(p))
            .map(|text| CodeOwners::parse(&text))
    }

    /// CODEOWNERS warnings, for the report.
    pub fn warnings(&self) -> &[String] {
        self.codeowners
            .as_ref()
            .map_or(&[], |c| c.warnings.as_slice())
    }

    /// The team credited with `path`: the configured team, else the first owner of the
    /// CODEOWNERS match (a user, `@org/team` or an e-mail address), else `None`.
    pub fn team_of(&self, path: &str) -> Option<String> {
        if let Some(t) = self.config.get(path) {
            return Some(t.clone());
        }
        self.codeowners
            .as_ref()
            .and_then(|c| c.owners_of(path).into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_overrides_codeowners_and_unmatched_files_are_unowned() {
        let co = CodeOwners::parse("* @org/everyone\n/legacy/ \n");
        let config = BTreeMap::from([("platform/main.tf".to_string(), "platform".to_string())]);
        let o = Ownership::new(config, Some(co));
        assert_eq!(o.team_of("platform/main.tf").as_deref(), Some("platform"));
        assert_eq!(o.team_of("app/main.tf").as_deref(), Some("@org/everyone"));
        assert_eq!(o.team_of("legacy/old.tf"), None);
    }
}
