//! Custom rules and their metadata (`__rego_metadata__`).
//!
//! Findings point at a `&'static RuleMeta` (built-in rules are statics). A custom rule's
//! metadata is built once per loaded package and leaked: a handful of small structs per
//! process, never freed before exit anyway, and every output keeps working unchanged.

use std::collections::BTreeMap;

use regorus::Engine;
use trustmap_rules::{Capability, RuleMeta, Severity};

use crate::load::{LoadError, Module};

/// The rule kinds a package may define, with the default severity of their results.
pub(crate) const RESULT_RULES: [&str; 3] = ["deny", "violation", "warn"];

/// One package that defines results: a custom rule.
#[derive(Debug, Clone)]
pub struct CustomRule {
    pub meta: &'static RuleMeta,
    /// `data.<package>`.
    pub package: String,
    /// The first module of the package (a finding without a location points here).
    pub path: String,
    pub(crate) text: std::sync::Arc<str>,
    /// Which of [`RESULT_RULES`] the package defines (evaluating an undefined one is an error).
    pub(crate) kinds: Vec<&'static str>,
}

/// Finds the packages with `deny`/`warn`/`violation` and reads their metadata.
pub(crate) fn custom_rules(
    engine: &mut Engine,
    modules: &[Module],
) -> Result<Vec<CustomRule>, LoadError> {
    let mut packages: BTreeMap<&str, (&Module, Vec<&'static str>)> = BTreeMap::new();
    for m in modules {
        for kind in RESULT_RULES {
            if engine
                .has_declared_rule_rooted_at(&m.path, kind)
                .unwrap_or(false)
            {
                let entry = packages
                    .entry(m.package.as_str())
                    .or_insert((m, Vec::new()));
                if !entry.1.contains(&kind) {
                    entry.1.push(kind);
                }
            }
        }
    }
    let mut rules: Vec<CustomRule> = Vec::new();
    for (package, (module, kinds)) in packages {
        let declared = modules.iter().any(|m| {
            m.package == package
                && engine
                    .has_declared_rule_rooted_at(&m.path, "__rego_metadata__")
                    .unwrap_or(false)
        });
        let raw = if declared {
            let value = engine
                .eval_rule(format!("{package}.__rego_metadata__"))
                .map_err(|e| LoadError(format!("{}: __rego_metadata__: {e}", module.path)))?;
            serde_json::to_value(&value).unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::Value::Null
        };
        let meta = parse(package, &module.path, &raw)?;
        if let Some(other) = rules
            .iter()
            .find(|r| r.meta.id.eq_ignore_ascii_case(meta.id))
        {
            return Err(LoadError(format!(
                "{}: rule id {} is already used by {} ({})",
                module.path, meta.id, other.package, other.path
            )));
        }
        rules.push(CustomRule {
            meta: Box::leak(Box::new(meta)),
            package: package.to_string(),
            path: module.path.clone(),
            text: module.text.clone(),
            kinds,
        });
    }
    Ok(rules)
}

/// Reads `{id, title, severity, capability, description, fix}`; each is optional.
fn parse(package: &str, path: &str, raw: &serde_json::Value) -> Result<RuleMeta, LoadError> {
    let bad = |what: String| LoadError(format!("{path}: __rego_metadata__ of {package}: {what}"));
    let field = |key: &str| -> Result<Option<String>, LoadError> {
        match raw.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(bad(format!("`{key}` must be a string, not {other}"))),
        }
    };
    if !(raw.is_null() || raw.is_object()) {
        return Err(bad("must be an object".into()));
    }
    let short = package.strip_prefix("data.").unwrap_or(package);
    let id = match field("id")? {
        Some(id) => id,
        None => format!("CUSTOM-{}", short.replace(['.', '_'], "-").to_uppercase()),
    };
    check_id(&id).map_err(bad)?;
    let severity = match field("severity")? {
        Some(s) => Severity::parse(&s.to_lowercase()).ok_or_else(|| {
            bad(format!(
                "unknown severity `{s}` (critical, high, medium, low, info)"
            ))
        })?,
        None => Severity::Medium,
    };
    let capability = match field("capability")? {
        Some(c) => parse_capability(&c).ok_or_else(|| {
            bad(format!(
                "unknown capability `{c}` (identity, failure, iac, design)"
            ))
        })?,
        None => Capability::Iac,
    };
    let title = field("title")?.unwrap_or_else(|| format!("Custom policy {short}"));
    let description = field("description")?.unwrap_or_else(|| title.clone());
    let fix = field("fix")?.unwrap_or_else(|| "See the policy's documentation.".into());
    let doc = format!(
        "## What it finds\n{description}\n\n## Why it matters\nA custom policy of this \
         repository ({package}, {path}).\n\n## Fix\n{fix}\n"
    );
    let name = field("name")?.unwrap_or_else(|| short.replace(['.', '_'], "-").to_lowercase());
    Ok(RuleMeta {
        id: leak(id),
        name: leak(name),
        severity,
        capability,
        languages: &[],
        equivalents: &[],
        doc: leak(doc),
    })
}

fn parse_capability(s: &str) -> Option<Capability> {
    Capability::ALL
        .into_iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(s))
}

/// Ids are shown and matched everywhere built-in ids are: same alphabet, and never one of
/// theirs (a custom rule could otherwise hide or impersonate a built-in finding).
fn check_id(id: &str) -> Result<(), String> {
    let well_formed = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !well_formed {
        return Err(format!(
            "id `{id}` must be letters, digits, `-`, `_` or `.`, starting with a letter or digit"
        ));
    }
    if let Some(builtin) = trustmap_rules::all_rules()
        .iter()
        .map(|r| r.meta())
        .find(|m| m.id.eq_ignore_ascii_case(id) || m.name.eq_ignore_ascii_case(id))
    {
        return Err(format!(
            "id `{id}` is the built-in rule {} ({}); choose another (e.g. prefix it with CUSTOM-)",
            builtin.id, builtin.name
        ));
    }
    Ok(())
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
