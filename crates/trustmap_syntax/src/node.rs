//! One spanned value tree shared by YAML, JSON and evaluated Terraform.
//!
//! Adapters read every structured language through this type, so an IAM policy written as
//! YAML, JSON, a Terraform heredoc or `jsonencode(...)` is walked by the same code and every
//! value keeps the span of the text that produced it.

use trustmap_source::{Span, Via};

/// A value with the span of the text that produced it and the indirections it came through.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Where the value is written at its use site (for a literal: the literal itself).
    pub span: Span,
    /// Indirections, nearest first (variable, local, module input, alias). Usually empty.
    pub via: Vec<Via>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// Numbers keep their source text so large integers and octal modes survive.
    Number(Number),
    String(String),
    /// A string that holds JSON, with its decoded tree (spans point into the original
    /// source when they can: a heredoc, a `jsonencode` argument, a JSON file).
    Json {
        text: String,
        tree: Box<Node>,
    },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// A YAML tag such as CloudFormation's `!Ref`, wrapping its value.
    Tagged {
        tag: String,
        value: Box<Node>,
    },
    /// Cannot be decided statically (a data source, a computed attribute, an unresolved reference).
    Unknown,
    /// Unknown, but known to be an attribute of another resource (`aws_s3_bucket.b.id`):
    /// adapters use it to join resources; rules treat it as unknown.
    Ref {
        /// Address of the referenced object, e.g. `aws_s3_bucket.b` or `module.m.aws_iam_role.r["k"]`.
        address: String,
        /// The attribute path after the address, e.g. `id` or `arn`.
        attribute: String,
    },
    /// Unknown, but a string whose known text and references are known
    /// (`"${aws_s3_bucket.b.arn}/*"`): adapters read the references in it to join
    /// resources; everything else treats it exactly like [`NodeKind::Unknown`].
    Template(Vec<Part>),
}

/// One piece of a partially known string ([`NodeKind::Template`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Known text (never empty; adjacent texts are merged).
    Text(String),
    /// The value of another object's attribute, known only after apply.
    Ref { address: String, attribute: String },
    /// Anything else that cannot be known (a data source with no address, a function of
    /// unknowns).
    Unknown,
}

impl Part {
    /// The text of a template once every reference is resolved; `None` when a reference
    /// does not resolve or a piece is unknown.
    pub fn render(
        parts: &[Part],
        mut resolve: impl FnMut(&str, &str) -> Option<String>,
    ) -> Option<String> {
        let mut out = String::new();
        for p in parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Ref { address, attribute } => out.push_str(&resolve(address, attribute)?),
                Part::Unknown => return None,
            }
        }
        Some(out)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub text: String,
    pub value: f64,
}

impl Number {
    /// As JSON: an integer when the source text is an integer literal that fits (so `3` stays
    /// `3`, not `3.0`), otherwise a float; `null` for infinities and NaN, which JSON lacks.
    pub fn to_json(&self) -> serde_json::Value {
        let text = self.text.strip_prefix('+').unwrap_or(&self.text);
        if let Ok(i) = text.parse::<i64>() {
            return i.into();
        }
        if let Ok(u) = text.parse::<u64>() {
            return u.into();
        }
        // Hex and octal literals (YAML `0x1F`, `0o17`) are integers too.
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let radix_literal = unsigned.starts_with("0x") || unsigned.starts_with("0o");
        if radix_literal && self.value.abs() <= 9_007_199_254_740_992.0 {
            return (self.value as i64).into();
        }
        serde_json::Number::from_f64(self.value).map_or(serde_json::Value::Null, Into::into)
    }
}

/// A key/value pair of a map; the key keeps its own span.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Self {
            kind,
            span,
            via: Vec::new(),
        }
    }

    pub fn unknown(span: Span) -> Self {
        Self::new(NodeKind::Unknown, span)
    }

    pub fn string(s: impl Into<String>, span: Span) -> Self {
        Self::new(NodeKind::String(s.into()), span)
    }

    pub fn bool(b: bool, span: Span) -> Self {
        Self::new(NodeKind::Bool(b), span)
    }

    pub fn number(value: f64, span: Span) -> Self {
        let text = if value.fract() == 0.0 && value.abs() < 1e15 {
            format!("{value:.0}")
        } else {
            value.to_string()
        };
        Self::new(NodeKind::Number(Number { text, value }), span)
    }

    /// Unknown, a reference to another resource's computed attribute, or a string built
    /// around such values.
    pub fn is_unknown(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_)
        )
    }

    /// The pieces of a partially known string; a bare reference is one piece.
    pub fn template_parts(&self) -> Option<std::borrow::Cow<'_, [Part]>> {
        match &self.kind {
            NodeKind::Template(parts) => Some(std::borrow::Cow::Borrowed(parts)),
            NodeKind::Ref { address, attribute } => {
                Some(std::borrow::Cow::Owned(vec![Part::Ref {
                    address: address.clone(),
                    attribute: attribute.clone(),
                }]))
            }
            _ => None,
        }
    }

    /// The `(address, attribute)` references of a bare reference or a template, in order.
    pub fn references(&self) -> impl Iterator<Item = (&str, &str)> {
        let (one, many): (Option<(&str, &str)>, &[Part]) = match &self.kind {
            NodeKind::Ref { address, attribute } => (Some((address, attribute)), &[]),
            NodeKind::Template(parts) => (None, parts),
            _ => (None, &[]),
        };
        one.into_iter().chain(many.iter().filter_map(|p| match p {
            Part::Ref { address, attribute } => Some((address.as_str(), attribute.as_str())),
            _ => None,
        }))
    }

    /// The referenced resource address and attribute, for an unknown that is a reference.
    pub fn as_ref_target(&self) -> Option<(&str, &str)> {
        match &self.kind {
            NodeKind::Ref { address, attribute } => Some((address, attribute)),
            _ => None,
        }
    }

    /// True when this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.kind {
            NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => true,
            NodeKind::Seq(items) => items.iter().any(Node::contains_unknown),
            NodeKind::Map(entries) => entries.iter().any(|e| e.value.contains_unknown()),
            NodeKind::Tagged { value, .. } => value.contains_unknown(),
            NodeKind::Json { tree, .. } => tree.contains_unknown(),
            _ => false,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    /// The string value (also the text of a JSON-carrying string).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::Json { text: s, .. } => Some(s),
            _ => None,
        }
    }

    /// A scalar rendered as text: strings, numbers and booleans (YAML/HCL authors mix them).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::Json { text: s, .. } => Some(s.clone()),
            NodeKind::Number(n) => Some(n.text.clone()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A boolean, accepting the string forms `"true"`/`"false"` that Terraform coerces.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Bool(b) => Some(*b),
            NodeKind::String(s) => match s.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            NodeKind::Number(n) => Some(n.value),
            NodeKind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        let v = self.as_f64()?;
        (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` in a map (last one wins, as in YAML and HCL objects).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry under `key`, with its key span.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key == key)
    }

    /// Case-insensitive key lookup (IAM policy keys are case-insensitive in practice).
    pub fn get_ci(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .rev()
            .find(|e| e.key.eq_ignore_ascii_case(key))
            .map(|e| &e.value)
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The decoded JSON tree of a JSON-carrying string, or the node itself when it is
    /// already structured (a policy may be written either way).
    pub fn json_tree(&self) -> Option<&Node> {
        match &self.kind {
            NodeKind::Json { tree, .. } => Some(tree),
            NodeKind::Map(_) | NodeKind::Seq(_) => Some(self),
            _ => None,
        }
    }

    /// One item or a list of items, as IAM's `Action: "x"` / `Action: ["x"]`.
    pub fn one_or_many(&self) -> Vec<&Node> {
        match &self.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            NodeKind::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// Strips a YAML tag, if any.
    pub fn untagged(&self) -> &Node {
        match &self.kind {
            NodeKind::Tagged { value, .. } => value.untagged(),
            _ => self,
        }
    }

    /// Converts to plain JSON (unknowns become `null`); for debugging and tests.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            NodeKind::Null | NodeKind::Unknown | NodeKind::Ref { .. } | NodeKind::Template(_) => {
                J::Null
            }
            NodeKind::Bool(b) => J::Bool(*b),
            NodeKind::Number(n) => n.to_json(),
            NodeKind::String(s) | NodeKind::Json { text: s, .. } => J::String(s.clone()),
            NodeKind::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
            NodeKind::Tagged { tag, value } => {
                let mut m = serde_json::Map::new();
                m.insert(tag.clone(), value.to_json());
                J::Object(m)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_source::FileId;

    fn sp(a: usize, b: usize) -> Span {
        Span::new(FileId(0), a, b)
    }

    #[test]
    fn map_lookup_takes_the_last_duplicate() {
        let n = Node::new(
            NodeKind::Map(vec![
                Entry {
                    key: "a".into(),
                    key_span: sp(0, 1),
                    value: Node::string("x", sp(2, 3)),
                },
                Entry {
                    key: "a".into(),
                    key_span: sp(4, 5),
                    value: Node::string("y", sp(6, 7)),
                },
            ]),
            sp(0, 7),
        );
        assert_eq!(n.get("a").and_then(Node::as_str), Some("y"));
        assert_eq!(n.get_ci("A").and_then(Node::as_str), Some("y"));
        assert!(n.get("b").is_none());
    }

    #[test]
    fn templates_are_unknown_but_keep_their_references() {
        let parts = vec![
            Part::Text("arn:".into()),
            Part::Ref {
                address: "aws_s3_bucket.b".into(),
                attribute: "arn".into(),
            },
            Part::Text("/*".into()),
        ];
        let n = Node::new(NodeKind::Template(parts.clone()), sp(0, 9));
        assert!(n.is_unknown() && n.contains_unknown());
        assert_eq!(n.as_str(), None);
        assert_eq!(n.to_json(), serde_json::Value::Null);
        assert_eq!(
            n.references().collect::<Vec<_>>(),
            vec![("aws_s3_bucket.b", "arn")]
        );
        assert_eq!(
            Part::render(&parts, |a, t| Some(format!("<{a}.{t}>"))).as_deref(),
            Some("arn:<aws_s3_bucket.b.arn>/*")
        );
        assert_eq!(Part::render(&parts, |_, _| None), None);
        let bare = Node::new(
            NodeKind::Ref {
                address: "x.y".into(),
                attribute: "id".into(),
            },
            sp(0, 1),
        );
        assert_eq!(bare.references().collect::<Vec<_>>(), vec![("x.y", "id")]);
        assert_eq!(bare.template_parts().map(|p| p.len()), Some(1));
    }

    #[test]
    fn unknown_propagates_through_containers() {
        let n = Node::new(
            NodeKind::Seq(vec![Node::bool(true, sp(0, 1)), Node::unknown(sp(2, 3))]),
            sp(0, 3),
        );
        assert!(n.contains_unknown());
        assert!(!n.is_unknown());
    }
}
