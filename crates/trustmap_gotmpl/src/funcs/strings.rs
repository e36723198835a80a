//! sprig's string, encoding, hashing, regex, path and URL functions, plus deterministic
//! stand-ins for the random and crypto ones (a scan must be reproducible and never needs
//! real key material).

use std::fmt::Write as _;

use base64::Engine as _;
use sha2::{Digest, Sha256, Sha512};

use super::{FnCtx, FnError, at_least, to_i64, to_str, want};
use crate::value::{Kind, Map, Value};

pub(super) const NAMES: &[&str] = &[
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "upper",
    "lower",
    "title",
    "untitle",
    "repeat",
    "substr",
    "nospace",
    "trunc",
    "abbrev",
    "abbrevboth",
    "initials",
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "randBytes",
    "wrap",
    "wrapWith",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "cat",
    "indent",
    "nindent",
    "replace",
    "plural",
    "snakecase",
    "camelcase",
    "kebabcase",
    "swapcase",
    "shuffle",
    "regexMatch",
    "regexFindAll",
    "regexFind",
    "regexReplaceAll",
    "regexReplaceAllLiteral",
    "regexSplit",
    "regexQuoteMeta",
    "split",
    "splitList",
    "splitn",
    "join",
    "sortAlpha",
    "b64enc",
    "b64dec",
    "b32enc",
    "b32dec",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "adler32sum",
    "uuidv4",
    "base",
    "dir",
    "ext",
    "clean",
    "isAbs",
    "osBase",
    "osDir",
    "osExt",
    "osClean",
    "osIsAbs",
    "urlParse",
    "urlJoin",
    "getHostByName",
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "derivePassword",
    "htpasswd",
    "bcrypt",
    "seq",
];

fn s(v: &Value) -> String {
    match &v.kind {
        Kind::Nil => String::new(),
        _ => to_str(v),
    }
}

fn strs(v: &Value) -> Vec<String> {
    super::lists::items(v)
        .iter()
        .filter(|x| !x.is_nil())
        .map(to_str)
        .collect()
}

pub(super) fn call(name: &str, a: &[Value], ctx: &mut FnCtx) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "trim" => {
            want(name, a, 1)?;
            Value::str(s(&a[0]).trim())
        }
        "trimAll" => {
            want(name, a, 2)?;
            let cut: Vec<char> = s(&a[0]).chars().collect();
            Value::str(s(&a[1]).trim_matches(|c| cut.contains(&c)))
        }
        "trimPrefix" => {
            want(name, a, 2)?;
            let (p, x) = (s(&a[0]), s(&a[1]));
            Value::str(x.strip_prefix(p.as_str()).unwrap_or(&x))
        }
        "trimSuffix" => {
            want(name, a, 2)?;
            let (p, x) = (s(&a[0]), s(&a[1]));
            Value::str(x.strip_suffix(p.as_str()).unwrap_or(&x))
        }
        "upper" => {
            want(name, a, 1)?;
            Value::str(s(&a[0]).to_uppercase())
        }
        "lower" => {
            want(name, a, 1)?;
            Value::str(s(&a[0]).to_lowercase())
        }
        "title" => {
            want(name, a, 1)?;
            Value::str(map_words(&s(&a[0]), true))
        }
        "untitle" => {
            want(name, a, 1)?;
            Value::str(map_words(&s(&a[0]), false))
        }
        "repeat" => {
            want(name, a, 2)?;
            let n = usize::try_from(to_i64(&a[0])).unwrap_or(0);
            let x = s(&a[1]);
            ctx.bytes(x.len().saturating_mul(n))?;
            Value::str(x.repeat(n))
        }
        "substr" => {
            want(name, a, 3)?;
            let (start, end, x) = (to_i64(&a[0]), to_i64(&a[1]), s(&a[2]));
            let len = x.len() as i64;
            let (from, to) = if start < 0 {
                (0, end.clamp(0, len))
            } else if end < 0 || end > len {
                (start.min(len), len)
            } else {
                (start.min(end), end)
            };
            Value::str(byte_slice(&x, from as usize, to as usize))
        }
        "nospace" => {
            want(name, a, 1)?;
            Value::str(
                s(&a[0])
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            )
        }
        "trunc" => {
            want(name, a, 2)?;
            let (n, x) = (to_i64(&a[0]), s(&a[1]));
            let len = x.len() as i64;
            Value::str(if n < 0 && len + n > 0 {
                byte_slice(&x, (len + n) as usize, x.len())
            } else if n >= 0 && len > n {
                byte_slice(&x, 0, n as usize)
            } else {
                x
            })
        }
        "abbrev" => {
            want(name, a, 2)?;
            let (w, x) = (to_i64(&a[0]), s(&a[1]));
            let chars: Vec<char> = x.chars().collect();
            Value::str(if w < 4 || chars.len() as i64 <= w {
                x
            } else {
                chars[..(w - 3) as usize].iter().collect::<String>() + "..."
            })
        }
        "abbrevboth" => {
            want(name, a, 3)?;
            let (l, r, x) = (to_i64(&a[0]), to_i64(&a[1]), s(&a[2]));
            let chars: Vec<char> = x.chars().collect();
            let n = chars.len() as i64;
            let mut out = x.clone();
            if r >= 4 && n > r {
                let start = l.clamp(0, n) as usize;
                let tail: Vec<char> = chars[start..].to_vec();
                let body: String = if tail.len() as i64 > r - 3 {
                    tail[..(r - 3).max(0) as usize].iter().collect::<String>() + "..."
                } else {
                    tail.iter().collect()
                };
                out = if start > 0 {
                    format!("...{body}")
                } else {
                    body
                };
            }
            Value::str(out)
        }
        "initials" => {
            want(name, a, 1)?;
            Value::str(
                s(&a[0])
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .collect::<String>(),
            )
        }
        "randAlphaNum" | "randAlpha" | "randNumeric" | "randAscii" | "randBytes" => {
            want(name, a, 1)?;
            let n = usize::try_from(to_i64(&a[0])).unwrap_or(0);
            ctx.list_limit(n)?;
            ctx.bytes(n)?;
            let set: &[u8] = match name {
                "randAlpha" => b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                "randNumeric" => b"0123456789",
                "randAscii" => b"!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
                _ => b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            };
            let out: String = (0..n)
                .map(|_| set[(ctx.rand() % set.len() as u64) as usize] as char)
                .collect();
            if name == "randBytes" {
                Value::str(base64::engine::general_purpose::STANDARD.encode(out))
            } else {
                Value::str(out)
            }
        }
        "wrap" => {
            want(name, a, 2)?;
            Value::str(wrap(&s(&a[1]), to_i64(&a[0]), "\n"))
        }
        "wrapWith" => {
            want(name, a, 3)?;
            Value::str(wrap(&s(&a[2]), to_i64(&a[0]), &s(&a[1])))
        }
        "contains" => {
            want(name, a, 2)?;
            Value::bool(s(&a[1]).contains(s(&a[0]).as_str()))
        }
        "hasPrefix" => {
            want(name, a, 2)?;
            Value::bool(s(&a[1]).starts_with(s(&a[0]).as_str()))
        }
        "hasSuffix" => {
            want(name, a, 2)?;
            Value::bool(s(&a[1]).ends_with(s(&a[0]).as_str()))
        }
        "quote" => Value::str(
            a.iter()
                .filter(|v| !v.is_nil())
                .map(|v| go_quote(&to_str(v)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "squote" => Value::str(
            a.iter()
                .filter(|v| !v.is_nil())
                .map(|v| format!("'{}'", to_str(v)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "cat" => Value::str(
            a.iter()
                .filter(|v| !v.is_nil())
                .map(to_str)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "indent" | "nindent" => {
            want(name, a, 2)?;
            let n = usize::try_from(to_i64(&a[0])).unwrap_or(0);
            let x = s(&a[1]);
            let lines = x.matches('\n').count() + 1;
            ctx.bytes(n.saturating_mul(lines).saturating_add(x.len()))?;
            let pad = " ".repeat(n);
            let body = format!("{pad}{}", x.replace('\n', &format!("\n{pad}")));
            Value::str(if name == "nindent" {
                format!("\n{body}")
            } else {
                body
            })
        }
        "replace" => {
            want(name, a, 3)?;
            let (old, new, x) = (s(&a[0]), s(&a[1]), s(&a[2]));
            if old.is_empty() {
                // Go inserts `new` between every character; bounded by the byte budget.
                ctx.bytes(new.len().saturating_mul(x.chars().count() + 1))?;
            } else {
                ctx.bytes(x.len() / old.len() * new.len())?;
            }
            Value::str(go_replace(&x, &old, &new))
        }
        "plural" => {
            want(name, a, 3)?;
            Value::str(if to_i64(&a[2]) == 1 {
                s(&a[0])
            } else {
                s(&a[1])
            })
        }
        "snakecase" => {
            want(name, a, 1)?;
            Value::str(case_words(&s(&a[0]), '_'))
        }
        "kebabcase" => {
            want(name, a, 1)?;
            Value::str(case_words(&s(&a[0]), '-'))
        }
        "camelcase" => {
            want(name, a, 1)?;
            Value::str(
                s(&a[0])
                    .split(['_', '-', ' '])
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect::<String>(),
            )
        }
        "swapcase" => {
            want(name, a, 1)?;
            Value::str(
                s(&a[0])
                    .chars()
                    .map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().collect::<String>()
                        } else {
                            c.to_uppercase().collect::<String>()
                        }
                    })
                    .collect::<String>(),
            )
        }
        "shuffle" => {
            want(name, a, 1)?;
            let mut chars: Vec<char> = s(&a[0]).chars().collect();
            for i in (1..chars.len()).rev() {
                let j = (ctx.rand() % (i as u64 + 1)) as usize;
                chars.swap(i, j);
            }
            Value::str(chars.into_iter().collect::<String>())
        }
        "regexMatch" => {
            want(name, a, 2)?;
            Value::bool(regex(&s(&a[0]))?.is_match(&s(&a[1])))
        }
        "regexFind" => {
            want(name, a, 2)?;
            let x = s(&a[1]);
            Value::str(regex(&s(&a[0]))?.find(&x).map_or("", |m| m.as_str()))
        }
        "regexFindAll" => {
            want(name, a, 3)?;
            let x = s(&a[1]);
            let n = to_i64(&a[2]);
            let re = regex(&s(&a[0]))?;
            let it = re.find_iter(&x).map(|m| Value::str(m.as_str()));
            Value::list(if n < 0 {
                it.collect()
            } else {
                it.take(n as usize).collect()
            })
        }
        "regexReplaceAll" => {
            want(name, a, 3)?;
            let x = s(&a[1]);
            Value::str(
                regex(&s(&a[0]))?
                    .replace_all(&x, s(&a[2]).as_str())
                    .into_owned(),
            )
        }
        "regexReplaceAllLiteral" => {
            want(name, a, 3)?;
            let x = s(&a[1]);
            let rep = s(&a[2]);
            Value::str(
                regex(&s(&a[0]))?
                    .replace_all(&x, regex::NoExpand(&rep))
                    .into_owned(),
            )
        }
        "regexSplit" => {
            want(name, a, 3)?;
            let x = s(&a[1]);
            let n = to_i64(&a[2]);
            let re = regex(&s(&a[0]))?;
            let parts: Vec<Value> = if n < 0 {
                re.split(&x).map(Value::str).collect()
            } else {
                re.splitn(&x, n as usize).map(Value::str).collect()
            };
            Value::list(parts)
        }
        "regexQuoteMeta" => {
            want(name, a, 1)?;
            Value::str(regex::escape(&s(&a[0])))
        }
        "split" | "splitn" => {
            let (sep, x, n) = if name == "split" {
                want(name, a, 2)?;
                (s(&a[0]), s(&a[1]), -1)
            } else {
                want(name, a, 3)?;
                (s(&a[0]), s(&a[2]), to_i64(&a[1]))
            };
            let parts = go_split(&x, &sep, n);
            ctx.list_limit(parts.len())?;
            let mut m = Map::new();
            for (i, p) in parts.into_iter().enumerate() {
                m.insert(format!("_{i}"), Value::str(p));
            }
            Value::map(m)
        }
        "splitList" => {
            want(name, a, 2)?;
            let parts = go_split(&s(&a[1]), &s(&a[0]), -1);
            ctx.list_limit(parts.len())?;
            Value::list(parts.into_iter().map(Value::str).collect())
        }
        "join" => {
            want(name, a, 2)?;
            Value::str(strs(&a[1]).join(&s(&a[0])))
        }
        "sortAlpha" => {
            want(name, a, 1)?;
            let mut v = strs(&a[0]);
            v.sort();
            Value::list(v.into_iter().map(Value::str).collect())
        }
        "b64enc" => {
            want(name, a, 1)?;
            Value::str(base64::engine::general_purpose::STANDARD.encode(s(&a[0])))
        }
        "b64dec" => {
            want(name, a, 1)?;
            match base64::engine::general_purpose::STANDARD.decode(s(&a[0]).trim()) {
                Ok(b) => Value::str(String::from_utf8_lossy(&b).into_owned()),
                Err(e) => Value::str(e.to_string()),
            }
        }
        "b32enc" => {
            want(name, a, 1)?;
            Value::str(base32_encode(s(&a[0]).as_bytes()))
        }
        "b32dec" => {
            want(name, a, 1)?;
            Value::str(base32_decode(&s(&a[0])).map_or_else(
                || "illegal base32 data".to_string(),
                |b| String::from_utf8_lossy(&b).into_owned(),
            ))
        }
        "sha256sum" => {
            want(name, a, 1)?;
            Value::str(hex(&Sha256::digest(s(&a[0]).as_bytes())))
        }
        "sha512sum" => {
            want(name, a, 1)?;
            Value::str(hex(&Sha512::digest(s(&a[0]).as_bytes())))
        }
        "sha1sum" => {
            want(name, a, 1)?;
            Value::str(hex(&sha1(s(&a[0]).as_bytes())))
        }
        "adler32sum" => {
            want(name, a, 1)?;
            Value::str(adler32(s(&a[0]).as_bytes()).to_string())
        }
        "uuidv4" => {
            let (x, y) = (ctx.rand(), ctx.rand());
            let b: Vec<u8> = x
                .to_be_bytes()
                .iter()
                .chain(y.to_be_bytes().iter())
                .copied()
                .collect();
            let h = hex(&b);
            Value::str(format!(
                "{}-{}-4{}-{}{}-{}",
                &h[0..8],
                &h[8..12],
                &h[13..16],
                ["8", "9", "a", "b"][(b[8] & 3) as usize],
                &h[17..20],
                &h[20..32]
            ))
        }
        "base" | "osBase" => {
            want(name, a, 1)?;
            Value::str(path_base(&s(&a[0])))
        }
        "dir" | "osDir" => {
            want(name, a, 1)?;
            Value::str(path_dir(&s(&a[0])))
        }
        "ext" | "osExt" => {
            want(name, a, 1)?;
            let b = s(&a[0]);
            let last = b.rsplit('/').next().unwrap_or("");
            Value::str(last.rfind('.').map_or("", |i| &last[i..]).to_string())
        }
        "clean" | "osClean" => {
            want(name, a, 1)?;
            Value::str(path_clean(&s(&a[0])))
        }
        "isAbs" | "osIsAbs" => {
            want(name, a, 1)?;
            Value::bool(s(&a[0]).starts_with('/'))
        }
        "urlParse" => {
            want(name, a, 1)?;
            url_parse(&s(&a[0]))
        }
        "urlJoin" => {
            want(name, a, 1)?;
            url_join(&a[0])
        }
        // A scan never touches the network.
        "getHostByName" => Value::str(""),
        "genPrivateKey" => Value::str(placeholder_pem("PRIVATE KEY")),
        "genCA"
        | "genCAWithKey"
        | "genSelfSignedCert"
        | "genSelfSignedCertWithKey"
        | "genSignedCert"
        | "genSignedCertWithKey" => {
            let mut m = Map::new();
            m.insert("Cert".into(), Value::str(placeholder_pem("CERTIFICATE")));
            m.insert("Key".into(), Value::str(placeholder_pem("RSA PRIVATE KEY")));
            Value::map(m)
        }
        "derivePassword" => {
            at_least(name, a, 1)?;
            Value::str("trustmap-derived-password")
        }
        "htpasswd" => {
            want(name, a, 2)?;
            Value::str(format!("{}:$2a$10$trustmapplaceholderhash", s(&a[0])))
        }
        "bcrypt" => {
            want(name, a, 1)?;
            Value::str("$2a$10$trustmapplaceholderhash")
        }
        "seq" => {
            at_least(name, a, 1)?;
            let nums: Vec<i64> = a.iter().map(to_i64).collect();
            let (start, step, end) = match nums.as_slice() {
                [e] => (1, 1, *e),
                [s0, e] => (*s0, if s0 <= e { 1 } else { -1 }, *e),
                [s0, st, e] => (*s0, *st, *e),
                _ => return Err(FnError::new("seq takes 1 to 3 arguments")),
            };
            if step == 0 || (step > 0 && start > end) || (step < 0 && start < end) {
                Value::str("")
            } else {
                let count = ((end - start) / step + 1) as usize;
                ctx.list_limit(count)?;
                let mut out = String::new();
                let mut i = start;
                for k in 0..count {
                    if k > 0 {
                        out.push(' ');
                    }
                    let _ = write!(out, "{i}");
                    i += step;
                }
                Value::str(out)
            }
        }
        _ => return Ok(None),
    }))
}

fn byte_slice(x: &str, from: usize, to: usize) -> String {
    let b = x.as_bytes();
    let (from, to) = (from.min(b.len()), to.min(b.len()));
    String::from_utf8_lossy(&b[from..to.max(from)]).into_owned()
}

/// Go's `strings.Title`/`untitle`: the first letter of each word changed.
fn map_words(x: &str, upper: bool) -> String {
    let mut out = String::with_capacity(x.len());
    let mut prev_letter = false;
    for c in x.chars() {
        if !prev_letter && c.is_alphabetic() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

fn case_words(x: &str, sep: char) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in x.chars() {
        if c == '_' || c == '-' || c == ' ' {
            if !out.is_empty() && !out.ends_with(sep) {
                out.push(sep);
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() {
            if prev_lower && !out.ends_with(sep) {
                out.push(sep);
            }
            out.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

fn wrap(x: &str, width: i64, sep: &str) -> String {
    let width = width.max(1) as usize;
    let mut out = String::new();
    for (li, line) in x.split('\n').enumerate() {
        if li > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for (wi, word) in line.split(' ').filter(|w| !w.is_empty()).enumerate() {
            if wi > 0 {
                if col + 1 + word.len() > width {
                    out.push_str(sep);
                    col = 0;
                } else {
                    out.push(' ');
                    col += 1;
                }
            }
            out.push_str(word);
            col += word.len();
        }
    }
    out
}

/// Go's `%q` of a string: double-quoted with Go escapes; printable Unicode kept.
pub(crate) fn go_quote(x: &str) -> String {
    let mut o = String::with_capacity(x.len() + 2);
    o.push('"');
    for c in x.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '\x07' => o.push_str("\\a"),
            '\x08' => o.push_str("\\b"),
            '\x0c' => o.push_str("\\f"),
            '\x0b' => o.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(o, "\\x{:02x}", c as u32);
            }
            '\u{fffd}' => o.push('\u{fffd}'),
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    let _ = write!(o, "\\u{:04x}", c as u32);
                } else {
                    let _ = write!(o, "\\U{:08x}", c as u32);
                }
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Go's `strings.Replace(x, old, new, -1)`, including the empty-`old` case.
fn go_replace(x: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut o = String::new();
        o.push_str(new);
        for c in x.chars() {
            o.push(c);
            o.push_str(new);
        }
        return o;
    }
    x.replace(old, new)
}

/// Go's `strings.Split`/`SplitN` (`n < 0`: all; empty separator splits into characters).
fn go_split(x: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = x.chars().map(String::from).collect();
        if n > 0 && chars.len() > n as usize {
            let k = n as usize - 1;
            let mut v: Vec<String> = chars[..k].to_vec();
            v.push(chars[k..].concat());
            return v;
        }
        return chars;
    }
    if n < 0 {
        x.split(sep).map(String::from).collect()
    } else {
        x.splitn(n as usize, sep).map(String::from).collect()
    }
}

fn regex(pat: &str) -> Result<regex::Regex, FnError> {
    regex::RegexBuilder::new(pat)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| FnError::new(format!("error parsing regexp: {e}")))
}

pub(super) fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

fn adler32(b: &[u8]) -> u32 {
    let (mut a, mut s) = (1u32, 0u32);
    for x in b {
        a = (a + u32::from(*x)) % 65521;
        s = (s + a) % 65521;
    }
    (s << 16) | a
}

/// SHA-1 (sprig's `sha1sum`): not for security, only to reproduce chart checksums.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(b: &[u8]) -> String {
    let mut out = String::new();
    for chunk in b.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(B32[((n >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base32_decode(x: &str) -> Option<Vec<u8>> {
    let mut bits = 0u64;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in x.trim_end_matches('=').bytes() {
        let v = B32.iter().position(|&b| b == c)? as u64;
        bits = (bits << 5) | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    Some(out)
}

fn path_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn path_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => path_clean(&p[..=i]),
        None => ".".into(),
    }
}

/// Go's `path.Clean`.
fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

pub(super) fn query_escape(x: &str) -> String {
    let mut o = String::new();
    for b in x.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            b' ' => o.push('+'),
            _ => {
                let _ = write!(o, "%{b:02X}");
            }
        }
    }
    o
}

fn url_parse(x: &str) -> Value {
    let mut m = Map::new();
    let (scheme, rest) = match x.split_once("://") {
        Some((s, r)) => (s.to_string(), r.to_string()),
        None => (String::new(), x.to_string()),
    };
    let (rest, fragment) = rest
        .split_once('#')
        .map_or((rest.clone(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
    let (rest, query) = rest
        .split_once('?')
        .map_or((rest.clone(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
    let (authority, path) = if scheme.is_empty() {
        (String::new(), rest)
    } else {
        match rest.find('/') {
            Some(i) => (rest[..i].to_string(), rest[i..].to_string()),
            None => (rest, String::new()),
        }
    };
    let (userinfo, host) = authority
        .rsplit_once('@')
        .map_or((String::new(), authority.clone()), |(u, h)| {
            (u.to_string(), h.to_string())
        });
    let hostname = host
        .rsplit_once(':')
        .map_or(host.clone(), |(h, _)| h.to_string());
    for (k, v) in [
        ("scheme", scheme),
        ("host", host),
        ("hostname", hostname),
        ("path", path),
        ("query", query),
        ("opaque", String::new()),
        ("fragment", fragment),
        ("userinfo", userinfo),
    ] {
        m.insert(k.into(), Value::str(v));
    }
    Value::map(m)
}

fn url_join(v: &Value) -> Value {
    let Some(m) = v.as_map() else {
        return Value::str("");
    };
    let m = m.borrow();
    let g = |k: &str| m.get(k).map(to_str).unwrap_or_default();
    let mut out = String::new();
    if !g("scheme").is_empty() {
        out.push_str(&g("scheme"));
        out.push_str("://");
    }
    if !g("userinfo").is_empty() {
        out.push_str(&g("userinfo"));
        out.push('@');
    }
    out.push_str(&g("host"));
    out.push_str(&g("path"));
    if !g("query").is_empty() {
        out.push('?');
        out.push_str(&g("query"));
    }
    if !g("fragment").is_empty() {
        out.push('#');
        out.push_str(&g("fragment"));
    }
    Value::str(out)
}

fn placeholder_pem(kind: &str) -> String {
    format!(
        "-----BEGIN {kind}-----\nTUlJQ2dlbmVyYXRlZGJ5dHJ1c3RtYXBub3RyZWFsa2V5bWF0ZXJpYWw=\n-----END {kind}-----\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_match_go() {
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(base32_encode(b"foo"), "MZXW6===");
        assert_eq!(base32_decode("MZXW6===").unwrap(), b"foo");
        assert_eq!(path_clean("a/../b/./c/"), "b/c");
        assert_eq!(go_quote("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(adler32(b"Wikipedia"), 300_286_872);
        assert_eq!(case_words("fooBar baz", '_'), "foo_bar_baz");
    }
}
