use trustmap_model::docker::shell::Script;
use trustmap_source::FileId;

use super::*;

fn adapt(text: &str) -> (SourceFile, Option<Dockerfile>, Vec<Diagnostic>) {
    let file = SourceFile::new(FileId(0), "Dockerfile", text);
    let mut diags = Vec::new();
    let d = from_file(&file, &mut diags);
    (file, d, diags)
}

fn runs(stage: &Stage) -> Vec<&Run> {
    stage
        .instructions
        .iter()
        .filter_map(|i| match &i.kind {
            InstructionKind::Run(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn pipeline_words(s: &Script) -> Vec<Vec<Vec<&str>>> {
    s.pipelines
        .iter()
        .map(|p| {
            p.commands
                .iter()
                .map(|c| c.words.iter().map(|w| w.text.as_str()).collect())
                .collect()
        })
        .collect()
}

const MULTI: &str = "\
# syntax=docker/dockerfile:1
ARG BASE=python:3.12
ARG TAG
FROM --platform=$BUILDPLATFORM ${BASE} AS build
ENV A=1 B=\"two words\" \\
    C=3
ENV LEGACY value with spaces
ARG TOKEN
RUN curl -fsSL https://x.sh \\
    # comment
    | sh
USER 1000:1000
FROM build AS test
FROM node:$TAG
FROM scratch
COPY --from=build /a /a
";

#[test]
fn splits_stages_and_resolves_images() {
    let (file, d, diags) = adapt(MULTI);
    assert!(diags.is_empty(), "{diags:?}");
    let d = d.unwrap();
    assert_eq!(d.global_args.len(), 2);
    assert_eq!(d.stages.len(), 4);
    let build = &d.stages[0];
    assert_eq!(build.name.as_ref().unwrap().value, "build");
    assert_eq!(file.slice(build.from.span), "${BASE}");
    assert_eq!(build.from.resolved.as_deref(), Some("python:3.12"));
    assert_eq!(build.from.tag.as_deref(), Some("3.12"));
    assert_eq!(build.from.via.len(), 1);
    assert!(build.from.uses_arg && build.from.is_pulled());
    assert!(d.stages[1].from.is_stage_ref);
    assert_eq!(d.stages[2].from.resolved, None, "ARG TAG has no default");
    assert!(d.stages[3].from.is_scratch);
    assert_eq!(d.final_stage().unwrap().index, 3);
    assert_eq!(build.last_user().unwrap().value, "1000:1000");
    assert!(
        file.slice(build.span).starts_with("FROM") && file.slice(build.span).ends_with("1000:1000")
    );
}

#[test]
fn env_and_arg_pairs_keep_exact_spans() {
    let (file, d, _) = adapt(MULTI);
    let d = d.unwrap();
    let envs: Vec<&KeyValue> = d.stages[0]
        .instructions
        .iter()
        .filter_map(|i| match &i.kind {
            InstructionKind::Env(kvs) => Some(kvs),
            _ => None,
        })
        .flatten()
        .collect();
    let shown: Vec<(&str, &str, &str)> = envs
        .iter()
        .map(|kv| {
            let v = kv.value.as_ref().unwrap();
            (kv.key.value.as_str(), v.value.as_str(), file.slice(v.span))
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("A", "1", "1"),
            ("B", "two words", "\"two words\""),
            ("C", "3", "3"),
            ("LEGACY", "value with spaces", "value with spaces"),
        ]
    );
    let token = d.stages[0].instructions.iter().find_map(|i| match &i.kind {
        InstructionKind::Arg(kvs) => kvs.first(),
        _ => None,
    });
    assert_eq!(token.unwrap().key.value, "TOKEN");
    assert!(token.unwrap().value.is_none());
}

#[test]
fn run_shell_form_drops_continued_comments() {
    let (file, d, _) = adapt(MULTI);
    let d = d.unwrap();
    let run = runs(&d.stages[0])[0];
    assert_eq!(run.scripts.len(), 1);
    let s = &run.scripts[0];
    assert_eq!(
        pipeline_words(s),
        [[vec!["curl", "-fsSL", "https://x.sh"], vec!["sh"]]]
    );
    let p = &s.pipelines[0];
    assert!(file.slice(p.span).starts_with("curl") && file.slice(p.span).ends_with("| sh"));
    assert_eq!(file.slice(p.commands[1].words[0].span), "sh");
}

#[test]
fn run_exec_form_and_heredocs_are_scripts() {
    let text = "FROM alpine:3.20\n\
        RUN [\"sh\", \"-c\", \"wget -qO- https://x | sh\"]\n\
        RUN [\"/bin/bash\", \"-c\", \"echo \\\"a\\\" | sh\"]\n\
        RUN <<EOF\ncurl https://y | bash\nEOF\n\
        RUN <<-EOT bash\n\techo hi\n\tEOT\n\
        RUN python3 <<EOF\nprint(1)\nEOF\n\
        RUN cat <<EOF > /etc/x\nline\nEOF\n";
    let (file, d, diags) = adapt(text);
    assert!(diags.is_empty(), "{diags:?}");
    let d = d.unwrap();
    let r = runs(&d.stages[0]);
    assert_eq!(
        pipeline_words(&r[0].scripts[0]),
        [[vec!["wget", "-qO-", "https://x"], vec!["sh"]]]
    );
    assert_eq!(
        file.slice(r[0].scripts[0].pipelines[0].commands[1].span),
        "sh"
    );
    // Escaped JSON: words fall back to the whole string's span.
    let escaped = &r[1].scripts[0];
    assert_eq!(pipeline_words(escaped), [[vec!["echo", "a"], vec!["sh"]]]);
    assert_eq!(escaped.pipelines[0].span, escaped.span);
    // `RUN <<EOF`: the body is the script.
    assert_eq!(r[2].scripts.len(), 1);
    assert_eq!(
        file.slice(r[2].scripts[0].pipelines[0].commands[1].span),
        "bash"
    );
    // `RUN <<-EOT bash`: the shell form text and the body.
    assert_eq!(r[3].scripts.len(), 2);
    assert_eq!(file.slice(r[3].scripts[1].pipelines[0].span), "echo hi");
    // `RUN python3 <<EOF`: the body is Python, not shell.
    assert_eq!(r[4].scripts.len(), 1);
    assert_eq!(r[4].heredocs[0].value, "print(1)\n");
    // `RUN cat <<EOF > f`: parse-dockerfile cannot read it; the body is kept as text.
    assert_eq!(pipeline_words(&r[5].scripts[0]), [[vec!["cat"]]]);
    assert_eq!(file.slice(r[5].heredocs[0].span), "line\n");
}

#[test]
fn add_keeps_flags_and_sources() {
    let (file, d, _) =
        adapt("FROM alpine\nADD --checksum=sha256:abc https://e.com/a.tgz /a\nUSER app\n");
    let d = d.unwrap();
    let InstructionKind::Add(add) = &d.stages[0].instructions[0].kind else {
        panic!("not ADD");
    };
    assert_eq!(
        add.flag("checksum").unwrap().value.as_ref().unwrap().value,
        "sha256:abc"
    );
    assert_eq!(file.slice(add.sources[0].span), "https://e.com/a.tgz");
    assert_eq!(
        file.slice(d.stages[0].instructions[0].span),
        "ADD --checksum=sha256:abc https://e.com/a.tgz /a"
    );
}

#[test]
fn escape_directive_changes_continuations() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl.exe -k `\n    https://x -o C:\\x.exe\n";
    let (_, d, diags) = adapt(text);
    assert!(diags.is_empty(), "{diags:?}");
    let d = d.unwrap();
    assert_eq!(d.escape, '`');
    let r = runs(&d.stages[0]);
    assert_eq!(
        pipeline_words(&r[0].scripts[0]),
        [[vec!["curl.exe", "-k", "https://x", "-o", "C:x.exe"]]]
    );
}

#[test]
fn syntax_errors_become_located_diagnostics() {
    let (file, d, diags) = adapt("FROM alpine\nRUN <<EOF\necho\n");
    assert!(d.is_none());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "parse-error");
    let span = diags[0].span.expect("located");
    assert!(file.line_col(span.start).line >= 2);
    let (_, d, diags) = adapt("RUN echo\n");
    assert!(d.is_none() && diags[0].code == "parse-error");
    let (_, d, diags) = adapt("");
    assert!(d.is_none() && diags.len() == 1);
}

#[test]
fn byte_order_mark_keeps_offsets() {
    let (file, d, _) = adapt("\u{feff}FROM alpine:latest\n");
    let d = d.unwrap();
    assert_eq!(file.slice(d.stages[0].from.span), "alpine:latest");
}

#[test]
fn spans_stay_on_character_boundaries() {
    // Found by fuzzing: a continued line ending in a non-ASCII comment at end of file.
    let (file, d, _) = adapt("FROM a\nWORKDIR b \\\n    #\u{fffd}\u{fffd}");
    let d = d.unwrap();
    for i in &d.stages[0].instructions {
        assert!(file.text.get(i.span.range()).is_some(), "{:?}", i.span);
    }
    assert!(file.text.get(d.stages[0].span.range()).is_some());
}

#[test]
fn healthchecks_are_typed() {
    let (file, d, diags) = adapt(
        "FROM node:20\nHEALTHCHECK --interval=30s \\\n  CMD [\"node\", \"health.js\"]\nFROM node:20\nHEALTHCHECK NONE\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let d = d.expect("dockerfile");
    let check = |stage: &Stage| -> Option<Healthcheck> {
        stage.instructions.iter().find_map(|i| match &i.kind {
            InstructionKind::Healthcheck(h) => Some(h.clone()),
            _ => None,
        })
    };
    let first = check(&d.stages[0]).expect("first");
    assert_eq!(first.flags[0].name, "interval");
    assert!(first.command.is_some());
    assert_eq!(file.slice(first.text.span), "[\"node\", \"health.js\"]");
    let second = check(&d.stages[1]).expect("second");
    assert!(second.command.is_none());
    assert_eq!(second.text.value, "NONE");
}
