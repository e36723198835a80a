//! Suppression directives: inline comments in the scanned files (trustmap's own and the
//! peers' comments honoured for migration) and path-scoped entries of `trustmap.toml`.
//!
//! They are part of the model because rules judge them too: a suppression without a reason
//! (`TM-SUP-001`) or past its expiry date (`TM-SUP-002`) is itself a finding.

use std::fmt;

use trustmap_source::Span;

use crate::ResourceMeta;

/// Where a directive comes from; it also says how its rule list is read.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// `trustmap:ignore[RULE, ...] reason`: trustmap rule ids or names.
    Inline,
    /// A `[[suppressions.paths]]` entry of `trustmap.toml`: rule selectors.
    Config,
    /// `checkov:skip=CKV_...`: Checkov ids, matched through the rules' equivalents.
    Checkov,
    /// `tfsec:ignore:AVD-...`: Trivy AVD ids (tfsec's long names are not mapped).
    Tfsec,
    /// `trivy:ignore:AVD-...`: Trivy AVD ids.
    Trivy,
    /// `kics-scan ...`: KICS query ids, or every rule.
    Kics,
}

impl Source {
    /// The peers whose comments can be honoured, in a fixed order.
    pub const PEERS: [Source; 4] = [Source::Checkov, Source::Tfsec, Source::Trivy, Source::Kics];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Inline => "inline",
            Source::Config => "config",
            Source::Checkov => "checkov",
            Source::Tfsec => "tfsec",
            Source::Trivy => "trivy",
            Source::Kics => "kics",
        }
    }

    /// A comment in a scanned file (as opposed to the configuration file).
    pub fn is_inline(self) -> bool {
        self != Source::Config
    }

    /// The `equivalents` key of the rule metadata its ids are matched against.
    pub fn equivalents_key(self) -> Option<&'static str> {
        match self {
            Source::Checkov => Some("checkov"),
            Source::Tfsec | Source::Trivy => Some("trivy"),
            Source::Kics => Some("kics"),
            Source::Inline | Source::Config => None,
        }
    }
}

/// Which findings a directive can reach, besides its rule list.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Scope {
    /// A finding on the directive's line or the next one, or whose resource starts there
    /// (trustmap, tfsec and trivy comments).
    Adjacent,
    /// A finding whose resource contains the directive (checkov comments).
    Resource,
    /// A finding starting on one of these 1-based lines, inclusive (`kics-scan ignore-line`,
    /// `ignore-block`).
    Lines { first: u32, last: u32 },
    /// Every finding in the file (`kics-scan ignore`, `kics-scan disable=...`).
    File,
    /// Findings in files matching these gitignore-style patterns, relative to the
    /// configuration file (`[[suppressions.paths]]`).
    Paths { patterns: Vec<String> },
}

/// A calendar date (`YYYY-MM-DD`), for expiries. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting dates that do not exist (`2026-02-30`).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let month = u8::try_from(month).ok()?;
        let day = u8::try_from(day).ok()?;
        (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's `civil_from_days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year.clamp(1, 9999)).unwrap_or(9999),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Today in UTC, from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

/// One suppression: a comment such as `trustmap:ignore[ID, ...] until=2027-01-31 reason`, a
/// peer's comment, or a path-scoped entry of the configuration file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Directive {
    pub source: Source,
    /// What it silences, as written: rule ids or names (inline), selectors (config), peer
    /// ids (migrated); `*` for every rule.
    pub rules: Vec<String>,
    /// The reason, trimmed; `None` when missing.
    pub reason: Option<String>,
    /// Last day it applies (inclusive), when it has an expiry.
    pub until: Option<Date>,
    /// Past its expiry on the scan's date: it silences nothing and is reported.
    pub expired: bool,
    pub scope: Scope,
    /// The directive's text (the comment from its keyword on, or the configuration entry).
    pub span: Span,
    /// 1-based line the directive is on.
    pub line: u32,
    /// The file as a resource (address = path), for reporting.
    pub file: ResourceMeta,
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates_parse_strictly_and_order_chronologically() {
        let d = Date::parse("2027-01-31").expect("valid");
        assert_eq!(d.to_string(), "2027-01-31");
        assert!(Date::parse("2024-02-29").is_some());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "soon",
            "2026-04-31",
            "+026-01-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2026-12-31") < Date::parse("2027-01-01"));
    }

    #[test]
    fn unix_days_convert_to_civil_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_unix_days(20_415).to_string(), "2025-11-23");
    }
}
