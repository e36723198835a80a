//! Here-documents parse-dockerfile 0.1.9 does not read: `RUN cat <<EOF > f` (not first on the
//! line) and every here-document after the first. Its parser then reads their bodies as
//! instructions and fails, which would hide the whole file.
//!
//! When a parse fails we blank those bodies out (spaces, newlines kept, so every offset stays
//! valid), parse again, and hand the bodies back to be attached to their `RUN`.

use std::ops::Range;

/// The text with unsupported here-document bodies blanked, and where those bodies were.
pub(crate) struct Masked {
    pub(crate) text: String,
    /// (offset of the `RUN` keyword, body without its terminator line).
    pub(crate) bodies: Vec<(usize, Range<usize>)>,
}

/// `None` when there is nothing to blank out.
pub(crate) fn mask_unsupported(text: &str) -> Option<Masked> {
    let mut bytes = text.as_bytes().to_vec();
    let mut bodies = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        let mut next = (line_end + 1).min(text.len()).max(line_end);
        if let Some((run_at, args)) = run_args(line) {
            let markers = markers(args);
            // The parser reads one here-document, and only when the arguments start with it.
            let skip = usize::from(args.starts_with("<<"));
            for (i, (delim, strip_tabs)) in markers.iter().enumerate() {
                let body_start = next;
                let (body_end, after) = body(text, body_start, delim, *strip_tabs);
                if i >= skip {
                    for b in &mut bytes[body_start..after] {
                        if *b != b'\n' && *b != b'\r' {
                            *b = b' ';
                        }
                    }
                    bodies.push((pos + run_at, body_start..body_end));
                }
                next = after;
            }
        }
        if next <= pos {
            break;
        }
        pos = next;
    }
    if bodies.is_empty() {
        return None;
    }
    // Bodies are whole lines and every byte of them became a space: still UTF-8.
    String::from_utf8(bytes)
        .ok()
        .map(|text| Masked { text, bodies })
}

/// For a `RUN` line: the keyword's offset in the line and the arguments after `--flags`.
fn run_args(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let keyword = rest.get(..3)?;
    if !keyword.eq_ignore_ascii_case("RUN") || !rest[3..].starts_with([' ', '\t']) {
        return None;
    }
    let mut args = rest[3..].trim_start();
    while args.starts_with("--") {
        let end = args.find([' ', '\t']).unwrap_or(args.len());
        args = args[end..].trim_start();
    }
    Some((indent, args))
}

/// `<<EOF`, `<<-EOF`, `<<'EOF'`, `<<"EOF"` markers in order: (delimiter, strip tabs).
fn markers(args: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        if rest.starts_with('<') {
            rest = &rest[1..];
            continue;
        }
        let strip_tabs = rest.starts_with('-');
        if strip_tabs {
            rest = &rest[1..];
        }
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        if let Some(q) = quote {
            rest = &rest[1..];
            let end = rest.find(q).unwrap_or(rest.len());
            out.push((rest[..end].to_string(), strip_tabs));
            rest = &rest[end..];
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(rest.len());
        if end > 0 {
            out.push((rest[..end].to_string(), strip_tabs));
        }
        rest = &rest[end..];
    }
    out
}

/// From `start`, the end of the body and the offset after its terminator line.
fn body(text: &str, start: usize, delim: &str, strip_tabs: bool) -> (usize, usize) {
    let mut pos = start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let mut line = text[pos..end].trim_end_matches('\r');
        if strip_tabs {
            line = line.trim_start_matches('\t');
        }
        let after = (end + 1).min(text.len());
        if line == delim {
            return (pos, after);
        }
        pos = after;
    }
    (text.len(), text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_bodies_the_parser_cannot_read() {
        let text =
            "FROM a\nRUN cat <<EOF > /etc/x\nline\nEOF\nRUN <<A <<-'B'\none\nA\n\ttwo\n\tB\n";
        let m = mask_unsupported(text).unwrap();
        assert_eq!(m.text.len(), text.len());
        assert_eq!(m.bodies.len(), 2);
        assert_eq!(&text[m.bodies[0].1.clone()], "line\n");
        assert_eq!(&text[m.bodies[1].1.clone()], "\ttwo\n");
        assert_eq!(&text[m.bodies[0].0..m.bodies[0].0 + 3], "RUN");
        assert!(m.text.contains("RUN <<A <<-'B'\none\nA\n"));
        assert!(!m.text.contains("line") && !m.text.contains("two"));
        assert!(mask_unsupported("FROM a\nRUN <<EOF\nx\nEOF\n").is_none());
    }
}
