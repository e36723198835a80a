//! `--format junit`: JUnit XML, the test-report format GitLab, Jenkins, Azure Pipelines and
//! most CI systems display.
//!
//! One `<testsuite>` per rule that found something (CI test views group by suite, so a rule
//! reads as one failing test group), one `<testcase>` per finding named `path:line resource`
//! with `file` and `line` attributes (GitLab links them). Unsuppressed findings are
//! `<failure>`s typed by severity; suppressed ones are `<skipped>` with their reason; input
//! errors and unanalysed parts are `<error>`s in a suite of their own. A scan with none of
//! these has one passing test case, so the CI view shows a pass rather than "no tests".

use std::collections::BTreeMap;
use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use trustmap_engine::{Report, ReportedFinding};

use crate::region::region;

type XmlResult = Result<(), std::io::Error>;

/// Renders the report as a JUnit XML document.
pub fn render(report: &Report) -> String {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    write(report, &mut w).expect("writing XML into memory cannot fail");
    let mut out = String::from_utf8(w.into_inner().into_inner())
        .expect("the XML writer only writes UTF-8 text");
    out.push('\n');
    out
}

fn write(report: &Report, w: &mut Writer<Cursor<Vec<u8>>>) -> XmlResult {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut by_rule: BTreeMap<&str, Vec<&ReportedFinding>> = BTreeMap::new();
    for f in &report.findings {
        by_rule.entry(f.rule().id).or_default().push(f);
    }
    let failures = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .count();
    let skipped = report.findings.len() - failures;
    let errors = report.diagnostics.len() + report.incomplete.len();
    let clean = report.findings.is_empty() && errors == 0;
    let tests = report.findings.len() + errors + usize::from(clean);
    w.create_element("testsuites")
        .with_attributes([
            ("name", "trustmap"),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", errors.to_string().as_str()),
            ("skipped", skipped.to_string().as_str()),
        ])
        .write_inner_content(|w| {
            for findings in by_rule.values() {
                rule_suite(report, findings, w)?;
            }
            if errors > 0 {
                error_suite(report, w)?;
            }
            if clean {
                w.create_element("testsuite")
                    .with_attributes([
                        ("name", "trustmap"),
                        ("tests", "1"),
                        ("failures", "0"),
                        ("errors", "0"),
                        ("skipped", "0"),
                    ])
                    .write_inner_content(|w| {
                        w.create_element("testcase")
                            .with_attributes([("name", "no findings"), ("classname", "trustmap")])
                            .write_empty()?;
                        Ok::<(), std::io::Error>(())
                    })?;
            }
            Ok::<(), std::io::Error>(())
        })?;
    Ok(())
}

fn rule_suite(
    report: &Report,
    findings: &[&ReportedFinding],
    w: &mut Writer<Cursor<Vec<u8>>>,
) -> XmlResult {
    let meta = findings[0].rule();
    let failures = findings.iter().filter(|f| f.suppressed.is_none()).count();
    w.create_element("testsuite")
        .with_attributes([
            ("name", format!("{} {}", meta.id, meta.name).as_str()),
            ("tests", findings.len().to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", "0"),
            ("skipped", (findings.len() - failures).to_string().as_str()),
        ])
        .write_inner_content(|w| {
            for f in findings {
                let line = region(&report.sources, &f.location).start_line;
                let name = xml_safe(&format!(
                    "{}:{line} {}",
                    f.location.path, f.finding.resource
                ));
                let path = xml_safe(&f.location.path);
                let case = w.create_element("testcase").with_attributes([
                    ("name", name.as_str()),
                    ("classname", meta.id),
                    ("file", path.as_str()),
                    ("line", line.to_string().as_str()),
                ]);
                case.write_inner_content(|w| {
                    match &f.suppressed {
                        Some(reason) => {
                            w.create_element("skipped")
                                .with_attribute((
                                    "message",
                                    xml_safe(&format!("suppressed: {reason}")).as_str(),
                                ))
                                .write_empty()?;
                        }
                        None => {
                            let message = xml_safe(&f.finding.message);
                            let body = xml_safe(&format!(
                                "{}:{line}\nresource: {}\nrule: {} {}\nfingerprint: {}\nfix: {}",
                                f.location.path,
                                f.finding.resource,
                                meta.id,
                                meta.name,
                                f.fingerprint,
                                crate::doc::fix_short(meta).unwrap_or_else(|| {
                                    format!("see `trustmap rules show {}`", meta.id)
                                })
                            ));
                            w.create_element("failure")
                                .with_attributes([
                                    ("message", message.as_str()),
                                    ("type", f.finding.severity.as_str()),
                                ])
                                .write_text_content(BytesText::new(&body))?;
                        }
                    }
                    Ok::<(), std::io::Error>(())
                })?;
            }
            Ok::<(), std::io::Error>(())
        })?;
    Ok(())
}

fn error_suite(report: &Report, w: &mut Writer<Cursor<Vec<u8>>>) -> XmlResult {
    let n = report.diagnostics.len() + report.incomplete.len();
    w.create_element("testsuite")
        .with_attributes([
            ("name", "trustmap input errors"),
            ("tests", n.to_string().as_str()),
            ("failures", "0"),
            ("errors", n.to_string().as_str()),
            ("skipped", "0"),
        ])
        .write_inner_content(|w| {
            for (d, loc) in &report.diagnostics {
                let path = d
                    .path
                    .clone()
                    .or_else(|| loc.as_ref().map(|l| l.path.clone()))
                    .unwrap_or_default();
                let name = match loc {
                    Some(l) => format!("{path}:{} {}", l.start_line, d.code),
                    None => format!("{path} {}", d.code),
                };
                w.create_element("testcase")
                    .with_attributes([
                        ("name", xml_safe(&name).as_str()),
                        ("classname", "trustmap.input"),
                        ("file", xml_safe(&path).as_str()),
                    ])
                    .write_inner_content(|w| {
                        w.create_element("error")
                            .with_attributes([
                                ("message", xml_safe(&d.message).as_str()),
                                ("type", d.code),
                            ])
                            .write_empty()?;
                        Ok::<(), std::io::Error>(())
                    })?;
            }
            for part in &report.incomplete {
                w.create_element("testcase")
                    .with_attributes([
                        ("name", xml_safe(part).as_str()),
                        ("classname", "trustmap.incomplete"),
                    ])
                    .write_inner_content(|w| {
                        w.create_element("error")
                            .with_attributes([
                                ("message", "not analysed: the scan is partial"),
                                ("type", "incomplete"),
                            ])
                            .write_empty()?;
                        Ok::<(), std::io::Error>(())
                    })?;
            }
            Ok::<(), std::io::Error>(())
        })?;
    Ok(())
}

/// XML 1.0 cannot hold most control characters even escaped: they become U+FFFD. (`<`, `&`
/// and quotes are escaped by the writer.)
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}
