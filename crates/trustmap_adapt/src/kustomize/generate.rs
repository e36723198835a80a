//! `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets whose data is written
//! in the repository (literals, files, env files). Each data value keeps where it is
//! written: the literal in the kustomization, the line of the env file; a whole file's
//! content is located at the `files` entry that pulls it in.

use trustmap_source::{SourceFile, Span, Via, ViaKind};
use trustmap_syntax::Node;

use super::build::{Builder, Kx, Res, entries};
use super::paths::{self, display_dir};
use super::tree::{self, text};
use crate::gha::offsets::OffsetMap;

/// One data entry of a generated object.
struct Data {
    key: String,
    key_span: Span,
    value: Node,
}

pub(super) fn generators(b: &mut Builder<'_, '_>, kx: &Kx<'_>, res: &mut Vec<Res>) {
    for (key, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for item in entries(&kx.doc, key) {
            generate(b, kx, &item, kind, res);
        }
    }
}

fn generate(b: &mut Builder<'_, '_>, kx: &Kx<'_>, item: &Node, kind: &str, res: &mut Vec<Res>) {
    let Some(name_node) = item.get("name").filter(|n| n.scalar_text().is_some()) else {
        b.ws.report(kx.evaluation(
            item.span,
            format!("a {kind} generator without `name`: nothing is generated"),
        ));
        return;
    };
    let name = text(name_node).unwrap_or_default();
    let mut data = Vec::new();
    for lit in item.get("literals").and_then(Node::as_seq).unwrap_or(&[]) {
        match literal(kx.file, lit.untagged()) {
            Some(d) => data.push(d),
            None => b.ws.report(kx.evaluation(
                lit.span,
                "generator literal is not `key=value`: it is left out",
            )),
        }
    }
    for f in item.get("files").and_then(Node::as_seq).unwrap_or(&[]) {
        if let Some(d) = file_entry(b, kx, f.untagged(), &name) {
            data.push(d);
        }
    }
    let mut envs: Vec<&Node> = item
        .get("envs")
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .collect();
    envs.extend(item.get("env").filter(|n| n.as_str().is_some()));
    for e in envs {
        data.extend(env_file(b, kx, e.untagged(), &name));
    }
    let field = if kind == "Secret" {
        "stringData"
    } else {
        "data"
    };
    let behavior = item
        .get("behavior")
        .and_then(text)
        .unwrap_or_else(|| "create".to_string());
    if behavior == "merge" || behavior == "replace" {
        if let Some(existing) = res.iter_mut().find(|r| r.kind() == kind && r.named(&name)) {
            if behavior == "replace" {
                tree::remove(&mut existing.doc, "data");
                tree::remove(&mut existing.doc, "stringData");
                tree::remove(&mut existing.doc, "binaryData");
            }
            let span = existing.doc.span;
            if let Some(map) = tree::map_at(&mut existing.doc, field, span) {
                for d in data {
                    tree::set(map, &d.key, d.key_span, d.value);
                }
            }
            return;
        }
        b.ws.report(kx.evaluation(
            item.span,
            format!("generator `{name}` has behavior `{behavior}` but no {kind} `{name}` is in the build: it is created instead"),
        ));
    }
    let at = item.span;
    let mut metadata = vec![(
        "name",
        item.entry("name").map_or(at, |e| e.key_span),
        name_node.clone(),
    )];
    if let Some(ns) = item.entry("namespace") {
        metadata.push(("namespace", ns.key_span, ns.value.clone()));
    }
    let mut fields = vec![
        ("apiVersion", at, Node::string("v1", at)),
        ("kind", at, Node::string(kind, at)),
        ("metadata", at, tree::map(at, metadata)),
    ];
    if kind == "Secret"
        && let Some(t) = item.entry("type")
    {
        fields.push(("type", t.key_span, t.value.clone()));
    }
    let data_map = tree::map(
        at,
        data.iter()
            .map(|d| (d.key.as_str(), d.key_span, d.value.clone()))
            .collect(),
    );
    fields.push((field, at, data_map));
    let via = kx.via(
        &format!(
            "`{}Generator`",
            if kind == "Secret" {
                "secret"
            } else {
                "configMap"
            }
        ),
        at,
    );
    b.push(res, Res::new(tree::map(at, fields), via));
}

/// The span of `range` of a scalar's value, when it maps back to the file exactly.
fn sub_span(file: &SourceFile, n: &Node, value: &str, range: std::ops::Range<usize>) -> Span {
    OffsetMap::new(value, file, n.span)
        .and_then(|m| m.span(file, range.start, range.end))
        .unwrap_or(n.span)
}

/// `key=value` (a value in matching quotes loses them).
fn literal(file: &SourceFile, lit: &Node) -> Option<Data> {
    let s = lit.scalar_text()?;
    let (k, v) = s.split_once('=')?;
    let key = k.trim();
    if key.is_empty() {
        return None;
    }
    let mut start = k.len() + 1;
    let mut end = s.len();
    let quoted = v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')));
    if quoted {
        start += 1;
        end -= 1;
    }
    let value = s[start..end].to_string();
    let span = sub_span(file, lit, &s, start..end);
    let mut node = Node::string(value, span);
    node.via.clone_from(&lit.via);
    Some(Data {
        key: key.to_string(),
        key_span: sub_span(file, lit, &s, 0..k.len()),
        value: node,
    })
}

/// A `files` entry, `[key=]path`: the file's content under its name (or `key`).
fn file_entry(b: &mut Builder<'_, '_>, kx: &Kx<'_>, entry: &Node, generator: &str) -> Option<Data> {
    let s = entry.as_str()?;
    let (key, path) = match s.split_once('=') {
        Some((k, p)) => (k.trim().to_string(), p.trim()),
        None => (
            s.rsplit('/').next().unwrap_or(s).trim().to_string(),
            s.trim(),
        ),
    };
    let file = paths::join(&kx.dir, path).and_then(|p| b.ws.file(&p));
    let Some(f) = file else {
        b.ws.report(kx.evaluation(
            entry.span,
            format!(
                "file `{path}` of generator `{generator}` is not in the scanned tree (ignored, missing or outside it): its content is unknown in the build of `{}`",
                display_dir(&kx.dir)
            ),
        ));
        return Some(Data {
            key,
            key_span: entry.span,
            value: Node::unknown(entry.span),
        });
    };
    b.ws.consumed.insert(f.id);
    let first_line = f
        .line_range(1)
        .map_or(f.span(0, 0), |r| f.span(r.start, r.end));
    let mut value = Node::string(f.text.to_string(), entry.span);
    value.via.push(Via {
        kind: ViaKind::Other {
            note: format!("the content of `{}`", f.path),
        },
        span: first_line,
    });
    Some(Data {
        key,
        key_span: entry.span,
        value,
    })
}

/// An `envs` file: one `KEY=value` per line (blank lines and `#` comments skipped; a line
/// without `=` takes its value from the environment kustomize runs in: unknown).
fn env_file(b: &mut Builder<'_, '_>, kx: &Kx<'_>, entry: &Node, generator: &str) -> Vec<Data> {
    let Some(path) = entry.as_str() else {
        return Vec::new();
    };
    let file = paths::join(&kx.dir, path).and_then(|p| b.ws.file(&p));
    let Some(f) = file else {
        b.ws.report(kx.evaluation(
            entry.span,
            format!(
                "env file `{path}` of generator `{generator}` is not in the scanned tree (ignored, missing or outside it): its data is unknown in the build of `{}`",
                display_dir(&kx.dir)
            ),
        ));
        return Vec::new();
    };
    b.ws.consumed.insert(f.id);
    let mut out = Vec::new();
    for line in 1..=f.line_count() {
        let Some(range) = f.line_range(line) else {
            continue;
        };
        let text = &f.text[range.clone()];
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = text.len() - trimmed.len();
        let at = range.start + lead;
        match trimmed.split_once('=') {
            Some((k, v)) => {
                let v_start = at + k.len() + 1;
                out.push(Data {
                    key: k.trim().to_string(),
                    key_span: f.span(at, at + k.trim_end().len()),
                    value: Node::string(v.to_string(), f.span(v_start, v_start + v.len())),
                });
            }
            None => out.push(Data {
                key: trimmed.trim().to_string(),
                key_span: f.span(at, range.end),
                value: Node::unknown(f.span(at, range.end)),
            }),
        }
    }
    out
}
