//! Multi-document YAML into spanned [`Node`] trees, on granit-parser's event stream.
//!
//! An event parser stops at its first error, but one broken manifest in a stream must not
//! hide the others: after an error we drop the document it was in and start a fresh parser
//! at the next `---` line. Column-0 `---` is always a document marker in YAML, so the
//! restart point is reliable. Everything else (tags, aliases, merge keys, budgets) is done
//! by the `builder` module.

mod builder;
mod scalar;

use granit_parser::{ErrorKind, Parser};
use trustmap_source::{Diagnostic, SourceFile};

use crate::codes;
use crate::node::Node;
use builder::{Builder, Limits};

/// Nodes per file, counting alias and merge copies: bounds memory against billion laughs.
pub const MAX_NODES: usize = 1_000_000;
/// Nesting depth per value: consumers walk trees recursively.
pub const MAX_DEPTH: usize = 256;

/// The documents of a YAML stream that parsed, and what went wrong with the others.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Documents in file order; empty documents (`---` alone) are left out.
    pub docs: Vec<Node>,
    /// `parse-error`, `duplicate-key` and `yaml-budget` diagnostics, each with path and span.
    pub diagnostics: Vec<Diagnostic>,
}

/// Multi-document YAML. Never panics. One bad document yields a `parse-error` diagnostic
/// (path + span of the error location) and parsing resumes at the next document (`---`).
pub fn parse(file: &SourceFile) -> Parsed {
    parse_with_limits(
        file,
        Limits {
            max_nodes: MAX_NODES,
            max_depth: MAX_DEPTH,
        },
    )
}

fn parse_with_limits(file: &SourceFile, limits: Limits) -> Parsed {
    let text: &str = &file.text;
    let mut out = Parsed::default();
    let mut committed = 0usize;
    let mut segment = 0usize;
    let mut last_error = None;
    loop {
        let failed_doc_start = parse_segment(
            file,
            segment,
            limits,
            &mut committed,
            &mut last_error,
            &mut out,
        );
        let Some(doc_start) = failed_doc_start else {
            break;
        };
        // Strictly after the failed document's start, so every round makes progress.
        match next_document_marker(text, doc_start) {
            Some(next) => segment = next,
            None => break,
        }
    }
    out
}

/// Parses `file.text[segment..]`; on a syntax error returns where the broken document began.
fn parse_segment(
    file: &SourceFile,
    segment: usize,
    limits: Limits,
    committed: &mut usize,
    last_error: &mut Option<usize>,
    out: &mut Parsed,
) -> Option<usize> {
    let text = file.text.get(segment..).unwrap_or("");
    let options = granit_parser::options! {
        // An unknown anchor becomes a null plus a diagnostic instead of ending the stream.
        emit_unresolved_aliases: true,
        emit_comments: false,
        // A block scalar on the file's last line without a line break gets none added, as in
        // libyaml and go-yaml (what Kubernetes, Ansible and GitHub read the file with).
        block_scalar_eof_without_line_feed: true,
    };
    let mut builder = Builder::new(file, segment, limits, committed);
    let mut failed = None;
    for item in Parser::new_from_str_with_options(text, options) {
        match item {
            Ok((event, span)) => builder.on_event(event, span),
            Err(err) => {
                let at = segment + err.marker().byte_offset().unwrap_or(0);
                let at = at.min(file.text.len());
                let end = file
                    .text
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(at, |c| at + c.len_utf8());
                let message = match err.info() {
                    info if info.is_empty() => "invalid YAML".to_string(),
                    info => info,
                };
                // granit's own nesting guard is a budget like ours, not a typo in the file.
                let diagnostic = if matches!(err.kind(), ErrorKind::RecursionLimitExceeded) {
                    Diagnostic::new(
                        codes::YAML_BUDGET,
                        format!("YAML nests too deep ({message}); document skipped"),
                    )
                } else {
                    Diagnostic::new(codes::PARSE_ERROR, format!("YAML syntax error: {message}"))
                };
                // A restart can land on the broken document again; report its error once.
                if *last_error != Some(at) {
                    builder
                        .diagnostics
                        .push(diagnostic.at(file, file.span(at, end)));
                }
                *last_error = Some(at);
                failed = Some(builder.doc_start);
                break;
            }
        }
    }
    out.docs.append(&mut builder.docs);
    out.diagnostics.append(&mut builder.diagnostics);
    failed
}

/// The offset of the first line after `after` that is a `---` document marker.
fn next_document_marker(text: &str, after: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = after;
    loop {
        let newline = bytes.get(pos..)?.iter().position(|&b| b == b'\n')?;
        let line = pos + newline + 1;
        let rest = &bytes[line..];
        if rest.starts_with(b"---")
            && matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            return Some(line);
        }
        pos = line;
    }
}

#[cfg(test)]
mod tests;
