//! Values that look like secrets but are not: placeholders, templates, documented examples,
//! masked values, hashes, UUIDs and references.

/// Marker substrings (lowercase) that make a value a placeholder or an example.
const MARKERS: &[&str] = &[
    "example",
    "sample",
    "dummy",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "redacted",
    "replace",
    "insert",
    "fake",
    "notreal",
    "notareal",
    "not-a-real",
    "not_a_real",
    "...",
    "not_real",
    "not-real",
    "foobar",
    "lorem",
    "xxxx",
    "****",
    "\u{2026}",
    "\u{2022}\u{2022}",
    "todo",
    "fixme",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "$(",
    "%(",
    "#{",
    "<%",
    "[[",
    "0123456",
    "1234567",
    "2345678",
    "3456789",
    "abcdefg",
    "bcdefgh",
    "qwerty",
];

/// printf/format verbs (matched case-sensitively): a template, not a value.
const FORMAT_VERBS: &[&str] = &["%s", "%d", "%v", "%q", "{0}", "{}"];

/// Credentials that vendors publish for local emulators and docs: public by design.
const PUBLISHED: &[&str] = &[
    // Azure Storage emulator (Azurite) account key, documented by Microsoft.
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
];

/// Words that are a value's type, a default or a label, never the secret itself.
const WORDS: &[&str] = &[
    "null",
    "nil",
    "none",
    "true",
    "false",
    "undefined",
    "string",
    "str",
    "required",
    "optional",
    "empty",
    "hidden",
    "secret",
    "secrets",
    "password",
    "passwd",
    "pass",
    "pwd",
    "token",
    "default",
    "text",
    "bool",
    "boolean",
    "int",
    "integer",
    "number",
    "object",
    "any",
    "env",
    "sensitive",
    "encrypted",
    "masked",
    "value",
    "variable",
    "unset",
    "tbd",
    "n/a",
];

/// True for a value that only stands for a secret: a template or variable reference, a
/// documented example, a masked or redacted value, a run of one character, a sequence.
pub fn is_placeholder(value: &[u8]) -> bool {
    let v = trim(value);
    if v.len() < 4 {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if WORDS.iter().any(|w| lower == w.as_bytes()) {
        return true;
    }
    if MARKERS.iter().any(|m| contains(&lower, m.as_bytes()))
        || FORMAT_VERBS.iter().any(|m| contains(v, m.as_bytes()))
        || PUBLISHED.iter().any(|p| contains(v, p.as_bytes()))
    {
        return true;
    }
    // `$VAR`, `%VAR%`, `[VAR]`, `{VAR}`, `@VAR@`, `__VAR__`.
    let first = v[0];
    let last = v[v.len() - 1];
    if first == b'$'
        || (first == b'%' && last == b'%')
        || (first == b'[' && last == b']')
        || (first == b'{' && last == b'}')
        || (first == b'@' && last == b'@')
        || v.starts_with(b"__") && v.ends_with(b"__")
    {
        return true;
    }
    low_variety(v)
}

/// Few distinct bytes, or one byte repeated over a large part of the value.
pub fn low_variety(v: &[u8]) -> bool {
    let mut counts = [0usize; 256];
    let mut distinct = 0;
    let (mut run, mut longest, mut prev) = (0usize, 0usize, None);
    for &b in v {
        if counts[b as usize] == 0 {
            distinct += 1;
        }
        counts[b as usize] += 1;
        if Some(b) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(b);
        }
        longest = longest.max(run);
    }
    let most = counts.iter().max().copied().unwrap_or(0);
    distinct < 4 || longest >= (v.len() * 2 / 5).max(5) || (v.len() >= 8 && most * 2 >= v.len())
}

/// Shannon entropy in bits per byte.
pub fn entropy(v: &[u8]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in v {
        counts[b as usize] += 1;
    }
    let n = v.len() as f32;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

/// `8-4-4-4-12` hexadecimal.
pub fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A password hash or a content digest: bcrypt/scrypt/argon2 strings, `sha512-…`
/// (npm `integrity`), `sha256:…` (image digests).
pub fn is_hash(v: &[u8]) -> bool {
    let lower = v.to_ascii_lowercase();
    lower.starts_with(b"$2a$")
        || lower.starts_with(b"$2b$")
        || lower.starts_with(b"$2y$")
        || lower.starts_with(b"$argon2")
        || lower.starts_with(b"$scrypt$")
        || lower.starts_with(b"$6$")
        || lower.starts_with(b"$5$")
        || [b"sha1".as_slice(), b"sha256", b"sha384", b"sha512", b"md5"]
            .iter()
            .any(|p| lower.starts_with(p) && matches!(lower.get(p.len()), Some(b'-' | b':' | b'=')))
}

/// True when only hex digits.
pub fn is_hex(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(u8::is_ascii_hexdigit)
}

fn trim(v: &[u8]) -> &[u8] {
    let is_trim = |b: &u8| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`');
    let start = v.iter().position(|b| !is_trim(b)).unwrap_or(v.len());
    let end = v.iter().rposition(|b| !is_trim(b)).map_or(start, |e| e + 1);
    &v[start..end]
}

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "changeme",
            "<your-token>",
            "${DB_PASSWORD}",
            "{{ .Values.password }}",
            "xxxxxxxxxxxxxxxxxxxx",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "$SECRET",
            "%API_KEY%",
            "1234567890abcdef",
            "aaaaaaaaaaaa",
            "null",
            "dummy-token",
            "sk_live_000000000000000000000000",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for s in [
            "Zt7pQ2vL9xWm4kRb",
            "hunter2!",
            "ghp_R8sKw2VnT4yBq7LmZ1cXa9DfH3jP6gUe0Nio",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn uuids_hashes_entropy() {
        assert!(is_uuid(b"3f2b8c1e-9d4a-4e6b-8a2c-1b7d5e9f0a3c"));
        assert!(!is_uuid(b"3f2b8c1e-9d4a-4e6b-8a2c-1b7d5e9f0a3"));
        assert!(is_hash(b"sha512-Qm9vYmFy"));
        assert!(is_hash(b"$2b$12$abcdefghijklmnopqrstuv"));
        assert!(entropy(b"aaaa") < 0.01);
        assert!(entropy(b"abcdefgh") > 2.9);
    }
}
