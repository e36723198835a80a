//! Byte offsets of a synthesized text mapped back to the file it was made from.
//!
//! A `.tf.json` file is evaluated through an HCL text synthesized from it (see `tfjson`):
//! every token that carries meaning is copied there from the JSON, and the filler in between
//! (block keywords, `=`, newlines) is new. The evaluator computes spans in the synthesized
//! text; once evaluation is over, [`remap_output`] moves every span of the output back into
//! the JSON file with an [`OffsetMap`].

use std::collections::HashMap;

use trustmap_source::{Diagnostic, FileId, Span, Via};
use trustmap_syntax::{Node, NodeKind};

use crate::TfResource;

/// One copied token: synthesized bytes `t0..t1` came from file bytes `j0..j1`.
#[derive(Clone, Copy, Debug)]
struct Seg {
    t0: u32,
    t1: u32,
    j0: u32,
    j1: u32,
    /// Byte for byte (same length, same text); otherwise any offset inside maps to the
    /// whole source token (a string re-escaped for HCL, say).
    exact: bool,
}

/// Where each token of a synthesized text came from, in synthesized order.
#[derive(Debug, Default)]
pub(crate) struct OffsetMap {
    segs: Vec<Seg>,
}

impl OffsetMap {
    /// Records that synthesized `t` (its start offset, its length) came from `j`.
    pub(crate) fn push(&mut self, t_start: usize, t_len: usize, j: Span, exact: bool) {
        let t0 = clamp(t_start);
        let t1 = clamp(t_start + t_len);
        if t1 <= t0 {
            return;
        }
        self.segs.push(Seg {
            t0,
            t1,
            j0: j.start,
            j1: j.end.max(j.start),
            exact,
        });
    }

    /// The file offset of a synthesized start offset. Offsets in filler move forward to the
    /// next copied token.
    fn start(&self, t: u32) -> u32 {
        let idx = self.segs.partition_point(|s| s.t0 <= t);
        if idx == 0 {
            return self.segs.first().map_or(0, |s| s.j0);
        }
        let s = self.segs[idx - 1];
        if t < s.t1 {
            if s.exact {
                (s.j0 + (t - s.t0)).min(s.j1)
            } else {
                s.j0
            }
        } else {
            self.segs.get(idx).map_or(s.j1, |n| n.j0)
        }
    }

    /// The file offset of a synthesized end offset. Offsets in filler move back to the end of
    /// the previous copied token.
    fn end(&self, t: u32) -> u32 {
        let idx = self.segs.partition_point(|s| s.t1 < t);
        match self.segs.get(idx) {
            Some(s) if s.t0 < t => {
                if s.exact {
                    (s.j0 + (t - s.t0)).min(s.j1)
                } else {
                    s.j1
                }
            }
            _ => match idx.checked_sub(1).and_then(|i| self.segs.get(i)) {
                Some(p) => p.j1,
                None => self.segs.first().map_or(0, |s| s.j0),
            },
        }
    }

    pub(crate) fn span(&self, s: Span) -> Span {
        let start = self.start(s.start);
        let end = if s.end > s.start {
            self.end(s.end).max(start)
        } else {
            start
        };
        Span {
            file: s.file,
            start,
            end,
        }
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Synthesized files' maps by file id.
pub(crate) type Maps<'a> = HashMap<FileId, &'a OffsetMap>;

fn span(maps: &Maps<'_>, s: Span) -> Span {
    maps.get(&s.file).map_or(s, |m| m.span(s))
}

fn via(maps: &Maps<'_>, v: &mut [Via]) {
    for hop in v {
        hop.span = span(maps, hop.span);
    }
}

/// Moves every span of a value (keys, hops and JSON trees included) into the source files.
pub(crate) fn remap_node(maps: &Maps<'_>, n: &mut Node) {
    n.span = span(maps, n.span);
    via(maps, &mut n.via);
    match &mut n.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(|i| remap_node(maps, i)),
        NodeKind::Map(entries) => {
            for e in entries {
                e.key_span = span(maps, e.key_span);
                remap_node(maps, &mut e.value);
            }
        }
        NodeKind::Json { tree, .. } => remap_node(maps, tree),
        NodeKind::Tagged { value, .. } => remap_node(maps, value),
        _ => {}
    }
}

/// Moves the spans of resources and diagnostics out of synthesized texts.
pub(crate) fn remap_output(
    maps: &Maps<'_>,
    resources: &mut [TfResource],
    diags: &mut [Diagnostic],
) {
    if maps.is_empty() {
        return;
    }
    for r in resources {
        r.span = span(maps, r.span);
        via(maps, &mut r.via);
        remap_node(maps, &mut r.body);
    }
    for d in diags {
        if let Some(s) = d.span {
            d.span = Some(span(maps, s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(a: u32, b: u32) -> Span {
        Span {
            file: FileId(0),
            start: a,
            end: b,
        }
    }

    #[test]
    fn exact_tokens_map_byte_for_byte_and_filler_snaps_to_tokens() {
        let mut m = OffsetMap::default();
        // synthesized: `\nresource "t" ` (14 bytes of filler) then `"b"` from file 20..23,
        // ` ` filler, `{` from 25, and a coarse string 16..20 ← file 30..40.
        m.push(14, 3, sp(20, 23), true);
        m.push(18, 1, sp(25, 26), true);
        m.push(19, 4, sp(30, 40), false);
        assert_eq!(m.span(sp(1, 19)), sp(20, 26));
        assert_eq!(m.span(sp(15, 16)), sp(21, 22));
        assert_eq!(m.span(sp(20, 21)), sp(30, 40));
        assert_eq!(m.span(sp(0, 0)), sp(20, 20));
        assert_eq!(m.span(sp(50, 60)), sp(40, 40));
    }
}
