//! From a parsed `trustmap.toml` to [`Settings`]: every value is checked here, and a bad
//! one is an error at its own line and column.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use toml::Spanned;
use trustmap_model::suppression::{Date, Source};
use trustmap_rules::{Severity, all_rules};
use trustmap_source::{FileId, SourceFile};

use super::file::{Peer, SeverityName};
use super::policy::{Override, PathSuppression, Policy};
use super::select::Selector;
use super::{ConfigError, Loaded};
use crate::Settings;

/// Checks every value by applying the file to throw-away settings.
pub(super) fn check(loaded: &Loaded) -> Result<(), ConfigError> {
    apply(loaded, &mut Settings::new(Vec::new()))
}

pub(super) fn apply(loaded: &Loaded, settings: &mut Settings) -> Result<(), ConfigError> {
    let f = &loaded.file;
    let mut policy = Policy {
        file: Some((
            loaded.path.clone(),
            loaded.display.clone(),
            Arc::from(loaded.text.as_str()),
        )),
        ..Policy::default()
    };

    // [rules]
    if let Some(select) = &f.rules.select {
        let select = selectors(loaded, select)?;
        settings.rules = all_rules()
            .iter()
            .copied()
            .filter(|r| select.iter().any(|s| s.matches(r.meta())))
            .collect();
    }
    let ignore = selectors(loaded, &f.rules.ignore)?;
    settings
        .rules
        .retain(|r| !ignore.iter().any(|s| s.matches(r.meta())));
    policy.severity = severities(loaded, &f.rules.severity)?;
    policy.fail_on = f.fail_on.map(SeverityName::severity);

    // Paths.
    if !f.exclude.is_empty() {
        policy.exclude = Some(globs(loaded, &f.exclude)?);
    }
    for o in &f.overrides {
        policy.overrides.push(Override {
            paths: globs(loaded, &o.paths)?,
            select: o
                .select
                .as_ref()
                .map(|s| selectors(loaded, s))
                .transpose()?,
            ignore: selectors(loaded, &o.ignore)?,
            severity: severities(loaded, &o.severity)?,
        });
    }
    for (pattern, team) in &f.owners {
        let m = globs(loaded, std::slice::from_ref(pattern))?;
        policy.owners.push((m, team.clone()));
    }

    // Inputs: the CLI's flags are added after these, so they win.
    for (name, value) in &f.terraform.vars {
        settings
            .terraform
            .vars
            .push((name.clone(), hcl_literal(value.get_ref())));
    }
    for path in &f.terraform.var_files {
        let file = read_relative(loaded, path, "var-file")?;
        settings.terraform.var_files.push(file);
    }
    for path in &f.policies {
        let dir = loaded.base().join(path.get_ref());
        if !dir.exists() {
            return Err(loaded.error_at(
                path.span().start,
                format!("policy directory `{}` does not exist", dir.display()),
            ));
        }
        settings.policy_dirs.push(dir);
    }
    for path in &f.helm.values {
        let file = read_relative(loaded, path, "values file")?;
        settings.helm.values_files.push(file);
    }
    for (exprs, strings, into) in [
        (&f.helm.set, false, &mut settings.helm.set),
        (&f.helm.set_string, true, &mut settings.helm.set_string),
    ] {
        for expr in exprs {
            let scratch = trustmap_gotmpl::Value::empty_map();
            trustmap_gotmpl::helm::apply_set(expr.get_ref(), &scratch, strings)
                .map_err(|e| loaded.error_at(expr.span().start, e))?;
            into.push(expr.get_ref().clone());
        }
    }
    for (name, value) in &f.cloudformation.parameters {
        settings
            .cloudformation
            .parameters
            .push((name.clone(), value.clone()));
    }

    // [suppressions]
    let s = &f.suppressions;
    if let Some(inline) = &s.inline
        && !*inline.get_ref()
    {
        settings.suppressions.inline = false;
        settings.suppressions.inline_disabled_by = Some(loaded.location(inline.span().start));
    }
    if let Some(migrate) = &s.migrate {
        settings.suppressions.migrate = migrate
            .iter()
            .map(|p| match p {
                Peer::Checkov => Source::Checkov,
                Peer::Tfsec => Source::Tfsec,
                Peer::Trivy => Source::Trivy,
                Peer::Kics => Source::Kics,
            })
            .collect();
    }
    for entry in &s.paths {
        let reason = entry.reason.get_ref().trim();
        if reason.is_empty() {
            return Err(loaded.error_at(entry.reason.span().start, "`reason` must not be empty"));
        }
        if entry.rules.is_empty() {
            return Err(loaded.error_at(
                entry.reason.span().start,
                "`rules` must name at least one rule, prefix or capability",
            ));
        }
        selectors(loaded, &entry.rules)?;
        let until = entry.until.as_ref().map(|u| date(loaded, u)).transpose()?;
        let start = entry
            .paths
            .first()
            .map_or(entry.reason.span().start, |p| p.span().start);
        let end = entry.reason.span().end;
        policy.suppressions.push(PathSuppression {
            patterns: entry.paths.iter().map(|p| p.get_ref().clone()).collect(),
            matcher: globs(loaded, &entry.paths)?,
            rules: entry.rules.iter().map(|r| r.get_ref().clone()).collect(),
            reason: reason.to_string(),
            until,
            start: start.min(end),
            end: start.max(end),
        });
    }
    settings.policy = policy;
    Ok(())
}

fn selectors(loaded: &Loaded, list: &[Spanned<String>]) -> Result<Vec<Selector>, ConfigError> {
    list.iter()
        .map(|s| Selector::parse(s.get_ref()).map_err(|e| loaded.error_at(s.span().start, e)))
        .collect()
}

fn severities(
    loaded: &Loaded,
    map: &indexmap::IndexMap<Spanned<String>, SeverityName>,
) -> Result<Vec<(Selector, Severity)>, ConfigError> {
    map.iter()
        .map(|(k, v)| {
            let sel =
                Selector::parse(k.get_ref()).map_err(|e| loaded.error_at(k.span().start, e))?;
            Ok((sel, v.severity()))
        })
        .collect()
}

/// Gitignore-style patterns relative to the configuration directory.
fn globs(loaded: &Loaded, patterns: &[Spanned<String>]) -> Result<Gitignore, ConfigError> {
    let mut b = GitignoreBuilder::new(loaded.base());
    for p in patterns {
        if p.get_ref().trim().is_empty() {
            return Err(loaded.error_at(p.span().start, "empty path pattern"));
        }
        b.add_line(None, p.get_ref())
            .map_err(|e| loaded.error_at(p.span().start, format!("bad pattern: {e}")))?;
    }
    b.build()
        .map_err(|e| loaded.error_at(0, format!("bad pattern: {e}")))
}

/// `until`: a TOML local date (`2027-01-31`) or the same as a string.
fn date(loaded: &Loaded, v: &Spanned<toml::Value>) -> Result<Date, ConfigError> {
    let text = match v.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        _ => String::new(),
    };
    Date::parse(&text).ok_or_else(|| {
        loaded.error_at(
            v.span().start,
            "`until` must be a date, YYYY-MM-DD (for example 2027-01-31)",
        )
    })
}

/// Reads a file named relative to the configuration directory.
fn read_relative(
    loaded: &Loaded,
    path: &Spanned<String>,
    what: &str,
) -> Result<Arc<SourceFile>, ConfigError> {
    let rel = Path::new(path.get_ref());
    let abs = loaded.base().join(rel);
    let text = std::fs::read_to_string(&abs).map_err(|e| {
        loaded.error_at(
            path.span().start,
            format!("cannot read {what} `{}`: {e}", abs.display()),
        )
    })?;
    let shown: PathBuf = Path::new(&loaded.display)
        .parent()
        .map_or_else(|| rel.to_path_buf(), |d| d.join(rel));
    // Ids are reassigned by the engine when it adds the file to the scan's source map.
    Ok(Arc::new(SourceFile::new(
        FileId(0),
        shown.display().to_string(),
        text,
    )))
}

/// A TOML value as the HCL expression `--var` would take: strings stay strings.
fn hcl_literal(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => hcl_string(s),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(x) => x.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => hcl_string(&d.to_string()),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(hcl_literal).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(t) => {
            let items: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", hcl_string(k), hcl_literal(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::hcl_literal;

    #[test]
    fn toml_values_become_hcl_literals() {
        let v: toml::Table =
            toml::from_str("a = \"x\\\"${y}\"\nb = [1, true]\nc = { k = 2.5 }\n").expect("toml");
        assert_eq!(hcl_literal(&v["a"]), r#""x\"$${y}""#);
        assert_eq!(hcl_literal(&v["b"]), "[1, true]");
        assert_eq!(hcl_literal(&v["c"]), r#"{"k" = 2.5}"#);
    }
}
