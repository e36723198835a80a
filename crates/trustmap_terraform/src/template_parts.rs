//! Partially known strings: a string built around computed references
//! (`"${aws_s3_bucket.b.arn}/*"`, `join("/", ["integrations", aws_x.i.id])`) becomes a
//! [`NodeKind::Template`] of its known text and its references instead of a bare unknown,
//! so adapters can still join on the references. Everything else reads it as unknown.
//!
//! A template is kept only when it holds at least one reference (that is what it is for),
//! and only up to [`MAX_TEMPLATE_PARTS`] pieces: a longer one is a plain unknown.

use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind, Part};

use crate::limits::MAX_TEMPLATE_PARTS;
use crate::value::to_text;

/// Builds the part list of a string, piece by piece.
#[derive(Default)]
pub(crate) struct Parts {
    parts: Vec<Part>,
    overflow: bool,
}

impl Parts {
    /// Known text.
    pub(crate) fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Part::Text(last)) = self.parts.last_mut() {
            last.push_str(s);
            return;
        }
        self.push(Part::Text(s.to_string()));
    }

    /// A value whose text is unknown: its references and text when it has them.
    pub(crate) fn value(&mut self, v: &Node) {
        match &v.kind {
            NodeKind::Ref { address, attribute } => self.push(Part::Ref {
                address: address.clone(),
                attribute: attribute.clone(),
            }),
            NodeKind::Template(parts) => {
                for p in parts {
                    match p {
                        Part::Text(t) => self.text(t),
                        other => self.push(other.clone()),
                    }
                }
            }
            _ => self.push(Part::Unknown),
        }
    }

    fn push(&mut self, p: Part) {
        // Consecutive unknowns say nothing more than one.
        if p == Part::Unknown && self.parts.last() == Some(&Part::Unknown) {
            return;
        }
        if self.parts.len() >= MAX_TEMPLATE_PARTS {
            self.overflow = true;
            return;
        }
        self.parts.push(p);
    }

    /// The string as a node: a template when it references something, else unknown.
    pub(crate) fn into_node(self, span: Span) -> Node {
        let useful = self.parts.iter().any(|p| matches!(p, Part::Ref { .. }));
        if self.overflow || !useful {
            return Node::unknown(span);
        }
        Node::new(NodeKind::Template(self.parts), span)
    }
}

/// Marker rendered in place of the `i`-th unknown interpolation of a template (a run of
/// digits, valid inside a JSON string and as a bare JSON number).
pub(crate) fn sentinel(i: usize) -> String {
    format!("{SENTINEL}{i:06}91")
}

pub(crate) const SENTINEL: &str = "8219645731240598723";

/// The parts of text rendered with [`sentinel`]s, `unknowns[i]` standing for sentinel `i`.
pub(crate) fn from_rendered(text: &str, unknowns: &[Node], span: Span) -> Node {
    let mut parts = Parts::default();
    let mut rest = text;
    while let Some(at) = rest.find(SENTINEL) {
        parts.text(&rest[..at]);
        let after = &rest[at + SENTINEL.len()..];
        let index = after
            .get(..6)
            .filter(|_| after.get(6..8) == Some("91"))
            .and_then(|d| d.parse::<usize>().ok());
        match index.and_then(|i| unknowns.get(i)) {
            Some(v) => {
                parts.value(v);
                rest = &after[8..];
            }
            // The literal text happens to hold the marker: keep it as text.
            None => {
                parts.text(SENTINEL);
                rest = after;
            }
        }
        if parts.overflow {
            return Node::unknown(span);
        }
    }
    parts.text(rest);
    parts.into_node(span)
}

/// `join` and `format` (`%s`/`%v` verbs only) over arguments that are partly unknown: the
/// template they build, when it is cheap to know. `None`: the call is plain unknown.
pub(crate) fn partial_call(name: &str, args: &[Node], span: Span) -> Option<Node> {
    let mut parts = Parts::default();
    match name {
        "join" => {
            let sep = to_text(args.first()?).ok()??;
            let mut first = true;
            for list in args.get(1..)? {
                for item in list.as_seq()? {
                    if !first {
                        parts.text(&sep);
                    }
                    first = false;
                    scalar(&mut parts, item)?;
                }
            }
        }
        "format" => {
            let fmt = to_text(args.first()?).ok()??;
            let mut rest = args.get(1..)?.iter();
            let mut chars = fmt.chars();
            while let Some(c) = chars.next() {
                if c != '%' {
                    parts.text(c.encode_utf8(&mut [0; 4]));
                    continue;
                }
                match chars.next()? {
                    '%' => parts.text("%"),
                    's' | 'v' => scalar(&mut parts, rest.next()?)?,
                    // Flags, widths, other verbs: not worth modelling.
                    _ => return None,
                }
            }
            if rest.next().is_some() {
                return None;
            }
        }
        _ => return None,
    }
    Some(parts.into_node(span))
}

/// One primitive piece of a string being built; `None` for a collection or a null.
fn scalar(parts: &mut Parts, n: &Node) -> Option<()> {
    match to_text(n).ok()? {
        Some(s) => parts.text(&s),
        None => parts.value(n),
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::FileId;

    fn sp() -> Span {
        Span::new(FileId(0), 0, 1)
    }

    fn r(address: &str) -> Node {
        Node::new(
            NodeKind::Ref {
                address: address.into(),
                attribute: "id".into(),
            },
            sp(),
        )
    }

    #[test]
    fn rendered_text_splits_at_sentinels() {
        let text = format!("integrations/{}-{}", sentinel(0), sentinel(1));
        let n = from_rendered(&text, &[r("a.b"), Node::unknown(sp())], sp());
        assert_eq!(
            n.kind,
            NodeKind::Template(vec![
                Part::Text("integrations/".into()),
                Part::Ref {
                    address: "a.b".into(),
                    attribute: "id".into()
                },
                Part::Text("-".into()),
                Part::Unknown,
            ])
        );
    }

    #[test]
    fn strings_without_references_stay_plain_unknowns() {
        let text = format!("x{}y", sentinel(0));
        let n = from_rendered(&text, &[Node::unknown(sp())], sp());
        assert_eq!(n.kind, NodeKind::Unknown);
    }

    #[test]
    fn part_counts_are_bounded() {
        let many: Vec<Node> = (0..MAX_TEMPLATE_PARTS).map(|_| r("a.b")).collect();
        let text: String = (0..many.len())
            .map(|i| format!("/{}", sentinel(i)))
            .collect();
        assert_eq!(from_rendered(&text, &many, sp()).kind, NodeKind::Unknown);
        let mut p = Parts::default();
        for _ in 0..10 * MAX_TEMPLATE_PARTS {
            p.value(&Node::unknown(sp()));
        }
        p.value(&r("a.b"));
        assert!(matches!(p.into_node(sp()).kind, NodeKind::Template(ps) if ps.len() == 2));
    }
}
