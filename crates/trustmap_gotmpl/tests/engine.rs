//! The template engine on its own: Go semantics, Helm functions, limits, the source map.

use std::sync::Arc;

use trustmap_gotmpl::{Budget, ErrorKind, Limits, Templates, Value, value_from_node};
use trustmap_source::{FileId, SourceFile};

fn data(yaml: &str) -> Value {
    let f = SourceFile::new(FileId(9), "values.yaml", yaml);
    let parsed = trustmap_syntax::yaml::parse(&f);
    parsed
        .docs
        .first()
        .map(value_from_node)
        .unwrap_or_else(Value::empty_map)
}

fn render_with(
    defs: &[&str],
    tmpl: &str,
    yaml: &str,
    limits: Limits,
) -> Result<String, trustmap_gotmpl::Error> {
    let mut set = Templates::new();
    for (i, d) in defs.iter().enumerate() {
        let f = Arc::new(SourceFile::new(
            FileId(10 + i as u32),
            format!("_h{i}.tpl"),
            *d,
        ));
        set.add(&f.path, &f)?;
    }
    let f = SourceFile::new(FileId(1), "t.yaml", tmpl);
    set.add("t.yaml", &f)?;
    let mut budget = Budget::new(limits);
    set.render("t.yaml", &data(yaml), &mut budget)
        .map(|r| r.text)
}

fn render(tmpl: &str, yaml: &str) -> String {
    render_with(&[], tmpl, yaml, Limits::default()).unwrap_or_else(|e| panic!("{tmpl}: {e}"))
}

fn fails(tmpl: &str, yaml: &str) -> trustmap_gotmpl::Error {
    render_with(&[], tmpl, yaml, Limits::default()).expect_err(tmpl)
}

#[test]
fn go_truthiness() {
    let t = "{{ if .v }}T{{ else }}F{{ end }}";
    for (v, want) in [
        ("v: 0", "F"),
        ("v: 1", "T"),
        ("v: ''", "F"),
        ("v: x", "T"),
        ("v: []", "F"),
        ("v: [1]", "T"),
        ("v: {}", "F"),
        ("v: {a: 1}", "T"),
        ("v: null", "F"),
        ("v: false", "F"),
        ("w: 1", "F"),
        ("v: 0.0", "F"),
    ] {
        assert_eq!(render(t, v), want, "{v}");
    }
}

#[test]
fn whitespace_trimming() {
    assert_eq!(render("a  \n  {{- 1 -}}  \n  b", ""), "a1b");
    assert_eq!(render("a {{- /* note */ -}} b", ""), "ab");
    assert_eq!(render("a {{/* note */}} b", ""), "a  b");
    assert_eq!(
        render("x:\n  {{- if true }}\n  y: 1\n  {{- end }}\n", ""),
        "x:\n  y: 1\n"
    );
    // `{{-3}}` is the number -3, not a trim marker.
    assert_eq!(render("a {{-3}}", ""), "a -3");
}

#[test]
fn range_with_else_and_variables() {
    assert_eq!(
        render("{{ range .l }}[{{ . }}]{{ end }}", "l: [a, b]"),
        "[a][b]"
    );
    assert_eq!(
        render(
            "{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}",
            "l: [a, b]"
        ),
        "0=a;1=b;"
    );
    assert_eq!(
        render(
            "{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}",
            "m: {z: 1, a: 2}"
        ),
        "a=2;z=1;"
    );
    assert_eq!(
        render("{{ range .l }}x{{ else }}empty{{ end }}", "l: []"),
        "empty"
    );
    assert_eq!(render("{{ range 3 }}{{ . }}{{ end }}", ""), "012");
    assert_eq!(
        render(
            "{{ range .l }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }}",
            "l: [1, 2, 3]"
        ),
        "1"
    );
    assert_eq!(
        render(
            "{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ . }}{{ end }}",
            "l: [1, 2, 3]"
        ),
        "13"
    );
    assert_eq!(
        render("{{ with .a }}{{ .b }}{{ else }}none{{ end }}", "a: {b: hi}"),
        "hi"
    );
    assert_eq!(
        render("{{ with .x }}{{ . }}{{ else }}none{{ end }}", ""),
        "none"
    );
    assert_eq!(
        render("{{ with $x := .a.b }}{{ $x }}{{ end }}", "a: {b: hi}"),
        "hi"
    );
    assert_eq!(
        render("{{ if .a }}a{{ else if .b }}b{{ else }}c{{ end }}", "b: 1"),
        "b"
    );
    assert_eq!(
        render(
            "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
            ""
        ),
        "2"
    );
    assert_eq!(
        render(
            "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ end }}{{ $x }}",
            ""
        ),
        "1"
    );
    assert_eq!(
        render("{{ range .l }}{{ $.top }}{{ end }}", "l: [1]\ntop: T"),
        "T"
    );
    assert_eq!(fails("{{ $nope }}", "").kind, ErrorKind::Exec);
}

#[test]
fn pipelines_and_functions() {
    assert_eq!(render("{{ .a | default \"d\" }}", ""), "d");
    assert_eq!(render("{{ .a | default \"d\" }}", "a: x"), "x");
    assert_eq!(render("{{ \"x\" | quote }}", ""), "\"x\"");
    assert_eq!(render("{{ .p | quote }}", "p: 8080"), "\"8080\"");
    assert_eq!(render("{{ .big }}", "big: 1000000"), "1e+06");
    assert_eq!(render("{{ .big | int }}", "big: 1000000"), "1000000");
    assert_eq!(
        render(
            "{{ printf \"%s-%s\" .a .b | trunc 5 | trimSuffix \"-\" }}",
            "a: abcd\nb: e"
        ),
        "abcd"
    );
    assert_eq!(render("{{ (list 1 2 3) | len }}", ""), "3");
    assert_eq!(
        render("{{ toYaml .m | nindent 2 }}", "m: {b: [1, x], a: {c: d}}"),
        "\n  a:\n    c: d\n  b:\n  - 1\n  - x"
    );
    assert_eq!(
        render(
            "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ toJson $d }}",
            ""
        ),
        "{\"a\":1,\"b\":2}"
    );
    assert_eq!(
        render("{{ hasKey .m \"a\" }} {{ hasKey .m \"z\" }}", "m: {a: 1}"),
        "true false"
    );
    assert_eq!(
        render(
            "{{ ternary \"y\" \"n\" true }}{{ true | ternary \"y\" \"n\" }}",
            ""
        ),
        "yy"
    );
    assert_eq!(
        render("{{ and 1 0 2 }}|{{ or 0 \"\" \"x\" }}|{{ not 0 }}", ""),
        "0|x|true"
    );
    assert_eq!(render("{{ or .a .missing.deep }}", "a: 1"), "1",);
    assert_eq!(
        render("{{ semverCompare \">=1.19-0\" \"v1.30.0\" }}", ""),
        "true"
    );
    assert_eq!(render("{{ until 3 | join \",\" }}", ""), "0,1,2");
    assert_eq!(
        render("{{ regexReplaceAll \"[^a-z]\" \"A-b_c\" \"\" }}", ""),
        "bc"
    );
    assert_eq!(
        render("{{ b64enc \"hi\" }} {{ sha256sum \"\" | trunc 8 }}", ""),
        "aGk= e3b0c442"
    );
    assert_eq!(render("{{ coalesce .a .b \"c\" }}", "b: B"), "B");
    assert_eq!(
        render(
            "{{ merge (dict \"a\" 1) (dict \"a\" 2 \"b\" 3) | toJson }}",
            ""
        ),
        "{\"a\":1,\"b\":3}"
    );
    assert_eq!(
        render(
            "{{ mergeOverwrite (dict \"a\" 1) (dict \"a\" 2) | toJson }}",
            ""
        ),
        "{\"a\":2}"
    );
    assert_eq!(
        render(
            "{{ index .l 1 }} {{ index .m \"k\" }}",
            "l: [a, b]\nm: {k: v}"
        ),
        "b v"
    );
    assert_eq!(render("{{ (fromYaml \"a: 1\").a }}", ""), "1");
    assert_eq!(render("{{ randAlphaNum 5 | len }}", ""), "5");
    assert_eq!(render("{{ .x.y }}", "x: {}"), "");
    assert_eq!(render("{{ eq .n 3 }}", "n: 3"), "true");
}

#[test]
fn nil_pointer_is_an_error_like_helm() {
    let e = fails("{{ .a.b.c }}", "");
    assert_eq!(e.kind, ErrorKind::Exec);
    assert!(
        e.message.contains("nil pointer evaluating interface {}.b"),
        "{}",
        e.message
    );
}

#[test]
fn unknown_and_unsupported_functions_fail_loudly() {
    let e = fails("line1\n{{ nosuchfn 1 }}", "");
    assert_eq!(e.kind, ErrorKind::Parse);
    assert!(e.message.contains("\"nosuchfn\" not defined"));
    assert_eq!(e.span.start, 9);
    let e = fails("{{ toToml . }}", "");
    assert_eq!(e.kind, ErrorKind::Unsupported);
}

#[test]
fn define_include_template_and_tpl() {
    let helpers = "{{- define \"name\" -}}{{ .n | upper }}{{- end -}}\n{{- define \"block\" }}k: {{ .n }}{{ end }}";
    let r = |t: &str| {
        render_with(
            &[helpers],
            t,
            "n: web\nt: \"{{ .n }}-x\"",
            Limits::default(),
        )
        .unwrap()
    };
    assert_eq!(r("{{ include \"name\" . }}"), "WEB");
    assert_eq!(r("{{ template \"name\" . }}"), "WEB");
    assert_eq!(r("a:{{ include \"block\" . | nindent 2 }}"), "a:\n  k: web");
    assert_eq!(r("{{ tpl .t . }}"), "web-x");
    assert_eq!(r("{{ tpl \"{{ include \\\"name\\\" . }}\" . }}"), "WEB");
    assert_eq!(
        r("{{ block \"b2\" . }}default {{ .n }}{{ end }}"),
        "default web"
    );
}

#[test]
fn include_recursion_is_bounded() {
    let helpers = "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}";
    let limits = Limits {
        max_call_depth: 50,
        ..Limits::default()
    };
    let e = render_with(&[helpers], "{{ include \"loop\" . }}", "", limits).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("nested reference"), "{}", e.message);
}

#[test]
fn template_bombs_hit_the_budget() {
    let helpers = "{{ define \"a\" }}{{ .x }}{{ .x }}{{ end }}{{ define \"b\" }}{{ $s := include \"a\" . }}{{ include \"a\" (dict \"x\" $s) }}{{ end }}";
    let limits = Limits {
        max_bytes: 1 << 16,
        ..Limits::default()
    };
    let e = render_with(&[helpers], "{{ $s := \"xxxxxxxxxxxxxxxx\" }}{{ range until 40 }}{{ $s = include \"b\" (dict \"x\" $s) }}{{ end }}", "", limits).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    let small = Limits {
        max_work: 100_000,
        ..Limits::default()
    };
    let e = render_with(
        &[],
        "{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}",
        "",
        small,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    let e = render_with(
        &[],
        "{{ repeat 100000000 \"xxxxxxxxxx\" }}",
        "",
        Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
}

#[test]
fn required_and_fail_become_notes() {
    let mut set = Templates::new();
    let f = SourceFile::new(
        FileId(1),
        "t.yaml",
        "a: {{ required \"set db.password\" .Values.db.password }}\nb: {{ fail \"nope\" }}",
    );
    set.add("t.yaml", &f).unwrap();
    let mut budget = Budget::new(Limits::default());
    let r = set
        .render("t.yaml", &data("Values: {db: {}}"), &mut budget)
        .unwrap();
    assert_eq!(r.text, "a: \nb: ");
    assert_eq!(r.notes.len(), 2);
    assert!(
        r.notes[0].message.contains("`.Values.db.password`"),
        "{}",
        r.notes[0].message
    );
    assert!(r.notes[0].message.contains("set db.password"));
    assert_eq!(r.notes[1].message, "nope");
}
