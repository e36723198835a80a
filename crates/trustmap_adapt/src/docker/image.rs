//! `FROM` image references: build-argument substitution and `registry/repo:tag@digest` parts.

use trustmap_model::docker::{ImageRef, KeyValue};
use trustmap_source::{Span, Via, ViaKind};

/// Reads the image of a `FROM`. `args` are the global `ARG`s; `stages` the aliases seen so far.
pub(crate) fn image_ref(text: &str, span: Span, args: &[KeyValue], stages: &[String]) -> ImageRef {
    let uses_arg = text.contains('$');
    let mut via = Vec::new();
    let resolved = if uses_arg {
        substitute(text, args, &mut via)
    } else {
        Some(text.to_string())
    };
    let name = resolved.as_deref().unwrap_or(text);
    let is_stage_ref = stages.iter().any(|s| s.eq_ignore_ascii_case(name));
    let is_scratch = name.eq_ignore_ascii_case("scratch");
    let parts = split_reference(name);
    ImageRef {
        text: text.to_string(),
        span,
        resolved,
        registry: parts.registry,
        repository: parts.repository,
        tag: parts.tag,
        digest: parts.digest,
        is_stage_ref,
        is_scratch,
        uses_arg,
        via,
    }
}

/// Replaces `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME-word}` with global `ARG` defaults.
/// `None` when a name has no default and no fallback word.
fn substitute(text: &str, args: &[KeyValue], via: &mut Vec<Via>) -> Option<String> {
    let lookup = |name: &str, via: &mut Vec<Via>| {
        let kv = args.iter().rev().find(|kv| kv.key.value == name)?;
        let value = kv.value.as_ref()?;
        via.push(Via {
            kind: ViaKind::Other {
                note: format!("build argument `{name}`"),
            },
            span: kv.key.span.to(value.span),
        });
        Some(value.value.clone())
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let close = inner.find('}')?;
            let expr = &inner[..close];
            rest = &inner[close + 1..];
            let (name, op) = match expr.find([':', '-', '+']) {
                Some(j) => (&expr[..j], expr[j..].trim_start_matches(':')),
                None => (expr, ""),
            };
            let value = lookup(name, via).filter(|v| !v.is_empty());
            if let Some(word) = op.strip_prefix('+') {
                // `${NAME:+word}`: the word when NAME is set; unknown when it may be.
                let has_default = args.iter().any(|kv| kv.key.value == name);
                match (value, has_default) {
                    (Some(_), _) => out.push_str(word),
                    (None, false) => {}
                    (None, true) => return None,
                }
                continue;
            }
            match (value, op.strip_prefix('-')) {
                (Some(v), _) => out.push_str(&v),
                (None, Some(word)) => out.push_str(word),
                (None, None) => {
                    // Declared with an empty default: substitutes to nothing; undeclared or
                    // without a default: only the build knows.
                    let empty = args.iter().rev().find(|kv| kv.key.value == name);
                    match empty.and_then(|kv| kv.value.as_ref()) {
                        Some(_) => {}
                        None => return None,
                    }
                }
            }
        } else {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if len == 0 {
                out.push('$');
                continue;
            }
            out.push_str(&lookup(&rest[..len], via)?);
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

struct Parts {
    registry: Option<String>,
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
}

/// Splits `[registry/]path[:tag][@digest]` the way Docker does: the first component is a
/// registry when it has a `.` or a `:` or is `localhost`.
fn split_reference(name: &str) -> Parts {
    let (rest, digest) = match name.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (name, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(rest[slash + i + 1..].to_string())),
        None => (rest, None),
    };
    let (registry, repository) = match path.split_once('/') {
        Some((first, repo))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first.to_string()), repo)
        }
        _ => (None, path),
    };
    let repository = repository
        .strip_prefix("library/")
        .filter(|_| registry.is_none())
        .unwrap_or(repository);
    Parts {
        registry,
        repository: repository.to_string(),
        tag: tag.filter(|t| !t.is_empty()),
        digest: digest.filter(|d| !d.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustmap_model::docker::Text;

    fn kv(key: &str, value: Option<&str>) -> KeyValue {
        KeyValue {
            key: Text {
                value: key.into(),
                span: Span::default(),
            },
            value: value.map(|v| Text {
                value: v.into(),
                span: Span::default(),
            }),
        }
    }

    #[test]
    fn splits_registry_repository_tag_and_digest() {
        let r = image_ref(
            "localhost:5000/team/app:1.2@sha256:ab",
            Span::default(),
            &[],
            &[],
        );
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:ab"));
        let r = image_ref("library/python", Span::default(), &[], &[]);
        assert_eq!((r.repository.as_str(), r.tag.as_deref()), ("python", None));
        let r = image_ref("Build", Span::default(), &[], &["build".into()]);
        assert!(r.is_stage_ref && !r.is_pulled());
    }

    #[test]
    fn substitutes_global_arg_defaults() {
        let args = [kv("BASE", Some("python")), kv("TAG", None)];
        let r = image_ref("${BASE}:${TAG:-3.12}", Span::default(), &args, &[]);
        assert_eq!(r.resolved.as_deref(), Some("python:3.12"));
        assert_eq!(r.tag.as_deref(), Some("3.12"));
        assert_eq!(r.via.len(), 1);
        let r = image_ref("$BASE:$TAG", Span::default(), &args, &[]);
        assert_eq!(r.resolved, None);
        assert!(!r.is_pulled());
    }
}
