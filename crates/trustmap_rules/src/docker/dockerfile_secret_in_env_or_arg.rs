use trustmap_model::Model;
use trustmap_model::docker::{InstructionKind, KeyValue};

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// An `ENV` or `ARG` with a secret-looking name and a literal value written in the file.
    ///
    /// Secret-looking names contain `PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, `ACCESS_KEY`,
    /// `PRIVATE_KEY`, `CREDENTIALS` and the like. Names that point at a secret rather than hold
    /// it (`…_FILE`, `…_PATH`, `…_URL`, `…_ID`, …), values that only reference another variable
    /// (`$TOKEN`), empty values and `ARG NAME` without a default pass.
    ///
    /// ## Why it matters
    ///
    /// The value is written into the image: `ENV` into its configuration, `ARG` defaults into
    /// its build history. Anyone who can pull the image — a registry reader, a leaked CI cache,
    /// a public mirror — reads it with `docker history` or `docker inspect`, and the same
    /// secret is in every copy of the repository.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// ENV DB_PASSWORD=s3cr3t
    /// ARG NPM_TOKEN=npm_4f9…
    /// ```
    ///
    /// ## Fix
    ///
    /// Mount the secret for the one step that needs it, and pass runtime secrets when the
    /// container starts:
    ///
    /// ```dockerfile
    /// # docker build --secret id=npm_token,env=NPM_TOKEN .
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// # DB_PASSWORD comes from the orchestrator's secret store at run time
    /// ```
    ///
    /// Then revoke the secret that was committed: it is in the git history.
    pub(crate) DockerfileSecretInEnvOrArg {
        id: "DKR-004",
        name: "dockerfile-secret-in-env-or-arg",
        severity: High,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            trivy: ["AVD-DS-0031"],
            cwe: ["CWE-798", "CWE-538"],
        },
    }
}

impl Rule for DockerfileSecretInEnvOrArg {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let global = d.global_args.iter().map(|kv| ("ARG", kv));
            let staged = super::instructions(d).flat_map(|i| {
                let (keyword, kvs) = match &i.kind {
                    InstructionKind::Env(kvs) => ("ENV", kvs.as_slice()),
                    InstructionKind::Arg(kvs) => ("ARG", kvs.as_slice()),
                    _ => ("", &[][..]),
                };
                kvs.iter().map(move |kv| (keyword, kv))
            });
            for (keyword, kv) in global.chain(staged) {
                if !looks_secret(&kv.key.value) {
                    continue;
                }
                match literal(kv) {
                    Some(span) => {
                        let message = if keyword == "ENV" {
                            format!(
                                "`ENV {}` bakes a literal secret into the image",
                                kv.key.value
                            )
                        } else {
                            format!(
                                "`ARG {}` has a literal secret as its default, kept in the image history",
                                kv.key.value
                            )
                        };
                        out.report(&d.meta, span, &[], message);
                    }
                    None => out.pass(),
                }
            }
        }
    }
}

/// The value's span when it is a non-empty literal (no `$` reference).
fn literal(kv: &KeyValue) -> Option<trustmap_source::Span> {
    let v = kv.value.as_ref()?;
    let t = v.value.trim();
    (!t.is_empty() && !t.contains('$')).then_some(v.span)
}

/// Words of a name that mean it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
    "pat",
];
/// Adjacent words that together mean a secret.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("client", "secret"),
    ("auth", "key"),
    ("signing", "key"),
    ("encryption", "key"),
];
/// Last words that make the variable a pointer to a secret or a setting about it.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "file", "path", "dir", "url", "uri", "endpoint", "host", "name", "id", "user", "username",
    "type", "version", "ttl", "timeout", "expiry", "expires", "length", "header", "env", "var",
    "location", "arn", "ref", "enabled", "mode", "policy", "format",
];

/// True for `DB_PASSWORD`, `npmToken`, `AWS_SECRET_ACCESS_KEY`; false for `TOKEN_FILE`,
/// `PWD_DIR`.
pub(crate) fn looks_secret(name: &str) -> bool {
    let words = split_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if NOT_SECRET_SUFFIXES.contains(&last.as_str()) {
        return false;
    }
    // `PWD` alone is the shell's working directory.
    if words.len() == 1 && words[0] == "pwd" {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|p| SECRET_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
}

/// `AWS_SECRET-key`, `npmAuthToken` → lower-case words.
fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn recognises_secret_names() {
        for n in [
            "DB_PASSWORD",
            "npmAuthToken",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "GITHUB_PAT",
            "client-secret",
        ] {
            assert!(looks_secret(n), "{n}");
        }
        for n in [
            "PWD",
            "TOKEN_FILE",
            "PASSWORD_PATH",
            "API_URL",
            "AWS_ACCESS_KEY_ID",
            "KEYCLOAK_USER",
            "NODE_ENV",
            "PATH",
        ] {
            assert!(!looks_secret(n), "{n}");
        }
    }
}
