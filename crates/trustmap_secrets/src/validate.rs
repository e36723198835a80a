//! Structural validation of candidates: checksums, decodings, well-formed blocks.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use crate::placeholder::{is_placeholder, is_uuid};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320).
pub fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::LazyLock<[u32; 256]> = std::sync::LazyLock::new(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut crc = !0u32;
    for &b in data {
        crc = TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

/// `n` in base62 (digits, upper, lower), left-padded with `0` to `width`.
pub fn base62(mut n: u32, width: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(width);
    while n > 0 {
        out.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    out
}

/// The checksum scheme of GitHub's 2021 token formats (also used by npm): after the prefix,
/// the random part, then 6 base62 characters of its CRC32.
pub fn base62_crc32_ok(token: &[u8], prefix_len: usize) -> bool {
    if token.len() < prefix_len + 7 {
        return false;
    }
    let (body, sum) = token[prefix_len..].split_at(token.len() - prefix_len - 6);
    base62(crc32(body), 6) == sum
}

/// Decodes base64 in either alphabet, with or without padding, ignoring whitespace.
pub fn decode_b64(s: &[u8]) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    if clean.iter().any(|b| matches!(b, b'-' | b'_')) {
        URL_SAFE_NO_PAD.decode(&clean).ok()
    } else {
        STANDARD_NO_PAD.decode(&clean).ok()
    }
}

/// A JWT whose header is a JSON object with an `alg`.
pub fn jwt_ok(token: &[u8]) -> bool {
    let mut parts = token.split(|b| *b == b'.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return false;
    };
    let json_object = |part: &[u8]| {
        decode_b64(part)
            .and_then(|d| serde_json::from_slice::<serde_json::Value>(&d).ok())
            .filter(serde_json::Value::is_object)
    };
    let Some(h) = json_object(header) else {
        return false;
    };
    h.get("alg").is_some_and(serde_json::Value::is_string)
        && json_object(payload).is_some_and(|p| !published_jwt_payload(&p))
}

/// The payloads of the example tokens that JWT documentation prints (jwt.io's
/// `{"sub":"1234567890","name":"John Doe",…}`, PyJWT's `{"some":"payload"}`): copied into
/// docs and tests everywhere, never a credential.
fn published_jwt_payload(p: &serde_json::Value) -> bool {
    let is = |k: &str, v: &str| p.get(k).and_then(serde_json::Value::as_str) == Some(v);
    (is("sub", "1234567890") && is("name", "John Doe")) || is("some", "payload")
}

/// What a private key block turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyBlock {
    Invalid,
    Plain,
    Encrypted,
}

/// Checks a `-----BEGIN … PRIVATE KEY-----` … `-----END …-----` block (real line breaks or
/// `\n` escapes, as in JSON): its base64 body must be long enough and decode.
pub fn private_key(block: &[u8]) -> KeyBlock {
    // Line breaks may be escaped once (`\n` in JSON) or twice (`\\n` in a string in a string).
    let text = String::from_utf8_lossy(block)
        .replace("\\\\r", "")
        .replace("\\r", "")
        .replace("\\\\n", "\n")
        .replace("\\n", "\n");
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(begin) = lines.next() else {
        return KeyBlock::Invalid;
    };
    let mut encrypted = begin.contains("ENCRYPTED");
    let mut body = String::new();
    for line in lines {
        if line.starts_with("-----END") {
            break;
        }
        if line.contains(':') {
            // PEM headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) and PGP armour headers.
            if line.contains("ENCRYPTED") {
                encrypted = true;
            }
            continue;
        }
        if line.starts_with('=') && line.len() <= 6 {
            // PGP armour checksum.
            continue;
        }
        body.push_str(line);
    }
    if body.len() < 64 || is_placeholder(body.as_bytes()) {
        return KeyBlock::Invalid;
    }
    let Some(der) = decode_b64(body.as_bytes()) else {
        return KeyBlock::Invalid;
    };
    if der.len() < 48 {
        return KeyBlock::Invalid;
    }
    if let Some(rest) = der.strip_prefix(b"openssh-key-v1\0") {
        // string ciphername: u32 length + bytes.
        if rest.len() >= 4 {
            let n = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            if rest.get(4..4 + n).is_some_and(|c| c != b"none") {
                encrypted = true;
            }
        }
    }
    if encrypted {
        KeyBlock::Encrypted
    } else {
        KeyBlock::Plain
    }
}

/// A PyPI API token: `pypi-` + a base64url macaroon (version 2 starts with byte 0x02).
pub fn pypi_ok(token: &[u8]) -> bool {
    let Some(body) = token.strip_prefix(b"pypi-") else {
        return false;
    };
    decode_b64(body).is_some_and(|d| d.len() >= 48 && d[0] == 2)
}

/// Base64 of `user:password` with a real password.
pub fn base64_user_pass(v: &[u8]) -> bool {
    let Some(d) = decode_b64(v) else {
        return false;
    };
    let Ok(s) = std::str::from_utf8(&d) else {
        return false;
    };
    let Some((user, pass)) = s.split_once(':') else {
        return false;
    };
    !user.is_empty()
        && pass.len() >= 4
        && !pass.chars().any(char::is_control)
        && !is_placeholder(pass.as_bytes())
}

/// Base64 of a PEM private key.
pub fn base64_private_key(v: &[u8]) -> bool {
    decode_b64(v).is_some_and(|d| {
        let first = d.split(|b| *b == b'\n').next().unwrap_or_default();
        d.starts_with(b"-----BEGIN")
            && crate::placeholder::contains(first, b"PRIVATE KEY")
            && private_key(&d) != KeyBlock::Invalid
    })
}

/// A URL password: not a placeholder, not the user name repeated, not on an example host.
pub fn url_password(whole: &[u8], password: &[u8]) -> bool {
    if is_placeholder(password) || password.len() < 3 {
        return false;
    }
    let lower = whole.to_ascii_lowercase();
    // user:password@ — a password equal to the user name is a default, not a secret.
    if let Some(scheme_end) = memchr::memmem::find(&lower, b"://") {
        let after = &whole[scheme_end + 3..];
        if let Some(colon) = memchr::memchr(b':', after) {
            let user = &after[..colon];
            if user.eq_ignore_ascii_case(password) {
                return false;
            }
        }
    }
    let words: &[&[u8]] = &[b"password", b"passwd", b"pass", b"pwd", b"secret"];
    !words.iter().any(|w| password.eq_ignore_ascii_case(w))
        && !crate::placeholder::contains(&lower, b"example.")
}

/// Where a generic value came from, as far as the scanner can tell.
#[derive(Clone, Copy, Debug, Default)]
pub struct ValueContext {
    /// The value was written in quotes.
    pub quoted: bool,
    /// The file is configuration (`.env`, YAML, properties, INI, shell…), where unquoted
    /// values are literals; in code an unquoted value is usually an identifier.
    pub config_like: bool,
    /// The byte right after an unquoted value (`(` or `[` means a call or an index).
    pub next: Option<u8>,
}

fn is_identifier(v: &[u8]) -> bool {
    matches!(v.first(), Some(b) if b.is_ascii_alphabetic() || *b == b'_')
        && v.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

fn is_dotted_reference(v: &[u8]) -> bool {
    v.contains(&b'.')
        && matches!(v.first(), Some(b) if b.is_ascii_alphabetic() || *b == b'_' || *b == b'$')
        && v.split(|b| *b == b'.').all(|p| {
            !p.is_empty()
                && p.iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-'))
        })
        && v.split(|b| *b == b'.')
            .any(|p| p.iter().any(u8::is_ascii_alphabetic) && p.len() > 1)
}

fn reference(v: &[u8], ctx: ValueContext) -> bool {
    if ctx.quoted {
        return false;
    }
    matches!(ctx.next, Some(b'(' | b'[' | b'.'))
        || is_dotted_reference(v)
        || (!ctx.config_like && is_identifier(v))
        || v.starts_with(b"!")
        || v.starts_with(b"&")
        || v.starts_with(b"*")
}

/// A word with at most a capital first letter (`password`, `Passwort`).
fn is_word(v: &[u8]) -> bool {
    v.iter().skip(1).all(u8::is_ascii_lowercase) && v.first().is_some_and(u8::is_ascii_alphabetic)
}

/// A key that says its value is not real (`FAKE_PASSWORD`, `example_token`).
fn placeholder_key(key: &[u8]) -> bool {
    let k = key.to_ascii_lowercase();
    [
        &b"fake"[..],
        b"dummy",
        b"example",
        b"sample",
        b"mock",
        b"placeholder",
    ]
    .iter()
    .any(|w| crate::placeholder::contains(&k, w))
}

/// True when the key names a password rather than a token.
pub fn key_names_password(key: &[u8]) -> bool {
    let k = key.to_ascii_lowercase();
    [&b"passw"[..], b"pwd", b"passphrase"]
        .iter()
        .any(|w| crate::placeholder::contains(&k, w))
}

/// A value that names a credential instead of being one: lower-case words joined by `_` or
/// `-`, at most a trailing number, one of them a credential word (`new_password`,
/// `wrong-password`, `password2`, `some_hash`). Tests and docs are full of them.
fn names_a_credential(v: &[u8]) -> bool {
    let lower = v.to_ascii_lowercase();
    let words = lower.trim_ascii_end();
    let end = words
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let words = &words[..end];
    !words.is_empty()
        && words
            .iter()
            .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'-'))
        && v.iter().all(|b| !b.is_ascii_uppercase())
        && [&b"pass"[..], b"pwd", b"secret", b"hash", b"token", b"cred"]
            .iter()
            .any(|w| crate::placeholder::contains(words, w))
}

/// Code or a path, not a literal: a boolean expression (`e.withCredentials||!1` in minified
/// JavaScript), a JMESPath/JSONPath query (`Jobs[-1].JobId`, `Configs[].Credentials`), an ARN.
fn is_expression(v: &[u8]) -> bool {
    let has = |n: &[u8]| crate::placeholder::contains(v, n);
    has(b"||") || has(b"&&") || has(b"].") || v.ends_with(b"[]") || v.starts_with(b"arn:")
}

/// Base64 of a placeholder (`cGFzc3dvcmQ=` is `password`, `YWRtaW4=` is `admin`), as in the
/// `data` of sample Kubernetes Secrets.
fn base64_of_placeholder(v: &[u8]) -> bool {
    if !v.len().is_multiple_of(4) || !v.ends_with(b"=") {
        return false;
    }
    decode_b64(v).is_some_and(|d| {
        let d = d.trim_ascii();
        d.iter().all(|b| b.is_ascii_graphic())
            && (d.len() < 6 || is_placeholder(d) || is_word(d) || names_a_credential(d))
    })
}

/// A generic password value worth reporting.
pub fn generic_password(v: &[u8], key: &[u8], ctx: ValueContext) -> bool {
    !placeholder_key(key)
        && v.len() >= 6
        && !is_placeholder(v)
        && !reference(v, ctx)
        && !names_a_credential(v)
        && !is_expression(v)
        && !base64_of_placeholder(v)
        && !is_word(v)
        && !v.iter().any(u8::is_ascii_whitespace)
        && !v.eq_ignore_ascii_case(key)
        && !crate::placeholder::is_hash(v)
        && !looks_like_path_or_url(v)
}

/// A generic token value worth reporting.
pub fn generic_token(v: &[u8], key: &[u8], ctx: ValueContext, min_entropy: f32) -> bool {
    let lower_key = key.to_ascii_lowercase();
    let bad_key = [
        &b"public"[..],
        b"publishable",
        b"csrf",
        b"xsrf",
        b"page",
        b"next",
        b"cursor",
        b"hash",
        b"checksum",
        b"digest",
        b"integrity",
        b"sha",
        b"fingerprint",
        b"nonce",
        b"sample",
        b"example",
    ]
    .iter()
    .any(|w| crate::placeholder::contains(&lower_key, w));
    let has_digit = v.iter().any(u8::is_ascii_digit);
    let mixed_case = v.iter().any(u8::is_ascii_uppercase) && v.iter().any(u8::is_ascii_lowercase);
    !bad_key
        && !placeholder_key(key)
        && !v.starts_with(b"pk.")
        && !v.starts_with(b"pk_")
        && v.len() >= 12
        && !is_placeholder(v)
        && !reference(v, ctx)
        && !is_expression(v)
        && (ctx.quoted || ctx.config_like || has_digit)
        && !is_identifier_words(v)
        && !v.iter().any(u8::is_ascii_whitespace)
        && !is_uuid(v)
        && !crate::placeholder::is_hash(v)
        && !looks_like_path_or_url(v)
        && (has_digit || (mixed_case && v.len() >= 20))
        && crate::placeholder::entropy(v) >= min_entropy
}

/// `snake_case_words` or `kebab-case-words` without digits: names, not tokens.
fn is_identifier_words(v: &[u8]) -> bool {
    !v.iter().any(u8::is_ascii_digit)
        && v.iter()
            .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'.'))
}

fn looks_like_path_or_url(v: &[u8]) -> bool {
    v.starts_with(b"/")
        || v.starts_with(b"./")
        || v.starts_with(b"~/")
        || crate::placeholder::contains(v, b"://")
        || (v.contains(&b'@') && v.contains(&b'.') && !v.contains(&b'/'))
        || ends_with_file_extension(v)
}

fn ends_with_file_extension(v: &[u8]) -> bool {
    let Some(dot) = v.iter().rposition(|b| *b == b'.') else {
        return false;
    };
    let ext = &v[dot + 1..];
    (2..=4).contains(&ext.len())
        && ext.iter().all(u8::is_ascii_lowercase)
        && [
            &b"pem"[..],
            b"key",
            b"crt",
            b"json",
            b"yaml",
            b"yml",
            b"txt",
            b"env",
            b"p12",
            b"pfx",
            b"jks",
            b"der",
            b"conf",
            b"cfg",
            b"ini",
            b"xml",
        ]
        .contains(&ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(base62(0, 6), b"000000");
        assert_eq!(base62(61, 2), b"0z");
    }

    #[test]
    fn generic_values() {
        let code = ValueContext::default();
        let quoted = ValueContext {
            quoted: true,
            ..code
        };
        assert!(generic_password(b"hunter2!", b"password", quoted));
        assert!(!generic_password(b"db_password", b"password", code));
        assert!(!generic_password(b"var.db_password", b"password", code));
        assert!(!generic_password(b"Passwort", b"password", quoted));
        assert!(generic_token(
            b"q8Zr2LmT7vXk4NpB9sWc",
            b"api_key",
            quoted,
            3.0
        ));
        assert!(!generic_token(
            b"3f2b8c1e-9d4a-4e6b-8a2c-1b7d5e9f0a3c",
            b"api_key",
            quoted,
            3.0
        ));
        assert!(!generic_token(b"access_token_here", b"token", quoted, 3.0));
        // Values that name a credential, and code, are not credentials.
        for v in [
            &b"new_password"[..],
            b"wrong-password",
            b"password2",
            b"some_hash",
        ] {
            assert!(!generic_password(v, b"password", quoted), "{v:?}");
        }
        assert!(generic_password(b"ciderland5#", b"password", quoted));
        assert!(generic_password(b"Password123!", b"password", quoted));
        for v in [&b"cGFzc3dvcmQ="[..], b"YWRtaW4=", b"bXlwYXNzd29yZA=="] {
            assert!(!generic_password(v, b"password", quoted), "{v:?}");
        }
        assert!(generic_password(b"d2VsY29tZTc4Xg==", b"password", quoted));
        for v in [
            &b"Jobs[-1].JobId"[..],
            b"Configs[].ServiceAccountCredentials",
        ] {
            assert!(!generic_token(v, b"token", code, 3.0), "{v:?}");
        }
        assert!(!generic_token(
            b"arn:aws:kms:eu-west-1:123456789012:alias/aws/s3",
            b"encryption_key",
            quoted,
            3.0
        ));
        assert!(!generic_token(
            b"e.xhrWithCredentials||!1",
            b"credentials",
            quoted,
            3.0
        ));
    }

    #[test]
    fn published_example_jwts_are_not_secrets() {
        let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
        let sig = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        let jwt_io = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
        let own = "eyJzdWIiOiI2NDI5MTA0MSIsInJvbGUiOiJzZXJ2aWNlIn0";
        assert!(!jwt_ok(format!("{header}.{jwt_io}.{sig}").as_bytes()));
        assert!(jwt_ok(format!("{header}.{own}.{sig}").as_bytes()));
    }
}
