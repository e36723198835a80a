//! Writes the rendered report: to stdout, or atomically to a file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `text` to `path` via a temporary file in the same directory and a rename, so a
/// failed run never leaves a half-written report; or to stdout when `path` is `None`.
/// Special files (`/dev/null`, pipes) are written directly: they cannot be half-written, and
/// a rename would replace them.
/// A closed stdout (e.g. piped into `head`) is not an error.
pub(crate) fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        None => {
            let mut out = anstream::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
        Some(path) if !is_regular_or_absent(path) => {
            // A device, FIFO or socket (e.g. `/dev/null`, `/dev/stdout`, a named pipe): write
            // straight into it. Renaming a temporary file over it would replace the device.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.flush())
                .with_context(|| format!("cannot write `{}`", path.display()))
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in `{}`", dir.display()))?;
            tmp.write_all(text.as_bytes())
                .and_then(|()| tmp.flush())
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            tmp.persist(path)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            Ok(())
        }
    }
}

/// True when `path` does not exist or is (or links to) a regular file.
fn is_regular_or_absent(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) => meta.is_file(),
        Err(_) => true,
    }
}
