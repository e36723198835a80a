//! The "is this variable a secret written in the code" heuristic, shared by every rule that
//! reads environment variables, build arguments or CI variables: Lambda functions, ECS
//! containers, Kubernetes containers, Dockerfile `ENV`/`ARG`, compose services, GitLab CI.
//!
//! A name is split into words (`dbPassword`, `DB_PASSWORD`, `db.password` → `DB`,
//! `PASSWORD`); it names a credential when a word is a credential word (`PASSWORD`,
//! `TOKEN`, `SECRET`, ...), contains an unambiguous stem (`PGPASSWORD`), or two adjacent
//! words form one (`API_KEY`, `CLIENT_SECRET`) — unless its last word says it describes the
//! credential rather than holds it (`…_FILE`, `…_URL`, `…_ID`, `…_ARN`, ...).

use std::sync::LazyLock;

use regex::Regex;

/// Words that name a credential on their own.
const SECRET_WORDS: &[&str] = &[
    "PASS",
    "PWD",
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
    "PRIVATEKEY",
    "PAT",
];

/// Unambiguous enough to match inside a word (`PGPASSWORD`, `MYSQLPASSWD`).
const SECRET_STEMS: &[&str] = &["PASSWORD", "PASSWD", "PASSPHRASE"];

/// Adjacent words that together name a credential.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("ACCESS", "KEY"),
    ("PRIVATE", "KEY"),
    ("SECRET", "KEY"),
    ("AUTH", "KEY"),
    ("CLIENT", "KEY"),
    ("ENCRYPTION", "KEY"),
    ("SIGNING", "KEY"),
    ("MASTER", "KEY"),
    ("CLIENT", "SECRET"),
    ("CONNECTION", "STRING"),
    ("CONN", "STRING"),
    ("CONN", "STR"),
];

/// Last words that make the variable describe a credential rather than hold it.
const DESCRIPTIVE_SUFFIXES: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "NAME",
    "ID",
    "URL",
    "URI",
    "HOST",
    "ENDPOINT",
    "ARN",
    "REF",
    "KEYREF",
    "PARAM",
    "PARAMETER",
    "HEADER",
    "FIELD",
    "TYPE",
    "MODE",
    "FORMAT",
    "ALGORITHM",
    "POLICY",
    "ENABLED",
    "TTL",
    "TIMEOUT",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "LENGTH",
    "SIZE",
    "LIMIT",
    "VERSION",
    "REGION",
    "LOCATION",
    "PROVIDER",
    "ISSUER",
    "AUDIENCE",
    "USER",
    "USERNAME",
    "ENV",
    "VAR",
];

/// `scheme://user:password@host`.
static URL_WITH_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@").expect("valid regex")
});

/// `dbPassword`, `DB_PASSWORD`, `db.password` → `DB`, `PASSWORD`.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        current.push(ch.to_ascii_uppercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

/// A name whose last word says it describes a credential or its context rather than holds
/// one (`…_FILE`, `…_URL`, `username`, `DB_HOST`).
pub(crate) fn is_descriptive_name(name: &str) -> bool {
    words(name)
        .last()
        .is_some_and(|w| DESCRIPTIVE_SUFFIXES.contains(&w.as_str()))
}

/// A variable name that says it holds a credential (and does not merely point at one).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if DESCRIPTIVE_SUFFIXES.contains(&last.as_str()) {
        return false;
    }
    // `PWD` alone is the shell's working directory.
    if words.len() == 1 && words[0] == "PWD" {
        return false;
    }
    words
        .iter()
        .any(|w| SECRET_WORDS.contains(&w.as_str()) || SECRET_STEMS.iter().any(|s| w.contains(s)))
        || words
            .windows(2)
            .any(|p| SECRET_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
}

/// A value that cannot be a credential written in the code: empty, a boolean, a reference
/// to another variable (`$(VAR)`, `${VAR}`, `$VAR`), an absolute file path, an ARN, a
/// CloudFormation dynamic reference or an SSM parameter reference.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
        || (v.starts_with("$(") && v.ends_with(')'))
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (v.starts_with('/') && !v.contains(char::is_whitespace))
        || v.starts_with("arn:")
        || v.starts_with("{{resolve:")
}

/// Why the variable `name = value` holds a secret written in the code, as the end of a
/// message (`holds a literal secret`), or `None` when it does not look like one.
pub(crate) fn plaintext_secret(name: &str, value: &str) -> Option<&'static str> {
    if URL_WITH_PASSWORD.is_match(value) {
        Some("holds a URL with a password in it")
    } else if is_secret_name(name) && !is_placeholder(value) {
        Some("holds a literal secret")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_separators_and_case() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(
            words("AWS_SECRET_ACCESS_KEY"),
            ["AWS", "SECRET", "ACCESS", "KEY"]
        );
        assert_eq!(words("api.key"), ["API", "KEY"]);
    }

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "apiKey",
            "STRIPE_SECRET",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "DB_PASS",
            "PGPASSWORD",
            "npmAuthToken",
            "GITHUB_PAT",
            "client-secret",
            "connectionString",
            "DB_PWD",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "DB_PASSWORD_SECRET_ARN",
            "TOKEN_URL",
            "KMS_KEY_ID",
            "LOG_LEVEL",
            "PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "SECRET_NAME",
            "BYPASS_CACHE",
            "MAX_TOKENS",
            "KEYCLOAK_REALM",
            "KEYCLOAK_USER",
            "NODE_ENV",
            "PWD",
            "PATH",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        assert!(URL_WITH_PASSWORD.is_match("postgres://app:hunter2@db.internal/prod"));
        assert!(!URL_WITH_PASSWORD.is_match("https://example.com/a:b@c"));
    }

    #[test]
    fn reasons() {
        assert_eq!(
            plaintext_secret("DB_PASSWORD", "hunter2"),
            Some("holds a literal secret")
        );
        assert_eq!(
            plaintext_secret("DB_PASSWORD", "arn:aws:secretsmanager:x"),
            None
        );
        assert_eq!(plaintext_secret("DB_PASSWORD", "${DB_PASSWORD}"), None);
        assert_eq!(plaintext_secret("DB_PASSWORD", "$(DB_PASSWORD)"), None);
        assert_eq!(plaintext_secret("TOKEN", "/var/run/secrets/token"), None);
        assert_eq!(
            plaintext_secret("DATABASE_URL", "postgres://a:b@db/x"),
            Some("holds a URL with a password in it")
        );
        assert_eq!(plaintext_secret("LOG_LEVEL", "debug"), None);
    }
}
