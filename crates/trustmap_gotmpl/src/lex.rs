//! Go `text/template` lexer: text, `{{ }}` actions with `{{-`/`-}}` trimming, comments,
//! and the tokens inside actions. Offsets are bytes into the template text.

use std::rc::Rc;

use crate::error::{Error, ErrorKind};
use trustmap_source::{FileId, Span};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// Text between actions, already trimmed by neighbouring trim markers.
    Text,
    /// `{{` (the token spans the delimiter and a trim marker).
    Open,
    /// `}}`.
    Close,
    Ident(Rc<str>),
    Keyword(Kw),
    /// `.name` (one link of a field chain).
    Field(Rc<str>),
    /// `$` or `$name`, including the `$`.
    Var(Rc<str>),
    Dot,
    Str(Rc<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Pipe,
    LParen,
    RParen,
    Comma,
    Declare,
    Assign,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kw {
    If,
    Else,
    End,
    Range,
    With,
    Define,
    Template,
    Block,
    Break,
    Continue,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Whitespace came right before this token (a field after `)` without space chains).
    pub(crate) space_before: bool,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    file: FileId,
    pos: usize,
    tokens: Vec<Token>,
}

/// Tokenizes a whole template.
pub(crate) fn lex(src: &str, file: FileId) -> Result<Vec<Token>, Error> {
    let mut l = Lexer {
        src,
        file,
        pos: 0,
        tokens: Vec::new(),
    };
    l.run()?;
    Ok(l.tokens)
}

impl Lexer<'_> {
    fn err(&self, at: usize, end: usize, msg: impl Into<String>) -> Error {
        let at = at.min(self.src.len());
        let mut end = end.max(at + 1).min(self.src.len());
        while end < self.src.len() && !self.src.is_char_boundary(end) {
            end += 1;
        }
        Error::new(ErrorKind::Parse, Span::new(self.file, at, end.max(at)), msg)
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize, space_before: bool) {
        self.tokens.push(Token {
            tok,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            space_before,
        });
    }

    fn run(&mut self) -> Result<(), Error> {
        let bytes = self.src.as_bytes();
        let mut trim_next_text = false;
        loop {
            let open = memfind(&bytes[self.pos..], b"{{").map(|i| self.pos + i);
            let text_end = open.unwrap_or(bytes.len());
            let mut t_start = self.pos;
            let mut t_end = text_end;
            if trim_next_text {
                while t_start < t_end && is_space(bytes[t_start]) {
                    t_start += 1;
                }
            }
            let Some(open) = open else {
                if t_start < t_end {
                    self.push(Tok::Text, t_start, t_end, false);
                }
                return Ok(());
            };
            // `{{- ` trims the text before it.
            let mut inner = open + 2;
            let left_trim = bytes.get(inner) == Some(&b'-')
                && bytes.get(inner + 1).is_some_and(|b| is_space(*b));
            if left_trim {
                while t_end > t_start && is_space(bytes[t_end - 1]) {
                    t_end -= 1;
                }
                inner += 2;
            }
            if t_start < t_end {
                self.push(Tok::Text, t_start, t_end, false);
            }
            // A comment: `{{/* … */}}`, `{{- /* … */ -}}`.
            let mut c = inner;
            if left_trim {
                while c < bytes.len() && is_space(bytes[c]) {
                    c += 1;
                }
            }
            if bytes[c..].starts_with(b"/*") {
                let Some(close) = memfind(&bytes[c + 2..], b"*/").map(|i| c + 2 + i + 2) else {
                    return Err(self.err(open, open + 2, "unclosed comment"));
                };
                let rest = &bytes[close..];
                if rest.starts_with(b"}}") {
                    self.pos = close + 2;
                    trim_next_text = false;
                } else if rest.len() >= 4 && is_space(rest[0]) && rest[1..].starts_with(b"-}}") {
                    self.pos = close + 4;
                    trim_next_text = true;
                } else {
                    return Err(self.err(open, close, "comment ends before closing delimiter"));
                }
                continue;
            }
            self.push(Tok::Open, open, inner, false);
            self.pos = inner;
            trim_next_text = self.lex_action(open)?;
        }
    }

    /// Lexes inside an action up to and including `}}`; returns whether it ended in `-}}`.
    fn lex_action(&mut self, open: usize) -> Result<bool, Error> {
        let bytes = self.src.as_bytes();
        let mut paren_depth = 0usize;
        loop {
            let mut space = false;
            while self.pos < bytes.len() && is_space(bytes[self.pos]) {
                // ` -}}` closes with a trim marker.
                if bytes[self.pos + 1..].starts_with(b"-}}") {
                    let start = self.pos;
                    self.pos += 4;
                    self.push(Tok::Close, start, self.pos, true);
                    return Ok(true);
                }
                self.pos += 1;
                space = true;
            }
            let start = self.pos;
            let Some(c) = self.src[self.pos..].chars().next() else {
                return Err(self.err(open, open + 2, "unclosed action"));
            };
            if bytes[self.pos..].starts_with(b"}}") {
                if paren_depth > 0 {
                    return Err(self.err(start, start + 2, "unclosed left paren"));
                }
                self.pos += 2;
                self.push(Tok::Close, start, self.pos, space);
                return Ok(false);
            }
            match c {
                '|' => self.single(Tok::Pipe, space),
                ',' => self.single(Tok::Comma, space),
                '(' => {
                    paren_depth += 1;
                    self.single(Tok::LParen, space);
                }
                ')' => {
                    if paren_depth == 0 {
                        return Err(self.err(start, start + 1, "unexpected right paren"));
                    }
                    paren_depth -= 1;
                    self.single(Tok::RParen, space);
                }
                ':' => {
                    if bytes.get(self.pos + 1) != Some(&b'=') {
                        return Err(self.err(start, start + 1, "expected :="));
                    }
                    self.pos += 2;
                    self.push(Tok::Declare, start, self.pos, space);
                }
                '=' => self.single(Tok::Assign, space),
                '"' => {
                    let s = self.quoted(start)?;
                    self.push(Tok::Str(s.into()), start, self.pos, space);
                }
                '`' => {
                    let Some(close) = self.src[start + 1..].find('`') else {
                        return Err(self.err(start, start + 1, "unterminated raw quoted string"));
                    };
                    let s = &self.src[start + 1..start + 1 + close];
                    self.pos = start + close + 2;
                    self.push(Tok::Str(s.into()), start, self.pos, space);
                }
                '\'' => {
                    let v = self.char_constant(start)?;
                    self.push(Tok::Int(v), start, self.pos, space);
                }
                '$' => {
                    self.pos += 1;
                    self.take_while(is_alnum);
                    let name = &self.src[start..self.pos];
                    self.push(Tok::Var(name.into()), start, self.pos, space);
                }
                '.' => {
                    let next = self.src[self.pos + 1..].chars().next();
                    if next.is_some_and(|n| n.is_ascii_digit()) {
                        self.number(start, space)?;
                    } else if next.is_some_and(is_alnum) {
                        self.pos += 1;
                        self.take_while(is_alnum);
                        let name = &self.src[start + 1..self.pos];
                        self.push(Tok::Field(name.into()), start, self.pos, space);
                    } else {
                        self.single(Tok::Dot, space);
                    }
                }
                '+' | '-' | '0'..='9' => self.number(start, space)?,
                c if is_alnum(c) => {
                    self.take_while(is_alnum);
                    let word = &self.src[start..self.pos];
                    let tok = match word {
                        "if" => Tok::Keyword(Kw::If),
                        "else" => Tok::Keyword(Kw::Else),
                        "end" => Tok::Keyword(Kw::End),
                        "range" => Tok::Keyword(Kw::Range),
                        "with" => Tok::Keyword(Kw::With),
                        "define" => Tok::Keyword(Kw::Define),
                        "template" => Tok::Keyword(Kw::Template),
                        "block" => Tok::Keyword(Kw::Block),
                        "break" => Tok::Keyword(Kw::Break),
                        "continue" => Tok::Keyword(Kw::Continue),
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        _ => Tok::Ident(word.into()),
                    };
                    self.push(tok, start, self.pos, space);
                }
                other => {
                    return Err(self.err(
                        start,
                        start + other.len_utf8(),
                        format!("unexpected {other:?} in action"),
                    ));
                }
            }
        }
    }

    fn single(&mut self, tok: Tok, space: bool) {
        let start = self.pos;
        self.pos += 1;
        self.push(tok, start, self.pos, space);
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) {
        let rest = &self.src[self.pos..];
        let n = rest.find(|c: char| !f(c)).unwrap_or(rest.len());
        self.pos += n;
    }

    fn number(&mut self, start: usize, space: bool) -> Result<(), Error> {
        let bytes = self.src.as_bytes();
        let mut p = start;
        if matches!(bytes.get(p), Some(b'+' | b'-')) {
            p += 1;
        }
        let body_start = p;
        // Digits, letters (base prefixes, exponents, hex digits), '.', '_', and a sign
        // right after an exponent marker.
        while p < bytes.len() {
            let b = bytes[p];
            let prev = if p > body_start { bytes[p - 1] } else { 0 };
            let hex = bytes[body_start..].len() > 1
                && bytes[body_start] == b'0'
                && matches!(bytes[body_start + 1], b'x' | b'X');
            let exp_marker = if hex {
                matches!(prev, b'p' | b'P')
            } else {
                matches!(prev, b'e' | b'E')
            };
            if b.is_ascii_alphanumeric()
                || b == b'.'
                || b == b'_'
                || (exp_marker && matches!(b, b'+' | b'-'))
            {
                p += 1;
            } else {
                break;
            }
        }
        self.pos = p;
        let text = &self.src[start..p];
        if p == body_start {
            return Err(self.err(start, p + 1, format!("bad number syntax: {text:?}")));
        }
        let tok = parse_number(text)
            .ok_or_else(|| self.err(start, p, format!("bad number syntax: {text:?}")))?;
        self.push(tok, start, p, space);
        Ok(())
    }

    fn quoted(&mut self, start: usize) -> Result<String, Error> {
        let mut out = String::new();
        let mut chars = self.src[start + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos = start + 1 + i + 1;
                    return Ok(out);
                }
                '\n' => break,
                '\\' => {
                    let Some((_, e)) = chars.next() else { break };
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'a' => out.push('\x07'),
                        'b' => out.push('\x08'),
                        'f' => out.push('\x0c'),
                        'v' => out.push('\x0b'),
                        '\\' => out.push('\\'),
                        '"' => out.push('"'),
                        '\'' => out.push('\''),
                        'x' | 'u' | 'U' => {
                            let n = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut v = 0u32;
                            for _ in 0..n {
                                let d = chars.next().and_then(|(_, h)| h.to_digit(16));
                                let Some(d) = d else {
                                    return Err(self.err(
                                        start,
                                        start + i + 2,
                                        "invalid escape in string",
                                    ));
                                };
                                v = v * 16 + d;
                            }
                            match char::from_u32(v) {
                                Some(ch) => out.push(ch),
                                None => out.push('\u{fffd}'),
                            }
                        }
                        '0'..='7' => {
                            let mut v = e.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                let d = chars.next().and_then(|(_, h)| h.to_digit(8));
                                let Some(d) = d else {
                                    return Err(self.err(
                                        start,
                                        start + i + 2,
                                        "invalid escape in string",
                                    ));
                                };
                                v = v * 8 + d;
                            }
                            out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                        }
                        _ => return Err(self.err(start, start + i + 2, "unknown escape sequence")),
                    }
                }
                c => out.push(c),
            }
        }
        Err(self.err(start, start + 1, "unterminated quoted string"))
    }

    fn char_constant(&mut self, start: usize) -> Result<i64, Error> {
        let rest = &self.src[start + 1..];
        let mut chars = rest.char_indices();
        let value = match chars.next() {
            Some((_, '\\')) => match chars.next() {
                Some((_, 'n')) => '\n' as i64,
                Some((_, 't')) => '\t' as i64,
                Some((_, 'r')) => '\r' as i64,
                Some((_, '\\')) => '\\' as i64,
                Some((_, '\'')) => '\'' as i64,
                Some((_, '0')) => 0,
                _ => return Err(self.err(start, start + 1, "unsupported character escape")),
            },
            Some((_, c)) if c != '\'' && c != '\n' => c as i64,
            _ => return Err(self.err(start, start + 1, "malformed character constant")),
        };
        match chars.next() {
            Some((i, '\'')) => {
                self.pos = start + 1 + i + 1;
                Ok(value)
            }
            _ => Err(self.err(start, start + 1, "unterminated character constant")),
        }
    }
}

/// A Go number literal: integers in any base (with `_` separators) or floats.
fn parse_number(text: &str) -> Option<Tok> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if body.starts_with('_') || body.ends_with('_') {
        return None;
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        if h.contains(['.', 'p']) {
            None
        } else {
            Some(i64::from_str_radix(h, 16).ok()?)
        }
    } else if let Some(o) = lower.strip_prefix("0o") {
        Some(i64::from_str_radix(o, 8).ok()?)
    } else if let Some(b) = lower.strip_prefix("0b") {
        Some(i64::from_str_radix(b, 2).ok()?)
    } else if lower.bytes().all(|b| b.is_ascii_digit()) {
        if lower.len() > 1 && lower.starts_with('0') {
            Some(i64::from_str_radix(&lower[1..], 8).ok()?)
        } else {
            Some(lower.parse::<i64>().ok()?)
        }
    } else {
        None
    };
    if let Some(i) = int {
        return Some(Tok::Int(if neg { -i } else { i }));
    }
    if lower.starts_with("0x") || lower.contains(|c: char| c.is_ascii_alphabetic() && c != 'e') {
        return None;
    }
    let f: f64 = lower.parse().ok()?;
    Some(Tok::Float(if neg { -f } else { f }))
}

fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s, FileId(0))
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("42"), Some(Tok::Int(42)));
        assert_eq!(parse_number("-3"), Some(Tok::Int(-3)));
        assert_eq!(parse_number("0x1F"), Some(Tok::Int(31)));
        assert_eq!(parse_number("1_000"), Some(Tok::Int(1000)));
        assert_eq!(parse_number("1.5"), Some(Tok::Float(1.5)));
        assert_eq!(parse_number("1e3"), Some(Tok::Float(1000.0)));
        assert_eq!(parse_number("1x"), None);
    }

    #[test]
    fn trim_markers_and_comments() {
        let t = lex("a  {{- 1 -}}  b {{/* c */}} d", FileId(0)).unwrap();
        let texts: Vec<_> = t
            .iter()
            .filter(|t| t.tok == Tok::Text)
            .map(|t| &"a  {{- 1 -}}  b {{/* c */}} d"[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(texts, ["a", "b ", " d"]);
        assert_eq!(
            toks("{{ $x := .a.b | f \"s\" }}"),
            [
                Tok::Open,
                Tok::Var("$x".into()),
                Tok::Declare,
                Tok::Field("a".into()),
                Tok::Field("b".into()),
                Tok::Pipe,
                Tok::Ident("f".into()),
                Tok::Str("s".into()),
                Tok::Close
            ]
        );
    }
}
