//! The evaluator: values, references and the intrinsic functions that produce values.
//! Condition functions are in `conditions.rs`.

use std::collections::{HashMap, HashSet};

use trustmap_source::{Diagnostic, SourceFile, Span, Via, ViaKind};
use trustmap_syntax::{Entry, Node, NodeKind};

use crate::codes;
use crate::intrinsic::{self, Call, Func};
use crate::limits::{MAX_OUTPUT_BYTES, MAX_OUTPUT_NODES, MAX_VALUE_DEPTH};
use crate::params::{self, Param};
use crate::sub::{self, Part};

/// Pseudo parameters with a value trustmap can assume; every other `AWS::` name is unknown
/// unless set with `--parameter`.
const PSEUDO_KNOWN: &[(&str, &str)] = &[
    ("AWS::Partition", "aws"),
    ("AWS::URLSuffix", "amazonaws.com"),
];

/// Every pseudo parameter CloudFormation defines.
const PSEUDO: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// State of one template's evaluation.
pub(crate) struct Eval<'a> {
    file: &'a SourceFile,
    params: HashMap<String, Param>,
    /// `--parameter AWS::Region=...` and friends.
    pseudo: HashMap<String, String>,
    mappings: Option<&'a Node>,
    pub(crate) conditions: HashMap<&'a str, &'a Node>,
    pub(crate) cond_cache: HashMap<String, Option<bool>>,
    pub(crate) cond_stack: Vec<String>,
    /// Logical ids a `Ref`/`Fn::GetAtt` may name (SAM-generated ones included).
    resources: HashSet<String>,
    sam: bool,
    diagnostics: Vec<Diagnostic>,
    nodes: usize,
    bytes: usize,
    exhausted: bool,
}

impl<'a> Eval<'a> {
    pub(crate) fn new(
        file: &'a SourceFile,
        doc: &'a Node,
        opts: &crate::Options,
        resources: HashSet<String>,
        sam: bool,
    ) -> Self {
        let conditions = doc
            .get("Conditions")
            .and_then(Node::as_map)
            .map(|entries| entries.iter().map(|e| (e.key.as_str(), &e.value)).collect())
            .unwrap_or_default();
        Self {
            file,
            params: params::resolve(doc.get("Parameters"), &opts.parameters),
            pseudo: opts
                .parameters
                .iter()
                .filter(|(k, _)| k.starts_with("AWS::") && *k != "AWS::NoValue")
                .cloned()
                .collect(),
            mappings: doc.get("Mappings"),
            conditions,
            cond_cache: HashMap::new(),
            cond_stack: Vec::new(),
            resources,
            sam,
            diagnostics: Vec::new(),
            nodes: 0,
            bytes: 0,
            exhausted: false,
        }
    }

    pub(crate) fn diagnose(&mut self, code: &'static str, message: impl Into<String>, at: Span) {
        self.diagnostics
            .push(Diagnostic::new(code, message).at(self.file, at));
    }

    /// The diagnostics, each reported once (Globals merged into several functions would
    /// otherwise repeat theirs).
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut seen = HashSet::new();
        self.diagnostics
            .into_iter()
            .filter(|d| seen.insert((d.code, d.message.clone(), d.span)))
            .collect()
    }

    /// Counts produced output; false (and one diagnostic) once a budget is spent.
    pub(crate) fn charge(&mut self, nodes: usize, bytes: usize, at: Span) -> bool {
        if self.exhausted {
            return false;
        }
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > MAX_OUTPUT_NODES || self.bytes > MAX_OUTPUT_BYTES {
            self.exhausted = true;
            self.diagnose(
                codes::EVALUATION,
                "template evaluation exceeded its size budget; the remaining values are unknown",
                at,
            );
            return false;
        }
        true
    }

    /// Evaluates a value. `None` is `AWS::NoValue`: the caller drops the map entry or
    /// sequence item that held it.
    pub(crate) fn value(&mut self, n: &Node, depth: usize) -> Option<Node> {
        if depth > MAX_VALUE_DEPTH {
            self.diagnose(codes::EVALUATION, "value nested too deeply", n.span);
            return Some(Node::unknown(n.span));
        }
        if self.exhausted {
            return Some(Node::unknown(n.span));
        }
        if let Some(call) = intrinsic::call(n) {
            return self.call(&call, n, depth);
        }
        let out = match &n.kind {
            NodeKind::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    if let Some(v) = self.value(&e.value, depth + 1) {
                        out.push(Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value: v,
                        });
                    }
                }
                Node {
                    kind: NodeKind::Map(out),
                    span: n.span,
                    via: n.via.clone(),
                }
            }
            NodeKind::Seq(items) => {
                let out = items
                    .iter()
                    .filter_map(|i| self.value(i, depth + 1))
                    .collect();
                Node {
                    kind: NodeKind::Seq(out),
                    span: n.span,
                    via: n.via.clone(),
                }
            }
            NodeKind::Tagged { tag, .. } => {
                self.diagnose(
                    codes::EVALUATION,
                    format!("`{tag}` is not a CloudFormation intrinsic function"),
                    n.span,
                );
                Node::unknown(n.span)
            }
            _ => n.clone(),
        };
        let bytes = out.as_str().map_or(0, str::len);
        if !self.charge(1, bytes, n.span) {
            return Some(Node::unknown(n.span));
        }
        Some(out)
    }

    fn malformed(&mut self, c: &Call<'_>, expected: &str, at: Span) -> Option<Node> {
        self.diagnose(
            codes::EVALUATION,
            format!("`{}` expects {expected}", c.name),
            at,
        );
        Some(Node::unknown(at))
    }

    /// A string argument (a literal, or anything evaluating to a known scalar).
    pub(crate) fn string_arg(&mut self, n: &Node, depth: usize) -> Option<String> {
        if let NodeKind::String(s) = &n.kind {
            return Some(s.clone());
        }
        self.value(n, depth)?.scalar_text()
    }

    fn call(&mut self, c: &Call<'_>, n: &Node, depth: usize) -> Option<Node> {
        let at = n.span;
        let d = depth + 1;
        let unknown = || Some(Node::unknown(at));
        match c.func {
            Func::Ref => match self.string_arg(c.arg, d) {
                Some(name) => self.reference(&name, at),
                None if c.arg.as_str().is_some() || c.arg.is_unknown() => unknown(),
                None => self.malformed(c, "a parameter or resource name", at),
            },
            Func::GetAtt => self.get_att(c, at, d),
            Func::Sub => self.sub(c, at, d),
            Func::If => self.if_(c, at, d),
            Func::Join => self.join(c, at, d),
            Func::Select => self.select(c, at, d),
            Func::Split => self.split(c, at, d),
            Func::FindInMap => self.find_in_map(c, at, d),
            Func::Base64 => self.value(c.arg, d),
            Func::Length => match self.value(c.arg, d).as_ref().map(|v| &v.kind) {
                Some(NodeKind::Seq(items)) => Some(Node::number(items.len() as f64, at)),
                _ => unknown(),
            },
            Func::ToJsonString => {
                let v = self.value(c.arg, d)?;
                if v.contains_unknown() {
                    return unknown();
                }
                let text = v.to_json().to_string();
                Some(Node::new(
                    NodeKind::Json {
                        text,
                        tree: Box::new(v),
                    },
                    at,
                ))
            }
            // Only AWS knows these.
            Func::GetAZs | Func::ImportValue | Func::Cidr | Func::Transform => unknown(),
            Func::Equals | Func::And | Func::Or | Func::Not | Func::Condition => {
                match self.cond_call(c, n, depth) {
                    Some(b) => Some(Node::bool(b, at)),
                    None => unknown(),
                }
            }
            Func::Other => {
                self.diagnose(
                    codes::UNSUPPORTED,
                    format!("intrinsic function `{}` is not supported", c.name),
                    at,
                );
                unknown()
            }
        }
    }

    /// `Ref`: a parameter's value, a pseudo parameter, or a reference to a resource.
    pub(crate) fn reference(&mut self, name: &str, at: Span) -> Option<Node> {
        if name == "AWS::NoValue" {
            return None;
        }
        if let Some(p) = self.params.get(name) {
            let v = match &p.value {
                Some(v) => params::relocated(v, at, &p.hop),
                None => Node::unknown(at).with_via(p.hop.clone()),
            };
            let (nodes, bytes) = size(&v);
            return Some(if self.charge(nodes, bytes, at) {
                v
            } else {
                Node::unknown(at)
            });
        }
        if name.starts_with("AWS::") {
            if let Some(v) = self.pseudo.get(name) {
                return Some(Node::string(v.clone(), at).with_via(Via {
                    kind: ViaKind::Other {
                        note: format!("pseudo parameter `{name}` (set with --parameter)"),
                    },
                    span: at,
                }));
            }
            if let Some((_, v)) = PSEUDO_KNOWN.iter().find(|(k, _)| *k == name) {
                return Some(Node::string(*v, at));
            }
            if !PSEUDO.contains(&name) {
                self.diagnose(
                    codes::EVALUATION,
                    format!("`{name}` is not a pseudo parameter"),
                    at,
                );
            }
            return Some(Node::unknown(at));
        }
        if self.resources.contains(name) {
            return Some(resource_ref(name, "", at));
        }
        // SAM lets `Ref` name a function's alias or version: `MyFunction.Alias`.
        if let Some((res, attr)) = name.split_once('.')
            && self.sam
            && self.resources.contains(res)
        {
            return Some(resource_ref(res, attr, at));
        }
        self.diagnose(
            codes::EVALUATION,
            format!("`Ref` to `{name}`, which is neither a parameter nor a resource"),
            at,
        );
        Some(Node::unknown(at))
    }

    fn get_att(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let (res, attr) = match &c.arg.kind {
            NodeKind::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_string(), Some(a.to_string())),
                None => (s.clone(), Some(String::new())),
            },
            NodeKind::Seq(items) if items.len() == 2 => {
                let Some(res) = items[0].as_str() else {
                    return self.malformed(c, "`[LogicalId, Attribute]`", at);
                };
                (res.to_string(), self.string_arg(&items[1], d))
            }
            _ => return self.malformed(c, "`LogicalId.Attribute` or `[LogicalId, Attribute]`", at),
        };
        if !self.resources.contains(&res) {
            self.diagnose(
                codes::EVALUATION,
                format!("`{}` names `{res}`, which is not a resource", c.name),
                at,
            );
            return Some(Node::unknown(at));
        }
        Some(resource_ref(&res, attr.as_deref().unwrap_or(""), at))
    }

    fn sub(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let (template, vars) = match &c.arg.kind {
            NodeKind::Seq(items) if (1..=2).contains(&items.len()) => (&items[0], items.get(1)),
            _ => (c.arg, None),
        };
        let Some(template) = self.string_arg(template, d) else {
            return if template.is_unknown() {
                Some(Node::unknown(at))
            } else {
                self.malformed(c, "a template string", at)
            };
        };
        let mut bound: HashMap<&str, Option<Node>> = HashMap::new();
        if let Some(vars) = vars {
            let Some(entries) = vars.as_map() else {
                return self.malformed(c, "`[Template, {Name: Value}]`", at);
            };
            for e in entries {
                let v = self.value(&e.value, d);
                bound.insert(e.key.as_str(), v);
            }
        }
        let parts = sub::parse(&template);
        let mut text = String::new();
        let mut via: Vec<Via> = Vec::new();
        let mut lone: Option<Node> = None;
        let mut refs = Refs::default();
        let mut known = true;
        for part in &parts {
            match part {
                Part::Text(t) => text.push_str(t),
                Part::Var(name) => {
                    let v = match bound.get(name) {
                        Some(v) => v.clone(),
                        None => {
                            match name.split_once('.') {
                                Some((res, attr)) if !name.starts_with("AWS::") => {
                                    if self.resources.contains(res) {
                                        Some(resource_ref(res, attr, at))
                                    } else {
                                        self.diagnose(
                                        codes::EVALUATION,
                                        format!("`${{{name}}}` names `{res}`, which is not a resource"),
                                        at,
                                    );
                                        Some(Node::unknown(at))
                                    }
                                }
                                _ => self.reference(name, at),
                            }
                        }
                    };
                    match v.as_ref().and_then(Node::scalar_text) {
                        Some(s) => {
                            text.push_str(&s);
                            extend_via(&mut via, v.as_ref().map_or(&[][..], |v| &v.via));
                        }
                        None => {
                            known = false;
                            refs.add(v.as_ref());
                            lone = v;
                        }
                    }
                }
            }
        }
        if !known {
            // `!Sub "${Bucket}"` is a plain reference: keep it, adapters join on it.
            return Some(match (parts.as_slice(), lone) {
                ([Part::Var(_)], Some(mut v)) => {
                    v.span = at;
                    v
                }
                _ => refs.into_node(at),
            });
        }
        if !self.charge(1, text.len(), at) {
            return Some(Node::unknown(at));
        }
        Some(Node::string(text, at).with_vias(via))
    }

    fn if_(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let Some([cond, then, otherwise]) =
            c.arg.as_seq().and_then(|s| <&[Node; 3]>::try_from(s).ok())
        else {
            return self.malformed(c, "`[Condition, ValueIfTrue, ValueIfFalse]`", at);
        };
        let Some(name) = cond.as_str() else {
            return self.malformed(c, "a condition name first", at);
        };
        match self.condition(name, cond.span) {
            Some(true) => self.value(then, d),
            Some(false) => self.value(otherwise, d),
            None => match (self.value(then, d), self.value(otherwise, d)) {
                (None, None) => None,
                (Some(a), Some(b)) if same(&a, &b) => Some(a),
                _ => Some(Node::unknown(at)),
            },
        }
    }

    fn join(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let Some([delim, list]) = c.arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
        else {
            return self.malformed(c, "`[Delimiter, [Values]]`", at);
        };
        let Some(delim) = self.string_arg(delim, d) else {
            return Some(Node::unknown(at));
        };
        let Some(list) = self.value(list, d) else {
            return Some(Node::unknown(at));
        };
        let Some(items) = list.as_seq() else {
            return if list.is_unknown() {
                Some(Node::unknown(at))
            } else {
                self.malformed(c, "a list of values to join", at)
            };
        };
        let mut parts = Vec::with_capacity(items.len());
        let mut via = list.via.clone();
        let mut refs = Refs::default();
        for item in items {
            match item.scalar_text() {
                Some(s) => {
                    parts.push(s);
                    extend_via(&mut via, &item.via);
                }
                None => refs.add(Some(item)),
            }
        }
        if refs.any {
            return Some(refs.into_node(at));
        }
        let text = parts.join(&delim);
        if !self.charge(1, text.len(), at) {
            return Some(Node::unknown(at));
        }
        Some(Node::string(text, at).with_vias(via))
    }

    fn select(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let Some([index, list]) = c.arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
        else {
            return self.malformed(c, "`[Index, [Values]]`", at);
        };
        let index = self.value(index, d).and_then(|i| i.as_i64());
        let list = self.value(list, d);
        let (Some(index), Some(items)) = (index, list.as_ref().and_then(Node::as_seq)) else {
            return Some(Node::unknown(at));
        };
        match usize::try_from(index).ok().and_then(|i| items.get(i)) {
            Some(item) => Some(item.clone()),
            None => {
                self.diagnose(
                    codes::EVALUATION,
                    format!(
                        "`{}` index {index} is out of range for a list of {}",
                        c.name,
                        items.len()
                    ),
                    at,
                );
                Some(Node::unknown(at))
            }
        }
    }

    fn split(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let Some([delim, source]) = c.arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
        else {
            return self.malformed(c, "`[Delimiter, Source]`", at);
        };
        let delim = self.string_arg(delim, d);
        let source = self.value(source, d);
        let (Some(delim), Some(source)) = (delim, source) else {
            return Some(Node::unknown(at));
        };
        let Some(text) = source.scalar_text() else {
            return Some(Node::unknown(at));
        };
        if delim.is_empty() {
            return self.malformed(c, "a non-empty delimiter", at);
        }
        let pieces: Vec<&str> = text.split(delim.as_str()).collect();
        if !self.charge(pieces.len() + 1, text.len(), at) {
            return Some(Node::unknown(at));
        }
        let items = pieces
            .into_iter()
            .map(|p| Node::string(p, at).with_vias(source.via.clone()))
            .collect();
        Some(Node::new(NodeKind::Seq(items), at))
    }

    fn find_in_map(&mut self, c: &Call<'_>, at: Span, d: usize) -> Option<Node> {
        let Some(items) = c.arg.as_seq().filter(|s| (3..=4).contains(&s.len())) else {
            return self.malformed(c, "`[MapName, TopLevelKey, SecondLevelKey]`", at);
        };
        let mut keys = Vec::with_capacity(3);
        for k in &items[..3] {
            match self.string_arg(k, d) {
                Some(s) => keys.push(s),
                None => return Some(Node::unknown(at)),
            }
        }
        let found = self
            .mappings
            .and_then(|m| m.get(&keys[0]))
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]));
        if let Some(v) = found {
            let hop = Via {
                kind: ViaKind::Other {
                    note: format!("mapping `{}`", keys[0]),
                },
                span: v.span,
            };
            let v = params::relocated(v, at, &hop);
            let (nodes, bytes) = size(&v);
            return Some(if self.charge(nodes, bytes, at) {
                v
            } else {
                Node::unknown(at)
            });
        }
        if let Some(default) = items.get(3).and_then(|o| o.get("DefaultValue")) {
            return self.value(default, d);
        }
        self.diagnose(
            codes::EVALUATION,
            format!(
                "`{}`: mapping `{}` has no `{}` / `{}`",
                c.name, keys[0], keys[1], keys[2]
            ),
            at,
        );
        Some(Node::unknown(at))
    }
}

/// An unknown reference to a resource (`attribute` empty for `Ref`).
pub(crate) fn resource_ref(logical_id: &str, attribute: &str, at: Span) -> Node {
    Node::new(
        NodeKind::Ref {
            address: logical_id.to_string(),
            attribute: attribute.to_string(),
        },
        at,
    )
}

/// The unknown parts of a string being built (`Fn::Sub`, `Fn::Join`). A string built around
/// exactly one resource (`arn:aws:s3:::${Bucket}/*`, an invoke ARN with `${Fn.Arn}`) is
/// unknown but derived from that resource: it becomes a reference to it, so adapters can
/// still join on it (rules read it as unknown either way).
#[derive(Default)]
struct Refs {
    any: bool,
    target: Option<(String, String)>,
    several: bool,
}

impl Refs {
    fn add(&mut self, part: Option<&Node>) {
        self.any = true;
        let Some((id, attr)) = part.and_then(Node::as_ref_target) else {
            return;
        };
        match &self.target {
            None => self.target = Some((id.to_string(), attr.to_string())),
            Some((known, _)) if known == id => {}
            Some(_) => self.several = true,
        }
    }

    fn into_node(self, at: Span) -> Node {
        match self.target {
            Some((id, attr)) if !self.several => resource_ref(&id, &attr, at),
            _ => Node::unknown(at),
        }
    }
}

/// Two branches that evaluate to the same known value.
fn same(a: &Node, b: &Node) -> bool {
    !a.contains_unknown() && !b.contains_unknown() && a.to_json() == b.to_json()
}

fn extend_via(into: &mut Vec<Via>, from: &[Via]) {
    for v in from {
        if !into.contains(v) {
            into.push(v.clone());
        }
    }
}

/// Nodes and string bytes in a tree.
fn size(n: &Node) -> (usize, usize) {
    match &n.kind {
        NodeKind::Seq(items) => items.iter().fold((1, 0), |(a, b), i| {
            let (x, y) = size(i);
            (a + x, b + y)
        }),
        NodeKind::Map(entries) => entries.iter().fold((1, 0), |(a, b), e| {
            let (x, y) = size(&e.value);
            (a + x, b + y + e.key.len())
        }),
        NodeKind::Tagged { value, .. } => {
            let (x, y) = size(value);
            (x + 1, y)
        }
        _ => (1, n.as_str().map_or(0, str::len)),
    }
}

/// Small builder helpers on [`Node`] used here and by the SAM transform.
pub(crate) trait NodeExt {
    fn with_via(self, via: Via) -> Self;
    fn with_vias(self, via: Vec<Via>) -> Self;
}

impl NodeExt for Node {
    fn with_via(mut self, via: Via) -> Self {
        self.via.push(via);
        self
    }

    fn with_vias(mut self, via: Vec<Via>) -> Self {
        self.via = via;
        self
    }
}
