//! Reading a rule's doc comment: its markdown, its sections and short excerpts of them.
//!
//! A `///` doc comment reaches [`RuleMeta::doc`] with the space after each `///` still in
//! place, so every function here works on [`markdown`], which removes that common indent the
//! way rustdoc does.

use trustmap_rules::RuleMeta;

/// The rule's doc comment as markdown: common indentation removed, trailing blanks trimmed.
pub(crate) fn markdown(meta: &RuleMeta) -> String {
    dedent(meta.doc)
}

fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line
            .get(indent..)
            .unwrap_or_else(|| line.trim_start_matches(' '));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    let mut out = trimmed.to_string();
    out.push('\n');
    out
}

/// Is this line a code fence (```` ``` ```` or `~~~`, possibly with a language)?
pub(crate) fn is_fence(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("```") || l.starts_with("~~~")
}

/// The body of the `## heading` section (without the heading line), trimmed.
/// Headings inside code blocks do not count.
pub(crate) fn section<'a>(md: &'a str, heading: &str) -> Option<&'a str> {
    let mut in_code = false;
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in md.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        if is_fence(line) {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(title) = line.trim_end().strip_prefix("## ") {
            if let Some(s) = start {
                return Some(md[s..here].trim());
            }
            if title.trim().eq_ignore_ascii_case(heading) {
                start = Some(offset);
            }
        }
    }
    start.map(|s| md[s..].trim())
}

/// The first paragraph of a section body as one line: up to a blank line or a code block.
pub(crate) fn first_paragraph(body: &str) -> String {
    let mut words = Vec::new();
    for line in body.lines() {
        if line.trim().is_empty() || is_fence(line) {
            if words.is_empty() {
                continue;
            }
            break;
        }
        words.extend(line.split_whitespace());
    }
    words.join(" ")
}

/// Splits a paragraph into sentences: a `.`, `!` or `?` followed by a space and a capital
/// letter (or a backtick) ends one.
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for (i, &(pos, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = chars.get(i + 1).map(|x| x.1);
        let after = chars.get(i + 2).map(|x| x.1);
        if next == Some(' ') && after.is_some_and(|a| a.is_uppercase() || a == '`') {
            out.push(paragraph[start..=pos].trim());
            start = pos + 1;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// One line summarising the rule: the first paragraph of `## What it finds`.
pub(crate) fn summary(meta: &RuleMeta) -> String {
    let md = markdown(meta);
    section(&md, "What it finds")
        .map(first_paragraph)
        .unwrap_or_default()
}

/// Why a finding matters, in a sentence or two from `## Why it matters`: sentences while
/// they fit in 160 characters, and always a second one after a short first one.
pub(crate) fn why_short(meta: &RuleMeta) -> Option<String> {
    let md = markdown(meta);
    let para = first_paragraph(section(&md, "Why it matters")?);
    let mut out = String::new();
    for (i, s) in sentences(&para).into_iter().enumerate() {
        let short_lead = i == 1 && out.len() < 60;
        if !out.is_empty() && out.len() + s.len() > 160 && !short_lead {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    (!out.is_empty()).then_some(out)
}

/// How to fix it: the first paragraph of `## Fix` (a trailing colon that introduces an
/// example becomes a full stop).
pub(crate) fn fix_short(meta: &RuleMeta) -> Option<String> {
    let md = markdown(meta);
    let mut para = first_paragraph(section(&md, "Fix")?);
    if para.ends_with(':') {
        para.pop();
        para.push('.');
    }
    (!para.is_empty()).then_some(para)
}

/// The text of `## What it finds` (all paragraphs), for long descriptions.
pub(crate) fn what_it_finds(meta: &RuleMeta) -> String {
    let md = markdown(meta);
    section(&md, "What it finds")
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = " ## What it finds\n A thing that is\n wrong.\n\n More.\n\n ## Why it matters\n \
        First sentence is here. Second one, e.g. this, follows. Third sentence is rather long and \
        would push the excerpt past the limit of one hundred and sixty characters total.\n\n \
        ## Example\n ```hcl\n ## not a heading\n x = 1\n ```\n\n ## Fix\n Do this instead:\n\n \
        ```hcl\n x = 2\n ```\n";

    fn meta() -> RuleMeta {
        RuleMeta {
            id: "T-1",
            name: "t",
            severity: trustmap_rules::Severity::Low,
            capability: trustmap_rules::Capability::Iac,
            languages: &[],
            equivalents: &[],
            doc: DOC,
        }
    }

    #[test]
    fn sections_ignore_headings_in_code_and_the_doc_indent() {
        let md = markdown(&meta());
        assert!(md.starts_with("## What it finds\nA thing"));
        assert_eq!(
            section(&md, "What it finds"),
            Some("A thing that is\nwrong.\n\nMore.")
        );
        assert_eq!(
            section(&md, "Example"),
            Some("```hcl\n## not a heading\nx = 1\n```")
        );
        assert_eq!(summary(&meta()), "A thing that is wrong.");
        assert_eq!(fix_short(&meta()).as_deref(), Some("Do this instead."));
        assert_eq!(
            why_short(&meta()).as_deref(),
            Some("First sentence is here. Second one, e.g. this, follows.")
        );
        assert_eq!(section(&md, "References"), None);
    }
}
