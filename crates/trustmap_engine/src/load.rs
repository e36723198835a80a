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
    let skip = |code, msg: String| Loaded::Skipped(Diagnostic::new(code, msg).with_path(&f.rel));
    let file = match std::fs::File::open(&f.abs) {
        Ok(file) => file,
        Err(e) => return skip("io-error", format!("cannot read file: {e}")),
    };
    let mut buf = Vec::new();
    // Read at most one byte past the limit, so a huge file is never loaded whole.
    if let Err(e) = file.take(max_bytes + 1).read_to_end(&mut buf) {
        return skip("io-error", format!("cannot read file: {e}"));
    }
    if buf.len() as u64 > max_bytes {
        return skip(
            "file-too-large",
            format!("skipped: larger than {} MiB", max_bytes / (1024 * 1024)),
        );
    }
    if memchr::memchr(0, &buf[..buf.len().min(8192)]).is_some() {
        if f.kind == crate::FileKind::Text {
            return Loaded::Ignored;
        }
        return skip("binary-file", "skipped: binary content".to_string());
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
