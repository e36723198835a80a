//! Docker Compose YAML → compose model.
//!
//! Reads the Compose Specification's service fields that carry security meaning, in both
//! their short and long syntaxes (`ports`, `volumes`) and both forms of `environment` (map
//! and list). A value holding `${VAR}` interpolation is decided by the environment compose
//! runs in: typed fields become unknown, environment values are marked interpolated. YAML
//! anchors and merge keys (`<<: *defaults`) are already expanded by the parser.

#[cfg(test)]
mod tests;

use trustmap_model::compose::{ComposeFile, EnvValue, EnvVar, Port, Service, Volume, VolumeKind};
use trustmap_model::k8s::ImageRef;
use trustmap_model::{Language, ResourceMeta, Value};
use trustmap_source::{Diagnostic, SourceFile, Span};
use trustmap_syntax::Node;

use crate::gha::offsets::OffsetMap;

/// Adapts one compose document; `None` when it has no `services` mapping.
pub fn from_document(
    file: &SourceFile,
    doc: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<ComposeFile> {
    let doc = doc.untagged();
    let services = doc.get("services")?.untagged();
    let Some(entries) = services.as_map() else {
        if !services.is_null() {
            diags.push(
                Diagnostic::new(
                    "unsupported",
                    "compose `services` is not a mapping: the file is not checked",
                )
                .at(file, services.span),
            );
        }
        return None;
    };
    let cx = Cx { file };
    Some(ComposeFile {
        meta: ResourceMeta {
            address: file.path.clone(),
            language: Language::Compose,
            span: doc.span,
            via: Vec::new(),
        },
        services: entries
            .iter()
            .filter(|e| e.value.untagged().as_map().is_some())
            .map(|e| cx.service(&e.key, e.key_span, e.value.untagged()))
            .collect(),
    })
}

struct Cx<'f> {
    file: &'f SourceFile,
}

/// The non-null value under `key`.
fn field<'a>(map: &'a Node, key: &str) -> Option<&'a Node> {
    let n = map.get(key)?.untagged();
    (!n.is_null()).then_some(n)
}

/// True when the text holds interpolation (`$VAR`, `${VAR}`); `$$` is a literal `$`.
fn interpolates(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            match bytes.get(i + 1) {
                Some(b'$') => i += 2,
                Some(c) if *c == b'{' || *c == b'_' || c.is_ascii_alphabetic() => return true,
                _ => i += 1,
            }
        } else {
            i += 1;
        }
    }
    false
}

/// Scalar text with `$$` unescaped; `None` for non-scalars and interpolated text.
fn literal(n: &Node) -> Option<String> {
    let text = n.scalar_text()?;
    (!interpolates(&text)).then(|| text.replace("$$", "$"))
}

fn value<T>(n: &Node, read: impl FnOnce(&Node) -> Option<T>) -> Value<T> {
    let v = if n.is_unknown() { None } else { read(n) };
    match v {
        Some(v) => Value::explicit(v, n.span),
        None => Value::unknown(n.span),
    }
    .with_via(n.via.clone())
}

fn boolean(n: &Node) -> Option<bool> {
    match n.as_bool() {
        Some(b) => Some(b),
        None => literal(n).and_then(|t| match t.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }),
    }
}

fn bool_or(map: &Node, key: &str, default: bool, at: Span) -> Value<bool> {
    match field(map, key) {
        Some(n) => value(n, boolean),
        None => Value::default_at(default, at),
    }
}

fn opt_text(map: &Node, key: &str, at: Span) -> Value<Option<String>> {
    match field(map, key) {
        Some(n) => value(n, |n| literal(n).map(Some)),
        None => Value::default_at(None, at),
    }
}

/// A list of strings; a value that is not a list is one unknown item.
fn strings(map: &Node, key: &str) -> Vec<Value<String>> {
    match field(map, key) {
        None => Vec::new(),
        Some(n) => match n.as_seq() {
            Some(items) => items.iter().map(|i| value(i.untagged(), literal)).collect(),
            None => vec![Value::unknown(n.span).with_via(n.via.clone())],
        },
    }
}

impl Cx<'_> {
    fn service(&self, name: &str, name_span: Span, s: &Node) -> Service {
        let at = s.span;
        Service {
            meta: ResourceMeta {
                address: format!("{}#{name}", self.file.path),
                language: Language::Compose,
                span: at,
                via: s.via.clone(),
            },
            name: name.to_string(),
            name_span,
            image: field(s, "image").map(|n| value(n, |n| literal(n).map(|t| ImageRef::parse(&t)))),
            build: s.entry("build").map(|e| e.key_span.to(e.value.span)),
            privileged: bool_or(s, "privileged", false, at),
            network_mode: opt_text(s, "network_mode", at),
            pid: opt_text(s, "pid", at),
            ipc: opt_text(s, "ipc", at),
            cap_add: strings(s, "cap_add"),
            cap_drop: strings(s, "cap_drop"),
            volumes: field(s, "volumes")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .map(|v| volume(v.untagged()))
                .collect(),
            ports: field(s, "ports")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .map(|p| self.port(p.untagged()))
                .collect(),
            environment: field(s, "environment")
                .map(|e| self.environment(e))
                .unwrap_or_default(),
            user: opt_text(s, "user", at),
            read_only: bool_or(s, "read_only", false, at),
            security_opt: strings(s, "security_opt"),
        }
    }

    /// The span of `range` of a scalar's value, when it maps back to the file exactly.
    fn sub_span(&self, n: &Node, text: &str, range: std::ops::Range<usize>) -> Span {
        OffsetMap::new(text, self.file, n.span)
            .and_then(|m| m.span(self.file, range.start, range.end))
            .unwrap_or(n.span)
    }

    fn environment(&self, env: &Node) -> Vec<EnvVar> {
        if let Some(entries) = env.as_map() {
            return entries
                .iter()
                .map(|e| {
                    let v = e.value.untagged();
                    EnvVar {
                        name: e.key.clone(),
                        name_span: e.key_span,
                        span: e.key_span.to(v.span),
                        value: if v.is_null() {
                            EnvValue::FromHost(e.key_span)
                        } else {
                            env_value(v, v.scalar_text(), v.span)
                        },
                    }
                })
                .collect();
        }
        let Some(items) = env.as_seq() else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let item = item.untagged();
                let text = item.scalar_text()?;
                Some(match text.split_once('=') {
                    Some((name, v)) => {
                        let start = name.len() + 1;
                        EnvVar {
                            name: name.trim().to_string(),
                            name_span: self.sub_span(item, &text, 0..name.len()),
                            span: item.span,
                            value: env_value(
                                item,
                                Some(v.to_string()),
                                self.sub_span(item, &text, start..text.len()),
                            ),
                        }
                    }
                    None => EnvVar {
                        name: text.trim().to_string(),
                        name_span: item.span,
                        span: item.span,
                        value: EnvValue::FromHost(item.span),
                    },
                })
            })
            .collect()
    }

    fn port(&self, p: &Node) -> Port {
        let at = p.span;
        if p.as_map().is_some() {
            let published = match field(p, "published") {
                Some(n) => value(n, |n| literal(n).map(Some)),
                None => Value::default_at(None, at),
            };
            return Port {
                span: at,
                host_ip: opt_text(p, "host_ip", at),
                published,
                target: match field(p, "target") {
                    Some(n) => value(n, literal),
                    None => Value::unknown(at),
                },
                protocol: match field(p, "protocol") {
                    Some(n) => value(n, literal),
                    None => Value::default_at("tcp".to_string(), at),
                },
            };
        }
        let unknown = || Port {
            span: at,
            host_ip: Value::unknown(at),
            published: Value::unknown(at),
            target: Value::unknown(at),
            protocol: Value::unknown(at),
        };
        let Some(text) = literal(p) else {
            return unknown();
        };
        let Some(short) = parse_short_port(&text) else {
            return unknown();
        };
        let span = |r: Option<std::ops::Range<usize>>| match r {
            Some(r) => self.sub_span(p, &text, r),
            None => at,
        };
        let slice = |r: &std::ops::Range<usize>| text[r.clone()].to_string();
        let via = || p.via.clone();
        Port {
            span: at,
            host_ip: match &short.ip {
                Some(r) => Value::explicit(Some(slice(r)), span(Some(r.clone()))).with_via(via()),
                None => Value::default_at(None, at),
            },
            published: match &short.published {
                Some(r) => Value::explicit(Some(slice(r)), span(Some(r.clone()))).with_via(via()),
                None => Value::default_at(None, at),
            },
            target: Value::explicit(slice(&short.target), span(Some(short.target.clone())))
                .with_via(via()),
            protocol: match &short.protocol {
                Some(r) => Value::explicit(slice(r), span(Some(r.clone()))),
                None => Value::default_at("tcp".to_string(), at),
            },
        }
    }
}

fn env_value(n: &Node, text: Option<String>, span: Span) -> EnvValue {
    let via = n.via.clone();
    match text {
        None => EnvValue::Literal(Value::unknown(span).with_via(via)),
        Some(t) if interpolates(&t) => {
            EnvValue::Interpolated(Value::explicit(t, span).with_via(via))
        }
        Some(t) => EnvValue::Literal(Value::explicit(t.replace("$$", "$"), span).with_via(via)),
    }
}

/// The parts of a short-syntax port, as byte ranges of the text.
#[derive(Debug, PartialEq)]
struct ShortPort {
    ip: Option<std::ops::Range<usize>>,
    published: Option<std::ops::Range<usize>>,
    target: std::ops::Range<usize>,
    protocol: Option<std::ops::Range<usize>>,
}

/// `[[IP:]HOST:]CONTAINER[/PROTOCOL]`, IPv6 addresses in brackets (`[::1]:80:80`).
fn parse_short_port(text: &str) -> Option<ShortPort> {
    let (body_end, protocol) = match text.rfind('/') {
        Some(i) => (i, Some(i + 1..text.len())),
        None => (text.len(), None),
    };
    let body = &text[..body_end];
    let (ip, rest_start) = if body.starts_with('[') {
        let close = body.find(']')?;
        if body.as_bytes().get(close + 1) != Some(&b':') {
            return None;
        }
        (Some(0..close + 1), close + 2)
    } else {
        (None, 0)
    };
    let mut parts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = rest_start;
    for (i, c) in body[rest_start..].char_indices() {
        if c == ':' {
            parts.push(start..rest_start + i);
            start = rest_start + i + 1;
        }
    }
    parts.push(start..body.len());
    let nonempty = |r: std::ops::Range<usize>| (!r.is_empty()).then_some(r);
    let (ip, published, target) = match (ip, parts.as_slice()) {
        (None, [t]) => (None, None, t.clone()),
        (None, [p, t]) => (None, nonempty(p.clone()), t.clone()),
        (None, [i, p, t]) => (nonempty(i.clone()), nonempty(p.clone()), t.clone()),
        (Some(ip), [p, t]) => (Some(ip), nonempty(p.clone()), t.clone()),
        _ => return None,
    };
    if target.is_empty() {
        return None;
    }
    Some(ShortPort {
        ip,
        published,
        target,
        protocol,
    })
}

fn volume(v: &Node) -> Volume {
    let at = v.span;
    if v.as_map().is_some() {
        let kind = match field(v, "type").and_then(literal).as_deref() {
            Some("bind") => VolumeKind::Bind,
            Some("volume") | None => VolumeKind::Volume,
            Some("tmpfs") => VolumeKind::Tmpfs,
            Some("npipe") => VolumeKind::Npipe,
            Some(other) => VolumeKind::Other(other.to_string()),
        };
        return Volume {
            span: at,
            kind,
            source: field(v, "source").map(|n| value(n, literal)),
            target: match field(v, "target") {
                Some(n) => value(n, literal),
                None => Value::unknown(at),
            },
            read_only: bool_or(v, "read_only", false, at),
        };
    }
    let Some(text) = literal(v) else {
        // Interpolated (`${DATA}:/data`): the source may be anything.
        return Volume {
            span: at,
            kind: VolumeKind::Other(String::new()),
            source: Some(Value::unknown(at).with_via(v.via.clone())),
            target: Value::unknown(at),
            read_only: Value::unknown(at),
        };
    };
    let explicit = |s: String| Value::explicit(s, at).with_via(v.via.clone());
    let (source, target, mode) = split_short_volume(&text);
    let read_only = match &mode {
        Some(m) => Value::explicit(m.split(',').any(|o| o == "ro"), at).with_via(v.via.clone()),
        None => Value::default_at(false, at),
    };
    let kind = match &source {
        None => VolumeKind::Volume,
        Some(s) if is_path(s) => VolumeKind::Bind,
        Some(_) => VolumeKind::Volume,
    };
    Volume {
        span: at,
        kind,
        source: source.map(explicit),
        target: explicit(target),
        read_only,
    }
}

/// A host path rather than a volume name: `/x`, `./x`, `../x`, `~/x`, `C:\x`, `\\pipe`.
fn is_path(s: &str) -> bool {
    s.starts_with('/')
        || s.starts_with('.')
        || s.starts_with('~')
        || s.starts_with('\\')
        || (s.len() >= 2 && s.as_bytes()[1] == b':' && s.as_bytes()[0].is_ascii_alphabetic())
}

/// `[SOURCE:]TARGET[:MODE]`; a Windows drive letter (`C:\data`) is part of the source.
fn split_short_volume(text: &str) -> (Option<String>, String, Option<String>) {
    let drive = text.len() >= 3
        && text.as_bytes()[0].is_ascii_alphabetic()
        && text.as_bytes()[1] == b':'
        && matches!(text.as_bytes()[2], b'\\' | b'/');
    let skip = if drive { 2 } else { 0 };
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ':' && i >= skip {
            parts.push(text[start..i].to_string());
            start = i + 1;
        }
    }
    parts.push(text[start..].to_string());
    match parts.len() {
        1 => (None, parts.remove(0), None),
        2 => {
            let target = parts.remove(1);
            (Some(parts.remove(0)), target, None)
        }
        _ => {
            let mode = parts.pop();
            let target = parts.pop().unwrap_or_default();
            (Some(parts.join(":")), target, mode)
        }
    }
}
