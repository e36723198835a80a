//! hcl-edit → parsed files. A file that does not parse becomes a `parse-error` diagnostic.

use std::sync::Arc;

use hcl_edit::structure::Body;
use trustmap_source::{Diagnostic, SourceFile};
use trustmap_syntax::Node;

use crate::json_text;
use crate::offsets::OffsetMap;

/// A parsed `.tf` or `.tf.json` file.
pub(crate) struct ParsedFile {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) body: Body,
    /// For a `.tf.json` file, `file` is the HCL synthesized from it and this maps its offsets
    /// back into the JSON file.
    pub(crate) offsets: Option<OffsetMap>,
}

/// A parsed variable-definitions file (`.tfvars` or `.tfvars.json`).
pub(crate) struct ParsedVars {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) content: VarsContent,
}

pub(crate) enum VarsContent {
    Hcl(Body),
    /// The JSON object, spans pointing into the file.
    Json(Node),
}

/// What kind of Terraform file a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Tf,
    TfJson,
    Tfvars,
    TfvarsJson,
    /// `.terraform/modules/modules.json`.
    ModulesManifest,
    /// Any other `.json`: read when it is a plan (`terraform show -json`).
    Json,
    Other,
}

pub(crate) fn file_kind(path: &str) -> FileKind {
    let name = file_name(path);
    if crate::manifest::is_manifest(path) {
        FileKind::ModulesManifest
    } else if name.ends_with(".tf.json") {
        FileKind::TfJson
    } else if name.ends_with(".tf") {
        FileKind::Tf
    } else if name.ends_with(".tfvars.json") {
        FileKind::TfvarsJson
    } else if name.ends_with(".tfvars") {
        FileKind::Tfvars
    } else if name.ends_with(".json") {
        FileKind::Json
    } else {
        FileKind::Other
    }
}

/// Last path component.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Directory part of a '/'-separated path (`""` for the scan root).
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Parses HCL text into a body; on error pushes a `parse-error` diagnostic.
pub(crate) fn parse_hcl(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Body> {
    let text: &str = &file.text;
    // A UTF-8 byte order mark is three bytes; blank it out so offsets stay the same.
    let owned;
    let input = if let Some(rest) = text.strip_prefix('\u{feff}') {
        owned = format!("   {rest}");
        owned.as_str()
    } else {
        text
    };
    match hcl_edit::parser::parse_body(input) {
        Ok(body) => Some(body),
        Err(err) => {
            let loc = err.location();
            // One character at the error (byte offsets may fall inside a multi-byte one).
            let mut start = loc.offset().min(text.len());
            while start > 0 && !text.is_char_boundary(start) {
                start -= 1;
            }
            let end = text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            diags.push(
                Diagnostic::new(
                    "parse-error",
                    format!(
                        "HCL parse error at line {}, column {}: {}",
                        loc.line(),
                        loc.column(),
                        err.message()
                    ),
                )
                .at(file, file.span(start, end)),
            );
            None
        }
    }
}

/// Parses a `.tfvars` or `.tfvars.json` file.
pub(crate) fn parse_vars(
    file: &Arc<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<ParsedVars> {
    let content = if file_kind(&file.path) == FileKind::TfvarsJson {
        match json_text::parse_exact(&file.text, file.id, 0, file.full_span()) {
            Ok(node) if node.as_map().is_some() => VarsContent::Json(node),
            Ok(_) => {
                diags.push(
                    Diagnostic::new(
                        "parse-error",
                        "a .tfvars.json file must hold one JSON object",
                    )
                    .at(file, file.span(0, 0)),
                );
                return None;
            }
            Err(message) => {
                diags.push(
                    Diagnostic::new("parse-error", format!("JSON parse error: {message}"))
                        .at(file, file.span(0, 0)),
                );
                return None;
            }
        }
    } else {
        VarsContent::Hcl(parse_hcl(file, diags)?)
    };
    Some(ParsedVars {
        file: Arc::clone(file),
        content,
    })
}
