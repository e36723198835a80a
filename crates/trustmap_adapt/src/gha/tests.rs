use trustmap_model::State;
use trustmap_model::gha::{CloudProvider, RunnerFile, UsesKind};
use trustmap_source::FileId;

use super::*;

fn adapt(text: &str) -> (SourceFile, Option<Workflow>, Vec<Diagnostic>) {
    let file = SourceFile::new(FileId(0), ".github/workflows/ci.yml", text);
    let parsed = trustmap_syntax::yaml::parse(&file);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut diags = Vec::new();
    let w = parsed
        .docs
        .first()
        .and_then(|d| from_document(&file, d, &mut diags));
    (file, w, diags)
}

fn events(text: &str) -> Vec<String> {
    let (_, w, _) = adapt(text);
    w.unwrap().triggers.into_iter().map(|t| t.event).collect()
}

#[test]
fn reads_the_three_trigger_forms() {
    let jobs = "jobs:\n  a:\n    runs-on: x\n    steps: []\n";
    assert_eq!(events(&format!("on: push\n{jobs}")), ["push"]);
    assert_eq!(
        events(&format!("on: [push, pull_request_target]\n{jobs}")),
        ["push", "pull_request_target"]
    );
    let text = format!(
        "on:\n  pull_request_target:\n    types: [opened, labeled]\n    branches: main\n  workflow_dispatch:\n  schedule:\n    - cron: '0 0 * * *'\n{jobs}"
    );
    let (file, w, _) = adapt(&text);
    let w = w.unwrap();
    assert_eq!(
        w.triggers
            .iter()
            .map(|t| t.event.as_str())
            .collect::<Vec<_>>(),
        ["pull_request_target", "workflow_dispatch", "schedule"]
    );
    let prt = &w.triggers[0];
    assert_eq!(file.slice(prt.span), "pull_request_target");
    let types: Vec<_> = prt.filters[0]
        .values
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(
        (prt.filters[0].key.as_str(), types),
        ("types", vec!["opened", "labeled"])
    );
    assert_eq!(prt.filters[1].values[0].value, "main");
    assert_eq!(w.triggers[2].filters[0].values[0].value, "0 0 * * *");
    assert_eq!(file.slice(w.anchor), "on");
}

#[test]
fn jobs_inherit_workflow_permissions() {
    let text = "\
on: push
permissions:
  contents: read
  id-token: write
jobs:
  inherit:
    runs-on: ubuntu-latest
    steps: []
  own:
    runs-on: ubuntu-latest
    permissions: write-all
    steps: []
  none:
    runs-on: ubuntu-latest
    permissions: {}
    steps: []
";
    let (file, w, diags) = adapt(text);
    assert!(diags.is_empty());
    let w = w.unwrap();
    let wp = w.permissions.get().unwrap();
    assert_eq!(
        (
            wp.level("contents"),
            wp.level("id-token"),
            wp.level("packages")
        ),
        (Level::Read, Level::Write, Level::None)
    );
    assert_eq!(
        wp.written_scopes()
            .map(|s| s.scope.as_str())
            .collect::<Vec<_>>(),
        ["id-token"]
    );
    let [inherit, own, none] = &w.jobs[..] else {
        panic!("three jobs")
    };
    assert!(inherit.permissions_inherited && inherit.permissions == w.permissions);
    assert_eq!(inherit.meta.address, ".github/workflows/ci.yml#inherit");
    assert_eq!(file.slice(inherit.id_span), "inherit");
    assert!(!own.permissions_inherited);
    assert_eq!(
        own.permissions.state,
        State::Explicit(Permissions::WriteAll)
    );
    assert_eq!(file.slice(own.permissions.span), "write-all");
    assert_eq!(
        none.permissions.get(),
        Some(&Permissions::Scopes(Vec::new()))
    );
}

#[test]
fn absent_permissions_are_the_repository_default() {
    let (_, w, _) = adapt("on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n");
    let w = w.unwrap();
    assert!(w.permissions.is_default());
    assert!(w.jobs[0].permissions.is_default() && w.jobs[0].permissions_inherited);
    let (_, w, _) =
        adapt("on: push\npermissions: ${{ x }}\njobs:\n  a:\n    runs-on: x\n    steps: []\n");
    assert!(w.unwrap().permissions.is_unknown());
}

#[test]
fn reads_steps_uses_and_reusable_calls() {
    let text = "\
on: push
jobs:
  build:
    runs-on: [self-hosted, linux]
    environment:
      name: prod
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.head_ref }}
          fetch-depth: 0
      - name: local
        uses: ./.github/actions/x
  call:
    uses: org/repo/.github/workflows/deploy.yml@main
    secrets: inherit
";
    let (file, w, _) = adapt(text);
    let w = w.unwrap();
    let build = &w.jobs[0];
    assert_eq!(
        build
            .runs_on
            .iter()
            .map(|l| l.value.as_str())
            .collect::<Vec<_>>(),
        ["self-hosted", "linux"]
    );
    assert_eq!(build.environment.as_ref().unwrap().value, "prod");
    let checkout = &build.steps[0];
    assert!(checkout.uses_action("actions/checkout"));
    assert_eq!(
        file.slice(checkout.uses.as_ref().unwrap().span),
        "actions/checkout@v4"
    );
    let r = checkout.input("ref").unwrap();
    assert_eq!(
        file.slice(r.value.expressions[0].span),
        "${{ github.head_ref }}"
    );
    assert_eq!(checkout.input("fetch-depth").unwrap().value.value, "0");
    assert!(build.steps[1].uses.as_ref().unwrap().is_local());
    let call = &w.jobs[1];
    assert_eq!(call.uses.as_ref().unwrap().kind, UsesKind::ReusableWorkflow);
    assert_eq!(file.slice(call.secrets_inherit.unwrap()), "inherit");
}

const RUNS: &str = "\
on: issues
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo \"${{ github.event.issue.title }}\"
            indented ${{ github.event['issue'].body }} | sh
      - run: echo ${{ github.head_ref }} and
          more ${{ env.X }}
      - run: \"quoted ${{ github.event.comment.body }}\"
      - run: \"esc\\\"aped ${{ github.event.review.body }}\"
      - run: echo plain ${{ github.event.pages[0].page_name }}
";

#[test]
fn maps_expressions_in_run_to_exact_file_spans() {
    let (file, w, _) = adapt(RUNS);
    let steps = &w.unwrap().jobs[0].steps;
    let exprs: Vec<(&str, bool, String)> = steps
        .iter()
        .flat_map(|s| &s.run.as_ref().unwrap().expressions)
        .map(|e| (file.slice(e.span), e.exact, e.contexts[0].path.clone()))
        .collect();
    assert_eq!(
        exprs,
        [
            (
                "${{ github.event.issue.title }}",
                true,
                "github.event.issue.title".into()
            ),
            (
                "${{ github.event['issue'].body }}",
                true,
                "github.event.issue.body".into()
            ),
            ("${{ github.head_ref }}", true, "github.head_ref".into()),
            ("${{ env.X }}", true, "env.x".into()),
            (
                "${{ github.event.comment.body }}",
                true,
                "github.event.comment.body".into()
            ),
            (
                "${{ github.event.review.body }}",
                true,
                "github.event.review.body".into()
            ),
            (
                "${{ github.event.pages[0].page_name }}",
                true,
                "github.event.pages.0.page_name".into()
            ),
        ]
    );
    // Context references point at the path itself.
    let first = &steps[0].run.as_ref().unwrap().expressions[0];
    assert_eq!(
        file.slice(first.contexts[0].span),
        "github.event.issue.title"
    );
}

#[test]
fn lexes_run_scripts_with_exact_word_spans() {
    let (file, w, _) = adapt(RUNS);
    let steps = &w.unwrap().jobs[0].steps;
    let literal = steps[0].script.as_ref().unwrap();
    assert_eq!(literal.pipelines.len(), 2);
    let sh = &literal.pipelines[1].commands[1];
    assert_eq!((sh.program(), file.slice(sh.span)), (Some("sh"), "sh"));
    // A folded plain scalar cannot be mapped word by word: words get the scalar's span.
    let folded = steps[1].script.as_ref().unwrap();
    assert_eq!(
        folded.pipelines[0].span,
        steps[1].run.as_ref().unwrap().span
    );
}

#[test]
fn non_workflows_are_reported_not_adapted() {
    let (_, w, diags) = adapt("name: x\n");
    assert!(w.is_none());
    assert_eq!(diags[0].code, "unsupported");
}

#[test]
fn reads_runner_file_writes_outputs_and_needs() {
    let text = "\
on: issues
jobs:
  meta:
    runs-on: ubuntu-latest
    outputs:
      title: ${{ steps.t.outputs.title }}
    continue-on-error: true
    steps:
      - id: t
        continue-on-error: ${{ matrix.experimental }}
        env:
          BODY: ${{ github.event.issue.body }}
        run: |
          echo \"title=${{ github.event.issue.title }}\" >> \"$GITHUB_OUTPUT\"
          echo body=$BODY >> $GITHUB_OUTPUT
          printf 'sha=%s\\n' \"$(git rev-parse HEAD)\" >> \"${GITHUB_OUTPUT}\"
          echo \"NAME=${{ github.head_ref }}\" | tee -a $GITHUB_ENV
          echo \"::set-output name=old::${{ github.event.comment.body }}\"
          echo \"not=an output\" > notes.txt
  use:
    needs: [meta]
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
";
    let (file, w, _) = adapt(text);
    let w = w.unwrap();
    let meta = &w.jobs[0];
    assert_eq!(
        meta.output("title").unwrap().value.expressions[0].inner,
        "steps.t.outputs.title"
    );
    assert_eq!(meta.continue_on_error.as_ref().unwrap().value, "true");
    let step = meta.step_by_id("t").unwrap();
    assert!(!step.continues_on_error());
    let writes: Vec<(RunnerFile, &str, &str, Vec<String>)> = step
        .file_writes
        .iter()
        .map(|w| {
            let exprs = w
                .expressions
                .iter()
                .map(|&i| step.run.as_ref().unwrap().expressions[i].inner.clone())
                .chain(w.shell_vars.iter().map(|v| format!("${v}")))
                .collect();
            (w.file, w.name.as_str(), file.slice(w.span), exprs)
        })
        .collect();
    assert_eq!(
        writes,
        [
            (
                RunnerFile::Output,
                "title",
                "\"title=${{ github.event.issue.title }}\"",
                vec!["github.event.issue.title".to_string()]
            ),
            (
                RunnerFile::Output,
                "body",
                "body=$BODY",
                vec!["$BODY".to_string()]
            ),
            (
                RunnerFile::Output,
                "sha",
                "\"$(git rev-parse HEAD)\"",
                vec![]
            ),
            (
                RunnerFile::Env,
                "NAME",
                "\"NAME=${{ github.head_ref }}\"",
                vec!["github.head_ref".to_string()]
            ),
            (
                RunnerFile::Output,
                "old",
                "\"::set-output name=old::${{ github.event.comment.body }}\"",
                vec!["github.event.comment.body".to_string()]
            ),
        ]
    );
    assert_eq!(step.output_writes("TITLE").count(), 1);
    assert_eq!(w.jobs[1].needs[0].value, "meta");
}

#[test]
fn extracts_cloud_identities_with_triggers_filters_and_environment() {
    let text = "\
on:
  push:
    branches: [main, 'release/**']
  workflow_dispatch:
permissions:
  id-token: write
jobs:
  aws:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.KEY }}
          role-to-assume: arn:aws:iam::123456789012:role/chained
  gcp:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: projects/1/locations/global/workloadIdentityPools/gh/providers/gh
          service_account: deploy@p.iam.gserviceaccount.com
      - uses: azure/login@v2
        with:
          client-id: ${{ vars.AZURE_CLIENT_ID }}
          tenant-id: 00000000-0000-0000-0000-000000000001
          subscription-id: 00000000-0000-0000-0000-000000000002
  none:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/auth@v2
        with:
          credentials_json: ${{ secrets.GCP_KEY }}
";
    let (file, w, _) = adapt(text);
    let w = w.unwrap();
    let ids = w.job_identities();
    assert_eq!(ids.len(), 2);
    let aws = &ids[0];
    assert_eq!(aws.job.id, "aws");
    assert_eq!(
        aws.triggers
            .iter()
            .map(|t| t.event.as_str())
            .collect::<Vec<_>>(),
        ["push", "workflow_dispatch"]
    );
    let filters: Vec<&str> = aws
        .ref_filters
        .iter()
        .flat_map(|f| &f.values)
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(filters, ["main", "release/**"]);
    assert_eq!(aws.environment.unwrap().value, "production");
    assert_eq!(aws.roles.len(), 1, "access keys are not OIDC");
    let r = &aws.roles[0];
    assert_eq!(r.provider, CloudProvider::Aws);
    assert_eq!(r.principal.value, "arn:aws:iam::123456789012:role/deploy");
    assert_eq!(r.region.as_ref().unwrap().value, "eu-west-1");
    assert_eq!(
        file.slice(r.uses_span),
        "aws-actions/configure-aws-credentials@v4"
    );
    let gcp = &ids[1];
    assert!(gcp.environment.is_none());
    assert_eq!(
        gcp.roles.iter().map(|r| r.provider).collect::<Vec<_>>(),
        [CloudProvider::Gcp, CloudProvider::Azure]
    );
    assert_eq!(
        gcp.roles[0].service_account.as_ref().unwrap().value,
        "deploy@p.iam.gserviceaccount.com"
    );
    assert_eq!(
        gcp.roles[1].tenant_id.as_ref().unwrap().value,
        "00000000-0000-0000-0000-000000000001"
    );
    assert_eq!(
        gcp.roles[1].subscription_id.as_ref().unwrap().value,
        "00000000-0000-0000-0000-000000000002"
    );
    assert_eq!(gcp.roles[1].step, 1);
}

#[test]
fn adapts_composite_action_metadata() {
    let text = "\
name: Setup
inputs:
  title:
    description: shown
  version:
    default: '1.2'
runs:
  using: composite
  steps:
    - run: echo \"${{ inputs.title }}\"
      shell: bash
    - uses: aws-actions/configure-aws-credentials@v4
      with:
        role-to-assume: arn:aws:iam::1:role/x
";
    let file = SourceFile::new(FileId(0), ".github/actions/setup/action.yml", text);
    let parsed = trustmap_syntax::yaml::parse(&file);
    let a = action_from_document(&file, &parsed.docs[0]).unwrap();
    assert!(a.is_composite());
    assert_eq!(a.meta.address, ".github/actions/setup/action.yml");
    assert_eq!(
        a.inputs.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
        ["title", "version"]
    );
    assert_eq!(a.inputs[1].default.as_ref().unwrap().value, "1.2");
    assert_eq!(a.steps.len(), 2);
    assert_eq!(
        file.slice(a.steps[0].run.as_ref().unwrap().expressions[0].span),
        "${{ inputs.title }}"
    );
    assert_eq!(a.cloud_roles.len(), 1);
    let not_action = SourceFile::new(FileId(1), "action.yml", "name: x\n");
    let parsed = trustmap_syntax::yaml::parse(&not_action);
    assert!(action_from_document(&not_action, &parsed.docs[0]).is_none());
}
