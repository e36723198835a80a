//! Reads discovered files into the source map, skipping binary and huge files with a note.

use std::io::Read;
use std::sync::Arc;

use rayon::prelude::*;
use trustmap_source::{Diagnostic, FileId, SourceFile};

use crate::discover::Discovered;

/// Files larger than this are skipped (a diagnostic says so); nothing is read whole beyond it.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Result of reading one file.
pub(crate) enum Loaded {
    Text(String),
    Skipped(Diagnostic),
    /// A [`FileKind::Text`](crate::FileKind::Text) file that turned out to be binary: read
    /// only for secrets, so skipped without a note.
    Ignored,
}

pub(crate) fn load_all(files: &[Discovered], max_bytes: u64) -> Vec<Loaded> {
    files.par_iter().map(|f| load_one(f, max_bytes)).collect()
}

fn load_one(f: &Discovered, max_bytes: u64) -> Loaded {
    let file = match std::fs::File::open(&f.abs) {
        Ok(file) => file,
        Err(e) => return unreadable(f, &e.to_string()),
    };
    let mut buf = Vec::new();
    // Read at most one byte past the limit, so a huge file is never loaded whole.
    if let Err(e) = file.take(max_bytes + 1).read_to_end(&mut buf) {
        return unreadable(f, &e.to_string());
    }
    from_bytes(f, buf, max_bytes)
}

pub(crate) fn unreadable(f: &Discovered, error: &str) -> Loaded {
    Loaded::Skipped(
        Diagnostic::new("io-error", format!("cannot read file: {error}")).with_path(&f.rel),
    )
}

pub(crate) fn too_large(f: &Discovered, max_bytes: u64) -> Loaded {
    Loaded::Skipped(
        Diagnostic::new(
            "file-too-large",
            format!("skipped: larger than {} MiB", max_bytes / (1024 * 1024)),
        )
        .with_path(&f.rel),
    )
}

/// Decides what a file's bytes are (wherever they were read from): text, or skipped.
pub(crate) fn from_bytes(f: &Discovered, buf: Vec<u8>, max_bytes: u64) -> Loaded {
    if buf.len() as u64 > max_bytes {
        return too_large(f, max_bytes);
    }
    if memchr::memchr(0, &buf[..buf.len().min(8192)]).is_some() {
        if f.kind == crate::FileKind::Text {
            return Loaded::Ignored;
        }
        return Loaded::Skipped(
            Diagnostic::new("binary-file", "skipped: binary content").with_path(&f.rel),
        );
    }
    match String::from_utf8(buf) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                // Keep offsets stable: replace the BOM by spaces rather than removing it.
                s.replace_range(0..3, "   ");
            }
            Loaded::Text(s)
        }
        Err(e) => Loaded::Text(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

pub(crate) fn source(id: FileId, rel: &str, text: String) -> Arc<SourceFile> {
    Arc::new(SourceFile::new(id, rel, text))
}
