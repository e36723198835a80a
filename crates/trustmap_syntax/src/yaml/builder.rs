//! Turns granit-parser events into [`Node`] trees, one document at a time.
//!
//! The builder is iterative (an explicit stack), so nesting depth costs heap, not call
//! stack. It applies tags, expands aliases into copies, applies `<<` merge keys, reports
//! duplicate keys, and enforces the node and depth budget that stops billion-laughs inputs.

use std::collections::{HashMap, HashSet};

use granit_parser::{Event, ScalarStyle, Tag};
use trustmap_source::{Diagnostic, SourceFile, Span, Via, ViaKind};

use super::scalar;
use crate::codes;
use crate::node::{Entry, Node, NodeKind, Number};

/// Limits that keep one file's memory and time bounded whatever its aliases do.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Nodes per file, counting every copy an alias or merge key makes.
    pub(crate) max_nodes: usize,
    /// Nesting depth of a value (a tag wrapper counts as one level).
    pub(crate) max_depth: usize,
}

/// Rendered complex keys are cut here: a key is a label, and aliases could repeat it.
const MAX_KEY_TEXT: usize = 1024;

/// A finished value plus what its parent needs to know about it.
struct Built {
    node: Node,
    /// Nodes inside, itself included (what an alias copy of it would cost).
    count: usize,
    /// Levels of nesting, itself included.
    height: usize,
    /// Where its text ends in the file (for an alias: the `*name` token, not the anchor).
    end: usize,
    /// Set for scalars and alias keys: the key text when this value is used as a map key.
    key_text: Option<String>,
    /// A plain, untagged `<<`.
    is_merge_key: bool,
}

struct PendingKey {
    text: String,
    span: Span,
    is_merge: bool,
}

enum Container {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        /// Indices of `<<` entries, applied when the map ends.
        merges: Vec<usize>,
        key: Option<PendingKey>,
    },
}

struct Frame {
    container: Container,
    start: usize,
    end: usize,
    flow: bool,
    /// A local tag (`!If`) wrapping the collection, with where the tag starts.
    tag: Option<(String, usize)>,
    anchor: usize,
    count: usize,
    height: usize,
    /// Nesting depth of this collection's children.
    depth: usize,
}

/// Where a node event sits: absolute byte offsets, and where its explicit tag starts.
#[derive(Clone, Copy)]
struct Pos {
    start: usize,
    end: usize,
    tag_start: Option<usize>,
}

/// A copy source for aliases.
struct Anchored {
    node: Node,
    count: usize,
    height: usize,
}

/// Builds the documents of one parser run (a segment of the file after error recovery).
pub(crate) struct Builder<'f> {
    file: &'f SourceFile,
    /// Byte offset of the parsed segment in the file; parser offsets are relative to it.
    base: usize,
    limits: Limits,
    /// Nodes kept by earlier documents of the file (shared across segments by the caller).
    committed: &'f mut usize,
    pub(crate) docs: Vec<Node>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Anchored>,
    doc_nodes: usize,
    /// Nodes held in `anchors` for the current document (freed when it ends).
    anchor_nodes: usize,
    /// The current document broke a budget: drop its events until it ends.
    skipping: bool,
    /// Absolute offset where the current document began (for error recovery).
    pub(crate) doc_start: usize,
}

impl<'f> Builder<'f> {
    pub(crate) fn new(
        file: &'f SourceFile,
        base: usize,
        limits: Limits,
        committed: &'f mut usize,
    ) -> Self {
        Self {
            file,
            base,
            limits,
            committed,
            docs: Vec::new(),
            diagnostics: Vec::new(),
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            doc_nodes: 0,
            anchor_nodes: 0,
            skipping: false,
            doc_start: base,
        }
    }

    fn abs(&self, offset: Option<usize>) -> usize {
        self.base + offset.unwrap_or(0)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.file.span(start, end)
    }

    pub(crate) fn on_event(&mut self, event: Event<'_>, span: granit_parser::Span) {
        let start = self.abs(span.start.byte_offset());
        let end = self.abs(span.end.byte_offset()).max(start);
        let tag_start = span
            .tag_span()
            .and_then(|t| t.start.byte_offset())
            .map(|o| self.base + o);
        match event {
            Event::DocumentStart(..) => {
                self.reset_document();
                self.doc_start = start;
            }
            Event::DocumentEnd => {
                self.finish_document();
                self.doc_start = end;
            }
            _ if self.skipping => {}
            Event::Scalar(value, style, anchor, tag) => {
                let at = Pos {
                    start,
                    end,
                    tag_start,
                };
                self.on_scalar(&value, style, anchor, tag.as_deref(), at);
            }
            Event::SequenceStart(style, anchor, tag) => {
                let flow = style == granit_parser::StructureStyle::Flow;
                self.open(
                    Container::Seq(Vec::new()),
                    start,
                    flow,
                    anchor,
                    tag.as_deref(),
                    tag_start,
                );
            }
            Event::MappingStart(style, anchor, tag) => {
                let flow = style == granit_parser::StructureStyle::Flow;
                let map = Container::Map {
                    entries: Vec::new(),
                    merges: Vec::new(),
                    key: None,
                };
                self.open(map, start, flow, anchor, tag.as_deref(), tag_start);
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(end),
            Event::Alias(id) => self.on_alias(id, start, end),
            Event::UnresolvedAlias(name) => {
                let sp = self.span(start, end);
                let message = format!(
                    "unknown anchor `*{name}` (no `&{name}` before it in this document); read as null"
                );
                self.null_for_bad_alias(sp, message, format!("*{name}"));
            }
            // Stream markers, comments and anchor metadata carry no data.
            _ => {}
        }
    }

    fn reset_document(&mut self) {
        self.stack.clear();
        self.root = None;
        self.anchors.clear();
        self.doc_nodes = 0;
        self.anchor_nodes = 0;
        self.skipping = false;
    }

    fn finish_document(&mut self) {
        if !self.skipping
            && let Some(root) = self.root.take()
        {
            // `---` followed by nothing parses as an empty null: not a document worth keeping.
            let empty = root.is_null() && root.span.is_empty();
            if !empty {
                *self.committed += self.doc_nodes;
                self.docs.push(root);
            }
        }
        self.reset_document();
    }

    /// Drops the current document after a budget was broken.
    fn refuse(&mut self, at: Span, message: String) {
        self.diagnostics
            .push(Diagnostic::new(codes::YAML_BUDGET, message).at(self.file, at));
        self.reset_document();
        self.skipping = true;
    }

    /// Counts `n` new nodes; false (and the document refused) when over budget.
    fn spend(&mut self, n: usize, at: Span) -> bool {
        self.doc_nodes = self.doc_nodes.saturating_add(n);
        self.within_budget(at)
    }

    fn within_budget(&mut self, at: Span) -> bool {
        let used = self
            .committed
            .saturating_add(self.doc_nodes)
            .saturating_add(self.anchor_nodes);
        if used > self.limits.max_nodes {
            let max = self.limits.max_nodes;
            self.refuse(
                at,
                format!(
                    "YAML needs more than {max} nodes once aliases are expanded; document skipped"
                ),
            );
            return false;
        }
        true
    }

    fn depth(&self) -> usize {
        self.stack.last().map_or(0, |f| f.depth)
    }

    /// False (and the document refused) when a value of `height` here is too deep.
    fn check_depth(&mut self, height: usize, at: Span) -> bool {
        if self.depth() + height > self.limits.max_depth {
            let max = self.limits.max_depth;
            self.refuse(
                at,
                format!("YAML nests deeper than {max} levels; document skipped"),
            );
            return false;
        }
        true
    }

    fn on_scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Pos,
    ) {
        let Pos {
            start,
            end,
            tag_start,
        } = at;
        let sp = self.span(start, end);
        let (kind, local_tag) = match tag {
            None if style == ScalarStyle::Plain => (scalar::resolve_plain(value), None),
            None => (NodeKind::String(value.to_string()), None),
            Some(tag) => match tag.core_suffix() {
                Some(suffix) => (core_tagged(suffix, value), None),
                // `! text` is the non-specific tag: a plain string, nothing to keep.
                None if tag.original() == "!" => (NodeKind::String(value.to_string()), None),
                None => (NodeKind::String(value.to_string()), Some(tag.original())),
            },
        };
        let is_merge_key = tag.is_none() && style == ScalarStyle::Plain && value == "<<";
        let mut node = Node::new(kind, sp);
        let mut count = 1;
        let mut height = 1;
        if let Some(tag) = local_tag {
            let outer = self.span(tag_start.unwrap_or(start).min(start), end);
            node = Node::new(
                NodeKind::Tagged {
                    tag,
                    value: Box::new(node),
                },
                outer,
            );
            count += 1;
            height += 1;
        }
        if !self.check_depth(height, sp) || !self.spend(count, sp) {
            return;
        }
        let key_text = match &node.kind {
            // A tagged key keeps its tag in the text (`!Ref a`), like any other non-string key.
            NodeKind::Tagged { .. } => slice_capped(self.file, node.span),
            // An empty key (`: x`) arrives as `~` with no text.
            _ if start == end => String::new(),
            _ => value.to_string(),
        };
        let key_text = Some(key_text);
        if anchor != 0 && !self.remember(anchor, &node, count, height) {
            return;
        }
        self.deliver(Built {
            node,
            count,
            height,
            end,
            key_text,
            is_merge_key,
        });
    }

    fn open(
        &mut self,
        container: Container,
        start: usize,
        flow: bool,
        anchor: usize,
        tag: Option<&Tag>,
        tag_start: Option<usize>,
    ) {
        let sp = self.span(start, start);
        // Core tags (`!!map`, `!!seq`) say nothing a collection does not already say.
        let tag = tag
            .filter(|t| t.core_suffix().is_none() && t.original() != "!")
            .map(|t| (t.original(), tag_start.unwrap_or(start).min(start)));
        let own_levels = if tag.is_some() { 2 } else { 1 };
        if !self.check_depth(own_levels, sp) || !self.spend(own_levels, sp) {
            return;
        }
        let depth = self.depth() + own_levels;
        self.stack.push(Frame {
            container,
            start,
            end: start,
            flow,
            tag,
            anchor,
            count: own_levels,
            height: own_levels,
            depth,
        });
    }

    fn close(&mut self, end_token_end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        // A flow collection ends at its bracket; a block one at its last child's text.
        let end = if frame.flow {
            end_token_end.max(frame.end)
        } else {
            frame.end
        };
        let sp = self.span(frame.start, end);
        let kind = match frame.container {
            Container::Seq(items) => NodeKind::Seq(items),
            Container::Map {
                mut entries,
                merges,
                key,
            } => {
                if let Some(key) = key {
                    // The parser always sends a value; keep the key if it ever does not.
                    entries.push(Entry {
                        key: key.text,
                        key_span: key.span,
                        value: Node::new(
                            NodeKind::Null,
                            self.span(key.span.end as usize, key.span.end as usize),
                        ),
                    });
                }
                self.report_duplicates(&entries, &merges);
                if !merges.is_empty() {
                    entries = self.apply_merges(entries, &merges);
                }
                NodeKind::Map(entries)
            }
        };
        let mut node = Node::new(kind, sp);
        if let Some((tag, tag_start)) = frame.tag {
            let outer = self.span(tag_start, end);
            // The wrapper (counted when the frame opened) starts at the tag; the collection
            // inside keeps its own span.
            node = Node::new(
                NodeKind::Tagged {
                    tag,
                    value: Box::new(node),
                },
                outer,
            );
        }
        if frame.anchor != 0 && !self.remember(frame.anchor, &node, frame.count, frame.height) {
            return;
        }
        self.deliver(Built {
            node,
            count: frame.count,
            height: frame.height,
            end,
            key_text: None,
            is_merge_key: false,
        });
    }

    fn on_alias(&mut self, id: usize, start: usize, end: usize) {
        let sp = self.span(start, end);
        let Some(anchored) = self.anchors.get(&id) else {
            // granit resolves names itself, so a missing id is an anchor still being built.
            let token = slice_capped(self.file, sp);
            let message = format!(
                "recursive alias: `{token}` refers to a value that contains it; read as null"
            );
            self.null_for_bad_alias(sp, message, token);
            return;
        };
        // An alias used as a key only needs its text; copying it could be a billion laughs.
        if self.awaits_key() {
            let key = match &anchored.node.kind {
                NodeKind::String(s) => s.clone(),
                NodeKind::Number(n) => n.text.clone(),
                _ => slice_capped(self.file, anchored.node.span),
            };
            self.deliver(Built {
                node: Node::new(NodeKind::Null, sp),
                count: 0,
                height: 1,
                end,
                key_text: Some(key),
                is_merge_key: false,
            });
            return;
        }
        let (count, height) = (anchored.count, anchored.height);
        if !self.check_depth(height, sp) || !self.spend(count, sp) {
            return;
        }
        let Some(anchored) = self.anchors.get(&id) else {
            return;
        };
        let mut node = anchored.node.clone();
        node.via.insert(
            0,
            Via {
                kind: ViaKind::Alias,
                span: sp,
            },
        );
        self.deliver(Built {
            node,
            count,
            height,
            end,
            key_text: None,
            is_merge_key: false,
        });
    }

    /// Keeps a copy of an anchored value for its aliases. The copy costs memory like any
    /// other node (nested anchors would otherwise copy a subtree once per level), so it is
    /// budgeted too; false (and the document refused) when over budget.
    fn remember(&mut self, anchor: usize, node: &Node, count: usize, height: usize) -> bool {
        self.anchor_nodes = self.anchor_nodes.saturating_add(count);
        if !self.within_budget(node.span) {
            return false;
        }
        let anchored = Anchored {
            node: node.clone(),
            count,
            height,
        };
        // Ids are unique per anchor definition, so this never replaces a live copy.
        if let Some(old) = self.anchors.insert(anchor, anchored) {
            self.anchor_nodes = self.anchor_nodes.saturating_sub(old.count);
        }
        true
    }

    /// An alias that cannot be expanded: a `parse-error`, and a null in its place so the rest
    /// of the document is still read.
    fn null_for_bad_alias(&mut self, sp: Span, message: String, key_text: String) {
        self.diagnostics
            .push(Diagnostic::new(codes::PARSE_ERROR, message).at(self.file, sp));
        if !self.check_depth(1, sp) || !self.spend(1, sp) {
            return;
        }
        self.deliver(Built {
            node: Node::new(NodeKind::Null, sp),
            count: 1,
            height: 1,
            end: sp.end as usize,
            key_text: Some(key_text),
            is_merge_key: false,
        });
    }

    /// True when the innermost open collection is a map waiting for its next key.
    fn awaits_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                container: Container::Map { key: None, .. },
                ..
            })
        )
    }

    /// Hands a finished value to the open collection, or makes it the document root.
    fn deliver(&mut self, built: Built) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return;
        };
        frame.count = frame.count.saturating_add(built.count);
        let own = if frame.tag.is_some() { 2 } else { 1 };
        frame.height = frame.height.max(built.height + own);
        frame.end = frame.end.max(built.end);
        match &mut frame.container {
            Container::Seq(items) => items.push(built.node),
            Container::Map {
                entries,
                merges,
                key,
            } => match key.take() {
                Some(k) => {
                    if k.is_merge {
                        merges.push(entries.len());
                    }
                    entries.push(Entry {
                        key: k.text,
                        key_span: k.span,
                        value: built.node,
                    });
                }
                None => {
                    let text = built
                        .key_text
                        .unwrap_or_else(|| slice_capped(self.file, built.node.span));
                    *key = Some(PendingKey {
                        text,
                        span: built.node.span,
                        is_merge: built.is_merge_key,
                    });
                }
            },
        }
    }

    fn report_duplicates(&mut self, entries: &[Entry], merges: &[usize]) {
        if entries.len() < 2 {
            return;
        }
        let mut first: HashMap<&str, Span> = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if merges.binary_search(&i).is_ok() {
                continue;
            }
            if let Some(prev) = first.insert(&e.key, e.key_span) {
                let line = self.file.line_col(prev.start).line;
                self.diagnostics.push(
                    Diagnostic::new(
                        codes::DUPLICATE_KEY,
                        format!(
                            "duplicate key `{}` (first on line {line}); the last one wins",
                            e.key
                        ),
                    )
                    .at(self.file, e.key_span),
                );
                first.insert(&e.key, prev);
            }
        }
    }

    /// Applies `<<` merge keys: explicit keys win, then earlier merged maps over later ones.
    /// Merged entries take the place of their `<<` entry and remember the alias they came
    /// through.
    fn apply_merges(&mut self, entries: Vec<Entry>, merges: &[usize]) -> Vec<Entry> {
        let mut seen: HashSet<String> = entries
            .iter()
            .enumerate()
            .filter(|(i, _)| merges.binary_search(i).is_err())
            .map(|(_, e)| e.key.clone())
            .collect();
        let mut out = Vec::with_capacity(entries.len());
        for (i, entry) in entries.into_iter().enumerate() {
            if merges.binary_search(&i).is_err() {
                out.push(entry);
                continue;
            }
            let sources: Vec<Node> = match entry.value.kind {
                NodeKind::Map(_) => vec![entry.value],
                NodeKind::Seq(items) if items.iter().all(|n| n.as_map().is_some()) => items,
                _ => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            codes::PARSE_ERROR,
                            "merge key `<<` needs a mapping or a list of mappings; kept as a plain key",
                        )
                        .at(self.file, entry.key_span),
                    );
                    out.push(entry);
                    continue;
                }
            };
            for source in sources {
                let NodeKind::Map(source_entries) = source.kind else {
                    continue;
                };
                for mut merged in source_entries {
                    if seen.insert(merged.key.clone()) {
                        merged.value.via.extend(source.via.iter().cloned());
                        out.push(merged);
                    }
                }
            }
        }
        out
    }
}

/// A scalar carrying a core-schema tag (`!!str 12`, `!!int "5"`); a value that does not fit
/// its tag stays a string.
fn core_tagged(suffix: &str, value: &str) -> NodeKind {
    let number = |v: Option<f64>| {
        v.map_or_else(
            || NodeKind::String(value.to_string()),
            |v| {
                NodeKind::Number(Number {
                    text: value.to_string(),
                    value: v,
                })
            },
        )
    };
    match suffix {
        "null" if scalar::is_null(value) => NodeKind::Null,
        "bool" => scalar::parse_bool(value)
            .map_or_else(|| NodeKind::String(value.to_string()), NodeKind::Bool),
        "int" => number(scalar::parse_int(value)),
        "float" => number(scalar::parse_number(value)),
        _ => NodeKind::String(value.to_string()),
    }
}

/// The file text under `span`, trimmed and cut to [`MAX_KEY_TEXT`] bytes.
fn slice_capped(file: &SourceFile, span: Span) -> String {
    let text = file.slice(span).trim();
    if text.len() <= MAX_KEY_TEXT {
        return text.to_string();
    }
    let mut cut = MAX_KEY_TEXT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}
