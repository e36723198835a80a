//! Arbitrary bytes (lossy UTF-8) read as a GitHub Actions workflow, an action metadata file
//! and a GitLab CI pipeline: no panic, no hang, and every span the adapters return (script
//! words and runner file writes included) is a slice of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustmap_adapt::{gha, gitlab};
use trustmap_model::docker::shell::Script;
use trustmap_source::{FileId, SourceFile, Span};
use trustmap_syntax::yaml;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = SourceFile::new(FileId(0), ".github/workflows/fuzz.yml", text.as_ref());
    let parsed = yaml::parse(&file);
    let mut diags = Vec::new();
    if let Some(doc) = parsed.docs.first() {
        if let Some(w) = gha::from_document(&file, doc, &mut diags) {
            for s in w.jobs.iter().flat_map(|j| &j.steps) {
                check_script(&file, s.script.as_ref());
                s.file_writes
                    .iter()
                    .for_each(|fw| assert_inside(&file, fw.span));
            }
        }
        if let Some(a) = gha::action_from_document(&file, doc) {
            a.steps
                .iter()
                .for_each(|s| check_script(&file, s.script.as_ref()));
        }
    }
    if let Some(doc) = gitlab::config_document(&parsed.docs) {
        let parts = [gitlab::PipelineFile { file: &file, doc }];
        let found = |_: &str| None;
        if let Some(p) = gitlab::from_files(&parts, &found, &mut diags) {
            for j in &p.jobs {
                assert_inside(&file, j.name_span);
                for (_, l) in j.script_lines() {
                    check_script(&file, Some(&l.script));
                }
            }
        }
    }
});

fn check_script(file: &SourceFile, script: Option<&Script>) {
    for c in script.iter().flat_map(|s| s.commands()) {
        assert_inside(file, c.span);
        c.words.iter().for_each(|w| assert_inside(file, w.span));
        c.redirects
            .iter()
            .for_each(|r| assert_inside(file, r.target.span));
    }
}

fn assert_inside(file: &SourceFile, span: Span) {
    assert!(
        file.text.get(span.range()).is_some(),
        "{span:?} outside the input"
    );
}
