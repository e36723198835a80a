//! Compose adapter tests: short and long syntaxes, interpolation, where values sit.

use trustmap_model::State;
use trustmap_model::compose::{ComposeFile, EnvValue, VolumeKind};
use trustmap_source::{FileId, SourceFile, Span};

use super::{from_document, parse_short_port, split_short_volume};

fn adapt(text: &str) -> (SourceFile, ComposeFile) {
    let file = SourceFile::new(FileId(0), "docker-compose.yml", text);
    let parsed = trustmap_syntax::yaml::parse(&file);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut diags = Vec::new();
    let c = from_document(&file, &parsed.docs[0], &mut diags).expect("compose file");
    assert!(diags.is_empty(), "{diags:?}");
    (file, c)
}

fn at(file: &SourceFile, span: Span) -> &str {
    file.slice(span)
}

#[test]
fn reads_services_with_their_privileges_and_namespaces() {
    let (file, c) = adapt(
        "\
services:
  web:
    image: nginx:1.27
    privileged: true
    network_mode: host
    pid: \"host\"
    cap_add: [SYS_ADMIN]
  worker:
    build: .
    privileged: ${PRIV}
",
    );
    let web = &c.services[0];
    assert_eq!(web.meta.address, "docker-compose.yml#web");
    assert!(web.privileged.is_true());
    assert_eq!(at(&file, web.privileged.span), "true");
    assert_eq!(web.network_mode.get(), Some(&Some("host".to_string())));
    assert_eq!(web.pid.get(), Some(&Some("host".to_string())));
    assert!(web.ipc.is_default());
    assert_eq!(web.cap_add[0].get().map(String::as_str), Some("SYS_ADMIN"));
    let image = web.image.as_ref().and_then(|i| i.get()).expect("image");
    assert_eq!(image.tag.as_deref(), Some("1.27"));
    let worker = &c.services[1];
    assert!(worker.image.is_none());
    assert!(worker.privileged.is_unknown());
    assert!(worker.read_only.is_default());
}

#[test]
fn ports_in_short_and_long_syntax() {
    let (file, c) = adapt(
        "\
services:
  db:
    image: postgres:16
    ports:
      - \"5432:5432\"
      - 127.0.0.1:6379:6379
      - 9000
      - \"[::1]:8080:80/udp\"
      - target: 27017
        published: \"27017\"
        host_ip: 0.0.0.0
      - \"${PORT}:80\"
",
    );
    let p = &c.services[0].ports;
    assert_eq!(p[0].binds_all_interfaces(), Some(true));
    assert_eq!(p[0].target_ports(), Some(5432..=5432));
    assert_eq!(at(&file, p[0].target.span), "5432");
    assert_eq!(p[1].binds_all_interfaces(), Some(false));
    assert_eq!(at(&file, p[1].host_ip.span), "127.0.0.1");
    assert!(p[2].published.is_default() && p[2].published.get() == Some(&None));
    assert_eq!(p[3].host_ip.get(), Some(&Some("[::1]".to_string())));
    assert_eq!(p[3].protocol.get().map(String::as_str), Some("udp"));
    assert_eq!(p[4].binds_all_interfaces(), Some(true));
    assert_eq!(p[4].target_ports(), Some(27017..=27017));
    assert_eq!(p[5].binds_all_interfaces(), None);
}

#[test]
fn short_port_parts() {
    let p = parse_short_port("127.0.0.1::80/tcp").expect("parses");
    assert_eq!(p.ip, Some(0..9));
    assert_eq!(p.published, None);
    assert_eq!(p.target, 11..13);
    assert!(parse_short_port("a:b:c:d").is_none());
}

#[test]
fn volumes_know_bind_mounts_from_named_volumes() {
    let (_, c) = adapt(
        "\
services:
  ci:
    image: docker:27
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - data:/data
      - ./conf:/etc/app
      - type: bind
        source: /run/docker.sock
        target: /sock
      - /scratch
",
    );
    let v = &c.services[0].volumes;
    assert_eq!(v[0].kind, VolumeKind::Bind);
    assert_eq!(v[0].host_path(), Some("/var/run/docker.sock"));
    assert!(v[0].read_only.is_true());
    assert_eq!(v[1].kind, VolumeKind::Volume);
    assert_eq!(v[1].host_path(), None);
    assert_eq!(v[2].host_path(), Some("./conf"));
    assert_eq!(v[3].host_path(), Some("/run/docker.sock"));
    assert!(v[4].source.is_none());
    assert_eq!(
        split_short_volume("C:\\data:/data:rw"),
        (Some("C:\\data".into()), "/data".into(), Some("rw".into()))
    );
}

#[test]
fn environment_map_and_list_forms() {
    let (file, c) = adapt(
        "\
services:
  a:
    image: app:1
    environment:
      DB_PASSWORD: hunter2
      API_TOKEN: ${API_TOKEN}
      FROM_HOST:
  b:
    image: app:1
    environment:
      - DB_PASSWORD=hunter2
      - TOKEN=$${literal}
      - PASSTHROUGH
",
    );
    let a = &c.services[0].environment;
    match &a[0].value {
        EnvValue::Literal(v) => assert_eq!(at(&file, v.span), "hunter2"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(a[1].value, EnvValue::Interpolated(_)));
    assert!(matches!(a[2].value, EnvValue::FromHost(_)));
    let b = &c.services[1].environment;
    assert_eq!(at(&file, b[0].name_span), "DB_PASSWORD");
    match &b[0].value {
        EnvValue::Literal(v) => {
            assert_eq!(at(&file, v.span), "hunter2");
            assert!(matches!(v.state, State::Explicit(_)));
        }
        other => panic!("{other:?}"),
    }
    match &b[1].value {
        EnvValue::Literal(v) => assert_eq!(v.get().map(String::as_str), Some("${literal}")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(b[2].value, EnvValue::FromHost(_)));
}

#[test]
fn files_without_services_are_not_compose() {
    let file = SourceFile::new(FileId(0), "compose.yaml", "version: '3'\n");
    let parsed = trustmap_syntax::yaml::parse(&file);
    assert!(from_document(&file, &parsed.docs[0], &mut Vec::new()).is_none());
}
