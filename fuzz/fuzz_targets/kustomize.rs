//! Arbitrary bytes (lossy UTF-8) split at NUL into a small Kustomize tree (an overlay, a
//! base, a resource, a patch, an env file) and built; the first part is also read as a
//! compose file and a Serverless service. No panic, no hang, no runaway memory, and every
//! span the builds and adapters return is a slice of the file it names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustmap_adapt::{aws, compose, kustomize};
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::yaml;

const PATHS: &[&str] = &[
    "overlays/prod/kustomization.yaml",
    "base/kustomization.yaml",
    "base/deployment.yaml",
    "overlays/prod/patch.yaml",
    "overlays/prod/app.env",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<SourceFile> = text
        .split('\0')
        .zip(PATHS)
        .enumerate()
        .map(|(i, (t, p))| SourceFile::new(FileId(i as u32), *p, t))
        .collect();
    let all: Vec<&SourceFile> = files.iter().collect();
    let ks: Vec<&SourceFile> = files
        .iter()
        .filter(|f| kustomize::is_kustomization_path(&f.path))
        .collect();
    let out = kustomize::build_all(&all, &ks);
    for d in &out.diagnostics {
        if let Some(span) = d.span {
            assert_inside(&files, span);
        }
    }
    for w in &out.k8s.workloads {
        assert_inside(&files, w.object.meta.span);
        w.object
            .meta
            .via
            .iter()
            .for_each(|v| assert_inside(&files, v.span));
        for c in &w.pod.containers {
            assert_inside(&files, c.span);
            assert_inside(&files, c.image.span);
            assert_inside(&files, c.security.privileged.span);
            c.security
                .privileged
                .via
                .iter()
                .for_each(|v| assert_inside(&files, v.span));
        }
    }
    for s in &out.k8s.secrets {
        s.data
            .iter()
            .for_each(|d| assert_inside(&files, d.value.span));
    }
    if let Some(first) = files.first() {
        let parsed = yaml::parse(first);
        let mut diags = Vec::new();
        if let Some(doc) = parsed.docs.first() {
            if let Some(c) = compose::from_document(first, doc, &mut diags) {
                for s in &c.services {
                    s.ports
                        .iter()
                        .for_each(|p| assert_inside(&files, p.target.span));
                    s.environment
                        .iter()
                        .for_each(|e| assert_inside(&files, e.name_span));
                }
            }
            let _ = aws::serverless::from_document(first, doc, &mut diags);
        }
    }
});

fn assert_inside(files: &[SourceFile], span: Span) {
    let file = &files[span.file.0 as usize];
    assert!(
        file.text.get(span.range()).is_some(),
        "{span:?} outside {}",
        file.path
    );
}
