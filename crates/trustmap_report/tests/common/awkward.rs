//! A report with awkward input: long lines, multi-line spans, CRLF, zero-width spans, hostile
//! text, a location in a file without source, locations at the end of a file and in an empty one.

use std::sync::Arc;

use trustmap_engine::report::{Location, Report, ReportedFinding, Stats};
use trustmap_rules::Finding;
use trustmap_source::{Diagnostic, FileId, SourceFile, SourceMap, Span};

fn finding(
    sources: &SourceMap,
    primary: Span,
    message: &str,
    related: Vec<(Span, &str)>,
) -> ReportedFinding {
    let location = Location::resolve(sources, primary).expect("resolves");
    ReportedFinding {
        finding: Finding {
            rule: super::S3,
            severity: super::S3.severity,
            message: message.to_string(),
            resource: "aws_s3_bucket.\u{1b}[2Jevil".to_string(),
            primary,
            resource_span: primary,
            related: Vec::new(),
            redact: Vec::new(),
        },
        resource_line: location.start_line,
        location,
        related: related
            .into_iter()
            .map(|(s, n)| {
                (
                    Location::resolve(sources, s).expect("resolves"),
                    n.to_string(),
                )
            })
            .collect(),
        suppressed: None,
        fingerprint: "00".into(),
        commit: None,
    }
}

pub fn report() -> Report {
    let long = format!("  tags = {{ note = \"{}\" }}\n", "x".repeat(300));
    let block: String = (0..30).map(|i| format!("  line_{i} = {i}\r\n")).collect();
    let text = format!("resource \"a\" \"b\" {{\r\n{block}}}\r\n{long}é = \"\u{202e}evil\"\n");
    let mut sources = SourceMap::new();
    let f = Arc::new(SourceFile::new(
        FileId(0),
        "dir with space/main.tf",
        text.clone(),
    ));
    let other = Arc::new(SourceFile::new(FileId(1), "other.tf", "x = 1\n"));
    let empty = Arc::new(SourceFile::new(FileId(2), "empty.yaml", ""));
    sources.push(f.clone());
    sources.push(other.clone());
    sources.push(empty.clone());
    let eof = other.span(6, 6);
    let block_span = f.span(0, text.find("}\r\n").unwrap() + 3);
    let long_at = text.find("xxxx").unwrap() + 250;
    let long_span = f.span(long_at, long_at + 10);
    let accent = text.find('é').unwrap();
    let zero = f.span(accent, accent);
    let bidi = f.span(text.find('\u{202e}').unwrap(), text.len() - 1);
    // A location in a file that is not in the source map (e.g. a -var-file outside the tree).
    let missing = Location {
        path: "../outside.tfvars".into(),
        span: Span::new(FileId(9), 0, 1),
        start_line: 2,
        start_col: 1,
        end_line: 2,
        end_col: 5,
    };
    let findings = vec![
        finding(
            &sources,
            block_span,
            "a block\u{1b}[31m spanning\nmany lines",
            vec![(long_span, "far away note")],
        ),
        {
            let mut f = finding(
                &sources,
                long_span,
                &"very long message ".repeat(12),
                vec![],
            );
            f.related
                .push((missing, "value comes from `outside.tfvars`".into()));
            f.related.push((
                Location::resolve(&sources, other.span(0, 1)).unwrap(),
                "elsewhere".into(),
            ));
            f
        },
        finding(&sources, zero, "zero width", vec![]),
        finding(&sources, bidi, "bidi", vec![(bidi, "same place")]),
    ];
    let diagnostics = vec![
        // At the very end of a file, after its last line break.
        (
            Diagnostic::new("parse-error", "unexpected end of file").at(&other, eof),
            Some(Location::resolve(&sources, eof).unwrap()),
        ),
        // In an empty file.
        (
            Diagnostic::new("parse-error", "empty document").at(&empty, empty.span(0, 0)),
            Some(Location::resolve(&sources, empty.span(0, 0)).unwrap()),
        ),
    ];
    Report {
        sources,
        findings,
        diagnostics,
        scorecard: super::report().scorecard,
        stats: Stats::default(),
        rules: vec![super::S3],
        reveal_secrets: false,
        incomplete: Vec::new(),
        comparison: None,
        pod_security: None,
        governance: Default::default(),
        graph: Default::default(),
        attack_paths: Vec::new(),
        fixes: Vec::new(),
        passes: Vec::new(),
    }
}
