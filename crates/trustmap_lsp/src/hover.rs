//! Hover on a finding: the rule's documentation, so the why and the fix are one glance away.

use lsp_types::{
    Diagnostic, Hover, HoverContents, MarkupContent, MarkupKind, NumberOrString, Position,
};

/// The documentation of the rules whose diagnostics cover `pos`, or nothing.
pub(crate) fn hover(shown: &[Diagnostic], pos: Position) -> Option<Hover> {
    let docs: Vec<String> = shown
        .iter()
        .filter(|d| d.range.start <= pos && pos <= d.range.end)
        .filter_map(|d| match &d.code {
            Some(NumberOrString::String(id)) => trustmap_rules::find_rule(id),
            _ => None,
        })
        .map(|rule| {
            let meta = rule.meta();
            format!(
                "**{}** `{}` ({:?})\n\n{}",
                meta.id, meta.name, meta.severity, meta.doc
            )
        })
        .collect();
    if docs.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: docs.join("\n\n---\n\n"),
        }),
        range: None,
    })
}
