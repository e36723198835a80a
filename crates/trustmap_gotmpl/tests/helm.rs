//! Chart rendering on in-memory charts: values, subcharts, built-in objects, diagnostics,
//! limits and the source map.

use std::sync::Arc;

use trustmap_gotmpl::helm::{ChartFile, ChartInput, ChartOutput, HelmOptions, codes, render_chart};
use trustmap_source::{FileId, SourceFile, ViaKind};
use trustmap_syntax::Node;

fn chart(files: &[(&str, &str)], other: &[&str]) -> ChartInput {
    ChartInput {
        dir: "chart".into(),
        files: files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| ChartFile {
                path: (*path).to_string(),
                file: Arc::new(SourceFile::new(
                    FileId(i as u32),
                    format!("chart/{path}"),
                    *text,
                )),
            })
            .collect(),
        other_files: other.iter().map(|s| (*s).to_string()).collect(),
    }
}

const CHART: &str = "apiVersion: v2\nname: app\nversion: 1.2.3\nappVersion: \"4.5\"\n";

fn render(files: &[(&str, &str)]) -> (ChartInput, ChartOutput) {
    let input = chart(files, &[]);
    let out = render_chart(&input, &HelmOptions::default());
    (input, out)
}

fn docs<'a>(out: &'a ChartOutput, path: &str) -> Vec<&'a Node> {
    out.templates
        .iter()
        .filter(|t| t.template.path == format!("chart/{path}"))
        .flat_map(|t| t.docs.iter())
        .collect()
}

fn line_of(input: &ChartInput, span: trustmap_source::Span) -> (String, u32) {
    let f = input
        .files
        .iter()
        .find(|f| f.file.id == span.file)
        .expect("span in a chart file");
    (f.path.clone(), f.file.line_col(span.start).line)
}

#[test]
fn built_in_objects() {
    let (_, out) = render(&[
        ("Chart.yaml", CHART),
        ("values.yaml", "x: 1\n"),
        ("files/a.conf", "k = v\n"),
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  chart: {{ .Chart.Version }}-{{ .Chart.AppVersion }}\n  template: {{ .Template.Name }}\n  base: {{ .Template.BasePath }}\n  kube: {{ .Capabilities.KubeVersion.Version }}\n  minor: {{ .Capabilities.KubeVersion.Minor | quote }}\n  hasApps: {{ .Capabilities.APIVersions.Has \"apps/v1\" | quote }}\n  hasCrd: {{ .Capabilities.APIVersions.Has \"monitoring.coreos.com/v1\" | quote }}\n  install: {{ .Release.IsInstall | quote }}\n  service: {{ .Release.Service }}\n  conf: {{ .Files.Get \"files/a.conf\" | quote }}\n  lines: {{ len (.Files.Lines \"files/a.conf\") | quote }}\n  lookup: {{ lookup \"v1\" \"Secret\" \"default\" \"x\" | len | quote }}\n  modern: {{ semverCompare \">=1.19-0\" .Capabilities.KubeVersion.GitVersion | quote }}\n",
        ),
    ]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let doc = docs(&out, "templates/cm.yaml")[0].to_json();
    assert_eq!(doc["metadata"]["name"], "release-name-app");
    assert_eq!(doc["metadata"]["namespace"], "default");
    let data = &doc["data"];
    assert_eq!(data["chart"], "1.2.3-4.5");
    assert_eq!(data["template"], "app/templates/cm.yaml");
    assert_eq!(data["base"], "app/templates");
    assert_eq!(data["kube"], "v1.30.0");
    assert_eq!(data["minor"], "30");
    assert_eq!(data["hasApps"], "true");
    assert_eq!(data["hasCrd"], "false");
    assert_eq!(data["install"], "true");
    assert_eq!(data["service"], "Helm");
    assert_eq!(data["conf"], "k = v\n");
    assert_eq!(data["lines"], "2");
    assert_eq!(data["lookup"], "0");
    assert_eq!(data["modern"], "true");
}

#[test]
fn subchart_values_globals_conditions_and_shared_defines() {
    let (input, out) = render(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n    version: 1.0.0\n    condition: db.enabled\n  - name: off\n    version: 1.0.0\n    condition: off.enabled\n  - name: db\n    alias: replica\n    version: 1.0.0\n",
        ),
        (
            "values.yaml",
            "global:\n  registry: reg.example.com\ndb:\n  enabled: true\n  image: postgres:16.1\noff:\n  enabled: false\nreplica:\n  image: postgres:15.0\n",
        ),
        (
            "templates/_helpers.tpl",
            "{{ define \"shared\" }}parent{{ end }}",
        ),
        (
            "charts/db/Chart.yaml",
            "apiVersion: v2\nname: db\nversion: 1.0.0\n",
        ),
        (
            "charts/db/values.yaml",
            "image: postgres:latest\nport: 5432\nglobal:\n  registry: default.example.com\n  own: kept\n",
        ),
        (
            "charts/db/templates/_helpers.tpl",
            "{{ define \"shared\" }}subchart{{ end }}",
        ),
        (
            "charts/db/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\ndata:\n  image: {{ .Values.global.registry }}/{{ .Values.image }}\n  port: {{ .Values.port | quote }}\n  own: {{ .Values.global.own }}\n  shared: {{ include \"shared\" . }}\n",
        ),
        (
            "charts/off/Chart.yaml",
            "apiVersion: v2\nname: off\nversion: 1.0.0\n",
        ),
        (
            "charts/off/templates/cm.yaml",
            "{{ fail \"must not render\" }}",
        ),
    ]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.incomplete.is_empty(), "{:?}", out.incomplete);
    // Rendered once per dependency entry: as `db`, and as its alias `replica` (with the
    // alias's values section and name).
    let d = docs(&out, "charts/db/templates/cm.yaml");
    let names: Vec<String> = d
        .iter()
        .map(|n| {
            n.to_json()["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["replica", "db"]);
    assert_eq!(
        d[0].to_json()["data"]["image"],
        "reg.example.com/postgres:15.0"
    );
    let d = &d[1..];
    let doc = d[0].to_json();
    assert_eq!(doc["data"]["image"], "reg.example.com/postgres:16.1");
    assert_eq!(doc["data"]["port"], "5432");
    assert_eq!(doc["data"]["own"], "kept");
    assert_eq!(doc["data"]["shared"], "parent");
    // The image value names the parent's values key.
    let image = d[0].path(&["data", "image"]).unwrap();
    let vias: Vec<(String, (String, u32))> = image
        .via
        .iter()
        .map(|v| match &v.kind {
            ViaKind::HelmValue { path } => (path.clone(), line_of(&input, v.span)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        vias,
        [
            (
                "global.registry".to_string(),
                ("values.yaml".to_string(), 2)
            ),
            ("db.image".to_string(), ("values.yaml".to_string(), 5)),
        ]
    );
    // The span is the template line.
    assert_eq!(
        line_of(&input, image.span),
        ("charts/db/templates/cm.yaml".to_string(), 6)
    );
}

#[test]
fn required_fail_and_errors_are_reported_at_their_lines() {
    let (input, out) = render(&[
        ("Chart.yaml", CHART),
        ("values.yaml", "db: {}\n"),
        (
            "templates/a.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\nstringData:\n  password: {{ required \"db.password is required\" .Values.db.password }}\n",
        ),
        (
            "templates/b.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: {{ .Values.db.host.name }}\n",
        ),
        (
            "templates/c.yaml",
            "{{- if .Values.strict }}{{ fail \"strict mode\" }}{{ end }}\nkind: x\n",
        ),
    ]);
    let mut diags: Vec<(&str, String, u32)> = out
        .diagnostics
        .iter()
        .map(|d| {
            let (path, line) = d.span.map_or((String::new(), 0), |s| line_of(&input, s));
            (d.code, path, line)
        })
        .collect();
    diags.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        diags,
        [
            (codes::REQUIRED, "templates/a.yaml".to_string(), 6),
            (codes::RENDER, "templates/b.yaml".to_string(), 6),
        ]
    );
    let message = |code: &str| {
        out.diagnostics
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.message.clone())
            .unwrap_or_default()
    };
    assert!(message(codes::REQUIRED).contains("`.Values.db.password`"));
    assert!(message(codes::RENDER).contains("nil pointer"));
    assert_eq!(out.incomplete.len(), 1);
    assert!(
        out.incomplete[0].contains("chart/templates/b.yaml:6"),
        "{:?}",
        out.incomplete
    );
    // The required value renders as empty and the rest of that template is checked.
    assert_eq!(docs(&out, "templates/a.yaml").len(), 1);
    assert_eq!((out.rendered, out.total), (2, 3));
}

#[test]
fn archives_and_missing_dependencies_make_the_chart_incomplete() {
    let input = chart(
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 17.0.0\n    repository: https://charts.example.com\n  - name: kafka\n    version: 2.0.0\n",
            ),
            ("templates/cm.yaml", "kind: ConfigMap\n"),
        ],
        &["charts/redis-17.0.0.tgz"],
    );
    let out = render_chart(&input, &HelmOptions::default());
    let codes_seen: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes_seen, [codes::DEPENDENCY, codes::DEPENDENCY]);
    assert_eq!(out.incomplete.len(), 2, "{:?}", out.incomplete);
    assert!(out.incomplete[0].contains("redis-17.0.0.tgz"));
    assert!(out.incomplete[1].contains("`kafka`"));
    assert_eq!(out.rendered, 1);
}

#[test]
fn recursive_include_stops_at_helms_limit_without_crashing() {
    let (_, out) = render(&[
        ("Chart.yaml", CHART),
        (
            "templates/_helpers.tpl",
            "{{ define \"r\" }}x{{ include \"r\" . }}{{ end }}",
        ),
        ("templates/a.yaml", "a: {{ include \"r\" . }}\n"),
    ]);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].code, codes::RENDER);
    assert!(
        out.diagnostics[0]
            .message
            .contains("nested reference deeper than 1000"),
        "{}",
        out.diagnostics[0].message
    );
}

#[test]
fn values_files_and_set_apply_in_helm_order() {
    let input = chart(
        &[
            ("Chart.yaml", CHART),
            ("values.yaml", "a: chart\nb: chart\nc: chart\nlist: [x]\n"),
            (
                "templates/cm.yaml",
                "a: {{ .Values.a }}\nb: {{ .Values.b }}\nc: {{ .Values.c }}\nn: {{ .Values.n | toJson }}\nlist: {{ .Values.list | toJson }}\ns: {{ .Values.s | toJson }}\n",
            ),
        ],
        &[],
    );
    let vf = Arc::new(SourceFile::new(
        FileId(50),
        "prod.yaml",
        "a: file\nb: file\n",
    ));
    let opts = HelmOptions {
        values_files: vec![vf],
        set: vec!["b=set,n=5,list={y,z}".into()],
        set_string: vec!["s=007".into()],
        ..HelmOptions::default()
    };
    let out = render_chart(&input, &opts);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let doc = docs(&out, "templates/cm.yaml")[0].to_json();
    assert_eq!(
        doc,
        serde_json::json!({"a": "file", "b": "set", "c": "chart", "n": 5, "list": ["y", "z"], "s": "007"})
    );
}
