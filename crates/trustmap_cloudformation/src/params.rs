//! `Parameters`: each one's value is its `Default`, or a `--parameter` override, or unknown.
//! List types (`CommaDelimitedList`, `List<...>`) are split into sequences; SSM-backed types
//! are unknown whatever their default says (the default names the SSM parameter).

use std::collections::HashMap;

use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::{Node, NodeKind};

/// A declared parameter.
#[derive(Clone, Debug)]
pub(crate) struct Param {
    /// `None` when unknown.
    pub(crate) value: Option<Node>,
    /// Where the value came from: the `Default`, or the declaration for an override.
    pub(crate) hop: Via,
}

/// Reads the `Parameters` section. Overrides name parameters; unknown names are ignored
/// (the same `--parameter` list applies to every template of the scan).
pub(crate) fn resolve(
    section: Option<&Node>,
    overrides: &[(String, String)],
) -> HashMap<String, Param> {
    let mut out = HashMap::new();
    let Some(entries) = section.and_then(Node::as_map) else {
        return out;
    };
    for e in entries {
        let decl = &e.value;
        let ptype = decl.get("Type").and_then(Node::as_str).unwrap_or("String");
        let overridden = overrides.iter().rev().find(|(k, _)| *k == e.key);
        let (value, hop) = match overridden {
            Some((_, v)) => (
                Some(Node::string(v.clone(), e.key_span)),
                Via {
                    kind: ViaKind::Other {
                        note: format!("parameter `{}` (set with --parameter)", e.key),
                    },
                    span: e.key_span,
                },
            ),
            None => match decl.get("Default") {
                Some(d) => (
                    Some(d.clone()),
                    Via {
                        kind: ViaKind::Other {
                            note: format!("parameter `{}` default", e.key),
                        },
                        span: d.span,
                    },
                ),
                None => (
                    None,
                    Via {
                        kind: ViaKind::Other {
                            note: format!("parameter `{}`", e.key),
                        },
                        span: e.key_span,
                    },
                ),
            },
        };
        let value = if ptype.starts_with("AWS::SSM::Parameter::Value") {
            None
        } else if is_list_type(ptype) {
            value.map(split_list)
        } else {
            value
        };
        out.insert(e.key.clone(), Param { value, hop });
    }
    out
}

fn is_list_type(ptype: &str) -> bool {
    ptype == "CommaDelimitedList" || ptype.starts_with("List<")
}

/// `"a, b"` → `["a", "b"]`; a YAML sequence written as the default is taken as is.
fn split_list(n: Node) -> Node {
    let Some(text) = n.scalar_text() else {
        return n;
    };
    let items = if text.is_empty() {
        Vec::new()
    } else {
        text.split(',')
            .map(|s| Node::string(s.trim(), n.span))
            .collect()
    };
    Node::new(NodeKind::Seq(items), n.span)
}

/// A copy of a parameter or mapping value, located at its use site with `hop` recorded.
pub(crate) fn relocated(value: &Node, at: Span, hop: &Via) -> Node {
    let mut v = value.clone();
    v.span = at;
    v.via.insert(0, hop.clone());
    if let NodeKind::Seq(items) = &mut v.kind {
        for item in items {
            item.span = at;
            item.via.insert(0, hop.clone());
        }
    }
    v
}
