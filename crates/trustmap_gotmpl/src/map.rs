//! The output source map: which template bytes produced each byte of rendered text, and
//! remapping a YAML tree parsed from the rendered text back onto the templates.
//!
//! Precision, honestly stated:
//! - text written literally by a template maps byte for byte to the template;
//! - everything an action printed (`{{ .Values.x }}`, `{{ include … }}`, `{{ toYaml … |
//!   nindent 4 }}`) maps to the whole action `{{ … }}`, so a value inside a `toYaml` block
//!   points at the line of that action, not at a line of the block;
//! - `{{ template "x" . }}` writes the called template's own text and actions, so those map
//!   into the file that defines `x` (often `_helpers.tpl`);
//! - when the printed value was read from a values file (directly, or through a function of
//!   one argument such as `quote` or `default`), the action's output also names that values
//!   key as a [`Via`] (`ViaKind::HelmValue`).

use trustmap_source::{FileId, Span, Via, ViaKind};
use trustmap_syntax::{Node, NodeKind};

use crate::value::{Origin, PathKey};

/// Where one run of output bytes came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Seg {
    /// Offset in the output where this run starts (runs end where the next starts).
    pub out: u32,
    pub src: SegSrc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SegSrc {
    /// Literal template text starting at byte `at` of `file`.
    Text { file: FileId, at: u32 },
    /// Output of the action at `span`; `via` when the value came from a values file.
    Action { span: Span, via: Option<Origin> },
}

/// Output offsets → template spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputMap {
    segs: Vec<Seg>,
}

impl OutputMap {
    pub fn new(segs: Vec<Seg>) -> Self {
        Self { segs }
    }

    pub fn segments(&self) -> &[Seg] {
        &self.segs
    }

    fn locate(&self, off: u32) -> Option<(usize, u32)> {
        let i = self.segs.partition_point(|s| s.out <= off).checked_sub(1)?;
        Some((i, off - self.segs[i].out))
    }

    fn seg_len(&self, i: usize, total: u32) -> u32 {
        let end = self.segs.get(i + 1).map_or(total, |s| s.out);
        end - self.segs[i].out
    }

    /// The template location of output bytes `start..end` (see the module docs).
    /// `total` is the output length.
    pub fn span(&self, start: u32, end: u32, total: u32) -> Option<Span> {
        let (si, srel) = self.locate(start)?;
        let (s_file, s_start, s_extent_end) = match &self.segs[si].src {
            SegSrc::Text { file, at } => (*file, at + srel, at + self.seg_len(si, total)),
            SegSrc::Action { span, .. } => (span.file, span.start, span.end),
        };
        if end <= start {
            return Some(match &self.segs[si].src {
                SegSrc::Text { .. } => Span::new(s_file, s_start as usize, s_start as usize),
                SegSrc::Action { span, .. } => *span,
            });
        }
        let (ei, erel) = self.locate(end - 1)?;
        let (e_file, e_end) = match &self.segs[ei].src {
            SegSrc::Text { file, at } => (*file, at + erel + 1),
            SegSrc::Action { span, .. } => (span.file, span.end),
        };
        if e_file == s_file && e_end >= s_start {
            Some(Span::new(s_file, s_start as usize, e_end as usize))
        } else {
            Some(Span::new(s_file, s_start as usize, s_extent_end as usize))
        }
    }

    /// Rewrites every span of `node` (parsed from the rendered text as file `virtual_file`)
    /// into template spans, and adds the values-file vias of scalars.
    pub fn remap_node(&self, node: &mut Node, virtual_file: FileId, total: u32) {
        let mut trail = Vec::new();
        self.remap_at(node, virtual_file, total, &mut trail);
    }

    /// `trail`: for each ancestor (outermost first) its start offset in the output and the
    /// key that leads from it to the next one.
    fn remap_at(
        &self,
        node: &mut Node,
        vf: FileId,
        total: u32,
        trail: &mut Vec<(u32, Option<PathKey>)>,
    ) {
        if trail.len() > 512 {
            return;
        }
        let (s, e) = (node.span.start, node.span.end);
        if node.span.file == vf {
            if let Some(sp) = self.span(s, e, total) {
                node.span = sp;
            }
            // Only scalars name their values key: the adapter copies a container's vias
            // down onto its children.
            let scalar = !matches!(
                node.kind,
                NodeKind::Map(_) | NodeKind::Seq(_) | NodeKind::Tagged { .. }
            );
            if scalar {
                for v in self.scalar_vias(s, e, trail) {
                    if !node.via.contains(&v) {
                        node.via.push(v);
                    }
                }
            }
        }
        for v in &mut node.via {
            if v.span.file == vf
                && let Some(sp) = self.span(v.span.start, v.span.end, total)
            {
                v.span = sp;
            }
        }
        match &mut node.kind {
            NodeKind::Seq(items) => {
                for (i, it) in items.iter_mut().enumerate() {
                    trail.push((s, Some(PathKey::Index(i))));
                    self.remap_at(it, vf, total, trail);
                    trail.pop();
                }
            }
            NodeKind::Map(entries) => {
                for en in entries {
                    if en.key_span.file == vf
                        && let Some(sp) = self.span(en.key_span.start, en.key_span.end, total)
                    {
                        en.key_span = sp;
                    }
                    trail.push((s, Some(PathKey::Key(en.key.clone()))));
                    self.remap_at(&mut en.value, vf, total, trail);
                    trail.pop();
                }
            }
            NodeKind::Tagged { value, .. } => {
                trail.push((s, None));
                self.remap_at(value, vf, total, trail);
                trail.pop();
            }
            NodeKind::Json { tree, .. } => {
                trail.push((s, None));
                self.remap_at(tree, vf, total, trail);
                trail.pop();
            }
            _ => {}
        }
    }

    /// The values keys behind a scalar at `start..end`: every action it overlaps that printed
    /// a values-file value. Inside a `toYaml` block, the scalar's own key in the block (found
    /// by its path below the outermost ancestor printed by the same action).
    fn scalar_vias(&self, start: u32, end: u32, trail: &[(u32, Option<PathKey>)]) -> Vec<Via> {
        let mut out: Vec<Via> = Vec::new();
        let Some((first, _)) = self.locate(start) else {
            return out;
        };
        let mut i = first;
        loop {
            if let SegSrc::Action { via: Some(o), .. } = &self.segs[i].src {
                let mut v = helm_via(o);
                if i == first && o.block.is_some() {
                    let root = trail
                        .iter()
                        .position(|(at, _)| self.locate(*at).map(|(j, _)| j) == Some(i));
                    let keys: Vec<PathKey> = match root {
                        Some(r) => trail[r..].iter().filter_map(|(_, k)| k.clone()).collect(),
                        None => Vec::new(),
                    };
                    if let Some(inner) = o.inner(&keys) {
                        v = helm_via(&inner);
                    }
                }
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            i += 1;
            if i >= self.segs.len() || self.segs[i].out >= end.max(start + 1) {
                break;
            }
        }
        out
    }
}

/// The `Via` naming a values-file key.
pub fn helm_via(o: &Origin) -> Via {
    Via {
        kind: ViaKind::HelmValue {
            path: o.path.clone(),
        },
        span: o.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_maps_bytewise_and_actions_whole() {
        let f = FileId(3);
        let action = Span::new(f, 10, 30);
        let m = OutputMap::new(vec![
            Seg {
                out: 0,
                src: SegSrc::Text { file: f, at: 0 },
            },
            Seg {
                out: 6,
                src: SegSrc::Action {
                    span: action,
                    via: None,
                },
            },
            Seg {
                out: 9,
                src: SegSrc::Text { file: f, at: 30 },
            },
        ]);
        assert_eq!(m.span(1, 3, 12), Some(Span::new(f, 1, 3)));
        assert_eq!(m.span(6, 9, 12), Some(action));
        assert_eq!(m.span(7, 8, 12), Some(action));
        assert_eq!(m.span(2, 11, 12), Some(Span::new(f, 2, 32)));
    }
}
