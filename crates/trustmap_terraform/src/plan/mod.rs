//! Terraform plans as input: the JSON that `terraform show -json plan.out` prints.
//!
//! A plan knows what static evaluation cannot: values read from data sources, remote modules'
//! contents, the final `count`/`for_each` keys. Resources come from `planned_values`
//! (`root_module` and its `child_modules`, recursively) with their planned `values`; data
//! sources read while planning come from `prior_state`. Attributes that are known only after
//! apply (`resource_changes[].change.after_unknown`) are [`NodeKind::Unknown`]. Attributes
//! that are `null` are left out (as in evaluated bodies), and strings holding a JSON object or
//! array are `NodeKind::Json`.
//!
//! On their own, plan resources are spanned in the plan file. When the configuration that
//! produced the plan is in the scan too, `merge` locates them in the `.tf` files instead.

mod merge;

use std::collections::HashMap;

use trustmap_source::{Diagnostic, SourceFile};
use trustmap_syntax::{Entry, Node, NodeKind};

pub(crate) use self::merge::merge;
use crate::json_text;
use crate::value::map;
use crate::{Mode, TfResource};

/// Nesting of `child_modules` followed (Terraform's own module depth is far lower).
const MAX_MODULE_NESTING: usize = 64;

/// The resources of one plan file.
pub(crate) struct Plan {
    /// Directory of the plan file, relative to the scan root.
    pub(crate) dir: String,
    pub(crate) resources: Vec<TfResource>,
}

/// Whether a JSON document is the output of `terraform show -json` for a plan: a top-level
/// object with `format_version` and `planned_values` or `resource_changes`.
pub fn is_plan_json(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some() || root.get("resource_changes").is_some())
}

/// Reads a plan file; `None` (silently) when the JSON is not a plan.
pub(crate) fn read(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Plan> {
    let root = match trustmap_syntax::json::parse(file) {
        Ok(root) => root,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if !is_plan_json(&root) {
        return None;
    }
    let mut resources = Vec::new();
    let mut seen = HashMap::new();
    if let Some(m) = root.path(&["planned_values", "root_module"]) {
        collect(m, &mut resources, &mut seen, 0);
    }
    if let Some(m) = root.path(&["prior_state", "values", "root_module"]) {
        let mut prior = Vec::new();
        collect(m, &mut prior, &mut HashMap::new(), 0);
        for r in prior {
            if r.mode == Mode::Data && !seen.contains_key(&r.address) {
                seen.insert(r.address.clone(), resources.len());
                resources.push(r);
            }
        }
    }
    for change in root
        .get("resource_changes")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let (Some(address), Some(unknown)) = (
            change.get("address").and_then(Node::as_str),
            change.path(&["change", "after_unknown"]),
        ) else {
            continue;
        };
        if let Some(&i) = seen.get(address) {
            mark_unknown(&mut resources[i].body, unknown);
        }
    }
    Some(Plan {
        dir: crate::parse::dir_of(&file.path).to_string(),
        resources,
    })
}

/// Resources of a module object and its `child_modules`.
fn collect(
    module: &Node,
    out: &mut Vec<TfResource>,
    seen: &mut HashMap<String, usize>,
    depth: usize,
) {
    for r in module
        .get("resources")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let text = |k: &str| r.get(k).and_then(Node::as_str);
        let (Some(address), Some(rtype), Some(name)) =
            (text("address"), text("type"), text("name"))
        else {
            continue;
        };
        if seen.contains_key(address) {
            continue;
        }
        let mode = if text("mode") == Some("data") {
            Mode::Data
        } else {
            Mode::Managed
        };
        let body = r
            .get("values")
            .map_or_else(|| map(Vec::new(), r.span), |v| body_of(v.clone()));
        seen.insert(address.to_string(), out.len());
        out.push(TfResource {
            mode,
            rtype: rtype.to_string(),
            name: name.to_string(),
            address: address.to_string(),
            body,
            span: r.span,
            via: Vec::new(),
        });
    }
    if depth >= MAX_MODULE_NESTING {
        return;
    }
    for child in module
        .get("child_modules")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        collect(child, out, seen, depth + 1);
    }
}

/// A resource's `values` as an evaluated body: top-level nulls out, JSON strings decoded.
fn body_of(values: Node) -> Node {
    let Node { kind, span, via } = values;
    let kind = match kind {
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .filter(|e| !e.value.is_null())
                .map(|e| Entry {
                    value: decode_json(e.value),
                    ..e
                })
                .collect(),
        ),
        other => other,
    };
    Node { kind, span, via }
}

/// Strings holding a JSON object or array become `Json` nodes, at any depth.
fn decode_json(n: Node) -> Node {
    if let Some(json) = json_text::string_json(&n) {
        return json;
    }
    let Node { kind, span, via } = n;
    let kind = match kind {
        NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().map(decode_json).collect()),
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|e| Entry {
                    value: decode_json(e.value),
                    ..e
                })
                .collect(),
        ),
        other => other,
    };
    Node { kind, span, via }
}

/// Applies `after_unknown` (`true` where a value is known only after apply) to a body.
fn mark_unknown(body: &mut Node, unknown: &Node) {
    match (&mut body.kind, &unknown.kind) {
        (NodeKind::Map(entries), NodeKind::Map(marks)) => {
            for m in marks {
                match entries.iter_mut().rev().find(|e| e.key == m.key) {
                    Some(e) if m.value.as_bool() == Some(true) => {
                        e.value = Node::unknown(e.value.span);
                    }
                    Some(e) => mark_unknown(&mut e.value, &m.value),
                    None if m.value.as_bool() == Some(true) => entries.push(Entry {
                        key: m.key.clone(),
                        key_span: m.key_span,
                        value: Node::unknown(m.value.span),
                    }),
                    None => {}
                }
            }
        }
        (NodeKind::Seq(items), NodeKind::Seq(marks)) => {
            for (item, m) in items.iter_mut().zip(marks) {
                if m.as_bool() == Some(true) {
                    *item = Node::unknown(item.span);
                } else {
                    mark_unknown(item, m);
                }
            }
        }
        (_, NodeKind::Bool(true)) => *body = Node::unknown(body.span),
        _ => {}
    }
}

/// `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`: the address of the
/// configuration block, without instance keys.
pub(crate) fn config_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth == 0 {
            if c == '[' {
                depth = 1;
            } else {
                out.push(c);
            }
            continue;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_addresses_drop_instance_keys() {
        assert_eq!(
            config_address(r#"module.a["x].y"].aws_s3_bucket.b[0]"#),
            "module.a.aws_s3_bucket.b"
        );
        assert_eq!(config_address("aws_s3_bucket.b"), "aws_s3_bucket.b");
        assert_eq!(
            config_address(r#"data.aws_iam_policy_document.p["a\"]"]"#),
            "data.aws_iam_policy_document.p"
        );
    }
}
