use std::collections::HashSet;

use trustmap_model::gitlab::Variable;
use trustmap_model::{Model, ResourceMeta};
use trustmap_source::Span;

use super::runnable;
use crate::plaintext_secret::plaintext_secret;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// A `variables:` entry whose name says it holds a credential (`DB_PASSWORD`,
    /// `NPM_TOKEN`, `AWS_SECRET_ACCESS_KEY`) and whose value is written in the file, or whose
    /// value is a URL with a password in it.
    ///
    /// Pipeline, job (`extends:` templates included) and service variables are read; each
    /// written value is reported once. Values that reference other variables (`$VAULT_TOKEN`)
    /// and empty values pass.
    ///
    /// ## Why it matters
    ///
    /// `.gitlab-ci.yml` is part of the repository: everyone who can read the code, every fork
    /// and every clone on a laptop has the credential, and it stays in the Git history after
    /// it is removed. It is also not masked in job logs the way masked CI/CD variables are.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// variables:
    ///   DB_PASSWORD: "s3cr3t-Passw0rd"
    /// ```
    ///
    /// ## Fix
    ///
    /// Store the value as a masked, protected CI/CD variable in the project settings (or in a
    /// vault read through `secrets:`), and remove it from the file and its history:
    ///
    /// ```yaml
    /// test:
    ///   script:
    ///     - ./run-tests.sh   # reads $DB_PASSWORD, defined in Settings > CI/CD > Variables
    /// ```
    pub(crate) GitlabSecretInVariables {
        id: "GLCI-004",
        name: "gitlab-secret-in-variables",
        severity: High,
        capability: Iac,
        languages: [GitlabCi],
        equivalents: {
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for GitlabSecretInVariables {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for p in &model.gitlab {
            let mut seen: HashSet<Span> = HashSet::new();
            let mut all: Vec<(&ResourceMeta, &Variable)> =
                p.variables.iter().map(|v| (&p.meta, v)).collect();
            for i in p.default.image.iter().chain(&p.default.services) {
                all.extend(i.variables.iter().map(|v| (&p.meta, v)));
            }
            for j in runnable(p) {
                all.extend(j.variables.iter().map(|v| (&j.meta, v)));
                for i in j.image.iter().chain(&j.services) {
                    all.extend(i.variables.iter().map(|v| (&j.meta, v)));
                }
            }
            for (resource, v) in all {
                let Some(value) = &v.value else {
                    continue;
                };
                if !seen.insert(value.span) {
                    continue;
                }
                let literal = !value.value.contains('$');
                match plaintext_secret(&v.name, &value.value).filter(|_| literal) {
                    Some(why) => {
                        let message = format!("variable `{}` {why}", v.name);
                        out.report(resource, value.span, &[], message)
                            .redact(value.span);
                    }
                    None => out.pass_at(resource.span),
                }
            }
        }
    }
}
