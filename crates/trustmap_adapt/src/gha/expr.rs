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

/// A context an expression reads.
#[derive(Debug, PartialEq)]
pub(crate) struct Context {
    /// Lower-cased, indexes as segments: `a.b['c'][0].*` → `a.b.c.0.*`.
    pub(crate) path: String,
    /// Where it is in the expression's inner text.
    pub(crate) range: Range<usize>,
    /// False when the value only feeds a comparison, a `!` or `contains`/`startsWith`/
    /// `endsWith`: the expression's result is then a boolean, never the value's text.
    pub(crate) flows_to_result: bool,
}

/// Context paths an expression reads; function names and literals are not contexts.
pub(crate) fn contexts(inner: &str) -> Vec<Context> {
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
                } else if rest
                    .get(1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                {
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
        let is_literal =
            segments.len() == 1 && matches!(segments[0].as_str(), "true" | "false" | "null");
        if !is_call && !is_literal {
            out.push(Context {
                path: segments.join(".").to_ascii_lowercase(),
                range: start..i,
                flows_to_result: flows_to_result(inner, start, i),
            });
        }
    }
    out
}

/// Functions whose result is a boolean whatever their arguments hold.
const BOOLEAN_FUNCTIONS: &[&str] = &["contains", "startswith", "endswith"];

/// Whether the operand at `start..end` can become (part of) the expression's value.
fn flows_to_result(inner: &str, start: usize, end: usize) -> bool {
    let before = inner[..start].trim_end();
    let after = inner[end..].trim_start();
    let compared = ["==", "!=", "<", ">"]
        .iter()
        .any(|op| after.starts_with(op))
        || ["==", "!=", "<", ">", "<=", ">="]
            .iter()
            .any(|op| before.ends_with(op));
    let negated = before.ends_with('!');
    !(compared
        || negated
        || enclosing_function(before).is_some_and(|f| BOOLEAN_FUNCTIONS.contains(&f.as_str())))
}

/// The lower-cased name of the innermost call still open at the end of `before`.
fn enclosing_function(before: &str) -> Option<String> {
    let bytes = before.as_bytes();
    let mut open = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => {
                i = before[i + 1..]
                    .find('\'')
                    .map_or(bytes.len(), |k| i + 1 + k);
            }
            b'(' => open.push(i),
            b')' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let paren = *open.last()?;
    let head = before[..paren].trim_end();
    let name_start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |k| k + 1);
    let name = &head[name_start..];
    (!name.is_empty()).then(|| name.to_ascii_lowercase())
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
        let paths: Vec<_> = c.iter().map(|c| c.path.as_str()).collect();
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
        assert_eq!(&inner[c[1].range.clone()], "env.MY-VAR");
    }

    #[test]
    fn tells_values_from_conditions() {
        let flows = |inner: &str| -> Vec<bool> {
            contexts(inner).iter().map(|c| c.flows_to_result).collect()
        };
        assert_eq!(flows("github.event.issue.title"), [true]);
        assert_eq!(flows("a == 'x' && b || c"), [false, true, true]);
        assert_eq!(flows("contains(a, 'x') && format('{0}', b)"), [false, true]);
        assert_eq!(
            flows("!a || startsWith(b, 'refs/') || toJSON(c)"),
            [false, false, true]
        );
        assert_eq!(flows("'x' != a"), [false]);
    }
}
