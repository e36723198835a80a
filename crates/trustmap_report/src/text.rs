//! The default terminal output: a code frame per finding, grouped by file, then the input
//! errors, a summary line and the capability scorecard.
//!
//! Frames are drawn by annotate-snippets. Everything taken from the scanned repository is
//! passed through [`clean`] first, so a hostile file cannot move the cursor, recolour the
//! terminal or reorder text with bidi controls.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};
use trustmap_engine::{Location, Report, ReportedFinding};
use trustmap_rules::Severity;
use trustmap_source::{Diagnostic, FileId, SourceMap};

/// Secret byte ranges per file, masked in every frame (see `Report::redactions`).
type Redactions = std::collections::HashMap<FileId, Vec<(u32, u32)>>;

use crate::doc;

mod paths;

/// How to render.
#[derive(Clone, Debug)]
pub struct TextOptions {
    /// ANSI colours (the caller decides from the terminal, `NO_COLOR` and `--color`).
    pub color: bool,
    /// Also list findings accepted by an inline suppression, with their reason.
    pub show_suppressed: bool,
    /// Maximum line width; long source lines are cut, prose is wrapped.
    pub width: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        Self {
            color: false,
            show_suppressed: false,
            width: 100,
        }
    }
}

/// Narrowest width we lay out for.
const MIN_WIDTH: usize = 60;
/// Related locations this close (in lines) to another annotation share its frame.
const MERGE_LINES: u32 = 4;

/// The "Attack paths" section alone, as `render` shows it (empty when there is no path):
/// for `trustmap paths`.
pub fn attack_paths(report: &Report, opts: &TextOptions) -> String {
    paths::section(report, opts.width.max(MIN_WIDTH), Paint { on: opts.color })
}

/// Renders the report for a terminal (ending in a newline).
pub fn render(report: &Report, opts: &TextOptions) -> String {
    let width = opts.width.max(MIN_WIDTH);
    let p = Paint { on: opts.color };
    let renderer = if opts.color {
        Renderer::styled().decor_style(DecorStyle::Unicode)
    } else {
        Renderer::plain()
    }
    .term_width(width);

    let redactions = report.redactions();
    let mut out = String::new();
    let shown: Vec<&ReportedFinding> = report
        .findings
        .iter()
        .filter(|f| opts.show_suppressed || f.suppressed.is_none())
        .collect();
    let mut by_file: BTreeMap<&str, Vec<&ReportedFinding>> = BTreeMap::new();
    for f in shown {
        by_file.entry(&f.location.path).or_default().push(f);
    }
    for (path, findings) in &by_file {
        let silenced = findings.iter().filter(|f| f.suppressed.is_some()).count();
        let mut header = format!(
            "{} ({}",
            clean(path),
            plural(findings.len(), "finding", "findings")
        );
        if silenced > 0 {
            let _ = write!(header, ", {silenced} suppressed");
        }
        header.push(')');
        let header = p.paint(
            Style::new().effects(Effects::BOLD | Effects::UNDERLINE),
            &header,
        );
        let _ = writeln!(out, "{}\n", fit(&header, width));
        for f in findings {
            let mut frame = renderer.render(&finding_report(
                &report.sources,
                &redactions,
                f,
                width,
                true,
            ));
            if frame.lines().any(|l| visible_len(l) > width) {
                frame = renderer.render(&finding_report(
                    &report.sources,
                    &redactions,
                    f,
                    width,
                    false,
                ));
            }
            out.push_str(&fit(&frame, width));
            out.push_str("\n\n");
        }
    }

    if !report.incomplete.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            p.paint(
                Style::new().effects(Effects::BOLD | Effects::UNDERLINE),
                "Incomplete scan: these parts were not analysed"
            )
        );
        for line in &report.incomplete {
            let _ = writeln!(out, "{}", fit(&format!("  - {line}"), width));
        }
        out.push('\n');
    }

    if !report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            p.paint(
                Style::new().effects(Effects::BOLD | Effects::UNDERLINE),
                &format!(
                    "Errors ({}; the scan went on)",
                    plural(report.diagnostics.len(), "input problem", "input problems")
                )
            )
        );
        for (d, loc) in &report.diagnostics {
            let frame = renderer.render(&diagnostic_report(
                &report.sources,
                &redactions,
                d,
                loc.as_ref(),
            ));
            out.push_str(&fit(&frame, width));
            out.push_str("\n\n");
        }
    }

    out.push_str(&paths::section(report, width, p));
    out.push_str(&crate::pod_security::text(report, width, opts.color));
    out.push_str(&crate::comparison::text(report));
    out.push_str(&summary(report, width, opts.show_suppressed, p));
    out.push('\n');
    out.push_str(&scorecard(report, width, p));
    out
}

/// One finding as an annotate-snippets report. With `inline_labels`, the rule name and the
/// related notes label their spans; without (when a label would overflow the width), they
/// become `= rule:` and `= related:` lines instead.
fn finding_report<'a>(
    sources: &'a SourceMap,
    redactions: &Redactions,
    f: &'a ReportedFinding,
    width: usize,
    inline_labels: bool,
) -> Vec<Group<'a>> {
    let meta = f.rule();
    let severity = f.finding.severity;
    let head = format!("{}[{}]: ", severity.as_str(), meta.id).len();
    let message = wrap(
        &clean(&f.finding.message),
        width.saturating_sub(head).max(20),
    )
    .join("\n");
    let title = level(severity).primary_title(message).id(meta.id);
    let rule_label = format!("{} (capability: {})", meta.name, meta.capability.as_str());
    let mut marks = vec![Mark {
        loc: &f.location,
        primary: true,
        label: if inline_labels {
            rule_label.clone()
        } else {
            String::new()
        },
    }];
    let mut notes: Vec<(&'static str, String)> = Vec::new();
    if !inline_labels {
        notes.push(("rule", rule_label));
    }
    for (loc, note) in &f.related {
        let note = clean(note).into_owned();
        if inline_labels {
            marks.push(Mark {
                loc,
                primary: false,
                label: note,
            });
        } else {
            marks.push(Mark {
                loc,
                primary: false,
                label: String::new(),
            });
            notes.push((
                "related",
                format!("{}:{}: {note}", clean(&loc.path), loc.start_line),
            ));
        }
    }

    let mut group = Group::with_title(title);
    // Compact mode also gives every span its own frame: a frame that must show both a
    // far-left and a far-right span cannot be cut to the width.
    let merge = if inline_labels { MERGE_LINES } else { 0 };
    for frame in frames(&marks, merge) {
        match frame_snippet(sources, redactions, &frame) {
            Some(snippet) => group = group.element(snippet),
            None => {
                // No text for this file (e.g. a var file outside the tree): point at it.
                for m in &frame.marks {
                    group = group.element(
                        Origin::path(clean(&m.loc.path).into_owned())
                            .line(m.loc.start_line as usize)
                            .char_column(m.loc.start_col as usize),
                    );
                    if !m.primary && !m.label.is_empty() {
                        let at = format!("{}:{}", clean(&m.loc.path), m.loc.start_line);
                        notes.push(("related", format!("{at}: {}", m.label)));
                    }
                }
            }
        }
    }
    if let Some(s) = &f.suppressed {
        let described = crate::suppression::describe(s);
        notes.push(("suppressed", clean(&described).into_owned()));
    }
    if let Some(c) = &f.commit {
        notes.push((
            "commit",
            clean(&format!(
                "{} by {} <{}> on {}",
                &c.id[..c.id.len().min(12)],
                c.author,
                c.email,
                c.date
            ))
            .into_owned(),
        ));
    }
    notes.push(("resource", clean(&f.finding.resource).into_owned()));
    if let Some(why) = doc::why_short(meta) {
        notes.push(("why", why));
    }
    if let Some(fix) = doc::fix_short(meta) {
        notes.push(("fix", fix));
    }
    // Room left for prose after the `  = name: ` prefix.
    let gutter = digits(max_line(&marks)) + 1;
    for (name, text) in notes {
        // annotate-snippets indents continuation lines under the text itself.
        let prefix = gutter + 3 + name.len() + 2;
        let wrapped = wrap(&text, width.saturating_sub(prefix).max(20)).join("\n");
        group = group.element(Level::NOTE.with_name(name).message(wrapped));
    }
    vec![group]
}

fn diagnostic_report<'a>(
    sources: &'a SourceMap,
    redactions: &Redactions,
    d: &'a Diagnostic,
    loc: Option<&'a Location>,
) -> Vec<Group<'a>> {
    let lvl = match d.code {
        "parse-error" | "io-error" | "internal-error" => Level::ERROR,
        "binary-file" | "file-too-large" => Level::NOTE,
        _ => Level::WARNING,
    };
    let title = lvl.primary_title(clean(&d.message).into_owned()).id(d.code);
    let mut group = Group::with_title(title);
    if let Some(loc) = loc {
        let marks = [Mark {
            loc,
            primary: true,
            label: String::new(),
        }];
        let frame = Frame {
            path: &loc.path,
            start: loc.start_line,
            end: loc.end_line,
            marks: marks.iter().collect(),
        };
        group = match frame_snippet(sources, redactions, &frame) {
            Some(s) => group.element(s),
            None => group.element(
                Origin::path(clean(&loc.path).into_owned())
                    .line(loc.start_line as usize)
                    .char_column(loc.start_col as usize),
            ),
        };
    } else if let Some(path) = &d.path {
        group = group.element(Origin::path(clean(path).into_owned()));
    }
    vec![group]
}

/// One annotation to draw.
struct Mark<'a> {
    loc: &'a Location,
    primary: bool,
    label: String,
}

/// Annotations of one file close enough to share a code frame.
struct Frame<'m, 'a> {
    path: &'a str,
    start: u32,
    end: u32,
    marks: Vec<&'m Mark<'a>>,
}

fn frames<'m, 'a>(marks: &'m [Mark<'a>], merge: u32) -> Vec<Frame<'m, 'a>> {
    let mut frames: Vec<Frame<'m, 'a>> = Vec::new();
    for m in marks {
        let (s, e) = (m.loc.start_line, m.loc.end_line.max(m.loc.start_line));
        let near = frames.iter_mut().find(|f| {
            merge > 0
                && f.path == m.loc.path
                && s <= f.end.saturating_add(merge)
                && e.saturating_add(merge) >= f.start
        });
        match near {
            Some(f) => {
                f.start = f.start.min(s);
                f.end = f.end.max(e);
                f.marks.push(m);
            }
            None => frames.push(Frame {
                path: &m.loc.path,
                start: s,
                end: e,
                marks: vec![m],
            }),
        }
    }
    frames
}

fn frame_snippet<'a>(
    sources: &'a SourceMap,
    redactions: &Redactions,
    frame: &Frame<'_, '_>,
) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let first = frame.marks.first()?;
    let file = sources
        .get(first.loc.span.file)
        .filter(|f| f.path == frame.path)?;
    let lo = file.line_range(frame.start)?.start;
    let hi = file.line_range(frame.end)?.end;
    let text: Cow<'a, str> = match redactions.get(&file.id) {
        Some(ranges) => Cow::Owned(trustmap_engine::report::mask(
            file.text.get(lo..hi)?,
            lo,
            ranges,
        )),
        None => Cow::Borrowed(file.text.get(lo..hi)?),
    };
    let boundaries = text.clone();
    let mut snippet = Snippet::source(text)
        .line_start(frame.start as usize)
        .path(clean(frame.path).into_owned())
        .fold(true);
    for m in &frame.marks {
        let clamp = |off: u32| {
            let mut o = (off as usize).clamp(lo, hi) - lo;
            while o > 0 && !boundaries.is_char_boundary(o) {
                o -= 1;
            }
            o
        };
        let (s, e) = (clamp(m.loc.span.start), clamp(m.loc.span.end));
        let kind = if m.primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut ann = kind.span(s..e.max(s));
        if !m.label.is_empty() {
            ann = ann.label(m.label.clone());
        }
        snippet = snippet.annotation(ann);
    }
    Some(snippet)
}

fn max_line(marks: &[Mark<'_>]) -> u32 {
    marks
        .iter()
        .map(|m| m.loc.end_line.max(m.loc.start_line))
        .max()
        .unwrap_or(1)
}

fn digits(n: u32) -> usize {
    n.max(1).ilog10() as usize + 1
}

fn level(s: Severity) -> Level<'static> {
    let base = match s {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low => Level::INFO,
        Severity::Info => Level::NOTE,
    };
    base.with_name(s.as_str())
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical | Severity::High => {
            AnsiColor::BrightRed.on_default().effects(Effects::BOLD)
        }
        Severity::Medium => AnsiColor::BrightYellow.on_default().effects(Effects::BOLD),
        Severity::Low => AnsiColor::BrightBlue.on_default().effects(Effects::BOLD),
        Severity::Info => AnsiColor::BrightGreen.on_default().effects(Effects::BOLD),
    }
}

fn summary(report: &Report, width: usize, show_suppressed: bool, p: Paint) -> String {
    let active: Vec<&ReportedFinding> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .collect();
    let suppressed = report.findings.len() - active.len();
    let mut parts = Vec::new();
    if active.is_empty() {
        parts.push(p.paint(Style::new().effects(Effects::BOLD), "no findings"));
    } else {
        let by_sev: Vec<String> = Severity::ALL
            .into_iter()
            .filter_map(|s| {
                let n = active.iter().filter(|f| f.finding.severity == s).count();
                (n > 0).then(|| p.paint(severity_style(s), &format!("{n} {}", s.as_str())))
            })
            .collect();
        parts.push(format!(
            "{}: {}",
            p.paint(
                Style::new().effects(Effects::BOLD),
                &plural(active.len(), "finding", "findings")
            ),
            by_sev.join(", ")
        ));
    }
    if suppressed > 0 {
        let hidden = if show_suppressed { "" } else { " (not shown)" };
        parts.push(format!("{suppressed} suppressed{hidden}"));
    }
    if let Some(refusal) = crate::suppression::refusal_sentence(report) {
        parts.push(refusal);
    }
    let s = &report.stats;
    let mut files = format!("{} scanned", plural(s.files_scanned, "file", "files"));
    if s.files_skipped > 0 {
        let _ = write!(files, ", {} skipped", s.files_skipped);
    }
    parts.push(files);
    if s.commits_scanned > 0 {
        parts.push(format!(
            "{} and {} of git history",
            plural(s.commits_scanned, "commit", "commits"),
            plural(s.blobs_scanned, "blob", "blobs")
        ));
    }
    if !report.diagnostics.is_empty() {
        parts.push(plural(
            report.diagnostics.len(),
            "input problem",
            "input problems",
        ));
    }
    if !report.incomplete.is_empty() {
        parts.push(format!(
            "INCOMPLETE: {} not analysed",
            plural(report.incomplete.len(), "part", "parts")
        ));
    }
    if s.unknown_values > 0 {
        parts.push(format!(
            "{} (results may be incomplete)",
            plural(s.unknown_values, "unknown value", "unknown values")
        ));
    }
    let mut out = String::new();
    let mut line = String::new();
    let mut line_len = 0;
    for (i, part) in parts.iter().enumerate() {
        let sep = if i + 1 < parts.len() { "; " } else { "" };
        let len = visible_len(part) + sep.len();
        if line_len > 0 && line_len + len > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line.clear();
            line_len = 0;
        }
        line.push_str(part);
        line.push_str(sep);
        line_len += len;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    if !active.is_empty() {
        for l in wrap(
            "Run `trustmap rules show RULE-ID` for why a rule matters and how to fix it.",
            width,
        ) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

fn scorecard(report: &Report, width: usize, p: Paint) -> String {
    let caps = &report.scorecard.capabilities;
    let use_titles = width >= 92;
    let name_of = |c: &trustmap_engine::scorecard::CapabilityScore| {
        if use_titles {
            c.title.to_string()
        } else {
            c.capability.as_str().to_string()
        }
    };
    let w1 = caps
        .iter()
        .map(|c| name_of(c).chars().count())
        .chain(std::iter::once("capability".len()))
        .max()
        .unwrap_or(10);
    let bold = Style::new().effects(Effects::BOLD);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.paint(
            bold.effects(Effects::BOLD | Effects::UNDERLINE),
            "Capability scorecard"
        )
    );
    // Below 70 columns the headers shrink (and a legend explains them).
    let narrow = width < 70;
    let (h_failed, h_supp, h_unknown) = if narrow {
        ("c/h/m/l/i", "supp.", "unkn.")
    } else {
        ("failed c/h/m/l/i", "suppressed", "unknown")
    };
    let (w_failed, w_supp, w_unknown) = (h_failed.len(), h_supp.len(), h_unknown.len());
    let header = format!(
        "  {:<w1$}  {:>7}  {:>6}  {:<w_failed$}  {:>w_supp$}  {:>w_unknown$}",
        "capability", "score", "checks", h_failed, h_supp, h_unknown
    );
    let _ = writeln!(out, "{}", p.paint(bold, header.trim_end()));
    for c in caps {
        let score = c
            .score
            .map_or_else(|| "—".to_string(), |s| format!("{s}/100"));
        let score_style = match c.score {
            Some(s) if s >= 90 => AnsiColor::BrightGreen.on_default().effects(Effects::BOLD),
            Some(s) if s >= 70 => AnsiColor::BrightYellow.on_default().effects(Effects::BOLD),
            Some(_) => AnsiColor::BrightRed.on_default().effects(Effects::BOLD),
            None => Style::new().effects(Effects::DIMMED),
        };
        let f = &c.failed;
        let failed = format!(
            "{}/{}/{}/{}/{}",
            f.critical, f.high, f.medium, f.low, f.info
        );
        let _ = writeln!(
            out,
            "  {:<w1$}  {}  {:>6}  {:<w_failed$}  {:>w_supp$}  {:>w_unknown$}",
            name_of(c),
            p.paint(score_style, &format!("{score:>7}")),
            c.checks,
            failed,
            c.suppressed,
            c.unknown
        );
    }
    let mut note = String::from(
        "score = 100 × passed weight / all weight, with weights critical 10, high 5, \
         medium 2, low and info 1; suppressed and unknown checks are left out; each \
         attack path is a failed design check of its severity.",
    );
    if narrow {
        note.push_str(" c/h/m/l/i: failed checks by severity; supp.: suppressed; unkn.: unknown.");
    }
    for l in wrap(&note, width.saturating_sub(2)) {
        let _ = writeln!(
            out,
            "  {}",
            p.paint(Style::new().effects(Effects::DIMMED), &l)
        );
    }
    out
}

/// Colours on or off.
#[derive(Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn paint(self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

/// Cuts every line of `frame` that is still wider than `width` (a single span wider than the
/// terminal), keeping escape sequences and ending in `...`.
fn fit(frame: &str, width: usize) -> String {
    let mut out = String::with_capacity(frame.len());
    for (i, line) in frame.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if visible_len(line) <= width {
            out.push_str(line);
            continue;
        }
        let keep = width.saturating_sub(3);
        let mut n = 0;
        let mut in_esc = false;
        let mut styled = false;
        for c in line.chars() {
            match (in_esc, c) {
                (false, '\u{1b}') => {
                    in_esc = true;
                    styled = true;
                    out.push(c);
                }
                (true, _) => {
                    in_esc = c != 'm';
                    out.push(c);
                }
                (false, _) if n < keep => {
                    n += 1;
                    out.push(c);
                }
                (false, _) => {}
            }
        }
        out.push_str("...");
        if styled {
            out.push_str("\u{1b}[0m");
        }
    }
    out
}

/// Length of `s` on screen: characters outside ANSI escape sequences.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_esc = false;
    for c in s.chars() {
        match (in_esc, c) {
            (false, '\u{1b}') => in_esc = true,
            (true, 'm') => in_esc = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Greedy word wrap to `width` characters; a word longer than the width gets a line of its own.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let wlen = word.chars().count();
        if len > 0 && len + 1 + wlen > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wlen;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Makes untrusted text safe for a terminal: line breaks and tabs become spaces, other
/// control characters and bidi overrides become U+FFFD.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    fn bad(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c if bad(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("averylongword b", 4), ["averylongword", "b"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn clean_neutralises_escapes_and_bidi() {
        assert_eq!(clean("a\u{1b}[31mb\nc"), "a\u{fffd}[31mb c");
        assert_eq!(clean("x\u{202e}y"), "x\u{fffd}y");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn visible_len_skips_ansi() {
        assert_eq!(visible_len("\u{1b}[1mab\u{1b}[0m"), 2);
    }
}
