//! Suppressions: `trustmap:ignore[RULE-ID, ...] [until=YYYY-MM-DD] reason` comments, the
//! peers' comments honoured for migration (`checkov:skip=`, `tfsec:ignore:`, `trivy:ignore:`,
//! `kics-scan`), and path-scoped entries of `trustmap.toml`.
//!
//! A trustmap directive applies to a finding when it sits on the finding's first line, on the
//! line just above it, or on (or just above) the first line of the finding's resource; peers'
//! comments keep their own tool's placement. Findings stay in the report, marked suppressed
//! with the mechanism, location and reason. A directive past its `until` date silences
//! nothing (and `TM-SUP-002` reports it); so does an inline one without a reason.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use ignore::gitignore::Gitignore;
use regex::Regex;
use trustmap_model::suppression::{Date, Directive, Scope, Source};
use trustmap_model::{Language, ResourceMeta};
use trustmap_rules::{Finding, RuleMeta};
use trustmap_source::{Diagnostic, SourceFile, Span};

use crate::config::select::Selector;

/// How suppressions are honoured in one scan.
#[derive(Clone, Debug)]
pub struct SuppressionSettings {
    /// Inline comments (trustmap's and the peers') silence findings. When false they are
    /// ignored and the report says so once.
    pub inline: bool,
    /// Who turned inline suppressions off (`--no-inline-suppressions`, `trustmap.toml:7`).
    pub inline_disabled_by: Option<String>,
    /// Peers whose comments are honoured, through each rule's equivalents.
    pub migrate: Vec<Source>,
    /// The scan's date, for expiries: the system date (UTC) by default.
    pub today: Date,
}

impl Default for SuppressionSettings {
    fn default() -> Self {
        Self {
            inline: true,
            inline_disabled_by: None,
            migrate: Source::PEERS.to_vec(),
            today: Date::today_utc(),
        }
    }
}

/// How a finding was suppressed, for the outputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub source: Source,
    pub reason: Option<String>,
    /// The file holding the directive (the configuration file for `config`) and its line.
    pub path: String,
    pub line: u32,
    pub until: Option<Date>,
}

impl std::fmt::Display for Suppression {
    /// The reason, as people read it (`no reason given` for peers' comments without one).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason.as_deref().unwrap_or("no reason given"))
    }
}

static TRUSTMAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"trustmap:ignore\[([^\]]*)\](.*)$").expect("static regex"));
static CHECKOV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"checkov:skip=([A-Za-z0-9_]+)(?::(.*))?$").expect("static regex"));
static TFSEC_TRIVY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(tfsec|trivy):ignore:(\S+)").expect("static regex"));
static KICS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"kics-scan\s+(ignore-line|ignore-block|ignore|disable=(\S+)|enable=\S+)")
        .expect("static regex")
});

/// Finds the directives in one file; only text after a comment marker counts. Malformed
/// expiry dates are diagnostics (the directive is dropped, so it silences nothing).
pub(crate) fn directives_in(
    file: &SourceFile,
    language: Language,
    settings: &SuppressionSettings,
) -> (Vec<Directive>, Vec<Diagnostic>) {
    let text = &file.text;
    let has = |s: Source, needle: &str| settings.migrate.contains(&s) && text.contains(needle);
    let (own, checkov, tfsec, trivy, kics) = (
        text.contains("trustmap:ignore"),
        has(Source::Checkov, "checkov:skip="),
        has(Source::Tfsec, "tfsec:ignore:"),
        has(Source::Trivy, "trivy:ignore:"),
        has(Source::Kics, "kics-scan"),
    );
    let mut out = Parsed {
        file,
        language,
        today: settings.today,
        directives: Vec::new(),
        diagnostics: Vec::new(),
    };
    if !(own || checkov || tfsec || trivy || kics) {
        return (out.directives, out.diagnostics);
    }
    for line_no in 1..=file.line_count() {
        let Some(range) = file.line_range(line_no) else {
            continue;
        };
        let line = &text[range.clone()];
        let Some(comment) = comment_start(line) else {
            continue;
        };
        let at = |start: usize, end: usize| file.span(range.start + start, range.start + end);
        if own && let Some(c) = TRUSTMAP.captures_at(line, comment) {
            let whole = c.get(0).expect("group 0");
            out.trustmap(&c[1], &c[2], at(whole.start(), whole.end()), line_no);
        }
        if checkov && let Some(c) = CHECKOV.captures_at(line, comment) {
            let whole = c.get(0).expect("group 0");
            let reason = c.get(2).map(|r| clean_reason(r.as_str()));
            out.push(
                Source::Checkov,
                vec![c[1].to_string()],
                reason.filter(|r| !r.is_empty()),
                None,
                Scope::Resource,
                at(whole.start(), whole.end()),
                line_no,
            );
        }
        if tfsec || trivy {
            for c in TFSEC_TRIVY.captures_iter(&line[comment..]) {
                let source = if &c[1] == "tfsec" {
                    Source::Tfsec
                } else {
                    Source::Trivy
                };
                if !settings.migrate.contains(&source) {
                    continue;
                }
                let whole = c.get(0).expect("group 0");
                let span = at(comment + whole.start(), comment + whole.end());
                out.tfsec_trivy(source, &c[2], span, line_no);
            }
        }
        if kics && let Some(c) = KICS.captures_at(line, comment) {
            let whole = c.get(0).expect("group 0");
            let span = at(whole.start(), whole.end());
            let (rules, scope) = match &c[1] {
                "ignore-line" => (vec!["*".into()], next_lines(file, line_no, false)),
                "ignore-block" => (vec!["*".into()], next_lines(file, line_no, true)),
                "ignore" => (vec!["*".into()], Scope::File),
                _ => match c.get(2) {
                    Some(ids) => (
                        ids.as_str().split(',').map(str::to_string).collect(),
                        Scope::File,
                    ),
                    // `enable=` narrows KICS's own query set; it has no trustmap meaning.
                    None => continue,
                },
            };
            out.push(Source::Kics, rules, None, None, scope, span, line_no);
        }
    }
    (out.directives, out.diagnostics)
}

/// Byte offset of the first comment marker (`#` or `//`) on a line.
fn comment_start(line: &str) -> Option<usize> {
    match (line.find('#'), line.find("//")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn clean_reason(s: &str) -> String {
    s.trim()
        .trim_start_matches([':', '-', '—'])
        .trim()
        .trim_end_matches("*/")
        .trim()
        .to_string()
}

/// The line after `line` (`ignore-line`), or the block it starts (`ignore-block`): every
/// following line indented deeper than it, plus a closing bracket at its own indentation.
fn next_lines(file: &SourceFile, line: u32, block: bool) -> Scope {
    let first = line + 1;
    let indent = |t: &str| t.len() - t.trim_start().len();
    let Some(head) = file.line_text(first) else {
        return Scope::Lines { first, last: first };
    };
    let mut last = first;
    if block {
        let base = indent(head);
        let mut n = first + 1;
        while let Some(t) = file.line_text(n) {
            let trimmed = t.trim_start();
            if trimmed.is_empty() || indent(t) > base {
                n += 1;
                continue;
            }
            if trimmed.starts_with(['}', ']', ')']) {
                last = n;
            }
            break;
        }
        last = last.max(
            (first..n)
                .rev()
                .find(|l| file.line_text(*l).is_some_and(|t| !t.trim().is_empty()))
                .unwrap_or(first),
        );
    }
    Scope::Lines { first, last }
}

struct Parsed<'a> {
    file: &'a SourceFile,
    language: Language,
    today: Date,
    directives: Vec<Directive>,
    diagnostics: Vec<Diagnostic>,
}

impl Parsed<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        source: Source,
        rules: Vec<String>,
        reason: Option<String>,
        until: Option<Date>,
        scope: Scope,
        span: Span,
        line: u32,
    ) {
        self.directives.push(Directive {
            source,
            rules,
            reason,
            until,
            expired: until.is_some_and(|u| u < self.today),
            scope,
            span,
            line,
            file: ResourceMeta {
                address: self.file.path.clone(),
                language: self.language,
                span,
                via: Vec::new(),
            },
        });
    }

    /// `trustmap:ignore[A, B] until=2027-01-31 reason`.
    fn trustmap(&mut self, rules: &str, rest: &str, span: Span, line: u32) {
        let rules: Vec<String> = rules
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let mut reason = clean_reason(rest);
        let mut until = None;
        if let Some(after) = reason.strip_prefix("until=") {
            let (date, tail) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
            let Some(d) = Date::parse(date) else {
                self.bad_date(date, span);
                return;
            };
            until = Some(d);
            reason = clean_reason(tail);
        }
        let reason = (!reason.is_empty()).then_some(reason);
        self.push(
            Source::Inline,
            rules,
            reason,
            until,
            Scope::Adjacent,
            span,
            line,
        );
    }

    /// `tfsec:ignore:ID[:exp:YYYY-MM-DD]` and `trivy:ignore:ID[:exp:YYYY-MM-DD]`.
    fn tfsec_trivy(&mut self, source: Source, token: &str, span: Span, line: u32) {
        let mut parts = token.split(':');
        let id = parts.next().unwrap_or_default().to_string();
        let mut until = None;
        while let (Some(key), Some(value)) = (parts.next(), parts.next()) {
            if key == "exp" {
                let Some(d) = Date::parse(value) else {
                    self.bad_date(value, span);
                    return;
                };
                until = Some(d);
            }
        }
        if source == Source::Tfsec && id != "*" && !id.to_ascii_uppercase().starts_with("AVD-") {
            self.diagnostics.push(
                Diagnostic::new(
                    "unsupported",
                    format!(
                        "`tfsec:ignore:{id}` names a tfsec check by its long name, which trustmap \
                         cannot map to its rules; use its AVD id (`tfsec:ignore:AVD-...`) or \
                         `trustmap:ignore[RULE-ID] reason`"
                    ),
                )
                .at(self.file, span),
            );
            return;
        }
        self.push(source, vec![id], None, until, Scope::Adjacent, span, line);
    }

    fn bad_date(&mut self, date: &str, span: Span) {
        self.diagnostics.push(
            Diagnostic::new(
                "parse-error",
                format!(
                    "suppression expiry `{date}` is not a date (YYYY-MM-DD); the suppression is ignored"
                ),
            )
            .at(self.file, span),
        );
    }
}

/// Config directives' path matchers, in the order of those directives.
pub(crate) struct ConfigMatchers {
    pub(crate) matchers: Vec<Gitignore>,
}

/// Every directive of the scan: the files' comments (dropped, and counted, when inline
/// suppressions are refused) and the configuration's path-scoped entries.
pub(crate) struct Collected {
    pub(crate) directives: Vec<Directive>,
    pub(crate) config: ConfigMatchers,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) refused: Option<crate::config::InlineRefusal>,
}

pub(crate) fn collect(
    files: &[(std::sync::Arc<SourceFile>, crate::FileKind)],
    settings: &crate::Settings,
    paths: &crate::config::policy::PathIndex,
    sources: &mut trustmap_source::SourceMap,
) -> Collected {
    let s = &settings.suppressions;
    let mut directives = Vec::new();
    let mut diagnostics = Vec::new();
    for (f, kind) in files {
        let (d, diags) = directives_in(f, crate::inputs::language_of(*kind), s);
        directives.extend(d);
        diagnostics.extend(diags);
    }
    let refused = (!s.inline).then(|| crate::config::InlineRefusal {
        by: s
            .inline_disabled_by
            .clone()
            .unwrap_or_else(|| "--no-inline-suppressions".to_string()),
        ignored: std::mem::take(&mut directives).len(),
    });
    if refused.is_some() {
        diagnostics.clear();
    }
    let (config, matchers) = settings.policy.directives(sources, paths, s.today);
    directives.extend(config);
    Collected {
        directives,
        config: ConfigMatchers { matchers },
        diagnostics,
        refused,
    }
}

/// Where a finding is, for the lookup.
pub(crate) struct At<'p> {
    /// Path relative to the scanned root (as directives record it).
    pub(crate) path: &'p str,
    /// Path relative to the configuration file's directory, when the file is under it.
    pub(crate) config_path: Option<&'p Path>,
    pub(crate) line: u32,
    pub(crate) resource_first: u32,
    pub(crate) resource_last: u32,
}

/// Directives indexed by file path, plus the configuration's path-scoped ones.
pub(crate) struct Index<'a> {
    by_file: HashMap<&'a str, Vec<&'a Directive>>,
    config: Vec<(&'a Directive, &'a Gitignore, Vec<Selector>)>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(directives: &'a [Directive], config: &'a ConfigMatchers) -> Self {
        let mut by_file: HashMap<&str, Vec<&Directive>> = HashMap::new();
        let mut matchers = config.matchers.iter();
        let mut config = Vec::new();
        for d in directives {
            if d.source == Source::Config {
                if let Some(m) = matchers.next() {
                    let selectors = d.rules.iter().filter_map(|r| Selector::parse(r).ok());
                    config.push((d, m, selectors.collect()));
                }
            } else {
                by_file.entry(d.file.address.as_str()).or_default().push(d);
            }
        }
        Self { by_file, config }
    }

    /// The suppression that silences `finding`, if any. Expired directives and inline ones
    /// without a reason never do.
    pub(crate) fn lookup(&self, finding: &Finding, at: &At<'_>) -> Option<Suppression> {
        let meta = finding.rule;
        let inline = self.by_file.get(at.path).into_iter().flatten().copied();
        let found = inline
            .filter(|d| !d.expired && (d.reason.is_some() || d.source != Source::Inline))
            .find(|d| reaches(d, at) && names(d, meta))
            .or_else(|| {
                let path = at.config_path?;
                self.config
                    .iter()
                    .find(|(d, m, sel)| {
                        !d.expired
                            && m.matched_path_or_any_parents(path, false).is_ignore()
                            && sel.iter().any(|s| s.matches(meta))
                    })
                    .map(|(d, _, _)| *d)
            })?;
        Some(Suppression {
            source: found.source,
            reason: found.reason.clone(),
            path: found.file.address.clone(),
            line: found.line,
            until: found.until,
        })
    }
}

/// Whether the directive's placement covers the finding.
fn reaches(d: &Directive, at: &At<'_>) -> bool {
    let near = |target: u32| d.line == target || d.line + 1 == target;
    match &d.scope {
        Scope::Adjacent => near(at.line) || near(at.resource_first),
        Scope::Resource => {
            (at.resource_first..=at.resource_last).contains(&d.line)
                || d.line + 1 == at.resource_first
        }
        Scope::Lines { first, last } => (*first..=*last).contains(&at.line),
        Scope::File => true,
        Scope::Paths { .. } => false,
    }
}

/// Whether the directive's rule list names the finding's rule.
fn names(d: &Directive, meta: &RuleMeta) -> bool {
    match d.source.equivalents_key() {
        None => d
            .rules
            .iter()
            .any(|r| r.eq_ignore_ascii_case(meta.id) || r.eq_ignore_ascii_case(meta.name)),
        Some(tool) => d.rules.iter().any(|r| {
            r == "*"
                || meta
                    .equivalent(tool)
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(r))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::FileId;

    fn settings(today: &str) -> SuppressionSettings {
        SuppressionSettings {
            today: Date::parse(today).expect("date"),
            ..SuppressionSettings::default()
        }
    }

    #[test]
    fn parses_directives_in_each_comment_style() {
        let f = SourceFile::new(
            FileId(0),
            "main.tf",
            "a = 1 # trustmap:ignore[AWS-S3-001] public website bucket\n\
             // trustmap:ignore[AWS-S3-002, s3-bucket-unencrypted]: legacy\n\
             b = \"trustmap:ignore[X] not a comment\"\n\
             # trustmap:ignore[AWS-S3-003]\n",
        );
        let (d, diags) = directives_in(&f, Language::Terraform, &settings("2026-01-01"));
        assert!(diags.is_empty());
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].rules, ["AWS-S3-001"]);
        assert_eq!(d[0].reason.as_deref(), Some("public website bucket"));
        assert_eq!(d[1].rules, ["AWS-S3-002", "s3-bucket-unencrypted"]);
        assert_eq!(d[1].reason.as_deref(), Some("legacy"));
        assert_eq!(d[2].line, 4);
        assert_eq!(d[2].reason, None);
    }

    #[test]
    fn until_sets_the_expiry_and_is_not_part_of_the_reason() {
        let f = SourceFile::new(
            FileId(0),
            "main.tf",
            "# trustmap:ignore[AWS-S3-001] until=2026-03-31 migration in progress\n\
             # trustmap:ignore[AWS-S3-001] until=2026-02-30 typo\n\
             # trustmap:ignore[AWS-S3-001] until=2025-12-31 old\n",
        );
        let (d, diags) = directives_in(&f, Language::Terraform, &settings("2026-03-31"));
        assert_eq!(d.len(), 2, "the bad date drops its directive");
        assert_eq!(d[0].until, Date::parse("2026-03-31"));
        assert_eq!(d[0].reason.as_deref(), Some("migration in progress"));
        assert!(!d[0].expired, "the until day itself is still covered");
        assert!(d[1].expired);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("`2026-02-30` is not a date"));
    }

    #[test]
    fn peers_comments_become_directives_with_their_own_placement() {
        let f = SourceFile::new(
            FileId(0),
            "main.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n\
             \x20 #checkov:skip=CKV_AWS_18:access logs go to the central account\n\
             \x20 acl = \"private\" #tfsec:ignore:AVD-AWS-0086:exp:2025-01-01 trivy:ignore:AVD-AWS-0087\n\
             \x20 # kics-scan ignore-block\n\
             \x20 versioning {\n\
             \x20   enabled = false\n\
             \x20 }\n\
             \x20 tags = {} # tfsec:ignore:aws-s3-enable-versioning\n\
             }\n\
             # kics-scan disable=4bc4dd4c-7d8d-405e-a0fb-57fa4c31b4d9,e592a0c5-5bdb-414c-9066-5dba7cdea370\n",
        );
        let (d, diags) = directives_in(&f, Language::Terraform, &settings("2026-01-01"));
        let summary: Vec<String> = d
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {:?} {:?} until={:?} expired={} {:?}",
                    d.source.as_str(),
                    d.line,
                    d.rules,
                    d.reason,
                    d.until.map(|u| u.to_string()),
                    d.expired,
                    d.scope
                )
            })
            .collect();
        insta::assert_debug_snapshot!(summary);
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .message
                .contains("tfsec:ignore:aws-s3-enable-versioning")
        );

        let only_checkov = SuppressionSettings {
            migrate: vec![Source::Checkov],
            ..settings("2026-01-01")
        };
        let (d, _) = directives_in(&f, Language::Terraform, &only_checkov);
        assert_eq!(d.len(), 1, "peers left out of `migrate` are not read");
    }
}
