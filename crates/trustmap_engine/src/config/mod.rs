//! `trustmap.toml`: finding it, reading it strictly, and turning it into [`Settings`].
//!
//! The file is found upward from the first scanned path (up to the git root or the filesystem
//! root), or named with `--config`. Unknown keys and invalid values are errors that name the
//! file, line and column; nothing is scanned with a configuration that was half understood.
//! The CLI applies its own flags after [`Loaded::apply`], so flags win.

mod apply;
mod file;
pub mod policy;
pub mod select;

use std::path::{Path, PathBuf};

pub use file::ConfigFile;
pub use policy::{Governance, InlineRefusal, Policy};
pub use trustmap_model::suppression::Date;

use crate::Settings;

/// The names looked for in each directory.
pub const FILE_NAMES: [&str; 2] = ["trustmap.toml", ".trustmap.toml"];

/// A configuration problem: the scan does not start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("both {0} and {1} exist; keep one")]
    Ambiguous(String, String),
}

/// A configuration file, read and checked.
#[derive(Debug)]
pub struct Loaded {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// The path as shown in messages (as given, or relative to the working directory).
    pub display: String,
    pub text: String,
    pub file: ConfigFile,
}

/// Looks for a configuration file in `start` (or its directory) and each parent, stopping
/// after the directory that holds `.git` or at the filesystem root.
pub fn discover(start: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    let mut dir = if start.is_file() {
        start.parent().map(Path::to_path_buf)
    } else {
        Some(start)
    };
    while let Some(d) = dir {
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|n| d.join(n))
            .filter(|p| p.is_file())
            .collect();
        match found.as_slice() {
            [one] => return Ok(Some(one.clone())),
            [a, b, ..] => {
                return Err(ConfigError::Ambiguous(
                    shown(a).to_string(),
                    shown(b).to_string(),
                ));
            }
            [] => {}
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Ok(None)
}

/// The configuration for a scan of `roots`: `explicit` (`--config`) if given, else the one
/// found from the first root; none with `--no-config`.
pub fn find_and_load(
    roots: &[PathBuf],
    explicit: Option<&Path>,
    disabled: bool,
) -> Result<Option<Loaded>, ConfigError> {
    if disabled {
        return Ok(None);
    }
    if let Some(path) = explicit {
        return load(path, path.display().to_string()).map(Some);
    }
    let Some(first) = roots.first() else {
        return Ok(None);
    };
    match discover(first)? {
        Some(path) => {
            let display = shown(&path);
            load(&path, display).map(Some)
        }
        None => Ok(None),
    }
}

/// `path` relative to the working directory when it is under it, else as is.
fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Reads and parses one file; `display` names it in errors.
pub fn load(path: &Path, display: String) -> Result<Loaded, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: display.clone(),
        source,
    })?;
    parse(path, display, text)
}

/// Parses configuration text; every error names `display:line:column`.
pub fn parse(path: &Path, display: String, text: String) -> Result<Loaded, ConfigError> {
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        invalid(&display, &text, at, e.message().trim_end())
    })?;
    let loaded = Loaded {
        path: std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        display,
        text,
        file,
    };
    // Everything that can be wrong with a value is checked now, before any scanning.
    apply::check(&loaded)?;
    Ok(loaded)
}

impl Loaded {
    /// Fills `settings` from the file (rule selection, inputs, policy, suppressions).
    pub fn apply(&self, settings: &mut Settings) -> Result<(), ConfigError> {
        apply::apply(self, settings)
    }

    /// The directory paths and globs are relative to.
    pub fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }

    /// An error at byte `at` of the file.
    pub(crate) fn error_at(&self, at: usize, message: impl AsRef<str>) -> ConfigError {
        invalid(&self.display, &self.text, at, message.as_ref())
    }

    /// `display:line` of byte `at`, for messages that point back at the file.
    pub(crate) fn location(&self, at: usize) -> String {
        format!("{}:{}", self.display, line_col(&self.text, at).0)
    }
}

fn invalid(display: &str, text: &str, at: usize, message: &str) -> ConfigError {
    let (line, column) = line_col(text, at);
    ConfigError::Invalid {
        path: display.to_string(),
        line,
        column,
        message: message.to_string(),
    }
}

/// 1-based line and column (in characters) of byte `at`.
pub(crate) fn line_col(text: &str, at: usize) -> (u32, u32) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests;
