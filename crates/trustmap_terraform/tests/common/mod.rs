//! Helpers for the Terraform evaluator tests: inline files, lookups by address, span text.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::Node;
use trustmap_terraform::{TfOptions, TfOutput, TfResource, evaluate};

pub struct Scan {
    pub files: Vec<Arc<SourceFile>>,
    pub out: TfOutput,
}

pub fn files(list: &[(&str, &str)]) -> Vec<Arc<SourceFile>> {
    list.iter()
        .enumerate()
        .map(|(i, (path, text))| Arc::new(SourceFile::new(FileId(i as u32), *path, *text)))
        .collect()
}

pub fn scan(list: &[(&str, &str)]) -> Scan {
    scan_with(list, &TfOptions::default())
}

pub fn scan_with(list: &[(&str, &str)], opts: &TfOptions) -> Scan {
    let files = files(list);
    let out = evaluate(&files, opts);
    Scan { files, out }
}

/// Like [`scan`] for a whole tree, as the engine does: the Terraform files are evaluated and
/// every file (policies, templates, …) is readable by `file()` and `templatefile()`.
pub fn scan_tree(list: &[(&str, &str)]) -> Scan {
    let files = files(list);
    let tf: Vec<Arc<SourceFile>> = files
        .iter()
        .filter(|f| f.path.ends_with(".tf") || f.path.ends_with(".tfvars"))
        .cloned()
        .collect();
    let opts = TfOptions {
        files: files.clone(),
        ..TfOptions::default()
    };
    let out = evaluate(&tf, &opts);
    Scan { files, out }
}

impl Scan {
    pub fn addresses(&self) -> Vec<&str> {
        self.out
            .resources
            .iter()
            .map(|r| r.address.as_str())
            .collect()
    }

    pub fn resource(&self, address: &str) -> &TfResource {
        self.out
            .resources
            .iter()
            .find(|r| r.address == address)
            .unwrap_or_else(|| panic!("no resource {address}; have {:?}", self.addresses()))
    }

    pub fn attr(&self, address: &str, key: &str) -> &Node {
        self.resource(address).body.get(key).unwrap_or_else(|| {
            panic!(
                "{address} has no attribute {key}: {:#}",
                self.resource(address).body.to_json()
            )
        })
    }

    pub fn json(&self, address: &str) -> serde_json::Value {
        self.resource(address).body.to_json()
    }

    pub fn file_of(&self, span: Span) -> &SourceFile {
        &self.files[span.file.0 as usize]
    }

    /// The source text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.file_of(span).slice(span)
    }

    /// `path:line` of a span's start.
    pub fn at(&self, span: Span) -> String {
        let f = self.file_of(span);
        format!("{}:{}", f.path, f.line_col(span.start).line)
    }

    pub fn codes(&self) -> Vec<&str> {
        self.out.diagnostics.iter().map(|d| d.code).collect()
    }

    pub fn has_diag(&self, code: &str, needle: &str) -> bool {
        self.out
            .diagnostics
            .iter()
            .any(|d| d.code == code && d.message.contains(needle))
    }
}

impl Scan {
    /// The evaluator's count of unknown values.
    pub fn unknowns(&self) -> usize {
        self.out.unknown_values
    }
}
