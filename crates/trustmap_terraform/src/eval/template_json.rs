//! JSON rendered by a template, decoded with spans in the template's source.
//!
//! A rendered template is a sequence of pieces: literal text (written verbatim in the file,
//! or re-read byte by byte for `<<-` heredocs) and interpolated values. The rendered text is
//! parsed as JSON against a placeholder file, then every span is mapped back through the
//! pieces. An unknown interpolation is rendered as a digits-only sentinel (valid inside a
//! JSON string and as a bare JSON number), so the JSON still parses; a string or number that
//! is exactly one interpolation becomes that interpolated value (an `Unknown`, a `Ref`, or a
//! known value keeping its provenance), and a string that merely contains an unknown becomes
//! unknown.

use std::collections::HashMap;

use trustmap_source::{FileId, Span};
use trustmap_syntax::{Node, NodeKind};

use super::template::Out;
use crate::json_text::{json_node, looks_like_json};
pub(super) use crate::template_parts::sentinel;
use crate::template_parts::{SENTINEL, from_rendered};

/// Where the bytes of one rendered piece come from.
pub(super) enum PieceMap {
    /// Written verbatim in `file` from this byte offset on.
    Verbatim(FileId, usize),
    /// One source offset per rendered byte (a dedented heredoc line).
    Bytes(FileId, Vec<u32>),
    /// Produced by an expression (an interpolation) or not verbatim (escapes): the whole span.
    Whole(Span),
}

impl PieceMap {
    /// The map of bytes `start..end` of this piece.
    pub(super) fn slice(self, start: usize, end: usize) -> PieceMap {
        match self {
            PieceMap::Verbatim(f, s) => PieceMap::Verbatim(f, s + start),
            PieceMap::Bytes(f, m) => PieceMap::Bytes(
                f,
                m.get(start..end).map(<[u32]>::to_vec).unwrap_or_default(),
            ),
            whole @ PieceMap::Whole(_) => whole,
        }
    }

    pub(super) fn whole_span(&self) -> Span {
        match self {
            PieceMap::Verbatim(f, s) => Span::new(*f, *s, *s),
            PieceMap::Bytes(f, m) => {
                let a = m.first().copied().unwrap_or(0) as usize;
                let b = m.last().map_or(a, |x| *x as usize + 1);
                Span::new(*f, a, b)
            }
            PieceMap::Whole(s) => *s,
        }
    }
}

struct Piece {
    start: usize,
    end: usize,
    map: PieceMap,
}

/// The pieces of a rendered template, in output order.
#[derive(Default)]
pub(super) struct Pieces {
    pieces: Vec<Piece>,
    /// Interpolated values by their rendered byte range.
    interps: HashMap<(usize, usize), Node>,
    /// The unknown interpolated values, in the order of their sentinels.
    pub(super) unknowns: Vec<Node>,
}

/// What a JSON text shows where a template value is unknown.
const UNKNOWN_TEXT: &str = "(known after apply)";

impl Pieces {
    pub(super) fn push(&mut self, start: usize, end: usize, map: PieceMap) {
        if end > start {
            self.pieces.push(Piece { start, end, map });
        }
    }

    pub(super) fn interpolation(&mut self, start: usize, end: usize, value: Node) {
        self.interps.insert((start, end), value);
    }

    fn locate(&self, off: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.end <= off);
        self.pieces.get(i).filter(|p| p.start <= off)
    }

    /// The source span of rendered bytes `s..e`.
    fn remap(&self, s: usize, e: usize, fallback: Span) -> Span {
        let last = e.saturating_sub(1).max(s);
        let (Some(a), Some(b)) = (self.locate(s), self.locate(last)) else {
            return fallback;
        };
        let (fa, start) = match &a.map {
            PieceMap::Verbatim(f, src) => (*f, src + (s - a.start)),
            PieceMap::Bytes(f, m) => (*f, m.get(s - a.start).map_or(0, |x| *x as usize)),
            PieceMap::Whole(sp) => (sp.file, sp.start as usize),
        };
        let (fb, end) = match &b.map {
            PieceMap::Verbatim(f, src) => (*f, src + (last - b.start) + 1),
            PieceMap::Bytes(f, m) => (*f, m.get(last - b.start).map_or(0, |x| *x as usize + 1)),
            PieceMap::Whole(sp) => (sp.file, sp.end as usize),
        };
        if fa != fb || end < start {
            return fallback;
        }
        Span::new(fa, start, if e == s { start } else { end })
    }
}

/// The template's output as a `Json` node when it is a JSON object or array.
pub(super) fn template_json(out: &Out, span: Span) -> Option<Node> {
    if !looks_like_json(&out.text) {
        return None;
    }
    let placeholder = FileId(u32::MAX);
    let mut tree =
        trustmap_syntax::json::parse_str_at(&out.text, placeholder, 0, true, span).ok()?;
    if !matches!(tree.kind, NodeKind::Map(_) | NodeKind::Seq(_)) {
        return None;
    }
    let mut unknown_key = false;
    fixup(&mut tree, &out.pieces, placeholder, span, &mut unknown_key);
    if unknown_key {
        return None;
    }
    let mut text = out.text.clone();
    for i in 0..out.unknowns {
        text = text.replace(&sentinel(i), UNKNOWN_TEXT);
    }
    let mut node = json_node(text, tree, span)?;
    node.via.clone_from(&out.via);
    Some(node)
}

fn fixup(
    node: &mut Node,
    pieces: &Pieces,
    placeholder: FileId,
    fallback: Span,
    unknown_key: &mut bool,
) {
    let (s, e) = (node.span.start as usize, node.span.end as usize);
    let remapped = if node.span.file == placeholder {
        pieces.remap(s, e, fallback)
    } else {
        node.span
    };
    let replace_with = |v: &Node| {
        let mut v = v.clone();
        v.span = remapped;
        v
    };
    match &mut node.kind {
        NodeKind::String(text) => {
            let inner = (s + 1, e.saturating_sub(1));
            match pieces.interps.get(&inner) {
                Some(v) if v.is_unknown() => {
                    *node = replace_with(v);
                    return;
                }
                Some(v) => node.via.clone_from(&v.via),
                None if text.contains(SENTINEL) => {
                    *node = from_rendered(text, &pieces.unknowns, remapped);
                    return;
                }
                None => {}
            }
        }
        NodeKind::Number(n) if n.text.contains(SENTINEL) => {
            *node = match pieces.interps.get(&(s, e)) {
                Some(v) => replace_with(v),
                None => Node::unknown(remapped),
            };
            return;
        }
        NodeKind::Seq(items) => {
            for i in items {
                fixup(i, pieces, placeholder, fallback, unknown_key);
            }
        }
        NodeKind::Map(entries) => {
            for en in entries {
                if en.key.contains(SENTINEL) {
                    *unknown_key = true;
                }
                if en.key_span.file == placeholder {
                    en.key_span = pieces.remap(
                        en.key_span.start as usize,
                        en.key_span.end as usize,
                        fallback,
                    );
                }
                fixup(&mut en.value, pieces, placeholder, fallback, unknown_key);
            }
        }
        _ => {}
    }
    node.span = remapped;
}
