//! Secret-named environment variables of a compose service with a literal value.

use trustmap_model::Model;
use trustmap_model::compose::EnvValue;

use super::services;
use crate::plaintext_secret::plaintext_secret;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// `environment` entries of a compose service (map or list form) whose name says they
    /// hold a credential (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, ...) and whose value is
    /// written in the file, and values that are URLs with a password in them
    /// (`postgres://app:hunter2@db/app`). Values interpolated from the environment
    /// (`${DB_PASSWORD}`), variables passed through without a value, names that describe a
    /// credential (`…_FILE`, `…_URL`, `…_ID`) and empty values pass. The name heuristic is
    /// the one every trustmap environment-secret rule shares.
    ///
    /// ## Why it matters
    ///
    /// The compose file is in the repository: the credential is in every clone, fork and CI
    /// log that prints the file, and in its history after it is changed. The same value often
    /// ends up in staging and production because the file was copied. `docker inspect`
    /// shows it to anyone with access to the Docker daemon.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// services:
    ///   api:
    ///     image: registry.example.com/api:3.1.0
    ///     environment:
    ///       DB_PASSWORD: correct-horse-battery-staple
    /// ```
    ///
    /// ## Fix
    ///
    /// Rotate the credential, then pass it in from outside the file: interpolation from an
    /// untracked `.env` file or the shell, or a compose secret mounted as a file:
    ///
    /// ```yaml
    /// services:
    ///   api:
    ///     image: registry.example.com/api:3.1.0
    ///     environment:
    ///       DB_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     environment: DB_PASSWORD
    /// ```
    pub(crate) ComposeEnvPlaintextSecret {
        id: "CMP-004",
        name: "compose-env-plaintext-secret",
        severity: High,
        capability: Iac,
        languages: [Compose],
        equivalents: {
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for ComposeEnvPlaintextSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (_, s) in services(model) {
            let (mut found, mut unknown) = (false, false);
            for var in &s.environment {
                let EnvValue::Literal(value) = &var.value else {
                    continue;
                };
                let Some(v) = value.get() else {
                    unknown = true;
                    continue;
                };
                if let Some(why) = plaintext_secret(&var.name, v) {
                    found = true;
                    out.report(
                        &s.meta,
                        value.span,
                        &value.via,
                        format!(
                            "environment variable `{}` of service `{}` {why}",
                            var.name,
                            s.label()
                        ),
                    )
                    .redact(value.span);
                }
            }
            match (found, unknown) {
                (false, false) => out.pass_at(s.meta.span),
                (false, true) => out.unknown(),
                _ => {}
            }
        }
    }
}
