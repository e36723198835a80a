//! Loading policy directories into one regorus engine.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use regorus::Engine;

use crate::files::{self, PolicyFiles};
use crate::metadata::{self, CustomRule};

/// A policy file that cannot be used: bad syntax, bad data, bad metadata. Its message starts
/// with `file:line:col:` when the place is known; the CLI stops with exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(pub String);

/// Loaded custom policies: the engine with every module and data file, and one custom rule
/// per package that defines `deny`, `warn` or `violation`.
pub struct PolicySet {
    /// Cloned per evaluation: regorus engines carry their input, so each scan gets its own.
    engine: Mutex<Engine>,
    rules: Vec<CustomRule>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

/// One Rego module as read from disk.
pub(crate) struct Module {
    pub(crate) path: String,
    pub(crate) text: Arc<str>,
    pub(crate) package: String,
}

impl PolicySet {
    /// Loads every `*.rego` (not `*_test.rego`) and `*.json` data file under `dirs`.
    pub fn load(dirs: &[PathBuf]) -> Result<Self, LoadError> {
        let found = find(dirs)?;
        let mut engine = new_engine();
        let modules = add_modules(&mut engine, &found.policies)?;
        add_data_files(&mut engine, &found.data)?;
        let rules = metadata::custom_rules(&mut engine, &modules)?;
        Ok(Self {
            engine: Mutex::new(engine),
            rules,
        })
    }

    /// Replaces [`crate::EVALUATION_LIMIT`] for each rule's evaluation.
    pub fn set_time_limit(&mut self, limit: std::time::Duration) {
        let engine = self
            .engine
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        engine.set_execution_timer_config(timer(limit));
    }

    /// The custom rules, in package order.
    pub fn rules(&self) -> &[CustomRule] {
        &self.rules
    }

    pub(crate) fn engine(&self) -> Engine {
        match self.engine.lock() {
            Ok(e) => e.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

pub(crate) fn find(dirs: &[PathBuf]) -> Result<PolicyFiles, LoadError> {
    let mut found = PolicyFiles::default();
    for dir in dirs {
        files::collect(dir, &mut found).map_err(|e| {
            LoadError(format!(
                "{}: cannot read policies: {e}",
                files::display(dir)
            ))
        })?;
    }
    Ok(found)
}

/// An engine with trustmap's limits: strict builtin errors (a bad call is an error, not a
/// silently undefined value) and the evaluation time limit.
pub(crate) fn new_engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(true);
    // `print` output goes to `policy test -v`, never into a scan's stderr.
    engine.set_gather_prints(true);
    engine.set_execution_timer_config(timer(crate::EVALUATION_LIMIT));
    engine
}

fn timer(limit: std::time::Duration) -> regorus::utils::limits::ExecutionTimerConfig {
    regorus::utils::limits::ExecutionTimerConfig {
        limit,
        // Checking the clock every 1,000 work units keeps its cost out of the profile.
        check_interval: std::num::NonZeroU32::new(1000).unwrap_or(std::num::NonZeroU32::MIN),
    }
}

pub(crate) fn add_modules(
    engine: &mut Engine,
    paths: &[PathBuf],
) -> Result<Vec<Module>, LoadError> {
    let mut modules = Vec::new();
    for path in paths {
        let shown = files::display(path);
        let text = read(path)?;
        let package = engine
            .add_policy(shown.clone(), text.clone())
            .map_err(|e| LoadError(syntax_error(&shown, &e)))?;
        modules.push(Module {
            path: shown,
            text: text.into(),
            package,
        });
    }
    Ok(modules)
}

pub(crate) fn add_data_files(engine: &mut Engine, paths: &[PathBuf]) -> Result<(), LoadError> {
    for path in paths {
        let shown = files::display(path);
        let text = read(path)?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| LoadError(format!("{shown}:{}:{}: {e}", e.line(), e.column())))?;
        if !value.is_object() {
            return Err(LoadError(format!(
                "{shown}:1:1: a data file must hold a JSON object (merged into `data`)"
            )));
        }
        engine
            .add_data(regorus::Value::from(value))
            .map_err(|e| LoadError(format!("{shown}: {e}")))?;
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path)
        .map_err(|e| LoadError(format!("{}: cannot read: {e}", files::display(path))))
}

/// regorus reports `--> file:line:col` followed by a code frame and `error: message`;
/// this makes it the one-line `file:line:col: message` every trustmap error uses. Errors
/// without a place (limits, data conflicts) keep their first line, after `path`.
pub(crate) fn syntax_error(path: &str, error: &dyn std::fmt::Display) -> String {
    let (place, message) = place_and_message(error);
    format!("{}: {message}", place.as_deref().unwrap_or(path))
}

/// `file:line:col` (when regorus gives one) and the message of a regorus error.
pub(crate) fn place_and_message(error: &dyn std::fmt::Display) -> (Option<String>, String) {
    let text = format!("{error}");
    let place = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|p| p.trim().to_string());
    let message = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("error: "))
        .or_else(|| text.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("invalid policy")
        .trim()
        .to_string();
    (place, message)
}
