//! Kustomize builds: bases and overlays, patches, generators, transformers, and what is
//! located where.

use trustmap_model::k8s::{EnvValue, K8s};
use trustmap_model::{Language, State};
use trustmap_source::{FileId, SourceFile, Span};

use super::{Output, build_all, is_kustomization_path};

struct Tree {
    files: Vec<SourceFile>,
}

impl Tree {
    fn new(files: &[(&str, &str)]) -> Self {
        Self {
            files: files
                .iter()
                .enumerate()
                .map(|(i, (p, t))| SourceFile::new(FileId(i as u32), *p, *t))
                .collect(),
        }
    }

    fn build(&self) -> Output {
        let all: Vec<&SourceFile> = self.files.iter().collect();
        let ks: Vec<&SourceFile> = self
            .files
            .iter()
            .filter(|f| is_kustomization_path(&f.path))
            .collect();
        build_all(&all, &ks)
    }

    /// `path:line` of a span, and the text it covers.
    fn at(&self, span: Span) -> (String, u32, &str) {
        let f = &self.files[span.file.0 as usize];
        (f.path.clone(), f.lines_of(span).0, f.slice(span))
    }

    fn id(&self, path: &str) -> FileId {
        self.files.iter().find(|f| f.path == path).expect("file").id
    }
}

fn no_diags(out: &Output) {
    assert!(out.diagnostics.is_empty(), "{:#?}", out.diagnostics);
    assert!(out.incomplete.is_empty(), "{:#?}", out.incomplete);
}

fn addresses(k8s: &K8s) -> Vec<String> {
    let mut a: Vec<String> = k8s
        .workloads
        .iter()
        .map(|w| w.object.meta.address.clone())
        .chain(k8s.services.iter().map(|s| s.object.meta.address.clone()))
        .chain(k8s.secrets.iter().map(|s| s.object.meta.address.clone()))
        .chain(
            k8s.config_maps
                .iter()
                .map(|s| s.object.meta.address.clone()),
        )
        .chain(
            k8s.service_accounts
                .iter()
                .map(|s| s.object.meta.address.clone()),
        )
        .collect();
    a.sort();
    a
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
          env:
            - name: LOG_LEVEL
              value: info
            - name: MODE
              value: base
";

const SERVICE_ACCOUNT: &str = "\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
automountServiceAccountToken: false
";

fn app() -> Tree {
    Tree::new(&[
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/sa.yaml", SERVICE_ACCOUNT),
        (
            "base/kustomization.yaml",
            "resources:\n  - deployment.yaml\n  - sa.yaml\n",
        ),
        (
            "overlays/prod/kustomization.yaml",
            "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
namePrefix: prod-
resources:
  - ../../base
patches:
  - path: sidecar.yaml
images:
  - name: registry.example.com/api
    newTag: latest
commonLabels:
  env: prod
",
        ),
        (
            "overlays/prod/sidecar.yaml",
            "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          env:
            - name: MODE
              value: prod
        - name: debug
          image: busybox:1.36
          securityContext:
            privileged: true
",
        ),
        (
            "overlays/staging/kustomization.yaml",
            "\
namespace: staging
namePrefix: staging-
resources:
  - ../../base
secretGenerator:
  - name: db
    literals:
      - password=hunter2
      - user=\"app\"
",
        ),
    ])
}

#[test]
fn overlays_are_built_and_the_base_is_not_built_alone() {
    let t = app();
    let out = t.build();
    no_diags(&out);
    assert_eq!(
        out.built,
        [
            "overlays/prod/kustomization.yaml",
            "overlays/staging/kustomization.yaml"
        ]
    );
    assert_eq!(
        addresses(&out.k8s),
        [
            "Deployment/prod/prod-api",
            "Deployment/staging/staging-api",
            "Secret/staging/staging-db",
            "ServiceAccount/prod/prod-api",
            "ServiceAccount/staging/staging-api",
        ]
    );
    for p in [
        "base/deployment.yaml",
        "base/sa.yaml",
        "base/kustomization.yaml",
        "overlays/prod/sidecar.yaml",
    ] {
        assert!(out.consumed.contains(&t.id(p)), "{p} not consumed");
    }
    assert!(
        out.k8s
            .workloads
            .iter()
            .all(|w| w.object.meta.language == Language::Kustomize)
    );
}

#[test]
fn values_keep_the_line_that_set_them() {
    let t = app();
    let out = t.build();
    let prod = out
        .k8s
        .workloads
        .iter()
        .find(|w| w.object.meta.address == "Deployment/prod/prod-api")
        .expect("prod");
    // The object is the base document, instantiated through both kustomizations.
    assert_eq!(t.at(prod.object.meta.span).0, "base/deployment.yaml");
    let vias: Vec<(String, u32)> = prod
        .object
        .meta
        .via
        .iter()
        .map(|v| {
            let (p, l, _) = t.at(v.span);
            (p, l)
        })
        .collect();
    assert_eq!(
        vias,
        [
            ("base/kustomization.yaml".to_string(), 2),
            ("overlays/prod/kustomization.yaml".to_string(), 6)
        ]
    );
    let api = &prod.pod.containers[0];
    let debug = &prod.pod.containers[1];
    assert_eq!(debug.label(), "debug");
    // The sidecar's privileged flag is located in the patch, and says it came from it.
    let privileged = &debug.security.privileged;
    assert!(privileged.is_true());
    assert_eq!(
        t.at(privileged.span),
        ("overlays/prod/sidecar.yaml".into(), 16, "true")
    );
    assert!(
        privileged.via[0]
            .describe()
            .contains("patch `overlays/prod/sidecar.yaml` of kustomization `overlays/prod`")
    );
    // The image tag is located at the `images` entry that set it.
    let image = &api.image;
    assert_eq!(
        image.get().and_then(|i| i.tag.clone()).as_deref(),
        Some("latest")
    );
    assert_eq!(
        t.at(image.span),
        ("overlays/prod/kustomization.yaml".into(), 11, "latest")
    );
    assert_eq!(t.at(image.via[0].span).0, "base/deployment.yaml");
    // Env merged by name: the patch's value wins, the base's other variable stays.
    let env: Vec<(String, String, String)> = api
        .env
        .iter()
        .map(|e| {
            let EnvValue::Literal(v) = &e.value else {
                panic!()
            };
            (
                e.name.get().cloned().unwrap_or_default(),
                v.get().cloned().unwrap_or_default(),
                t.at(v.span).0,
            )
        })
        .collect();
    assert_eq!(
        env,
        [
            (
                "LOG_LEVEL".into(),
                "info".into(),
                "base/deployment.yaml".into()
            ),
            (
                "MODE".into(),
                "prod".into(),
                "overlays/prod/sidecar.yaml".into()
            ),
        ]
    );
    // The renamed ServiceAccount is still the one the pods use.
    assert_eq!(
        prod.pod.service_account_name.get().map(String::as_str),
        Some("prod-api")
    );
    assert!(out.k8s.automounts_token(prod).is_false());
}

#[test]
fn generated_secrets_point_at_their_literals() {
    let t = app();
    let out = t.build();
    let secret = &out.k8s.secrets[0];
    assert_eq!(secret.object.name, "staging-db");
    let keys: Vec<(&str, (String, u32, &str))> = secret
        .data
        .iter()
        .map(|d| (d.key.as_str(), t.at(d.value.span)))
        .collect();
    assert_eq!(
        keys,
        [
            (
                "password",
                ("overlays/staging/kustomization.yaml".into(), 8, "hunter2")
            ),
            (
                "user",
                ("overlays/staging/kustomization.yaml".into(), 9, "app")
            ),
        ]
    );
    assert!(secret.data.iter().all(|d| !d.base64));
}

#[test]
fn a_base_without_overlay_is_built_once() {
    let t = Tree::new(&[
        ("app/deployment.yaml", DEPLOYMENT),
        ("app/kustomization.yaml", "resources: [deployment.yaml]\n"),
    ]);
    let out = t.build();
    no_diags(&out);
    assert_eq!(out.built, ["app/kustomization.yaml"]);
    assert_eq!(addresses(&out.k8s), ["Deployment/default/api"]);
}

#[test]
fn json_patches_delete_directives_and_inline_patches() {
    let t = Tree::new(&[
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/kustomization.yaml", "resources: [deployment.yaml]\n"),
        (
            "o/kustomization.yaml",
            "\
resources: [../base]
patches:
  - target:
      kind: Deployment
      name: api
    patch: |-
      - op: add
        path: /spec/template/spec/hostNetwork
        value: true
      - op: replace
        path: /spec/template/spec/containers/0/image
        value: nginx
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        template:
          spec:
            containers:
              - name: api
                env:
                  - name: MODE
                    $patch: delete
patchesJson6902:
  - target: { group: apps, version: v1, kind: Deployment, name: api }
    path: ops.yaml
",
        ),
        (
            "o/ops.yaml",
            "- op: add\n  path: /spec/template/spec/hostPID\n  value: true\n",
        ),
    ]);
    let out = t.build();
    no_diags(&out);
    let w = &out.k8s.workloads[0];
    assert_eq!(
        t.at(w.pod.host_network.span),
        ("o/kustomization.yaml".into(), 9, "true")
    );
    assert_eq!(t.at(w.pod.host_pid.span), ("o/ops.yaml".into(), 3, "true"));
    let c = &w.pod.containers[0];
    assert_eq!(c.image.get().map(|i| i.text.as_str()), Some("nginx"));
    assert_eq!(t.at(c.image.span).1, 12);
    let names: Vec<_> = c.env.iter().filter_map(|e| e.name.get().cloned()).collect();
    assert_eq!(names, ["LOG_LEVEL"]);
}

#[test]
fn unsupported_features_are_reported_and_never_read_as_safe() {
    let t = Tree::new(&[
        ("base/deployment.yaml", DEPLOYMENT),
        (
            "kustomization.yaml",
            "\
resources:
  - base/deployment.yaml
  - github.com/example/platform//deploy?ref=v1.2.0
helmCharts:
  - name: redis
replacements:
  - source: { kind: ConfigMap, name: cfg, fieldPath: data.image }
    targets:
      - select: { kind: Deployment }
        fieldPaths:
          - spec.template.spec.containers.[name=api].image
",
        ),
    ]);
    let out = t.build();
    let codes: Vec<(&str, u32)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code, t.at(d.span.expect("located")).1))
        .collect();
    assert_eq!(
        codes,
        [("unsupported", 4), ("unsupported", 3), ("unsupported", 6)]
    );
    assert!(out.diagnostics[1].message.contains("incomplete"));
    assert_eq!(
        out.incomplete,
        [
            "Kustomize `.`: `helmCharts` is not supported (Helm charts are not inflated)",
            "Kustomize `.`: remote resource `github.com/example/platform//deploy?ref=v1.2.0` was not fetched, its objects were not checked",
        ]
    );
    let image = &out.k8s.workloads[0].pod.containers[0].image;
    assert!(matches!(image.state, State::Unknown));
}

#[test]
fn cycles_and_escapes_are_diagnosed_not_followed() {
    let t = Tree::new(&[
        ("a/kustomization.yaml", "resources: [../b]\n"),
        ("b/kustomization.yaml", "resources: [../a, ../../../etc]\n"),
    ]);
    let out = t.build();
    let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("cycle")), "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("outside the scanned tree")),
        "{messages:?}"
    );
}

#[test]
fn components_and_env_file_generators() {
    let t = Tree::new(&[
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/kustomization.yaml", "resources: [deployment.yaml]\n"),
        (
            "debug/kustomization.yaml",
            "\
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - path: pid.yaml
",
        ),
        (
            "debug/pid.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  template:\n    spec:\n      hostPID: true\n",
        ),
        (
            "dev/kustomization.yaml",
            "resources: [../base]\ncomponents: [../debug]\nconfigMapGenerator:\n  - name: cfg\n    envs: [app.env]\n",
        ),
        ("dev/app.env", "# settings\nAPI_TOKEN=abc123\nFROM_ENV\n"),
    ]);
    let out = t.build();
    no_diags(&out);
    assert_eq!(out.built, ["dev/kustomization.yaml"]);
    let w = &out.k8s.workloads[0];
    assert_eq!(
        t.at(w.pod.host_pid.span),
        ("debug/pid.yaml".into(), 7, "true")
    );
    let cm = &out.k8s.config_maps[0];
    assert_eq!(cm.data[0].key, "API_TOKEN");
    assert_eq!(
        t.at(cm.data[0].value.span),
        ("dev/app.env".into(), 2, "abc123")
    );
    assert!(cm.data[1].value.is_unknown());
    assert!(out.consumed.contains(&t.id("dev/app.env")));
}

#[test]
fn bases_used_many_times_over_stop_at_a_budget() {
    // Every level uses the next one twice: 2^30 builds without a budget.
    let mut files: Vec<(String, String)> = (0..30)
        .map(|i| {
            (
                format!("l{i}/kustomization.yaml"),
                format!("resources:\n  - ../l{n}\n  - ../l{n}\n", n = i + 1),
            )
        })
        .collect();
    files.push((
        "l30/kustomization.yaml".into(),
        "resources: [pod.yaml]\n".into(),
    ));
    files.push((
        "l30/pod.yaml".into(),
        "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: c, image: x:1 }]\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let out = Tree::new(&refs).build();
    assert_eq!(out.built, ["l0/kustomization.yaml"]);
    assert!(
        out.incomplete.iter().any(|l| l.contains("too large")),
        "{:?}",
        out.incomplete
    );
}
