//! Arbitrary bytes (lossy UTF-8) into the Dockerfile adapter (parse-dockerfile, stage and
//! `ARG` resolution, `ENV`/`ARG` splitting, the shell lexer for `RUN`): no panic, no hang,
//! and every span in the model or a diagnostic is a slice of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustmap_model::docker::shell::Script;
use trustmap_model::docker::{CommandForm, Dockerfile, Instruction, InstructionKind, KeyValue, Text};
use trustmap_source::{FileId, SourceFile, Span};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = SourceFile::new(FileId(0), "Dockerfile", text.as_ref());
    let mut diags = Vec::new();
    let adapted = trustmap_adapt::docker::from_file(&file, &mut diags);
    if let Some(d) = &adapted {
        check(&file, d);
    }
    assert!(adapted.is_some() || !diags.is_empty(), "no model and no diagnostic");
    for d in &diags {
        if let Some(span) = d.span {
            inside(&file, span);
        }
    }
});

fn check(f: &SourceFile, d: &Dockerfile) {
    d.global_args.iter().for_each(|kv| key_value(f, kv));
    for stage in &d.stages {
        inside(f, stage.span);
        inside(f, stage.from_span);
        inside(f, stage.from.span);
        stage.from.via.iter().for_each(|v| inside(f, v.span));
        stage.name.iter().for_each(|n| text(f, n));
        stage.instructions.iter().for_each(|i| instruction(f, i));
    }
}

fn instruction(f: &SourceFile, i: &Instruction) {
    inside(f, i.span);
    match &i.kind {
        InstructionKind::Run(r) => {
            r.scripts.iter().for_each(|s| script(f, s));
            r.heredocs.iter().for_each(|h| text(f, h));
            r.flags.iter().for_each(|fl| inside(f, fl.span));
            if let CommandForm::Exec(args) = &r.form {
                args.iter().for_each(|a| text(f, a));
            }
        }
        InstructionKind::Env(kvs) | InstructionKind::Arg(kvs) => {
            kvs.iter().for_each(|kv| key_value(f, kv));
        }
        InstructionKind::Add(t) | InstructionKind::Copy(t) => {
            t.sources.iter().for_each(|s| text(f, s));
            text(f, &t.dest);
        }
        InstructionKind::User(t) | InstructionKind::Workdir(t) | InstructionKind::Other(t) => {
            text(f, t);
        }
        InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) => text(f, &c.text),
        InstructionKind::Shell(args) => args.iter().for_each(|a| text(f, a)),
        InstructionKind::Onbuild(inner) => instruction(f, inner),
        InstructionKind::Healthcheck(h) => {
            h.flags.iter().for_each(|fl| inside(f, fl.span));
            text(f, &h.text);
        }
    }
}

fn script(f: &SourceFile, s: &Script) {
    inside(f, s.span);
    for p in &s.pipelines {
        inside(f, p.span);
        for c in &p.commands {
            inside(f, c.span);
            c.words.iter().for_each(|w| inside(f, w.span));
            let _ = c.program();
        }
    }
}

fn key_value(f: &SourceFile, kv: &KeyValue) {
    text(f, &kv.key);
    kv.value.iter().for_each(|v| text(f, v));
}

fn text(f: &SourceFile, t: &Text) {
    inside(f, t.span);
}

fn inside(file: &SourceFile, span: Span) {
    assert!(
        file.text.get(span.range()).is_some(),
        "{span:?} outside the input or not on a character boundary"
    );
}
