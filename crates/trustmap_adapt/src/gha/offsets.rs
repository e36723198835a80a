//! Maps byte offsets inside a YAML scalar's value back to the file.
//!
//! The parser gives each scalar the span of its text as written. For a plain one-line or
//! quoted scalar without escapes the value *is* that text; for a literal block (`|`) each
//! value line is a source line minus its indentation. Those two cases map exactly. Folded
//! and escaped scalars do not, and callers fall back (see [`OffsetMap::new`]).

use trustmap_source::{SourceFile, Span};

/// Runs of the value that appear verbatim in the file: (value offset, file offset, length).
#[derive(Debug)]
pub(crate) struct OffsetMap {
    segments: Vec<(usize, usize, usize)>,
}

impl OffsetMap {
    /// `None` when the value is not its source text, quoted or line by line.
    pub(crate) fn new(value: &str, file: &SourceFile, span: Span) -> Option<Self> {
        let src = file.slice(span);
        let at = span.start as usize;
        if src == value {
            return Some(Self::one(at, value.len()));
        }
        let quoted = src.len() >= 2
            && ((src.starts_with('"') && src.ends_with('"'))
                || (src.starts_with('\'') && src.ends_with('\'')));
        if quoted && &src[1..src.len() - 1] == value {
            return Some(Self::one(at + 1, value.len()));
        }
        Self::line_by_line(value, src, at)
    }

    fn one(at: usize, len: usize) -> Self {
        Self {
            segments: vec![(0, at, len)],
        }
    }

    /// A literal block: value line `i` is source line `i` without its indentation.
    fn line_by_line(value: &str, src: &str, at: usize) -> Option<Self> {
        if !value.contains('\n') {
            return None;
        }
        let mut src_lines = Vec::new();
        let mut off = 0;
        for line in src.split('\n') {
            src_lines.push((off, line.strip_suffix('\r').unwrap_or(line)));
            off += line.len() + 1;
        }
        let mut segments = Vec::new();
        let mut v_off = 0;
        for (i, line) in value.split('\n').enumerate() {
            match src_lines.get(i) {
                Some(&(s_off, s_line)) if !line.is_empty() => {
                    let indent = s_line.len().checked_sub(line.len())?;
                    let (pad, rest) = s_line.split_at(indent);
                    if rest != line || !pad.bytes().all(|b| b == b' ' || b == b'\t') {
                        return None;
                    }
                    segments.push((v_off, at + s_off + indent, line.len()));
                }
                Some(&(_, s_line)) if s_line.trim().is_empty() => {}
                None if line.is_empty() => {}
                _ => return None,
            }
            v_off += line.len() + 1;
        }
        Some(Self { segments })
    }

    /// The file span of `start..end` of the value (both ends must map).
    pub(crate) fn span(&self, file: &SourceFile, start: usize, end: usize) -> Option<Span> {
        let from = self.offset(start)?;
        let to = if end > start {
            self.offset(end - 1)? + 1
        } else {
            from
        };
        Some(file.span(from, to))
    }

    fn offset(&self, value_offset: usize) -> Option<usize> {
        self.segments
            .iter()
            .find(|(v, _, len)| *v <= value_offset && value_offset < v + len)
            .map(|(v, s, _)| s + (value_offset - v))
    }
}
