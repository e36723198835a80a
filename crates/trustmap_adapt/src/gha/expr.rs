//! `${{ … }}` expressions: where they are in a string and which contexts they read.

use std::ops::Range;

/// One `${{ … }}` in a string.
#[derive(Debug, PartialEq)]
pub(crate) struct Found {
    /// The whole `${{ … }}`.
    pub(crate) whole: Range<usize>,
    /// Between the braces.
    pub(crate) inner: Range<usize>,
}

/// Every complete `${{ … }}`, skipping `}}` inside `'…'` string literals.
pub(crate) fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text[pos..].find("${{") {
        let start = pos + i;
        let inner_start = start + 3;
        let mut j = inner_start;
        let mut end = None;
        while j < bytes.len() {
            match bytes[j] {
                b'\'' => {
                    // '' is an escaped quote inside a literal: two literals back to back.
                    j = text[j + 1..].find('\'').map_or(bytes.len(), |k| j + 1 + k) + 1;
                }
                b'}' if bytes.get(j + 1) == Some(&b'}') => {
                    end = Some(j);
                    break;
                }
                _ => j += 1,
            }
        }
        let Some(inner_end) = end else {
            break;
        };
        out.push(Found {
            whole: start..inner_end + 2,
            inner: inner_start..inner_end,
        });
        pos = inner_end + 2;
    }
    out
}

/// Context paths an expression reads, lower-cased, with their ranges in `inner`.
/// `a.b['c'][0].*` → `a.b.c.0.*`; function names and literals are not contexts.
pub(crate) fn contexts(inner: &str) -> Vec<(String, Range<usize>)> {
    let bytes = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\'' {
            i = inner[i + 1..].find('\'').map_or(bytes.len(), |k| i + 1 + k) + 1;
            continue;
        }
        let starts_ident = (b.is_ascii_alphabetic() || b == b'_')
            && (i == 0 || !is_ident_byte(bytes[i - 1]) && bytes[i - 1] != b'.');
        if !starts_ident {
            i += 1;
            continue;
        }
        let start = i;
        let mut segments = vec![ident(inner, &mut i)];
        loop {
            let rest = &bytes[i..];
            if rest.first() == Some(&b'.') {
                if rest.get(1) == Some(&b'*') {
                    segments.push("*".to_string());
                    i += 2;
                } else if rest.get(1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
                    i += 1;
                    segments.push(ident(inner, &mut i));
                } else {
                    break;
                }
            } else if rest.first() == Some(&b'[') {
                let Some(close) = inner[i..].find(']') else {
                    break;
                };
                let index = inner[i + 1..i + close].trim();
                let seg = index
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .map_or_else(
                        || {
                            if index.bytes().all(|c| c.is_ascii_digit()) && !index.is_empty() {
                                index.to_string()
                            } else {
                                "*".to_string()
                            }
                        },
                        str::to_string,
                    );
                segments.push(seg);
                i += close + 1;
            } else {
                break;
            }
        }
        let is_call = inner[i..].trim_start().starts_with('(');
        let is_literal = segments.len() == 1 && matches!(segments[0].as_str(), "true" | "false" | "null");
        if !is_call && !is_literal {
            out.push((segments.join(".").to_ascii_lowercase(), start..i));
        }
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn ident(text: &str, i: &mut usize) -> String {
    let start = *i;
    while text.as_bytes().get(*i).is_some_and(|b| is_ident_byte(*b)) {
        *i += 1;
    }
    text[start..*i].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_expressions_and_skips_braces_in_literals() {
        let t = "a ${{ format('}}{0}', x) }} b ${{y}} ${{ open";
        let f = find(t);
        assert_eq!(f.len(), 2);
        assert_eq!(&t[f[0].whole.clone()], "${{ format('}}{0}', x) }}");
        assert_eq!(&t[f[1].inner.clone()], "y");
    }

    #[test]
    fn extracts_context_paths() {
        let c = contexts(
            "contains(github.event.pull_request.labels.*.name, 'x') && GitHub.Event['issue'].title || github.event.commits[0].message != null",
        );
        let paths: Vec<_> = c.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "github.event.pull_request.labels.*.name",
                "github.event.issue.title",
                "github.event.commits.0.message"
            ]
        );
        let inner = "x || env.MY-VAR";
        let c = contexts(inner);
        assert_eq!(&inner[c[1].1.clone()], "env.MY-VAR");
    }
}
