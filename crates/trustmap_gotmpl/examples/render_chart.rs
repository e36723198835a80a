//! `cargo run -p trustmap_gotmpl --example render_chart -- DIR [--set k=v]...`: renders a
//! chart directory and prints each template's documents as JSON plus the diagnostics.

use std::path::Path;
use std::sync::Arc;

use trustmap_gotmpl::helm::{ChartFile, ChartInput, HelmOptions, render_chart};
use trustmap_source::{FileId, SourceFile};

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Option<String>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).ok()));
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("chart dir");
    let mut opts = HelmOptions::default();
    while let Some(a) = args.next() {
        if a == "--set" {
            opts.set.push(args.next().expect("value"));
        }
    }
    let mut found = Vec::new();
    walk(Path::new(&dir), Path::new(&dir), &mut found);
    let mut input = ChartInput::default();
    for (i, (rel, text)) in found.into_iter().enumerate() {
        match text {
            Some(t) => input.files.push(ChartFile {
                path: rel.clone(),
                file: Arc::new(SourceFile::new(FileId(i as u32), rel, t)),
            }),
            None => input.other_files.push(rel),
        }
    }
    let out = render_chart(&input, &opts);
    for t in &out.templates {
        println!("== {} ({} docs)", t.template.path, t.docs.len());
        for d in &t.docs {
            let line = |s: trustmap_source::Span| {
                input
                    .files
                    .iter()
                    .find(|f| f.file.id == s.file)
                    .map(|f| format!("{}:{}", f.path, f.file.line_col(s.start).line))
                    .unwrap_or_default()
            };
            println!("  doc at {}: {}", line(d.span), d.to_json());
        }
    }
    for d in &out.diagnostics {
        println!("diag {} {:?} {}", d.code, d.path, d.message);
    }
    for i in &out.incomplete {
        println!("incomplete: {i}");
    }
    println!("rendered {}/{}", out.rendered, out.total);
}
