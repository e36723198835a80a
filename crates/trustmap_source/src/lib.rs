//! Source files and byte spans.
//!
//! Every parsed node, model value and finding points back into a [`SourceFile`] through a
//! [`Span`]. Line and column numbers are computed lazily from a line index so parsers only
//! carry byte offsets. This crate never reads the filesystem: callers hand it text.

use std::sync::Arc;

pub mod located;

/// Index of a file in the scan's [`SourceMap`]; assigned in discovery order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file. Serialises as `{file, start, end}`, or as
/// `{path, start_line, end_line}` inside [`located::with_locations`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Self {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end.max(start)).unwrap_or(u32::MAX),
        }
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How a value travelled to where it is used: each hop is one indirection
/// (a variable, a local, a module input, a template), nearest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub struct Via {
    pub kind: ViaKind,
    /// Where the hop is written (e.g. the `variable "x"` block or the module call's argument).
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub enum ViaKind {
    /// A Terraform input variable, with where its value came from.
    Variable { name: String },
    /// A Terraform local value.
    Local { name: String },
    /// A module call that passed the value into a module instance.
    ModuleCall { name: String },
    /// A YAML alias or merge key that copied the value from an anchor.
    Alias,
    /// A Helm chart value (`.Values.<path>`) printed by a template; the span is the key's
    /// value in `values.yaml` (or a `--values` file).
    HelmValue { path: String },
    /// Anything else worth showing (free text).
    Other { note: String },
}

impl Via {
    /// Short human description, used in notes and JSON.
    pub fn describe(&self) -> String {
        match &self.kind {
            ViaKind::Variable { name } => format!("variable `{name}`"),
            ViaKind::Local { name } => format!("local `{name}`"),
            ViaKind::ModuleCall { name } => format!("module call `{name}`"),
            ViaKind::Alias => "YAML alias".to_string(),
            ViaKind::HelmValue { path } => format!("Helm value `.Values.{path}`"),
            ViaKind::Other { note } => note.clone(),
        }
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// One file's text plus a line index.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path relative to the scanned root, `/`-separated.
    pub path: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(id: FileId, path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self {
            id,
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// A span over `start..end` of this file.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, start, end)
    }

    /// The whole file.
    pub fn full_span(&self) -> Span {
        Span::new(self.id, 0, self.text.len())
    }

    pub fn line_count(&self) -> u32 {
        u32::try_from(self.line_starts.len()).unwrap_or(u32::MAX)
    }

    /// 1-based line and character column of a byte offset (clamped to the file).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx] as usize;
        let mut end = offset as usize;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count();
        LineCol {
            line: u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            col: u32::try_from(col + 1).unwrap_or(u32::MAX),
        }
    }

    /// 1-based start and end line of a span; an end exactly at a line start counts
    /// as the previous line, so a span ending in `\n` does not spill over.
    pub fn lines_of(&self, span: Span) -> (u32, u32) {
        let start = self.line_col(span.start).line;
        let end_off = if span.end > span.start {
            span.end - 1
        } else {
            span.end
        };
        let end = self.line_col(end_off).line.max(start);
        (start, end)
    }

    /// Byte range of a 1-based line, without its line terminator.
    pub fn line_range(&self, line: u32) -> Option<std::ops::Range<usize>> {
        let idx = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(idx)? as usize;
        let mut end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |e| *e as usize);
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Some(start..end)
    }

    /// Text of a 1-based line, without its terminator.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        self.line_range(line).map(|r| &self.text[r])
    }

    /// Text covered by a span (empty if out of range or not on char boundaries).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }
}

/// All files of one scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; its id must equal the current length (ids are dense).
    pub fn push(&mut self, file: Arc<SourceFile>) {
        debug_assert_eq!(file.id.0 as usize, self.files.len());
        self.files.push(file);
    }

    /// Next id to hand out.
    pub fn next_id(&self) -> FileId {
        FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX))
    }

    pub fn get(&self, id: FileId) -> Option<&Arc<SourceFile>> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> &[Arc<SourceFile>] {
        &self.files
    }

    pub fn by_path(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.files.iter().find(|f| f.path == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_chars() {
        let f = SourceFile::new(FileId(0), "a.tf", "ab\néx = 1\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, col: 1 });
        // 'é' is two bytes; 'x' is the second character of line 2.
        assert_eq!(f.line_col(5), LineCol { line: 2, col: 2 });
        assert_eq!(f.line_text(2), Some("éx = 1"));
        assert_eq!(f.line_text(3), Some(""));
        assert_eq!(f.line_text(4), None);
    }

    #[test]
    fn span_ending_at_newline_stays_on_its_line() {
        let f = SourceFile::new(FileId(0), "a", "one\ntwo\n");
        assert_eq!(f.lines_of(f.span(0, 4)), (1, 1));
        assert_eq!(f.lines_of(f.span(0, 5)), (1, 2));
        assert_eq!(f.lines_of(f.span(4, 4)), (2, 2));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let f = SourceFile::new(FileId(0), "a", "x\r\ny");
        assert_eq!(f.line_col(99).line, 2);
        assert_eq!(f.line_text(1), Some("x"));
    }
}

/// A problem with an input that is not a finding: a file that does not parse, a value that
/// cannot be evaluated, a file skipped as binary or too large. The scan goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case code: `parse-error`, `io-error`, `binary-file`, `file-too-large`,
    /// `evaluation`, `unsupported`, `internal-error`.
    pub code: &'static str,
    pub message: String,
    /// Path relative to the scanned root, when the problem belongs to a file.
    pub path: Option<String>,
    /// Exact location, when known.
    pub span: Option<Span>,
}

impl Diagnostic {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            path: None,
            span: None,
        }
    }

    #[must_use]
    pub fn in_file(mut self, file: &SourceFile) -> Self {
        self.path = Some(file.path.clone());
        self
    }

    #[must_use]
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    #[must_use]
    pub fn at(mut self, file: &SourceFile, span: Span) -> Self {
        self.path = Some(file.path.clone());
        self.span = Some(span);
        self
    }
}
