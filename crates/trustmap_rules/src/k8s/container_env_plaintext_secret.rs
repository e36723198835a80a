//! Secret-named environment variables with a literal value in the manifest.

use trustmap_model::Model;
use trustmap_model::k8s::EnvValue;

use super::containers;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Environment variables whose name says they hold a credential (`PASSWORD`, `PASSWD`,
    /// `PASS`, `PASSPHRASE`, `SECRET`, `TOKEN`, `CREDENTIALS`, `API_KEY`, `ACCESS_KEY`,
    /// `PRIVATE_KEY`, ...) and whose value is written in the manifest instead of coming
    /// from a Secret. Names that describe the credential rather than hold it (ending in
    /// `_FILE`, `_PATH`, `_NAME`, `_ID`, `_URL`, ...), empty values, booleans, references
    /// to other variables (`$(VAR)`) and file paths are left alone.
    ///
    /// ## Why it matters
    ///
    /// The value is now in the repository's history forever, in every clone and fork, in
    /// CI logs that print manifests, and readable by anyone with `get` on the workload in
    /// the cluster (no access to Secrets needed). An attacker with read access to any of
    /// these has the credential, and rotating it means rewriting history.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: orders
    /// spec:
    ///   containers:
    ///     - name: orders
    ///       image: registry.example.com/orders:3.3.0
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: "correct-horse-battery-staple"
    /// ```
    ///
    /// ## Fix
    ///
    /// Rotate the credential (it has leaked), keep it in a Secret created outside the
    /// repository (an external secrets operator, sealed secrets, the cloud's secret
    /// manager) and reference it.
    ///
    /// ```yaml
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: orders-db
    ///               key: password
    /// ```
    pub(crate) ContainerEnvPlaintextSecret {
        id: "K8S-015",
        name: "container-env-plaintext-secret",
        severity: High,
        capability: Iac,
        languages: [Kubernetes],
        equivalents: {
            cwe: ["CWE-798"],
        },
    }
}

/// Words that name a credential.
const SECRET_WORDS: &[&str] = &[
    "PASS",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
];

/// Unambiguous enough to match inside a word (`PGPASSWORD`, `MYSQLPASSWD`).
const SECRET_STEMS: &[&str] = &["PASSWORD", "PASSWD", "PASSPHRASE"];

/// `X_KEY` pairs that name a credential.
const KEY_PREFIXES: &[&str] = &[
    "API",
    "ACCESS",
    "PRIVATE",
    "SECRET",
    "AUTH",
    "ENCRYPTION",
    "SIGNING",
    "MASTER",
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
    "ENDPOINT",
    "ARN",
    "REF",
    "KEYREF",
    "HEADER",
    "FIELD",
    "TYPE",
    "MODE",
    "FORMAT",
    "ALGORITHM",
    "ENABLED",
    "TTL",
    "TIMEOUT",
    "EXPIRY",
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
];

/// `dbPassword`, `DB_PASSWORD`, `db.password` → `DB`, `PASSWORD`.
fn words(name: &str) -> Vec<String> {
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

/// The variable's name says it holds a credential.
fn names_a_secret(name: &str) -> bool {
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if DESCRIPTIVE_SUFFIXES.contains(&last.as_str()) {
        return false;
    }
    words
        .iter()
        .any(|w| SECRET_WORDS.contains(&w.as_str()) || SECRET_STEMS.iter().any(|s| w.contains(s)))
        || words
            .windows(2)
            .any(|p| p[1] == "KEY" && KEY_PREFIXES.contains(&p[0].as_str()))
}

/// A value that cannot be a credential: empty, a boolean, a `$(VAR)` reference, a path.
fn harmless(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
        || (v.starts_with("$(") && v.ends_with(')'))
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with('/') && !v.contains(char::is_whitespace))
}

impl Rule for ContainerEnvPlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (workload, container) in containers(model) {
            let (mut clean, mut unknown) = (true, false);
            for var in &container.env {
                let (Some(name), EnvValue::Literal(value)) = (var.name.get(), &var.value) else {
                    continue;
                };
                if !names_a_secret(name) {
                    continue;
                }
                match value.get() {
                    None => unknown = true,
                    Some(v) if value.is_explicit() && !harmless(v) => {
                        clean = false;
                        out.report(
                            &workload.object.meta,
                            value.span,
                            &value.via,
                            format!(
                                "container `{}` sets `{name}` to a literal value in the manifest",
                                container.label()
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            match (clean, unknown) {
                (true, false) => out.pass(),
                (true, true) => out.unknown(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{harmless, names_a_secret, words};

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
    fn credential_names_are_recognised() {
        for name in [
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "stripeApiKey",
            "AWS_SECRET_ACCESS_KEY",
            "DB_PASS",
            "PGPASSWORD",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "AWS_ACCESS_KEY_ID",
            "TOKEN_URL",
            "SECRET_NAME",
            "BYPASS_CACHE",
            "MAX_TOKENS",
            "KEYCLOAK_REALM",
            "PWD",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
    }

    #[test]
    fn references_and_paths_are_not_credentials() {
        assert!(harmless("$(DB_PASSWORD)"));
        assert!(harmless("/var/run/secrets/token"));
        assert!(harmless("false"));
        assert!(!harmless("hunter2"));
    }
}
