//! Inline suppressions: `trustmap:ignore[RULE-ID, ...] reason` in a comment.
//!
//! A directive applies to a finding when it sits on the finding's first line, on the line
//! just above it, or on (or just above) the first line of the finding's resource. Findings stay
//! in the report, marked suppressed with the reason.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use trustmap_model::suppression::Directive;
use trustmap_model::{Language, ResourceMeta};
use trustmap_rules::Finding;
use trustmap_source::SourceFile;

static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"trustmap:ignore\[([^\]]*)\](.*)$").expect("static regex"));

/// Finds the directives in one file. Only text after a comment marker counts.
pub(crate) fn directives(file: &SourceFile, language: Language) -> Vec<Directive> {
    if !file.text.contains("trustmap:ignore") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line_no in 1..=file.line_count() {
        let Some(range) = file.line_range(line_no) else {
            continue;
        };
        let text = &file.text[range.clone()];
        let Some(caps) = DIRECTIVE.captures(text) else {
            continue;
        };
        let whole = caps.get(0).expect("group 0");
        let before = &text[..whole.start()];
        if !(before.contains('#') || before.contains("//")) {
            continue;
        }
        let rules: Vec<String> = caps[1]
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let reason = caps[2]
            .trim()
            .trim_start_matches([':', '-', '—'])
            .trim()
            .trim_end_matches("*/")
            .trim();
        let span = file.span(range.start + whole.start(), range.start + whole.end());
        out.push(Directive {
            rules,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            span,
            line: line_no,
            file: ResourceMeta {
                address: file.path.clone(),
                language,
                span,
                via: Vec::new(),
            },
        });
    }
    out
}

/// Directives indexed by (file path, line).
pub(crate) struct Index<'a> {
    by_line: HashMap<(&'a str, u32), Vec<&'a Directive>>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(directives: &'a [Directive]) -> Self {
        let mut by_line: HashMap<(&str, u32), Vec<&Directive>> = HashMap::new();
        for d in directives {
            by_line
                .entry((d.file.address.as_str(), d.line))
                .or_default()
                .push(d);
        }
        Self { by_line }
    }

    /// The directive that silences `finding`, if any: on the finding's line or the one above,
    /// or on the resource's first line or the one above.
    pub(crate) fn lookup(
        &self,
        finding: &Finding,
        path: &str,
        finding_line: u32,
        resource_line: u32,
    ) -> Option<&'a Directive> {
        let lines = [
            finding_line,
            finding_line.saturating_sub(1),
            resource_line,
            resource_line.saturating_sub(1),
        ];
        lines.into_iter().filter(|l| *l > 0).find_map(|line| {
            self.by_line.get(&(path, line))?.iter().copied().find(|d| {
                d.reason.is_some()
                    && d.rules.iter().any(|r| {
                        r.eq_ignore_ascii_case(finding.rule.id)
                            || r.eq_ignore_ascii_case(finding.rule.name)
                    })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::FileId;

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
        let d = directives(&f, Language::Terraform);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].rules, ["AWS-S3-001"]);
        assert_eq!(d[0].reason.as_deref(), Some("public website bucket"));
        assert_eq!(d[1].rules, ["AWS-S3-002", "s3-bucket-unencrypted"]);
        assert_eq!(d[1].reason.as_deref(), Some("legacy"));
        assert_eq!(d[2].line, 4);
        assert_eq!(d[2].reason, None);
    }
}
