//! Reading evaluated Terraform bodies into model values: explicit when written, the
//! provider's default (located at the block that omitted it) when left out, unknown when the
//! evaluator could not decide. Shared by every Terraform adapter (AWS, Google Cloud, Azure).

use trustmap_model::{Language, ResourceMeta, Template, TemplatePart, Value};
use trustmap_source::Span;
use trustmap_syntax::{Node, NodeKind, Part};
use trustmap_terraform::TfResource;

pub(crate) fn meta(r: &TfResource) -> ResourceMeta {
    ResourceMeta {
        address: r.address.clone(),
        language: Language::Terraform,
        span: r.span,
        via: r.via.clone(),
    }
}

/// An argument or block, treating `null` as absent (Terraform does).
pub(crate) fn attr<'a>(body: &'a Node, key: &str) -> Option<&'a Node> {
    body.get(key).filter(|n| !n.is_null())
}

/// A scalar as a string value; anything else is unknown (keeping the references of a
/// string built around them, see [`template`]).
pub(crate) fn string(n: &Node) -> Value<String> {
    let v = match n.scalar_text() {
        Some(s) => Value::explicit(s, n.span),
        None => Value::unknown(n.span).with_template(template(n)),
    };
    v.with_via(n.via.clone())
}

/// The known text and references of an unknown string: a template, or a bare reference
/// as a template of one part.
pub(crate) fn template(n: &Node) -> Option<Template> {
    let parts = n.template_parts()?;
    Some(Template {
        parts: parts
            .iter()
            .map(|p| match p {
                Part::Text(text) => TemplatePart::Text { text: text.clone() },
                Part::Ref { address, attribute } => TemplatePart::Ref {
                    address: address.clone(),
                    attribute: attribute.clone(),
                },
                Part::Unknown => TemplatePart::Unknown,
            })
            .collect(),
    })
}

/// A string argument that is unknown when omitted (required or computed arguments).
pub(crate) fn string_at(body: &Node, key: &str, at: Span) -> Value<String> {
    attr(body, key).map_or_else(|| Value::unknown(at), string)
}

/// A string argument with a provider default.
pub(crate) fn string_or(body: &Node, key: &str, default: &str, at: Span) -> Value<String> {
    attr(body, key).map_or_else(|| Value::default_at(default.to_string(), at), string)
}

/// An optional string argument without a default.
pub(crate) fn opt_string(body: &Node, key: &str, at: Span) -> Value<Option<String>> {
    match attr(body, key) {
        Some(n) => string(n).map(Some),
        None => Value::default_at(None, at),
    }
}

/// A boolean argument with a provider default.
pub(crate) fn bool_or(body: &Node, key: &str, default: bool, at: Span) -> Value<bool> {
    match attr(body, key) {
        Some(n) => match n.as_bool() {
            Some(b) => Value::explicit(b, n.span),
            None => Value::unknown(n.span),
        }
        .with_via(n.via.clone()),
        None => Value::default_at(default, at),
    }
}

/// An integer argument; unknown when omitted unless a default is given.
pub(crate) fn int(body: &Node, key: &str, default: Option<i64>, at: Span) -> Value<i64> {
    match attr(body, key) {
        Some(n) => match n.as_i64() {
            Some(i) => Value::explicit(i, n.span),
            None => Value::unknown(n.span),
        }
        .with_via(n.via.clone()),
        None => default.map_or_else(|| Value::unknown(at), |d| Value::default_at(d, at)),
    }
}

/// The elements of a list (or a lone scalar); an unknown list is one unknown element.
pub(crate) fn strings(n: &Node) -> Vec<Value<String>> {
    match &n.kind {
        NodeKind::Seq(items) => items
            .iter()
            .map(|i| {
                let mut v = string(i);
                // A list that came through a variable or local is reported where it is
                // used, with the definition as a provenance hop.
                if v.via.is_empty() && !n.via.is_empty() {
                    v.span = n.span;
                    v.via = n.via.clone();
                }
                v
            })
            .collect(),
        NodeKind::Null => Vec::new(),
        _ => vec![string(n)],
    }
}

/// The list argument's elements, empty when omitted.
pub(crate) fn strings_at(body: &Node, key: &str) -> Vec<Value<String>> {
    attr(body, key).map_or_else(Vec::new, strings)
}

/// Nested blocks of one type.
pub(crate) enum Blocks<'a> {
    Absent,
    Known(Vec<&'a Node>),
    /// A `dynamic` block (or attribute-as-block) the evaluator could not expand.
    Unknown(Span),
}

pub(crate) fn blocks<'a>(body: &'a Node, key: &str) -> Blocks<'a> {
    match attr(body, key) {
        None => Blocks::Absent,
        Some(n) => match &n.kind {
            NodeKind::Seq(items) => Blocks::Known(items.iter().collect()),
            NodeKind::Map(_) => Blocks::Known(vec![n]),
            _ => Blocks::Unknown(n.span),
        },
    }
}

impl<'a> Blocks<'a> {
    /// The known blocks (none when absent or unknown).
    pub(crate) fn known(&self) -> &[&'a Node] {
        match self {
            Blocks::Known(b) => b,
            _ => &[],
        }
    }

    pub(crate) fn first(&self) -> Option<&'a Node> {
        self.known().first().copied()
    }
}

/// The first of several argument names that is set: for arguments a provider renamed
/// between major versions (`enable_https_traffic_only` → `https_traffic_only_enabled`).
pub(crate) fn attr_any<'a>(body: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().find_map(|k| attr(body, k))
}

/// A boolean argument known under several names, with a provider default.
pub(crate) fn bool_any(body: &Node, keys: &[&str], default: bool, at: Span) -> Value<bool> {
    match keys.iter().find(|k| attr(body, k).is_some()) {
        Some(k) => bool_or(body, k, default, at),
        None => Value::default_at(default, at),
    }
}
