use trustmap_model::gitlab::{IncludeKind, Section};
use trustmap_source::FileId;

use super::*;

fn file(id: u32, path: &str, text: &str) -> SourceFile {
    SourceFile::new(FileId(id), path, text)
}

fn adapt(files: &[&SourceFile]) -> (Option<Pipeline>, Vec<Diagnostic>) {
    let parsed: Vec<_> = files
        .iter()
        .map(|f| {
            let p = trustmap_syntax::yaml::parse(f);
            assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
            p
        })
        .collect();
    let parts: Vec<PipelineFile<'_>> = files
        .iter()
        .zip(&parsed)
        .map(|(f, p)| PipelineFile {
            file: f,
            doc: config_document(&p.docs).unwrap(),
        })
        .collect();
    let mut diags = Vec::new();
    let found = |p: &str| Some(p.to_string());
    let p = from_files(&parts, &found, &mut diags);
    (p, diags)
}

const ROOT: &str = "\
include:
  - local: /ci/templates.yml
  - remote: https://example.com/ci.yml
  - project: group/ci
    ref: v1.2
    file: [/a.yml, /b.yml]
  - template: Security/SAST.gitlab-ci.yml
  - component: gitlab.example.com/org/comp/build@1.0.0
default:
  image: alpine:3.20
  services: [docker:27-dind]
  before_script:
    - echo setup
variables:
  DOCKER_TLS_CERTDIR: \"\"
  TOKEN:
    value: abc
    expand: false
stages: [build, deploy]
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
build:
  extends: .node
  script:
    - !reference [.setup, script]
    - |
      npm ci
      curl -s https://x.sh | sh
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
deploy:
  stage: deploy
  image:
    name: bitnami/kubectl:latest
    entrypoint: ['']
  environment:
    name: production
    url: https://example.com
  id_tokens:
    AWS_TOKEN:
      aud: https://sts.amazonaws.com
  secrets:
    DB_PASSWORD:
      vault: prod/db/password@ops
  tags: [prod-runner]
  only: [main]
  script: kubectl apply -f k8s/
";

const TEMPLATES: &str = "\
.node:
  image: node:22
  variables:
    NPM_CONFIG_LOGLEVEL: warn
.setup:
  script:
    - echo from-template
";

#[test]
fn adapts_a_pipeline_with_its_local_includes() {
    let root = file(0, ".gitlab-ci.yml", ROOT);
    let inc = file(1, "ci/templates.yml", TEMPLATES);
    let (p, diags) = adapt(&[&root, &inc]);
    assert!(diags.is_empty(), "{diags:?}");
    let p = p.unwrap();
    let kinds: Vec<_> = p.includes.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            IncludeKind::Local,
            IncludeKind::Remote,
            IncludeKind::Project,
            IncludeKind::Template,
            IncludeKind::Component
        ]
    );
    assert_eq!(p.includes[0].resolved.as_deref(), Some("ci/templates.yml"));
    assert_eq!(p.includes[2].git_ref.as_ref().unwrap().value, "v1.2");
    assert_eq!(p.includes[2].files.len(), 2);
    assert_eq!(p.includes[4].git_ref.as_ref().unwrap().value, "1.0.0");
    assert_eq!(p.default.image.as_ref().unwrap().name.value, "alpine:3.20");
    assert_eq!(p.default.services[0].base_name(), "docker");
    assert_eq!(p.default.before_script.len(), 1);
    assert_eq!(
        p.variables
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["DOCKER_TLS_CERTDIR", "TOKEN"]
    );
    assert!(!p.variables[1].expand);
    assert_eq!(p.stages.len(), 2);
    assert!(p.workflow_allows_merge_requests());

    let names: Vec<_> = p.jobs.iter().map(|j| (j.name.as_str(), j.hidden)).collect();
    assert_eq!(
        names,
        [
            (".node", true),
            (".setup", true),
            ("build", false),
            ("deploy", false)
        ]
    );
    let build = &p.jobs[2];
    // extends: the image and variables come from the included template, with its spans.
    let image = build.image.as_ref().unwrap();
    assert_eq!(image.name.value, "node:22");
    assert_eq!(inc.slice(image.name.span), "node:22");
    assert_eq!(build.variables[0].name, "NPM_CONFIG_LOGLEVEL");
    assert_eq!(build.meta.address, ".gitlab-ci.yml#build");
    // !reference pulls the template's line in; the block is lexed as shell.
    let lines: Vec<_> = build.script.iter().map(|l| l.text.value.as_str()).collect();
    assert_eq!(lines[0], "echo from-template");
    let block = &build.script[1].script;
    assert_eq!(block.pipelines.len(), 2);
    let sh = &block.pipelines[1].commands[1];
    assert_eq!((sh.program(), root.slice(sh.span)), (Some("sh"), "sh"));
    assert!(p.merge_request_trigger(build).is_some());
    assert_eq!(
        build.script_lines().map(|(s, _)| s).collect::<Vec<_>>(),
        [Section::Script, Section::Script]
    );

    let deploy = &p.jobs[3];
    let img = deploy.image.as_ref().unwrap();
    assert_eq!(
        img.parts(),
        Some((
            "bitnami/kubectl".to_string(),
            Some("latest".to_string()),
            None
        ))
    );
    let env = deploy.environment.as_ref().unwrap();
    assert_eq!(env.name.value, "production");
    assert!(deploy.deploys());
    assert_eq!(deploy.id_tokens[0].name, "AWS_TOKEN");
    assert_eq!(
        deploy.id_tokens[0].aud[0].value,
        "https://sts.amazonaws.com"
    );
    assert_eq!(deploy.secrets[0].value, "DB_PASSWORD");
    assert_eq!(deploy.tags[0].value, "prod-runner");
    assert_eq!(deploy.only.as_ref().unwrap().refs[0].value, "main");
    // `only:` set: the workflow's merge request rule does not reach the job.
    assert!(p.merge_request_trigger(deploy).is_none());
    assert_eq!(deploy.script[0].script.commands().count(), 1);
}

#[test]
fn finds_local_includes_in_every_form() {
    let f = file(
        0,
        ".gitlab-ci.yml",
        "include:\n  - /a.yml\n  - local: b.yml\n  - https://x/y.yml\n  - local: 'c/*.yml'\njob:\n  script: [x]\n",
    );
    let p = trustmap_syntax::yaml::parse(&f);
    assert_eq!(local_includes(&p.docs[0]), ["a.yml", "b.yml"]);
    let one = file(
        1,
        ".gitlab-ci.yml",
        "include: ci/x.yml\njob:\n  script: [x]\n",
    );
    let p = trustmap_syntax::yaml::parse(&one);
    assert_eq!(local_includes(&p.docs[0]), ["ci/x.yml"]);
}

#[test]
fn merge_request_detection() {
    let f = file(
        0,
        ".gitlab-ci.yml",
        "\
a:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE == 'merge_request_event'
      when: never
    - when: always
b:
  script: [x]
  only:
    refs: [merge_requests]
c:
  script: [x]
  rules:
    - if: $CI_MERGE_REQUEST_IID
d:
  script: [x]
  rules:
    - if: $CI_PIPELINE_SOURCE != \"merge_request_event\"
",
    );
    let (p, _) = adapt(&[&f]);
    let p = p.unwrap();
    let mr: Vec<bool> = p
        .jobs
        .iter()
        .map(|j| p.merge_request_trigger(j).is_some())
        .collect();
    assert_eq!(mr, [false, true, true, false]);
}

#[test]
fn a_file_without_a_mapping_is_not_a_pipeline() {
    let f = file(0, ".gitlab-ci.yml", "- a\n- b\n");
    let p = trustmap_syntax::yaml::parse(&f);
    let mut diags = Vec::new();
    let found = |_: &str| None;
    let parts = [PipelineFile {
        file: &f,
        doc: &p.docs[0],
    }];
    assert!(from_files(&parts, &found, &mut diags).is_none());
    assert_eq!(diags[0].code, "unsupported");
}

#[test]
fn extends_diamonds_and_cycles_stay_cheap() {
    // Ten layers of five templates, each extending the whole next layer: without
    // memoisation that is 5^10 merges per job.
    let mut text = String::new();
    for layer in 0..10 {
        for k in 0..5 {
            let parents: Vec<String> = (0..5).map(|p| format!(".l{}k{p}", layer + 1)).collect();
            text.push_str(&format!(
                ".l{layer}k{k}:\n  extends: [{}]\n  variables:\n    V{layer}: x\n",
                parents.join(", ")
            ));
        }
    }
    for k in 0..5 {
        text.push_str(&format!(".l10k{k}:\n  image: alpine:3\n"));
    }
    text.push_str("job:\n  extends: [.l0k0, .l0k1]\n  script: [x]\n");
    text.push_str(
        "loop-a:\n  extends: loop-b\n  script: [a]\nloop-b:\n  extends: loop-a\n  script: [b]\n",
    );
    let f = file(0, ".gitlab-ci.yml", &text);
    let (p, _) = adapt(&[&f]);
    let p = p.unwrap();
    let job = p.jobs.iter().find(|j| j.name == "job").unwrap();
    assert_eq!(job.image.as_ref().unwrap().name.value, "alpine:3");
    assert_eq!(job.variables.len(), 10);
    assert!(p.jobs.iter().any(|j| j.name == "loop-a"));
}

#[test]
fn reads_which_defaults_a_job_inherits() {
    let f = file(
        0,
        ".gitlab-ci.yml",
        "a:\n  script: [x]\nb:\n  script: [x]\n  inherit:\n    default: false\nc:\n  script: [x]\n  inherit:\n    default: [image]\n",
    );
    let (p, _) = adapt(&[&f]);
    let p = p.unwrap();
    let got: Vec<(bool, bool)> = p
        .jobs
        .iter()
        .map(|j| (j.inherits_default("image"), j.inherits_default("services")))
        .collect();
    assert_eq!(got, [(true, true), (false, false), (true, false)]);
}
