//! `trustmap policy test`: runs the `test_*` rules of `*_test.rego` files, like `opa test`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::load::{self, LoadError};

/// One test's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The test rule was false or undefined.
    Fail,
    /// Evaluating it failed (a runtime error, the time limit).
    Error(String),
}

#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test file.
    pub path: String,
    /// `data.<package>.test_<name>`.
    pub name: String,
    pub verdict: Verdict,
    /// What the test's `print` calls wrote (shown with `-v`).
    pub prints: Vec<String>,
}

/// Loads policies, data and tests under `dirs` and runs every test.
pub fn run(dirs: &[PathBuf]) -> Result<Vec<TestResult>, LoadError> {
    let found = load::find(dirs)?;
    let mut engine = load::new_engine();
    load::add_modules(&mut engine, &found.policies)?;
    let tests = load::add_modules(&mut engine, &found.tests)?;
    load::add_data_files(&mut engine, &found.data)?;
    let mut results = Vec::new();
    for module in &tests {
        for name in test_names(&module.text) {
            let rule = format!("{}.{name}", module.package);
            let verdict = match engine.eval_rule(rule.clone()) {
                Ok(v) if v == regorus::Value::from(true) => Verdict::Pass,
                Ok(_) => Verdict::Fail,
                Err(e) => Verdict::Error(load::syntax_error(&module.path, &e)),
            };
            let prints = engine.take_prints().unwrap_or_default();
            results.push(TestResult {
                path: module.path.clone(),
                name: rule,
                verdict,
                prints,
            });
        }
    }
    Ok(results)
}

/// The test rules a module defines: rule heads `test_<name>` at the start of a line (the
/// place `opa fmt` puts them), each once.
fn test_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let ident: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if ident.starts_with("test_") && !names.contains(&ident) {
            names.push(ident);
        }
    }
    names
}

/// The report `opa test` users expect: failures (all results with `verbose`), then a count.
pub fn render(results: &[TestResult], verbose: bool) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for r in results {
        if !verbose && r.verdict == Verdict::Pass {
            continue;
        }
        if current != Some(r.path.as_str()) {
            let _ = writeln!(out, "{}:", r.path);
            current = Some(&r.path);
        }
        match &r.verdict {
            Verdict::Pass => {
                let _ = writeln!(out, "{}: PASS", r.name);
            }
            Verdict::Fail => {
                let _ = writeln!(out, "{}: FAIL", r.name);
            }
            Verdict::Error(e) => {
                let _ = writeln!(out, "{}: ERROR", r.name);
                for line in e.lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        if verbose {
            for line in &r.prints {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    let passed = results
        .iter()
        .filter(|r| r.verdict == Verdict::Pass)
        .count();
    let failed = results
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .count();
    let errors = results.len() - passed - failed;
    if !out.is_empty() {
        out.push_str(&"-".repeat(80));
        out.push('\n');
    }
    if passed > 0 {
        let _ = writeln!(out, "PASS: {passed}/{}", results.len());
    }
    if failed > 0 {
        let _ = writeln!(out, "FAIL: {failed}/{}", results.len());
    }
    if errors > 0 {
        let _ = writeln!(out, "ERROR: {errors}/{}", results.len());
    }
    if results.is_empty() {
        out.push_str("no tests found (test_* rules in *_test.rego files)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_are_rule_heads_at_line_start() {
        let text =
            "package p\ntest_a if { true }\n  # test_not_a_head\ntest_b := x\ntest_a if { 1 }\n";
        assert_eq!(test_names(text), ["test_a", "test_b"]);
    }
}
