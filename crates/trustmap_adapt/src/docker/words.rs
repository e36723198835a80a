//! Dockerfile word splitting for `ENV` and `ARG`: `KEY=value "quoted value" KEY2='x'`.
//!
//! The parser hands us the raw argument text; we split it ourselves so each key and each
//! value keeps its exact byte range (continuations and comment lines included).

use super::shell::RawWord;

/// Splits `src` at unquoted whitespace, removing quotes and the escape character.
pub(crate) fn split(src: &str, escape: char) -> Vec<RawWord> {
    let mut out = Vec::new();
    let mut word: Option<RawWord> = None;
    let mut quote: Option<char> = None;
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        if c == escape && quote != Some('\'') {
            let Some(&(j, n)) = chars.peek() else {
                break;
            };
            chars.next();
            if n == '\n' || n == '\r' {
                // A continuation: drop it, and the comment lines Docker drops after it.
                if n == '\r' && chars.peek().is_some_and(|&(_, c)| c == '\n') {
                    chars.next();
                }
                skip_comment_lines(src, &mut chars);
                continue;
            }
            push(&mut word, i, j + n.len_utf8(), n);
            continue;
        }
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                extend(&mut word, i, end);
            }
            (Some(_), c) => push(&mut word, i, end, c),
            (None, '"' | '\'') => {
                quote = Some(c);
                extend(&mut word, i, end);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    out.push(w);
                }
            }
            (None, c) => push(&mut word, i, end, c),
        }
    }
    out.extend(word);
    out
}

/// Skips blank and `#` lines right after a continuation.
fn skip_comment_lines(src: &str, chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while let Some(&(i, _)) = chars.peek() {
        let line_end = src[i..].find('\n').map_or(src.len(), |n| i + n);
        let line = src[i..line_end].trim();
        if !(line.is_empty() || line.starts_with('#')) {
            return;
        }
        while chars.peek().is_some_and(|&(j, _)| j <= line_end) {
            chars.next();
        }
    }
}

fn push(word: &mut Option<RawWord>, start: usize, end: usize, c: char) {
    match word {
        Some(w) => {
            w.text.push(c);
            w.end = end;
        }
        None => {
            *word = Some(RawWord {
                text: c.to_string(),
                start,
                end,
            });
        }
    }
}

/// A quote character: part of the word's span, not of its text.
fn extend(word: &mut Option<RawWord>, start: usize, end: usize) {
    match word {
        Some(w) => w.end = end,
        None => {
            *word = Some(RawWord {
                text: String::new(),
                start,
                end,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_quotes_and_continuations() {
        let src = "A=1 B=\"two words\" \\\n  # note\n  C='x y'";
        let w = split(src, '\\');
        let texts: Vec<_> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["A=1", "B=two words", "C=x y"]);
        assert_eq!(&src[w[1].start..w[1].end], "B=\"two words\"");
        assert_eq!(&src[w[2].start..w[2].end], "C='x y'");
    }

    #[test]
    fn escapes_keep_the_next_character() {
        let w = split(r"A=a\ b", '\\');
        assert_eq!(w[0].text, "A=a b");
        let w = split("A=a` b", '`');
        assert_eq!(w[0].text, "A=a b");
    }
}
